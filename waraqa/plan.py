"""What a build must make, decided from plain records alone: no file is read here, nothing is rendered.

Every file of the site gets a key: a digest of everything its bytes depend on (the settings and
Waraqa's code, the templates its template loads, the sheets it shows, anything else its page says it
depends on). The last build recorded the key each of its files was made from. A file is due when it is
new, or its key differs; every other file keeps the bytes it has. A file the last build wrote that no
longer belongs to the site is removed. With no trustworthy last build, every file is due.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from .cache import digest
from .errors import OutputError, Problem
from .records import FileRecord


@dataclass(frozen=True, slots=True)
class Item:
    """One file of the site as the plan sees it: where it goes, what made it, and its key."""

    site_file: str
    origin: str
    key: bytes


@dataclass(frozen=True)
class Plan:
    """What a build makes: the files due (in site order), those kept as they are, and those removed."""

    due: tuple[str, ...]
    kept: tuple[str, ...]
    removed: tuple[str, ...]

    @property
    def nothing_to_do(self) -> bool:
        """Tell whether the output folder already holds exactly this site."""
        return not self.due and not self.removed


def key_of(*parts: bytes | str) -> bytes:
    """Return the key made of `parts`, each told apart from the next."""
    return bytes.fromhex(digest(*parts))[:16]


def template_keys(templates: Mapping[str, str], uses: Mapping[str, frozenset[str] | None]) -> dict[str, bytes]:
    """Return, per template, a key of every template file it may load (`uses`; None: any of them)."""
    every = key_of(*(f"{name}={sha}" for name, sha in sorted(templates.items())))
    return {
        name: every if used is None else key_of(*(f"{file}={templates.get(file, '')}" for file in sorted(used)))
        for name, used in uses.items()
    }


def page_key(settings: bytes, template: bytes, depends: str, shown: Iterable[bytes]) -> bytes:
    """Return the key of a page: its settings, its templates' key, what else it depends on and the sheets it shows."""
    return key_of(settings, template, depends, b"".join(shown))


def plan(items: Sequence[Item], previous: Mapping[str, FileRecord] | None) -> Plan:
    """Return what to make of `items`, given the files the last build left (None: none that can be trusted).

    Two items at one path are refused, naming both: neither could be published.
    """
    seen: dict[str, str] = {}
    for item in items:
        parts = item.site_file.split("/")
        if item.site_file.startswith("/") or ".." in parts or "" in parts:
            raise OutputError([Problem(item.origin, 0, "", f"refusing to write outside the output folder: {item.site_file!r}")])
        if item.site_file in seen:
            raise OutputError([Problem(item.origin, 0, "", f"two pages want the same path {item.site_file}: "
                                       f"{seen[item.site_file]} and {item.origin}")])
        seen[item.site_file] = item.origin
    if previous is None:
        return Plan(tuple(item.site_file for item in items), (), ())
    due: list[str] = []
    kept: list[str] = []
    for item in items:
        record = previous.get(item.site_file)
        (kept if record is not None and record.key == item.key else due).append(item.site_file)
    removed = tuple(sorted(set(previous) - set(seen)))
    return Plan(tuple(due), tuple(kept), removed)
