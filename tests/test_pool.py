"""The build's one process pool: results in order, errors of the first failing chunk, and no worker outlives the build."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from waraqa.pool import POOL_THRESHOLD, WorkerFailed, run_chunks

ITEMS = list(range(POOL_THRESHOLD * 8))


@pytest.mark.parametrize("jobs", [1, 2, 3])
def test_results_come_back_in_item_order_whatever_the_workers(jobs):
    """A pool of any size answers as one process does, item for item."""
    started = os.getpid()

    def work(chunk):
        """Return each item doubled, with whether a worker did it."""
        return [(item * 2, os.getpid() != started) for item in chunk]

    results = run_chunks(work, ITEMS, jobs)
    assert [value for value, _ in results] == [item * 2 for item in ITEMS]
    assert any(in_worker for _, in_worker in results) == (jobs > 1)


def test_workers_share_the_callers_memory_without_pickling_it():
    """Workers are forked: a closure over a lock (which cannot be pickled) and a big list works as it is."""
    lock = threading.Lock()
    big = ["x" * 1000] * 10_000

    def work(chunk):
        """Use the unpicklable lock and the big list."""
        with lock:
            return [len(big[item]) for item in chunk]

    assert run_chunks(work, ITEMS, 2) == [1000] * len(ITEMS)


def test_the_first_failing_chunks_error_is_raised():
    """When two chunks fail, the error raised is the one of the chunk that comes first."""

    def work(chunk):
        """Fail on two items far apart."""
        if 100 in chunk or len(ITEMS) - 1 in chunk:
            raise ValueError(f"failed at {min(chunk)}")
        return list(chunk)

    with pytest.raises(ValueError, match=r"failed at \d+") as raised:
        run_chunks(work, ITEMS, 2)
    assert int(str(raised.value).rsplit(" ", 1)[1]) <= 100


def test_an_error_that_cannot_travel_comes_back_with_its_traceback():
    """An exception that does not pickle is reported as the worker's traceback, not lost."""

    class Stuck(Exception):
        """An error that refuses to be pickled."""

        def __reduce__(self):
            """Refuse."""
            raise TypeError("not picklable")

    def work(chunk):
        """Raise the unpicklable error."""
        raise Stuck("deep inside")

    with pytest.raises(WorkerFailed, match="(?s)Traceback.*deep inside"):
        run_chunks(work, ITEMS, 2)


def test_workers_end_when_the_builds_process_is_killed(tmp_path):
    """kill -9 of the process that forked the pool: its workers are gone within seconds, not left running."""
    script = tmp_path / "parent.py"
    script.write_text(textwrap.dedent(f"""
        import sys, time
        sys.path.insert(0, {str(Path(__file__).resolve().parent.parent)!r})
        from waraqa.pool import run_chunks
        def work(chunk):
            time.sleep(60)
            return list(chunk)
        run_chunks(work, list(range(1000)), 2)
    """), encoding="utf-8")
    parent = subprocess.Popen([sys.executable, str(script)])
    workers: list[int] = []
    deadline = time.monotonic() + 20
    while len(workers) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
        workers = children_of(parent.pid)
    assert len(workers) == 2, "the pool did not start"
    os.kill(parent.pid, signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 5
    while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(alive(pid) for pid in workers), "a worker outlived the build's process"


def children_of(pid: int) -> list[int]:
    """Return the ids of the processes `pid` started."""
    found = []
    for task in os.listdir(f"/proc/{pid}/task"):
        with open(f"/proc/{pid}/task/{task}/children", encoding="ascii") as children:
            found += [int(child) for child in children.read().split()]
    return found


def alive(pid: int) -> bool:
    """Tell whether process `pid` still runs (a zombie does not)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as status:
            return status.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False
