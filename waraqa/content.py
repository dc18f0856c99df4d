"""Load sheet files: read them safely, validate their front matter (schema v1), return Sheet records."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, TypeVar

import yaml

from .countries import is_country_code
from .errors import Problem, Severity, display_path
from .frontmatter_yaml import SourceProblem, decode, node_line, split
from .records import pickled_by_fields
from .review_marks import review_warnings
from .sharing import one_copy

SCHEMA_VERSION = 1
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# Folders of the site's own pages and files; a sheet there would overwrite or hide them.
RESERVED_SLUGS = {
    "tags": "tag pages", "people": "people pages", "sides": "side pages", "page": "home page's pages",
    "api": "JSON API", "static": "static files", "search": "search page", "pagefind": "search index",
}
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
T = TypeVar("T")

_YAML_TYPE_NAMES = {
    "tag:yaml.org,2002:bool": "a yes/no value (boolean)",
    "tag:yaml.org,2002:int": "a number",
    "tag:yaml.org,2002:float": "a number",
    "tag:yaml.org,2002:timestamp": "a date",
    "tag:yaml.org,2002:null": "empty",
}


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Detail:
    """One row of the details table (العنصر / التفاصيل)."""

    label: str
    value: str


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Member:
    """One person at the table, with the role they had there."""

    name: str
    role: str


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Delegation:
    """One side of the table and the people who sat for it."""

    side: str
    country: str | None
    members: tuple[Member, ...]


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Source:
    """A publication the sheet's facts come from."""

    publisher: str
    title: str | None = None
    url: str | None = None
    accessed: dt.date | None = None


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Sheet:
    """One fact sheet: its curated facts and its Markdown body, as the editor wrote them."""

    path: str
    display_path: str
    slug: str
    title: str
    date: dt.date
    summary: str
    body: str
    body_line: int
    slug_line: int = 1
    updated: dt.date | None = None
    verified_on: dt.date | None = None
    draft: bool = False
    place: str | None = None
    tags: tuple[str, ...] = ()
    sources: tuple[Source, ...] = ()
    details: tuple[Detail, ...] = ()
    delegations: tuple[Delegation, ...] = ()
    outcomes: tuple[str, ...] = ()


@pickled_by_fields
@dataclass(slots=True)
class LoadResult:
    """What loading one file gave: a sheet when it is usable, and every problem found in it."""

    sheet: Sheet | None
    problems: list[Problem] = field(default_factory=list)


class _Checker:
    """Walks one file's front-matter nodes, converting values and collecting problems with their lines."""

    def __init__(self, shown_path: str, first_line: int):
        """Start with no problems for the file shown to editors as `shown_path`."""
        self.shown_path = shown_path
        self.first_line = first_line
        self.problems: list[Problem] = []
        self.top_level_lines: dict[str, int] = {}

    def line(self, node: yaml.Node) -> int:
        """Return the file line of `node`."""
        return node_line(node, self.first_line)

    def report(self, line: int, field_path: str, message: str, severity: Severity = Severity.ERROR) -> None:
        """Record one problem."""
        self.problems.append(Problem(self.shown_path, line, field_path, message, severity))

    def mapping(self, node: yaml.Node, field_path: str, known: dict[str, Callable], required: tuple[str, ...]) -> dict:
        """Return the values of a mapping node converted by `known`, reporting unknown, duplicate and missing keys."""
        if not isinstance(node, yaml.MappingNode):
            self.report(self.line(node), field_path, f"must be a mapping of key: value pairs, not {_kind(node)}")
            return {}
        values: dict = {}
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            where = f"{field_path}.{key}" if field_path else str(key)
            if key is None or key_node.tag != "tag:yaml.org,2002:str":
                self.report(self.line(key_node), field_path or "front matter", f"key {key!r} must be a plain name")
                continue
            if key in seen:
                self.report(
                    self.line(key_node),
                    where,
                    f"duplicate key (first given at line {seen[key]}); the last value is used",
                    Severity.WARNING,
                )
            seen[key] = self.line(key_node)
            if not field_path:
                self.top_level_lines[key] = seen[key]
            if key not in known:
                self._unknown_key(key_node, field_path, key, known)
                continue
            values[key] = known[key](value_node, where)
        for key in required:
            if key not in seen:
                where = f"{field_path}.{key}" if field_path else key
                self.report(self.line(node), where, "required")
        return values

    def _unknown_key(self, key_node: yaml.Node, field_path: str, key: str, known: dict) -> None:
        """Report a key the schema does not know, suggesting the nearest known one."""
        where = f"{field_path}.{key}" if field_path else key
        if not field_path and key == "content":
            self.report(
                self.line(key_node),
                where,
                "'content' is reserved for the Markdown body below the front matter; rename this key",
            )
            return
        guess = difflib.get_close_matches(key, list(known), n=1, cutoff=0.6)
        hint = f"; did you mean '{guess[0]}'?" if guess else f"; known keys: {', '.join(sorted(known))}"
        self.report(self.line(key_node), where, f"unknown key{hint}", Severity.WARNING)

    def text(self, node: yaml.Node, field_path: str) -> str | None:
        """Return a scalar shown to readers as text, refusing values YAML reads as something else."""
        if not isinstance(node, yaml.ScalarNode):
            self.report(self.line(node), field_path, f"must be text, not {_kind(node)}")
            return None
        if node.tag == "tag:yaml.org,2002:null":
            self.report(self.line(node), field_path, "must not be empty")
            return None
        if node.tag != "tag:yaml.org,2002:str":
            self.report(
                self.line(node),
                field_path,
                f"YAML reads {node.value} as {_YAML_TYPE_NAMES.get(node.tag, node.tag)}, not text; "
                f'put it in quotes to show it as written: "{node.value}"',
            )
            return None
        value = node.value.strip()
        if not value:
            self.report(self.line(node), field_path, "must not be empty")
            return None
        return value

    def name(self, node: yaml.Node, field_path: str) -> str | None:
        """Return a text that many sheets repeat (a person, a role, a tag, a label), as the one copy all share."""
        value = self.text(node, field_path)
        return one_copy(value) if value is not None else None

    def date(self, node: yaml.Node, field_path: str) -> dt.date | None:
        """Return a calendar date written YYYY-MM-DD."""
        if not isinstance(node, yaml.ScalarNode) or not ISO_DATE.fullmatch(node.value.strip()):
            shown = node.value if isinstance(node, yaml.ScalarNode) else _kind(node)
            self.report(self.line(node), field_path, f"must be a date written YYYY-MM-DD, not {shown}")
            return None
        try:
            return dt.date.fromisoformat(node.value.strip())
        except ValueError:
            self.report(self.line(node), field_path, f"{node.value} is not a real date")
            return None

    def boolean(self, node: yaml.Node, field_path: str) -> bool | None:
        """Return true or false."""
        if isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:bool":
            return node.value.lower() in ("true", "yes", "on")
        self.report(self.line(node), field_path, f"must be true or false, not {_shown(node)}")
        return None

    def slug(self, node: yaml.Node, field_path: str) -> str | None:
        """Return a URL slug of lowercase ASCII letters, digits and hyphens, not one the site uses itself."""
        value = self.text(node, field_path)
        if value is not None and not SLUG.fullmatch(value):
            self.report(
                self.line(node),
                field_path,
                f"{value!r} is not a slug: use lowercase ASCII letters, digits and single hyphens, like alaska-summit",
            )
            return None
        if value in RESERVED_SLUGS:
            self.report(self.line(node), field_path, f"{value!r} is the address of the site's own {RESERVED_SLUGS[value]}")
            return None
        return value

    def url(self, node: yaml.Node, field_path: str) -> str | None:
        """Return an absolute http(s) address."""
        value = self.text(node, field_path)
        if value is not None and not re.fullmatch(r"https?://[^\s/$.?#][^\s]*", value):
            self.report(self.line(node), field_path, f"{value!r} is not a web address starting with https://")
            return None
        return value

    def country(self, node: yaml.Node, field_path: str) -> str | None:
        """Return an ISO 3166 alpha-2 country code in capitals."""
        value = self.text(node, field_path)
        if value is not None and not is_country_code(value.upper()):
            self.report(self.line(node), field_path, f"{value!r} is not an ISO 3166 two-letter country code, like US or RU")
            return None
        return one_copy(value.upper()) if value else None

    def items(self, node: yaml.Node, field_path: str, convert: Callable[[yaml.Node, str], T | None]) -> tuple[T, ...]:
        """Return the converted items of a list node, dropping the ones that had problems."""
        if not isinstance(node, yaml.SequenceNode):
            self.report(self.line(node), field_path, f"must be a list, not {_kind(node)}")
            return ()
        converted = (convert(item, f"{field_path}[{index}]") for index, item in enumerate(node.value))
        return tuple(item for item in converted if item is not None)

    def text_list(self, node: yaml.Node, field_path: str) -> tuple[str, ...]:
        """Return a list of texts."""
        return self.items(node, field_path, self.text)

    def details(self, node: yaml.Node, field_path: str) -> tuple[Detail, ...]:
        """Return the details table, written either as a mapping (order kept) or as a list of {label, value}."""
        if isinstance(node, yaml.MappingNode):
            rows = []
            for key_node, value_node in node.value:
                label = self.name(key_node, f"{field_path} label")
                value = self.text(value_node, f"{field_path}.{key_node.value}")
                if label is not None and value is not None:
                    rows.append(Detail(label, value))
            return tuple(rows)
        return self.items(node, field_path, self.detail_row)

    def detail_row(self, node: yaml.Node, field_path: str) -> Detail | None:
        """Return one {label, value} row."""
        row = self.mapping(node, field_path, {"label": self.name, "value": self.text}, ("label", "value"))
        if row.get("label") is None or row.get("value") is None:
            return None
        return Detail(row["label"], row["value"])

    def member(self, node: yaml.Node, field_path: str) -> Member | None:
        """Return one {name, role} delegation member."""
        person = self.mapping(node, field_path, {"name": self.name, "role": self.name}, ("name", "role"))
        if person.get("name") is None or person.get("role") is None:
            return None
        return Member(person["name"], person["role"])

    def delegation(self, node: yaml.Node, field_path: str) -> Delegation | None:
        """Return one {side, country?, members} delegation."""
        known = {"side": self.name, "country": self.country, "members": self.members}
        side = self.mapping(node, field_path, known, ("side", "members"))
        if side.get("side") is None or not side.get("members"):
            return None
        return Delegation(side["side"], side.get("country"), side["members"])

    def members(self, node: yaml.Node, field_path: str) -> tuple[Member, ...]:
        """Return a delegation's members, of which there must be at least one."""
        members = self.items(node, field_path, self.member)
        if isinstance(node, yaml.SequenceNode) and not node.value:
            self.report(self.line(node), field_path, "must list at least one member")
        return members

    def source(self, node: yaml.Node, field_path: str) -> Source | None:
        """Return one {publisher, title?, url?, accessed?} source."""
        known = {"publisher": self.name, "title": self.text, "url": self.url, "accessed": self.date}
        values = self.mapping(node, field_path, known, ("publisher",))
        if values.get("publisher") is None:
            return None
        return Source(values["publisher"], values.get("title"), values.get("url"), values.get("accessed"))

    def front_matter_fields(self) -> dict[str, Callable]:
        """Return the top-level keys of schema v1 and how each is read."""
        return {
            "title": self.text,
            "date": self.date,
            "summary": self.text,
            "slug": self.slug,
            "updated": self.date,
            "verified_on": self.date,
            "draft": self.boolean,
            "place": self.name,
            "tags": lambda node, path: self.items(node, path, self.name),
            "sources": lambda node, path: self.items(node, path, self.source),
            "details": self.details,
            "delegations": lambda node, path: self.items(node, path, self.delegation),
            "outcomes": self.text_list,
        }


REQUIRED = ("title", "date", "summary")


def _kind(node: yaml.Node) -> str:
    """Name the kind of a YAML node for an editor."""
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    return _shown(node)


def _shown(node: yaml.Node) -> str:
    """Show a scalar as the editor wrote it."""
    if isinstance(node, yaml.ScalarNode):
        return repr(node.value) if node.value else "empty"
    return _kind(node)


def load_sheet(path: Path, root: Path, data: bytes | None = None) -> LoadResult:
    """Read (unless `data` is given) and validate one sheet file; return the sheet, if usable, and its problems."""
    shown = display_path(path, root)
    try:
        text = decode(path.read_bytes() if data is None else data)
        source = split(text)
    except SourceProblem as problem:
        return LoadResult(None, [Problem(shown, problem.line, "", problem.message)])
    except OSError as error:
        return LoadResult(None, [Problem(shown, 0, "", f"cannot be read: {error.strerror}")])
    checker = _Checker(shown, source.first_line)
    node = source.front_matter
    if node is None:
        for key in REQUIRED:
            checker.report(1, key, "required")
        return LoadResult(None, checker.problems)
    if not isinstance(node, yaml.MappingNode):
        checker.report(checker.line(node), "", f"the front matter must be key: value pairs, not {_kind(node)}")
        return LoadResult(None, checker.problems)
    values = checker.mapping(node, "", checker.front_matter_fields(), REQUIRED)
    checker.problems.extend(review_warnings(shown, text, source.body_line, node))
    slug = values.get("slug") if "slug" in values else _slug_from_file_name(path, checker)
    errors = [p for p in checker.problems if p.severity is Severity.ERROR]
    if errors or slug is None:
        return LoadResult(None, checker.problems)
    sheet = Sheet(
        path=str(path),
        display_path=shown,
        slug=slug,
        title=values["title"],
        date=values["date"],
        summary=values["summary"],
        body=source.body,
        body_line=source.body_line,
        slug_line=checker.top_level_lines.get("slug", 1),
        updated=values.get("updated"),
        verified_on=values.get("verified_on"),
        draft=bool(values.get("draft")),
        place=values.get("place"),
        tags=values.get("tags", ()),
        sources=values.get("sources", ()),
        details=values.get("details", ()),
        delegations=values.get("delegations", ()),
        outcomes=values.get("outcomes", ()),
    )
    return LoadResult(sheet, checker.problems)


def _slug_from_file_name(path: Path, checker: _Checker) -> str | None:
    """Return the default slug, the file name without .md, or report why it cannot be one."""
    if path.stem in RESERVED_SLUGS:
        checker.report(1, "slug", f"the file name {path.stem!r} is the address of the site's own "
                       f"{RESERVED_SLUGS[path.stem]}; set another 'slug:' or rename the file")
        return None
    if SLUG.fullmatch(path.stem):
        return path.stem
    checker.report(
        1,
        "slug",
        f"the file name {path.stem!r} is not a URL slug; set 'slug:' (lowercase ASCII letters, digits, hyphens) "
        "or rename the file",
    )
    return None
