"""What a long build is doing, and how far it is: one line on the terminal, updated in place.

The pipeline reports stages (sheets read, pages written, search indexed) to a Meter; the command line
gives it one that draws with tqdm when standard error is a terminal and -q was not given, and the
library's default draws nothing. tqdm is small, pure Python and well kept; it writes one line updated
in place, with counts, a rate and an estimate, shows nothing for a stage shorter than its delay, and
prints no colour (so NO_COLOR has nothing to turn off).
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from tqdm import tqdm

# A stage shorter than this shows nothing: most builds of a small site, and most edits, are.
DELAY_SECONDS = 1.0


class Stage(Protocol):
    """One stage of a build being measured: so many things done of a known total."""

    def advance(self, done: int) -> None:
        """Count `done` more things done."""

    def close(self) -> None:
        """End the stage."""


class Meter:
    """Measures a build's stages; this one shows nothing (a library call, a test, a log that is not a terminal)."""

    def stage(self, name: str, total: int) -> Stage:
        """Start measuring a stage of `total` things called `name`."""
        return _Silent()


class _Silent:
    """A stage no one watches."""

    def advance(self, done: int) -> None:
        """Count nothing."""

    def close(self) -> None:
        """End nothing."""


class TerminalMeter(Meter):
    """Shows each stage as one line on standard error, updated in place, and clears it when the stage ends."""

    def stage(self, name: str, total: int) -> Stage:
        """Start a line for `name`, drawn once the stage has lasted DELAY_SECONDS."""
        from tqdm import tqdm  # noqa: PLC0415 - only a terminal needs it

        return _Line(tqdm(total=total, desc=name, delay=DELAY_SECONDS, leave=False, file=sys.stderr, dynamic_ncols=True,
                          mininterval=0.25, bar_format="{desc}: {n_fmt}/{total_fmt} {bar} {elapsed}<{remaining}"))


class _Line:
    """A stage drawn as tqdm's line."""

    def __init__(self, bar: tqdm) -> None:
        """Keep the line to update."""
        self.bar = bar

    def advance(self, done: int) -> None:
        """Count `done` more things done and redraw the line when it is time."""
        self.bar.update(done)

    def close(self) -> None:
        """Clear the line."""
        self.bar.close()


def meter_for(quiet: bool) -> Meter:
    """Return the meter the command line uses: a line on the terminal, unless -q or standard error is no terminal."""
    if quiet or not sys.stderr.isatty() or os.environ.get("TERM") == "dumb":
        return Meter()
    return TerminalMeter()
