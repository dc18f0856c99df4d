"""What a build leaves for the next one, and how the cache keeps it: a small index, and a model in parts.

Every build reads the index: the settings' fingerprint, the templates' digests, each sheet file's stamp
and content key, and each output file's digest, stamp and plan key. Only a build that renders reads the
model: every sheet's record and every page's links, tens of megabytes on a big site, of which an edit
changes little. So the model is kept in parts (buckets by path); each part carries the id of the build
that stored it, the index names the part each bucket needs, and a build stores only the parts it
changed. A part overwritten by another build reads as missing, never as the wrong data.
"""

from __future__ import annotations

import time
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from .cache import BuildCache, digest
from .errors import Problem
from .linkcheck import PageLinks
from .load import SheetRecord
from .pages import Page
from .records import FileRecord, Stamp
from .site import Site

if TYPE_CHECKING:
    from .render import Renderer

_BUCKETS = 64
_KINDS = ("records", "links")
PART_NAMES = tuple(f"{kind}/{number}" for kind in _KINDS for number in range(_BUCKETS))
# States (and twins) kept besides those of the folder being built, the most recently used first: enough
# for output/, the preview's folder and deploy's. A build pointed at folder after folder (a new temporary
# one each time) would otherwise leave a model of the whole site in the cache for every one.
OTHER_OUTPUTS_KEPT = 2
_OUTPUTS_ENTRY = "state-outputs"
V = TypeVar("V")


@dataclass(frozen=True)
class BuildIndex:
    """What every build reads of the last one: its inputs' stamps and every file it wrote."""

    build: int
    fingerprint: str
    templates: dict[str, str]
    sources: dict[str, tuple[Stamp, bytes]]
    files: dict[str, FileRecord]
    warnings: tuple[Problem, ...]
    sheets: int
    pages: int
    # For every part of the model, the id of the build that stored it.
    parts: dict[str, int] = field(default_factory=dict)

    def __reduce__(self) -> tuple[Any, tuple]:
        """Pickle the stamps and file records as plain tuples: every build reads and most store this index.

        On 10,000 sheets its 37,000 records pickled as objects took 0.8 s to store and 0.5 s to load; as
        tuples, a tenth of that, and making the records again on load another tenth.
        """
        sources = {path: (stamp.size, stamp.mtime_ns, key) for path, (stamp, key) in self.sources.items()}
        files = {name: (r.digest, r.stamp.size, r.stamp.mtime_ns, r.key) for name, r in self.files.items()}
        fields = (self.build, self.fingerprint, self.templates, sources, files, self.warnings, self.sheets, self.pages,
                  self.parts)
        return _index_from, fields


def _index_from(
    build: int, fingerprint: str, templates: dict[str, str], sources: dict[str, tuple[int, int, bytes]],
    files: dict[str, tuple[bytes, int, int, bytes]], warnings: tuple[Problem, ...], sheets: int, pages: int,
    parts: dict[str, int],
) -> BuildIndex:
    """Return the index that BuildIndex.__reduce__ stored as tuples."""
    return BuildIndex(
        build, fingerprint, templates, {path: (Stamp(size, mtime), key) for path, (size, mtime, key) in sources.items()},
        {name: FileRecord(digest, Stamp(size, mtime), key) for name, (digest, size, mtime, key) in files.items()},
        warnings, sheets, pages, parts,
    )


@dataclass(frozen=True)
class BuildModel:
    """What a build that renders needs of the last one: every sheet's record and every page's links."""

    records: dict[str, SheetRecord]
    links: dict[str, PageLinks]


@dataclass(frozen=True)
class State:
    """What one build hands the next: its index and model, what the twin holds, and what a long-lived process keeps.

    `site`, `pages` and `renderer` stay in memory only: with them the preview applies an edit by
    swapping objects instead of making them all again, and Jinja compiles each template once.
    """

    index: BuildIndex
    model: BuildModel | None = None
    site: Site | None = None
    pages: tuple[Page, ...] | None = None
    renderer: Renderer | None = None
    # What the output folder's twin holds (site file -> digest), when known.
    twin: dict[str, bytes] | None = None
    # The part record of the model the cache holds (see BuildIndex.parts).
    stored: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class StateKeys:
    """Where the cache keeps the state of one output folder."""

    index: str
    model: str

    @classmethod
    def of(cls, output: str) -> StateKeys:
        """Return the keys of the state of the output folder `output`."""
        return cls(digest("state", output), digest("state-model", output))


def new_build_id() -> int:
    """Return the id of a build starting now: its start time, which also bounds which stamps are trusted."""
    return time.time_ns()


def part_of(kind: str, key: str) -> str:
    """Return the part of the model that holds the item `key` (a sheet's path, a page's file) of `kind`."""
    return f"{kind}/{zlib.crc32(key.encode('utf-8')) % _BUCKETS}"


def parts_after(previous: Mapping[str, int], build: int, changed: Mapping[str, Iterable[str]] | None) -> dict[str, int]:
    """Return the part record of a build `build`: `changed` names the items of each kind it changed (None: all)."""
    if changed is None:
        return dict.fromkeys(PART_NAMES, build)
    parts = dict(previous)
    for kind, keys in changed.items():
        for key in keys:
            parts[part_of(kind, key)] = build
    return parts


def save(cache: BuildCache, keys: StateKeys, index: BuildIndex, model: BuildModel, stored: Mapping[str, int]) -> None:
    """Store `index`, and the parts of `model` that are not the ones `stored` records as kept already.

    The states of output folders other than the OTHER_OUTPUTS_KEPT saved last are deleted.
    """
    entries: list[tuple[str, Any]] = [(keys.index, index)]
    for name, data in _split(model).items():
        if stored.get(name) != index.parts[name]:
            entries.append((digest(keys.model, name), (index.parts[name], data)))
    known = cache.get(_OUTPUTS_ENTRY)
    outputs = dict(known) if isinstance(known, dict) else {}
    outputs[keys] = time.time_ns()
    recent = dict(sorted(outputs.items(), key=lambda item: item[1], reverse=True)[: OTHER_OUTPUTS_KEPT + 1])
    entries.append((_OUTPUTS_ENTRY, recent))
    cache.put_many(entries)
    old = [key for key in outputs if key not in recent]
    cache.delete_many([name for key in old for name in (key.index, *(digest(key.model, part) for part in PART_NAMES))])


def recent_outputs(cache: BuildCache) -> list[StateKeys]:
    """Return the keys of the output folders whose states the cache keeps."""
    known = cache.get(_OUTPUTS_ENTRY)
    return list(known) if isinstance(known, dict) else []


def load_index(cache: BuildCache, keys: StateKeys) -> BuildIndex | None:
    """Return the last build's index from the cache, or None."""
    index = cache.get(keys.index)
    if not isinstance(index, BuildIndex) or set(index.parts) != set(PART_NAMES):
        return None
    return index


def load_model(cache: BuildCache, keys: StateKeys, index: BuildIndex) -> BuildModel | None:
    """Return the model of the build `index` describes, or None when a part is missing or another build's."""
    found: dict[str, Any] = {}
    for name in PART_NAMES:
        entry = cache.get(digest(keys.model, name))
        if not (isinstance(entry, tuple) and len(entry) == 2 and entry[0] == index.parts[name]):
            return None
        found[name] = entry[1]
    records: dict[str, SheetRecord] = {}
    links: dict[str, PageLinks] = {}
    for number in range(_BUCKETS):
        records.update(found[f"records/{number}"])
        links.update(found[f"links/{number}"])
    return BuildModel(dict(sorted(records.items())), links)


def _split(model: BuildModel) -> dict[str, dict]:
    """Return `model` split into its parts."""
    parts: dict[str, dict] = {name: {} for name in PART_NAMES}
    for path, record in model.records.items():
        parts[part_of("records", path)][path] = record
    for site_file, links in model.links.items():
        parts[part_of("links", site_file)][site_file] = links
    return parts
