"""Problems only the whole site shows (two sheets at one address, facts not verified for too long), and the verdict.

Every problem of every file is gathered first; then the build stops once, with all of them, if any is an
error (or any at all with --strict).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from .content import Sheet
from .errors import BuildFailed, Problem, Severity


def duplicate_slugs(sheets: Iterable[Sheet]) -> list[Problem]:
    """Return a problem for every sheet whose slug another sheet already uses, naming both files."""
    first: dict[str, Sheet] = {}
    problems = []
    for sheet in sheets:
        if sheet.slug in first:
            other = first[sheet.slug]
            problems.append(
                Problem(
                    sheet.display_path,
                    sheet.slug_line,
                    "slug",
                    f"{sheet.slug!r} is already the slug of {other.display_path}; two sheets cannot share one URL",
                )
            )
        else:
            first[sheet.slug] = sheet
    return problems


def stale_verifications(sheets: Iterable[Sheet], days: int, today: dt.date) -> list[Problem]:
    """Warn about sheets last verified longer ago than `days`."""
    limit = today - dt.timedelta(days=days)
    return [
        Problem(
            sheet.display_path,
            1,
            "verified_on",
            f"last verified on {sheet.verified_on.isoformat()}, more than {days} days ago; check the facts again",
            Severity.WARNING,
        )
        for sheet in sheets
        if sheet.verified_on and sheet.verified_on < limit
    ]


def verdict(problems: Sequence[Problem], strict: bool) -> tuple[Problem, ...]:
    """Return the warnings of a build that may go on; raise BuildFailed with every problem if any must stop it."""
    if any(p.severity is Severity.ERROR or strict for p in problems):
        raise BuildFailed(problems)
    return tuple(problems)
