"""Read the site's sheets: each file checked against the schema and its body converted to HTML, once per content.

A sheet whose file has the size and time it had at the last build keeps the record made then. One that
changed, or is new, is read: when the cache holds a record and body made from exactly these bytes by
this code, they are used; else the file is checked and its Markdown converted. Many files are read in
the pool's workers, which store what they made in the cache; their records and bodies come back here.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from . import __version__
from .cache import BuildCache, digest
from .config import Config
from .content import SCHEMA_VERSION, LoadResult, Sheet, load_sheet
from .errors import Problem, display_path
from .markup import MarkdownRenderer
from .pool import run_chunks
from .records import Stamp, pickled_by_fields, stamp_of
from .site import grouping_of

# A file changed this close to the last build's start may have changed again within one tick of the file
# system's clock without its stamp showing it; such files are always read again.
RACY_NS = 2_000_000_000
# Prepared sheets are stored one entry per file, under this prefix and the file's path: an edit replaces
# the entry instead of adding one, so the cache stays the size of the site.
SHEET_ENTRY = "sheet:"


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class SheetRecord:
    """One sheet file as a build knows it: its stamp and content key, its sheet when usable, and its problems."""

    path: str
    stamp: Stamp
    key: bytes
    sheet: Sheet | None
    problems: tuple[Problem, ...]
    # A key of what the site model takes from the sheet to order and group it (site.grouping_of).
    grouping: bytes = b""


@dataclass(frozen=True)
class ReadSheets:
    """What reading some sheet files gave: a record for each, and the body HTML of each usable one."""

    records: dict[str, SheetRecord]
    bodies: dict[str, str]


def sheet_files(content_dir: Path) -> list[str]:
    """Return the path of every sheet file under `content_dir`, sorted; names starting with '_' or '.' are skipped.

    os.scandir rather than Path.rglob: on a site of thousands of sheets it is most of a no-op build's time.
    """
    files: list[str] = []
    folders = [str(content_dir)]
    while folders:
        try:
            entries = list(os.scandir(folders.pop()))
        except FileNotFoundError:
            continue
        for entry in entries:
            if entry.name.startswith(("_", ".")):
                continue
            if entry.is_dir():
                folders.append(entry.path)
            elif entry.name.endswith(".md") and entry.is_file():
                files.append(entry.path)
    return sorted(files)


def to_read(
    paths: Sequence[str], known: Mapping[str, Stamp], started_ns: int, changed: frozenset[str] | None
) -> list[str]:
    """Return the files of `paths` that must be read: new ones, and those whose stamp is not the `known` one.

    `started_ns` is when the build that knew them started: a file changed within RACY_NS of it is read
    again. `changed`, when given by someone who watched the files (the preview), is trusted instead of
    the stamps: only the files it names are read, with the new ones.
    """
    if changed is not None:
        return [path for path in paths if path in changed or path not in known]
    racy_after = started_ns - RACY_NS
    found = []
    for path in paths:
        try:
            stamp = stamp_of(path)
        except OSError:
            found.append(path)
            continue
        if known.get(path) != stamp or stamp.mtime_ns >= racy_after:
            found.append(path)
    return found


def _grouping_key(sheet: Sheet | None) -> bytes:
    """Return the key of what the site model takes from `sheet` to order and group it."""
    return b"" if sheet is None else bytes.fromhex(digest(repr(grouping_of(sheet))))[:16]


class SheetReader:
    """Reads, checks and converts sheet files, in the build's process or in a worker of the pool."""

    def __init__(self, config: Config, cache: BuildCache | None):
        """Build this process's Markdown converter; `cache` None reads and stores nothing."""
        self.root = config.root
        self.cache = cache
        self.markdown = MarkdownRenderer()
        # A record depends on the file's bytes, its path and the code that reads it, never on templates or
        # settings: a template edit re-renders pages from the cache without converting any Markdown.
        self.fingerprint = digest(__version__, str(SCHEMA_VERSION), str(config.root))

    def read_all(self, paths: Sequence[str], jobs: int, progress: Callable[[int], None] | None = None) -> ReadSheets:
        """Read every file of `paths`, over `jobs` processes when there are many; `progress` counts them."""
        done = run_chunks(self._read_chunk, paths, jobs, progress)
        return ReadSheets({r.path: r for r, _ in done}, {r.path: body for r, body in done if body is not None})

    def _read_chunk(self, paths: Sequence[str]) -> list[tuple[SheetRecord, str | None]]:
        """Read a chunk of files, storing what the cache lacked in one transaction."""
        fresh: list[tuple[str, object]] = []
        done = [self.read(path, fresh) for path in paths]
        if self.cache is not None:
            self.cache.put_many(fresh)
        return done

    def read(self, path: str, fresh: list[tuple[str, object]] | None = None) -> tuple[SheetRecord, str | None]:
        """Return the record of the file at `path` and its body HTML; what was made anew is added to `fresh`."""
        try:
            stamp = stamp_of(path)
            data = Path(path).read_bytes()
        except OSError as error:
            problem = Problem(display_path(Path(path), self.root), 0, "", f"cannot be read: {error.strerror}")
            return SheetRecord(path, Stamp(0, 0), b"", None, (problem,)), None
        key = bytes.fromhex(digest(self.fingerprint, path, data))[:16]
        stored = self._stored(path, key)
        if stored is not None:
            sheet, problems, body = stored
            return SheetRecord(path, stamp, key, sheet, problems, _grouping_key(sheet)), body
        result = load_sheet(Path(path), self.root, data)
        sheet, body = self._converted(result)
        record = SheetRecord(path, stamp, key, sheet, tuple(result.problems), _grouping_key(sheet))
        if fresh is not None:
            fresh.append((SHEET_ENTRY + path, (key, sheet, record.problems, body)))
        return record, body

    def body(self, record: SheetRecord) -> str:
        """Return the body HTML of a usable sheet: from the cache, or converted again if the cache lost it."""
        stored = self._stored(record.path, record.key)
        if stored is not None and stored[2] is not None:
            return stored[2]
        _, body = self.read(record.path)
        return body or ""

    def _converted(self, result: LoadResult) -> tuple[Sheet | None, str | None]:
        """Return the sheet without its Markdown source, and its body converted to HTML."""
        if result.sheet is None:
            return None, None
        body = self.markdown.convert(result.sheet.body)
        # The Markdown source is not needed once converted; dropping it keeps records small.
        return dataclasses.replace(result.sheet, body=""), body

    def _stored(self, path: str, key: bytes) -> tuple[Sheet | None, tuple[Problem, ...], str | None] | None:
        """Return what the cache holds for `path` if it was made from the content `key` names."""
        if self.cache is None:
            return None
        entry = self.cache.get(SHEET_ENTRY + path)
        if isinstance(entry, tuple) and len(entry) == 4 and entry[0] == key:
            return entry[1], entry[2], entry[3]
        return None
