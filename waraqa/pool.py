"""The build's one process pool: forked workers that share the build's memory, fed chunks, answering in order.

Workers are forked, so they inherit everything the build's process holds at that moment (the site model,
the converted bodies, the templates) without any of it being pickled; only each chunk's results travel
back. Each stage of a build that is worth it forks its own workers, and they end with the stage.

A worker never outlives the build's process: the kernel kills it when its parent dies (Linux's
PR_SET_PDEATHSIG), and one that misses that signal stops when its task pipe reaches end of file.
Results come back in the order of the items whatever worker did them, so a build on one core and a
build on many write the same bytes; when chunks fail, the error of the first failing chunk is raised.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import traceback
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection, wait
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

# Below this many items a pool costs more to start than it saves.
POOL_THRESHOLD = 64
_PR_SET_PDEATHSIG = 1


class WorkerFailed(Exception):
    """A worker met an error that could not travel back as itself; carries the worker's traceback."""


def default_jobs() -> int:
    """Return how many processes a build uses: every core this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


def worth_a_pool(count: int, jobs: int) -> bool:
    """Tell whether `count` items are worth forking `jobs` workers for."""
    return jobs > 1 and count >= POOL_THRESHOLD and "fork" in multiprocessing.get_all_start_methods()


def chunk_size(count: int, jobs: int) -> int:
    """Return a chunk size that shares `count` items evenly yet sends few messages."""
    return max(16, min(256, count // (jobs * 4)))


def run_chunks(
    work: Callable[[Sequence[T]], list[R]], items: Sequence[T], jobs: int, done: Callable[[int], None] | None = None
) -> list[R]:
    """Return `work` applied to `items` chunk by chunk, in item order: in forked workers when worth it.

    `work` returns one result per item of its chunk. It runs in a child process that inherited this
    process's memory at the fork, so it may use anything the caller holds, closures included. `done` is
    told, in this process, how many items each finished chunk held.
    """
    size = chunk_size(len(items), jobs)
    if not worth_a_pool(len(items), jobs):
        found: list[R] = []
        for start in range(0, len(items), size) if done else (0,):
            chunk = items[start : start + size] if done else items
            found += work(chunk)
            if done:
                done(len(chunk))
        return found
    starts = list(range(0, len(items), size))
    workers: list[_Worker] = []
    for _ in range(min(jobs, len(starts))):
        workers.append(_Worker.start(work, items, size, [worker.connection for worker in workers]))
    results: dict[int, list[R]] = {}
    failures: dict[int, BaseException] = {}
    try:
        pending = iter(range(len(starts)))
        busy: dict[Connection, int] = {}
        for worker in workers:
            _give_next(worker, pending, busy, failures)
        while busy:
            for ready in wait(list(busy)):
                assert isinstance(ready, Connection)
                index = busy.pop(ready)
                worker = next(w for w in workers if w.connection is ready)
                outcome = worker.receive()
                if isinstance(outcome, BaseException):
                    failures[index] = outcome
                else:
                    results[index] = outcome
                    if done:
                        done(len(outcome))
                _give_next(worker, pending, busy, failures)
    except BaseException:
        for worker in workers:
            worker.kill()  # interrupted here: no worker may write on once this returns
        raise
    finally:
        for worker in workers:
            worker.stop()
    if failures:
        raise failures[min(failures)]
    return [result for index in range(len(starts)) for result in results[index]]


def _give_next(worker: _Worker, pending: Any, busy: dict[Connection, int], failures: dict) -> None:
    """Send `worker` the next chunk, unless a chunk failed (no more work is started then) or none is left."""
    if failures:
        return
    index = next(pending, None)
    if index is not None:
        worker.send(index)
        busy[worker.connection] = index


class _Worker:
    """One forked process that runs chunks of the pool's work as its parent sends their numbers."""

    def __init__(self, process: multiprocessing.process.BaseProcess, connection: Connection):
        """Keep the process and this end of its pipe."""
        self.process = process
        self.connection = connection

    @classmethod
    def start(
        cls, work: Callable[[Sequence[T]], list[R]], items: Sequence[T], size: int, siblings: list[Connection]
    ) -> _Worker:
        """Fork a worker that answers chunk numbers with `work` of that chunk of `items`.

        `siblings` are this process's ends of the workers forked before: the new one closes its copies, so
        that each worker's pipe ends when the build's process does.
        """
        parent_end, child_end = multiprocessing.Pipe()
        parent = os.getpid()
        context = multiprocessing.get_context("fork")
        inherited = [*siblings, parent_end]
        process = context.Process(target=_serve, args=(work, items, size, child_end, inherited, parent), daemon=True)
        process.start()
        child_end.close()
        return cls(process, parent_end)

    def send(self, index: int) -> None:
        """Ask the worker for chunk `index`."""
        self.connection.send(index)

    def receive(self) -> Any:
        """Return the worker's answer: the chunk's results, or the exception it raised."""
        try:
            return self.connection.recv()
        except EOFError:
            code = self.process.exitcode
            return WorkerFailed(f"a build process ended unexpectedly (exit code {code})")

    def kill(self) -> None:
        """End the worker at once, whatever it is doing."""
        if self.process.is_alive():
            self.process.kill()
        self.process.join()

    def stop(self) -> None:
        """End the worker: tell it no more work comes, and kill it if it does not end at once."""
        try:
            self.connection.send(None)
        except OSError:
            pass
        self.connection.close()
        self.process.join(timeout=5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()


def _serve(
    work: Callable, items: Sequence, size: int, connection: Connection, inherited: list[Connection], parent: int
) -> None:
    """Run in the worker: answer each chunk number with its results until told to stop or the parent goes."""
    for end in inherited:
        end.close()
    _die_with_parent(parent)
    # Ctrl-C reaches every process of the terminal's group; the build's own process decides what happens.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    while True:
        try:
            index = connection.recv()
        except EOFError:
            return
        if index is None:
            return
        chunk = items[index * size : (index + 1) * size]
        try:
            answer: Any = work(chunk)
        except Exception as error:  # noqa: BLE001 - every failure goes back to the build's process
            answer = error
        try:
            connection.send(answer)
        except Exception:  # noqa: BLE001 - an exception that does not pickle travels as its traceback
            connection.send(WorkerFailed("".join(traceback.format_exception(answer)) if isinstance(answer, BaseException)
                                         else "a result of the build could not be sent back"))


def _die_with_parent(parent: int) -> None:
    """Have the kernel kill this process when the build's process dies; stop now if it already has."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # pragma: no cover - not Linux: the task pipe's end of file stops it
        pass
    if os.getppid() != parent:
        os._exit(0)
