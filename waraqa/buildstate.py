"""What a build leaves for the next one, and how it is stored: a small index every build reads, a model in parts.

The model (every sheet's parsed record, every page's record and links) is tens of megabytes on a big site,
and most builds change little of it. It is stored in parts: the sheet records in buckets by path, and each
page record on its own. Every part carries the start time of the build that stored it, and the index names
the part each of its fields needs; a build stores only the parts it changed, and a part overwritten by
another build reads as missing, never as the wrong data.
"""

from __future__ import annotations

import dataclasses
import time
import zlib
from dataclasses import dataclass, field
from typing import Any, Callable

from .cache import BuildCache, digest
from .content import LoadResult
from .linkcheck import PageLinks
from .pages import Page
from .sheets import Stamp
from .site import Site
from .errors import Problem

_BUCKETS = 64
_PAGE_FIELDS = ("sheet_pages", "list_pages", "links")
PART_NAMES = (*(f"results/{number}" for number in range(_BUCKETS)), *_PAGE_FIELDS)
# States (and page stores) kept besides those of the folder being built, the most recently used first:
# enough for output/, the preview's folder and deploy's. A build pointed at folder after folder (a new
# temporary one each time) would otherwise leave a model of the whole site in the cache for every one.
OTHER_OUTPUTS_KEPT = 2
# The entry that says, for the keys of each output folder's state, when a build last saved it.
_OUTPUTS_ENTRY = "state-outputs"


@dataclass
class BuildState:
    """What a build leaves for the next one: its inputs' stamps and results, and every file it wrote."""

    fingerprint: str
    started_ns: int
    templates: dict[str, str]
    sources: dict[str, tuple[Stamp, str]]
    results: dict[str, LoadResult]
    sheet_pages: dict[str, tuple[str, tuple]] = field(default_factory=dict)
    list_pages: dict[str, tuple[tuple[str, ...], str]] = field(default_factory=dict)
    files: dict[str, tuple[str, Stamp]] = field(default_factory=dict)
    links: dict[str, PageLinks] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)
    sheets: int = 0
    pages: int = 0
    # For every part of the model, the start time of the build that stored it (see the module's docstring).
    parts: dict[str, int] = field(default_factory=dict)
    load_model: Callable[[], BuildState | None] | None = field(default=None, repr=False, compare=False)
    # The build's site model and other pages, kept in memory only: with them the preview applies an edit
    # by swapping objects instead of making them all again.
    site: Site | None = field(default=None, repr=False, compare=False)
    other: list[Page] | None = field(default=None, repr=False, compare=False)

    def __getstate__(self) -> dict:
        """Return what pickling stores: everything but what belongs to one process (the loader, the model in memory)."""
        return {name: value for name, value in self.__dict__.items() if name not in ("load_model", "site", "other")}

    def __setstate__(self, stored: dict) -> None:
        """Restore a pickled state, without the parts that were never stored."""
        self.__dict__.update(stored, load_model=None, site=None, other=None)


def new_parts(started_ns: int) -> dict[str, int]:
    """Return the part record of a build that stores its whole model."""
    return dict.fromkeys(PART_NAMES, started_ns)


def changed_parts(previous: BuildState, state: BuildState, changed: set[str]) -> dict[str, int]:
    """Return the part record of `state`, built from `previous` (its model loaded) with the sheets `changed` edited.

    A bucket of sheet records is new when one of its sheets changed (added and removed ones included); a page
    record is new when it differs from the previous one.
    """
    parts = dict(previous.parts)
    for path in changed:
        parts[_bucket_of(path)] = state.started_ns
    for name in _PAGE_FIELDS:
        if getattr(state, name) != getattr(previous, name):
            parts[name] = state.started_ns
    return parts


def save_state(cache: BuildCache, keys: tuple[str, str], state: BuildState, stored: dict[str, int]) -> None:
    """Store the index of `state` and the parts of its model that differ from those `stored` records.

    The states of output folders other than the OTHER_OUTPUTS_KEPT saved last are deleted.
    """
    index = dataclasses.replace(state, results=None, **dict.fromkeys(_PAGE_FIELDS))
    entries: list[tuple[str, Any]] = [(keys[0], index)]
    if state.results is not None:
        for name, data in _model_parts(state).items():
            if stored.get(name) != state.parts[name]:
                entries.append((_part_key(keys, name), (state.parts[name], data)))
    known = cache.get(_OUTPUTS_ENTRY)
    outputs = dict(known) if isinstance(known, dict) else {}
    outputs[keys] = time.time_ns()
    recent = dict(sorted(outputs.items(), key=lambda item: item[1], reverse=True)[: OTHER_OUTPUTS_KEPT + 1])
    entries.append((_OUTPUTS_ENTRY, recent))
    cache.put_many(entries)
    cache.delete_many([key for old in outputs if old not in recent for key in _stored_keys(old)])


def _stored_keys(keys: tuple[str, str]) -> list[str]:
    """Return the cache keys of a state stored under `keys`: its index and every part of its model."""
    return [keys[0], *(_part_key(keys, name) for name in PART_NAMES)]


def cached_state(cache: BuildCache, keys: tuple[str, str]) -> BuildState | None:
    """Return the last build's state from the cache, its model to be loaded when first needed; or None."""
    state = cache.get(keys[0])
    if not isinstance(state, BuildState) or set(state.parts) != set(PART_NAMES):
        return None
    folder = cache.folder

    def load_model() -> BuildState | None:
        """Return the state with its model, or None when a part is missing or was stored by another build."""
        reader = BuildCache(folder)
        model = {}
        try:
            for name in PART_NAMES:
                entry = reader.get(_part_key(keys, name))
                if not (isinstance(entry, tuple) and len(entry) == 2 and entry[0] == state.parts[name]):
                    return None
                model[name] = entry[1]
        finally:
            reader.close()
        results: dict[str, LoadResult] = {}
        for number in range(_BUCKETS):
            results.update(model[f"results/{number}"])
        return dataclasses.replace(
            state, results=dict(sorted(results.items())), **{name: model[name] for name in _PAGE_FIELDS}
        )

    state.load_model = load_model
    return state


def _bucket_of(path: str) -> str:
    """Return the part that holds the record of the sheet at `path`."""
    return f"results/{zlib.crc32(path.encode('utf-8')) % _BUCKETS}"


def _model_parts(state: BuildState) -> dict[str, Any]:
    """Return the model of `state` split into its parts."""
    parts: dict[str, Any] = {f"results/{number}": {} for number in range(_BUCKETS)}
    for path, result in state.results.items():
        parts[_bucket_of(path)][path] = result
    parts.update({name: getattr(state, name) for name in _PAGE_FIELDS})
    return parts


def _part_key(keys: tuple[str, str], name: str) -> str:
    """Return the cache key of one part of the model."""
    return digest(keys[1], name)
