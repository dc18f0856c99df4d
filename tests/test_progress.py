"""A long build says on the terminal what it is doing and how far it is; nothing of it off a terminal or with -q."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import struct
import subprocess
import sys
import termios
import textwrap
from pathlib import Path

import pytest

from benchmarks.corpus import generate
from tests.sitekit import REPO

SCRIPT = textwrap.dedent("""
    import sys
    sys.path.insert(0, {repo!r})
    from waraqa import progress
    progress.DELAY_SECONDS = 0  # every stage of this small site shows, as a big site's do
    from waraqa.cli import main
    sys.exit(main(sys.argv[1:]))
""")


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """Return a generated site big enough for the pool, with search on."""
    return generate(80, tmp_path_factory.mktemp("progress") / "site", search=True)


def run(site: Path, *args: str, terminal: bool) -> str:
    """Build `site` with `args`, its output on a 100-column terminal or on a pipe; return what it wrote."""
    command = [sys.executable, "-c", SCRIPT.format(repo=str(REPO)), "build", "--source", str(site), *args]
    if not terminal:
        done = subprocess.run(command, capture_output=True, text=True, check=True)
        return done.stdout + done.stderr
    main, child = pty.openpty()
    fcntl.ioctl(child, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    process = subprocess.Popen(command, stdin=child, stdout=child, stderr=child, close_fds=True)
    os.close(child)
    shown = b""
    while True:
        try:
            data = os.read(main, 65536)
        except OSError:
            break
        if not data:
            break
        shown += data
    assert process.wait() == 0
    return shown.decode("utf-8", "replace")


def test_a_terminal_sees_each_stage_with_counts_on_one_line(site):
    """Reading, writing and indexing each show as a line redrawn in place (carriage returns), with counts."""
    shown = run(site, "--no-cache", terminal=True)
    for stage in ("reading sheets: ", "writing pages: ", "indexing for search: "):
        assert stage in shown, f"no {stage!r} line"
    assert "\r" in shown and re.search(r"reading sheets: \d+/80 ", shown) and re.search(r"writing pages: \d+/\d+ ", shown)
    assert "\x1b[3" not in shown, "colour codes"
    assert shown.rstrip().splitlines()[-1].startswith("Built 80 sheets")


def test_nothing_of_it_off_a_terminal_or_with_quiet(site):
    """A log file or a CI log gets the summary only; -q on a terminal gets nothing at all."""
    piped = run(site, "--no-cache", terminal=False)
    assert "reading sheets" not in piped and "\r" not in piped and piped.startswith("Built 80 sheets")
    assert run(site, "--no-cache", "-q", terminal=True).strip() == ""
