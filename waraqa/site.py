"""The site model: published sheets newest first, and the tags, people and sides they name. No I/O.

People, tags and sides are grouped by a spelling-independent key (waraqa.names.name_key), so
«يوري أوشاكوف» and «يوري اوشاكوف» are one person; the settings' aliases join other spellings.
Each gets an ASCII slug, configured or transliterated, unique within its kind.
"""

from __future__ import annotations

import dataclasses
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from .config import Config
from .content import Sheet
from .names import name_key, sort_key, transliterate


@dataclass(frozen=True, slots=True)
class SiteInfo:
    """The settings templates show."""

    title: str
    description: str
    locale: str
    base_url: str
    hijri: bool = False
    numerals: str = "latn"
    search: bool = False


@dataclass(frozen=True, slots=True)
class Appearance:
    """One person at one table: the sheet, the role they had there and the side they sat for."""

    sheet: Sheet
    role: str
    side: str
    country: str | None


@dataclass(frozen=True, slots=True)
class Person:
    """Everyone named in any delegation under one spelling-independent key."""

    key: str
    name: str
    slug: str
    appearances: tuple[Appearance, ...]

    @property
    def path(self) -> str:
        """Return the site path of the person's page."""
        return f"people/{self.slug}/"


@dataclass(frozen=True, slots=True)
class Tag:
    """A tag and its sheets, newest first."""

    key: str
    name: str
    slug: str
    sheets: tuple[Sheet, ...]

    @property
    def path(self) -> str:
        """Return the site path of the tag's page."""
        return f"tags/{self.slug}/"


@dataclass(frozen=True, slots=True)
class SideMember:
    """A person who represented a side, with the roles they had for it."""

    person: Person
    roles: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Side:
    """A side of the table (a country when it has a code), its sheets and the people who sat for it."""

    key: str
    name: str
    slug: str
    country: str | None
    sheets: tuple[Sheet, ...]
    members: tuple[SideMember, ...]

    @property
    def path(self) -> str:
        """Return the site path of the side's page."""
        return f"sides/{self.slug}/"


@dataclass(frozen=True, slots=True)
class Site:
    """The published sheets, newest first, with the site's settings, tags, people and sides."""

    info: SiteInfo
    sheets: tuple[Sheet, ...]
    tags: tuple[Tag, ...] = ()
    people: tuple[Person, ...] = ()
    sides: tuple[Side, ...] = ()
    _links: dict[str, dict[str, str]] = field(default_factory=dict, repr=False, compare=False)

    def links_of(self, sheet: Sheet) -> dict[str, dict[str, str]]:
        """Return the site paths a sheet's page links to: its tags, people and sides by the names it uses."""
        return {
            "tags": {tag: self._links["tags"][name_key(tag)] for tag in sheet.tags},
            "people": {
                member.name: self._links["people"][self._links["alias"].get(name_key(member.name), name_key(member.name))]
                for delegation in sheet.delegations
                for member in delegation.members
            },
            "sides": {d.side: self._links["sides"][_side_key(d.side, d.country)] for d in sheet.delegations},
        }


def site_info(config: Config) -> SiteInfo:
    """Return the settings that templates show."""
    return SiteInfo(
        config.title, config.description, config.locale, config.base_url, config.hijri, config.numerals, config.search
    )


def make_site(config: Config, sheets: list[Sheet]) -> Site:
    """Return the site of `sheets`: drafts left out unless asked for, newest first, ties by slug."""
    published = [sheet for sheet in sheets if config.drafts or not sheet.draft]
    published.sort(key=lambda sheet: sheet.slug)
    published.sort(key=lambda sheet: sheet.date, reverse=True)
    slugs = {name_key(name): slug for name, slug in config.slugs}
    aliases = {name_key(spelling): name_key(name) for spelling, name in config.aliases}
    shown_names = {name_key(name): name for _, name in config.aliases}
    tags = _tags(published, slugs)
    people = _people(published, slugs, aliases, shown_names)
    sides = _sides(published, slugs, {person.key: person for person in people}, aliases)
    links = {
        "tags": {tag.key: tag.path for tag in tags},
        "people": {person.key: person.path for person in people},
        "sides": {side.key: side.path for side in sides},
        "alias": aliases,
    }
    return Site(site_info(config), tuple(published), tags, people, sides, links)


def grouping_of(sheet: Sheet) -> tuple:
    """Return everything the site model takes from a sheet to order and group it: its slug, dates, tags and tables."""
    return (
        sheet.slug,
        sheet.date,
        sheet.updated,
        sheet.draft,
        sheet.tags,
        tuple((d.side, d.country, tuple((m.name, m.role) for m in d.members)) for d in sheet.delegations),
    )


def with_edits(site: Site, edited: dict[str, Sheet]) -> tuple[Site, dict[int, Any]]:
    """Return `site` with sheets replaced by edits that keep their grouping, and what replaced what, by id.

    An edit that changes no sheet's `grouping_of` (a title, a summary, the body) leaves every list,
    slug and link as it was: swapping the sheet objects costs far less than making the site again.
    """
    replaced: dict[int, Any] = {}

    def swap(old: Any, new: Any) -> Any:
        """Record that `new` takes the place of `old`, and return it."""
        replaced[id(old)] = new
        return new

    def current(item: Any) -> Any:
        """Return what takes the place of `item`, or `item` itself."""
        return replaced.get(id(item), item)

    # Only the tags, people and sides of the edited sheets hold them.
    touched: set[str] = set()
    for sheet in site.sheets:
        if sheet.path in edited:
            swap(sheet, edited[sheet.path])
            touched.update(path for kind in site.links_of(sheet).values() for path in kind.values())
    sheets = tuple(map(current, site.sheets))
    tags = tuple(
        swap(tag, dataclasses.replace(tag, sheets=tuple(map(current, tag.sheets)))) if tag.path in touched else tag
        for tag in site.tags
    )
    people = []
    for person in site.people:
        if person.path in touched:
            appearances = tuple(
                swap(a, dataclasses.replace(a, sheet=current(a.sheet))) if id(a.sheet) in replaced else a
                for a in person.appearances
            )
            person = swap(person, dataclasses.replace(person, appearances=appearances))
        people.append(person)
    sides = []
    for side in site.sides:
        members = tuple(
            swap(m, dataclasses.replace(m, person=current(m.person))) if id(m.person) in replaced else m
            for m in side.members
        )
        if side.path in touched or any(new is not old for new, old in zip(members, side.members, strict=True)):
            side = swap(side, dataclasses.replace(side, sheets=tuple(map(current, side.sheets)), members=members))
        sides.append(side)
    new_site = dataclasses.replace(site, sheets=sheets, tags=tags, people=tuple(people), sides=tuple(sides))
    return swap(site, new_site), replaced


def _usual_spelling(spellings: list[str]) -> str:
    """Return the spelling used most, the newest sheet's on a tie (spellings come newest first)."""
    counts = Counter(spellings)
    return max(spellings, key=lambda spelling: counts[spelling])


def _unique_slugs(keys: list[tuple[str, str]], configured: dict[str, str]) -> dict[str, str]:
    """Return a slug per (key, shown name): configured or transliterated, numbered where two would meet."""
    taken: set[str] = set(configured.values())
    slugs = {key: configured[key] for key, _ in keys if key in configured}
    for key, name in sorted(keys, key=lambda pair: pair[0]):
        if key in slugs:
            continue
        base = transliterate(name)
        slug, number = base, 2
        while slug in taken:
            slug, number = f"{base}-{number}", number + 1
        taken.add(slug)
        slugs[key] = slug
    return slugs


def _tags(sheets: list[Sheet], configured: dict[str, str]) -> tuple[Tag, ...]:
    """Return every tag with its sheets, in Arabic alphabetical order."""
    grouped: dict[str, list[Sheet]] = defaultdict(list)
    spellings: dict[str, list[str]] = defaultdict(list)
    for sheet in sheets:
        for tag in dict.fromkeys(sheet.tags):
            grouped[name_key(tag)].append(sheet)
            spellings[name_key(tag)].append(tag)
    names = {key: _usual_spelling(spellings[key]) for key in grouped}
    slugs = _unique_slugs(list(names.items()), configured)
    tags = [Tag(key, names[key], slugs[key], tuple(grouped[key])) for key in grouped]
    return tuple(sorted(tags, key=lambda tag: sort_key(tag.name)))


def _people(
    sheets: list[Sheet], configured: dict[str, str], aliases: dict[str, str], shown_names: dict[str, str]
) -> tuple[Person, ...]:
    """Return everyone named in a delegation, one per key, with their appearances newest first."""
    grouped: dict[str, list[Appearance]] = defaultdict(list)
    spellings: dict[str, list[str]] = defaultdict(list)
    for sheet in sheets:
        seen: set[str] = set()
        for delegation in sheet.delegations:
            for member in delegation.members:
                key = aliases.get(name_key(member.name), name_key(member.name))
                if key in seen:
                    continue
                seen.add(key)
                grouped[key].append(Appearance(sheet, member.role, delegation.side, delegation.country))
                spellings[key].append(member.name)
    names = {key: shown_names.get(key) or _usual_spelling(spellings[key]) for key in grouped}
    slugs = _unique_slugs(list(names.items()), configured)
    people = [Person(key, names[key], slugs[key], tuple(grouped[key])) for key in grouped]
    return tuple(sorted(people, key=lambda person: sort_key(person.name)))


def _side_key(side: str, country: str | None) -> str:
    """Return the key of a side: its country code when given, else its name."""
    return f"country:{country}" if country else name_key(side)


def _sides(
    sheets: list[Sheet], configured: dict[str, str], people: dict[str, Person], aliases: dict[str, str]
) -> tuple[Side, ...]:
    """Return every side with its sheets and the people who represented it."""
    grouped: dict[str, list[Sheet]] = defaultdict(list)
    spellings: dict[str, list[str]] = defaultdict(list)
    countries: dict[str, str | None] = {}
    roles: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for sheet in sheets:
        for key in dict.fromkeys(_side_key(d.side, d.country) for d in sheet.delegations):
            grouped[key].append(sheet)
        for delegation in sheet.delegations:
            key = _side_key(delegation.side, delegation.country)
            spellings[key].append(delegation.side)
            countries[key] = delegation.country
            for member in delegation.members:
                person_key = aliases.get(name_key(member.name), name_key(member.name))
                if member.role not in roles[key][person_key]:
                    roles[key][person_key].append(member.role)
    names = {key: _usual_spelling(spellings[key]) for key in grouped}
    slug_names = {key: (countries[key] or "").lower() or names[key] for key in grouped}
    slugs = _unique_slugs(list(slug_names.items()), configured | {
        key: configured[name_key(names[key])] for key in grouped if name_key(names[key]) in configured
    })
    sides = []
    for key, sheets_of_side in grouped.items():
        members = sorted(
            (SideMember(people[person_key], tuple(person_roles)) for person_key, person_roles in roles[key].items()),
            key=lambda member: sort_key(member.person.name),
        )
        sides.append(Side(key, names[key], slugs[key], countries[key], tuple(sheets_of_side), tuple(members)))
    return tuple(sorted(sides, key=lambda side: sort_key(side.name)))


def sheet_paths(sheets: tuple[Sheet, ...]) -> tuple[str, ...]:
    """Return the source paths of `sheets`, which is what a list page's content depends on."""
    return tuple(sheet.path for sheet in sheets)
