"""What the site already knows, read from its sheets and settings: labels, people, sides, tags, publishers, slugs."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..config import Config
from ..content import Sheet, load_sheet
from ..load import sheet_files
from .words import key


@dataclass(frozen=True)
class KnownPerson:
    """A person some sheet names in a delegation, with the role and side of their latest sheet."""

    name: str
    role: str
    side: str
    country: str | None


@dataclass(frozen=True)
class Knowledge:
    """Everything an import matches the article against; empty for a new site."""

    labels: tuple[str, ...] = ()
    people: dict[str, KnownPerson] = field(default_factory=dict)
    aliases: dict[str, str] = field(default_factory=dict)
    tags: tuple[str, ...] = ()
    sides: dict[str, str] = field(default_factory=dict)
    publishers: tuple[str, ...] = ()
    slugs: frozenset[str] = frozenset()

    def person(self, name: str) -> KnownPerson | None:
        """Return the known person a spelling names, through the settings' [aliases] and name folding."""
        folded = key(name)
        canonical = self.aliases.get(folded)
        return self.people.get(key(canonical) if canonical else folded)

    def spellings(self) -> dict[str, str]:
        """Return every folded spelling of a known person (names and aliases) with the name to show."""
        spellings = {folded: person.name for folded, person in self.people.items()}
        for alias, canonical in self.aliases.items():
            if key(canonical) in self.people:
                spellings.setdefault(alias, self.people[key(canonical)].name)
        return spellings


def site_knowledge(config: Config) -> Knowledge:
    """Return what the site's sheets and settings know; sheets that do not load are passed over."""
    sheets = []
    slugs = set()
    for path in sheet_files(config.content_path):
        slugs.add(Path(path).stem)
        result = load_sheet(Path(path), config.root)
        if result.sheet is not None:
            sheets.append(result.sheet)
            slugs.add(result.sheet.slug)
    return knowledge_of(sheets, config.aliases, slugs)


def knowledge_of(sheets: Iterable[Sheet], aliases: Iterable[tuple[str, str]] = (), slugs: Iterable[str] = ()) -> Knowledge:
    """Return the knowledge in `sheets` (the latest sheet decides a person's role) and the settings' aliases."""
    ordered = sorted(sheets, key=lambda sheet: (sheet.date, sheet.slug))
    labels: dict[str, str] = {}
    people: dict[str, KnownPerson] = {}
    tags: dict[str, str] = {}
    sides: dict[str, Counter] = {}
    publishers: dict[str, str] = {}
    for sheet in ordered:
        for row in sheet.details:
            labels.setdefault(key(row.label), row.label)
        for tag in sheet.tags:
            tags.setdefault(key(tag), tag)
        for source in sheet.sources:
            publishers.setdefault(key(source.publisher), source.publisher)
        for delegation in sheet.delegations:
            if delegation.country:
                sides.setdefault(delegation.country, Counter())[delegation.side] += 1
            for member in delegation.members:
                people[key(member.name)] = KnownPerson(member.name, member.role, delegation.side, delegation.country)
    return Knowledge(
        labels=tuple(labels.values()),
        people=people,
        aliases={key(alias): canonical for alias, canonical in aliases},
        tags=tuple(tags.values()),
        sides={code: names.most_common(1)[0][0] for code, names in sides.items()},
        publishers=tuple(publishers.values()),
        slugs=frozenset(slugs),
    )
