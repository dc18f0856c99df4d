"""Turn one sheet file into its checked record, its body HTML and its page: the unit of work of every build.

The same SheetWorker runs in the build's own process or in each process of a pool; results are
gathered and sorted before anything depends on their order, so serial and parallel builds agree.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path

from . import __version__
from .cache import BuildCache, digest
from .config import Config
from .content import SCHEMA_VERSION, LoadResult, load_sheet
from .errors import Problem, Severity, TemplateProblem, display_path
from .markup import MarkdownRenderer
from .pages import sheet_page
from .render import Renderer
from .site import site_info
from .urls import Urls

# Below this many sheets a pool costs more to start than it saves.
POOL_THRESHOLD = 64


@dataclass(frozen=True)
class Stamp:
    """What a cheap stat tells about a file: enough to see that it has not changed."""

    size: int
    mtime_ns: int


@dataclass(frozen=True)
class PreparedSheet:
    """A sheet file read, validated and converted to HTML: what the cache keeps per file content."""

    result: LoadResult
    body_html: str | None


@dataclass(frozen=True)
class SheetOutcome:
    """What one sheet gave a build: its record and, when a page was written, that page's file and digest."""

    path: Path
    stamp: Stamp
    key: str
    result: LoadResult
    page_file: str | None = None
    page_digest: str | None = None
    template_error: str | None = None


def stamp_of(path: Path) -> Stamp:
    """Return the size and modification time of `path`."""
    info = path.stat()
    return Stamp(info.st_size, info.st_mtime_ns)


def page_digest(data: bytes) -> str:
    """Return the digest by which a written page is recognised unchanged."""
    return hashlib.sha256(data).hexdigest()


class SheetWorker:
    """Prepares sheets (through the cache) and renders and writes their pages; one per process."""

    def __init__(self, config: Config, cache_folder: Path | None):
        """Build this process's Markdown converter, Jinja environment and cache connection."""
        self.config = config
        self.cache = BuildCache(cache_folder)
        self.markdown = MarkdownRenderer()
        self.renderer = Renderer(config, Urls(config.base_url))
        self.info = site_info(config)
        # A prepared sheet depends on its bytes, its path and the code that reads it, never on templates
        # or settings: a template edit re-renders pages from the cache without converting any Markdown.
        self.prepare_fingerprint = digest(__version__, str(SCHEMA_VERSION), str(config.root))
        self._unsaved: list[tuple[str, PreparedSheet]] = []

    def prepare(self, path: Path) -> tuple[str, Stamp, PreparedSheet]:
        """Return the cache key, stamp and prepared sheet of `path`, converting it only on a cache miss."""
        try:
            stamp = stamp_of(path)
            data = path.read_bytes()
        except OSError as error:
            problem = Problem(display_path(path, self.config.root), 0, "", f"cannot be read: {error.strerror}")
            return "", Stamp(0, 0), PreparedSheet(LoadResult(None, [problem]), None)
        key = digest(self.prepare_fingerprint, str(path), data)
        cached = self.cache.get(key)
        if isinstance(cached, PreparedSheet):
            return key, stamp, cached
        result = load_sheet(path, self.config.root, data)
        body_html = None
        if result.sheet is not None:
            body_html = self.markdown.convert(result.sheet.body)
            # The Markdown source is not needed once converted; dropping it keeps records small.
            result = LoadResult(dataclasses.replace(result.sheet, body=""), result.problems)
        prepared = PreparedSheet(result, body_html)
        self._unsaved.append((key, prepared))
        return key, stamp, prepared

    def save(self) -> None:
        """Store the sheets prepared since the last save in the cache, in one transaction."""
        self.cache.put_many(self._unsaved)
        self._unsaved = []

    def render(self, prepared: PreparedSheet) -> tuple[str, bytes]:
        """Return the site file and bytes of a prepared sheet's page."""
        assert prepared.result.sheet is not None and prepared.body_html is not None
        page = sheet_page(self.info, prepared.result.sheet, prepared.body_html)
        return page.site_file, self.renderer.render(page.template, page.context).encode("utf-8")

    def build_into(self, path: Path, folder: Path | None) -> SheetOutcome:
        """Prepare one sheet and, if it is published and sound, write its page under `folder`."""
        key, stamp, prepared = self.prepare(path)
        sheet = prepared.result.sheet
        published = sheet is not None and (self.config.drafts or not sheet.draft)
        if folder is None or not published or any(p.severity is Severity.ERROR for p in prepared.result.problems):
            return SheetOutcome(path, stamp, key, prepared.result)
        try:
            site_file, data = self.render(prepared)
        except TemplateProblem as problem:
            return SheetOutcome(path, stamp, key, prepared.result, template_error=str(problem))
        target = folder.joinpath(*site_file.split("/"))
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        return SheetOutcome(path, stamp, key, prepared.result, site_file, page_digest(data))


    def build_all(self, paths: list[Path], folder: Path | None) -> list[SheetOutcome]:
        """Build every sheet in `paths` in this process, then save what the cache lacked in one go."""
        outcomes = [self.build_into(path, folder) for path in paths]
        self.save()
        return outcomes


_worker: SheetWorker | None = None
_folder: Path | None = None


def _start_worker(config: Config, cache_folder: Path | None, folder: Path | None) -> None:
    """Give a pool process its own SheetWorker."""
    global _worker, _folder
    _worker = SheetWorker(config, cache_folder)
    _folder = folder


def _work(paths: list[Path]) -> list[SheetOutcome]:
    """Build one batch of sheets in a pool process."""
    assert _worker is not None
    return _worker.build_all(paths, _folder)


def build_sheets(worker: SheetWorker, paths: list[Path], folder: Path | None, jobs: int) -> list[SheetOutcome]:
    """Build every sheet in `paths`, over `jobs` processes when there are enough of them; outcomes in path order."""
    if jobs <= 1 or len(paths) < POOL_THRESHOLD:
        return worker.build_all(paths, folder)
    # Batches big enough that each process writes the cache rarely, small enough to share the work evenly.
    size = max(16, min(256, len(paths) // (jobs * 4)))
    batches = [paths[start : start + size] for start in range(0, len(paths), size)]
    # fork starts workers in milliseconds with the modules already imported; elsewhere, the default.
    context = get_context("fork") if "fork" in _start_methods() else None
    with ProcessPoolExecutor(
        max_workers=jobs,
        mp_context=context,
        initializer=_start_worker,
        initargs=(worker.config, worker.cache.folder, folder),
    ) as pool:
        return [outcome for batch in pool.map(_work, batches) for outcome in batch]


def _start_methods() -> list[str]:
    """Return the process start methods this platform offers."""
    import multiprocessing

    return multiprocessing.get_all_start_methods()


def default_jobs() -> int:
    """Return how many processes a cold build uses: every core this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1
