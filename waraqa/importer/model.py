"""The draft sheet an article becomes: its fields, and for each guess a note saying what was guessed from what."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Note:
    """Something the editor should know or check, in Arabic with the English beside it."""

    ar: str
    en: str

    def __str__(self) -> str:
        """Return the note as the editor reads it: `Arabic (English)`."""
        return f"{self.ar} ({self.en})"


@dataclass(frozen=True)
class Guessed:
    """A value the importer found, and the note that says it is a guess (None when it is not one)."""

    value: str
    guess: Note | None = None


@dataclass(frozen=True)
class DetailRow:
    """One row of the details table."""

    label: str
    value: str
    guess: Note | None = None


@dataclass(frozen=True)
class Member:
    """One member of a delegation."""

    name: str
    role: str
    guess: Note | None = None


@dataclass(frozen=True)
class Delegation:
    """The people of one side."""

    side: str
    country: str | None
    members: tuple[Member, ...]
    guess: Note | None = None


@dataclass(frozen=True)
class SourceGuess:
    """A source the article names or came from."""

    publisher: str
    url: str | None
    guess: Note


@dataclass(frozen=True)
class Draft:
    """Everything an imported article drafts, ready to write as a sheet with `draft: true`."""

    title: str
    date: dt.date
    date_guess: Note
    summary: Guessed
    body: str
    place: Guessed | None = None
    tags: tuple[str, ...] = ()
    tags_guess: Note | None = None
    sources: tuple[SourceGuess, ...] = ()
    details: tuple[DetailRow, ...] = ()
    delegations: tuple[Delegation, ...] = ()
    outcomes: tuple[str, ...] = ()
    outcomes_guess: Note | None = None
    # Notes that belong to no field: lines left out of the body, people named outside any delegation.
    remarks: tuple[Note, ...] = ()
    # What the importer found, for the editor to read once; not written into the sheet.
    findings: tuple[Note, ...] = field(default_factory=tuple)
