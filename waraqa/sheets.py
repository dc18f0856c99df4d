"""Turn one sheet file into its checked record, its body HTML and its page: the unit of work of every build.

The same SheetWorker runs in the build's own process or in each process of a pool; results are
gathered and sorted before anything depends on their order, so serial and parallel builds agree.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
from concurrent.futures import Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path
from typing import NamedTuple

from . import __version__
from .cache import BuildCache, digest
from .config import Config
from .content import SCHEMA_VERSION, LoadResult, load_sheet
from .errors import Problem, TemplateProblem, display_path
from .markup import MarkdownRenderer
from .output import Staging
from .linkcheck import PageLinks, page_links
from .pages import SiteLinks, sheet_page
from .records import pickled_by_fields
from .render import Renderer
from .site import site_info
from .urls import Urls

# Below this many sheets a pool costs more to start than it saves.
POOL_THRESHOLD = 64


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Stamp:
    """What a cheap stat tells about a file: enough to see that it has not changed."""

    size: int
    mtime_ns: int


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class PreparedSheet:
    """A sheet file read, validated and converted to HTML: what the cache keeps per file content."""

    result: LoadResult
    body_html: str | None


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class SheetOutcome:
    """What reading one sheet gave a build: its record, and the cache key under which its HTML waits."""

    path: str
    stamp: Stamp
    key: str
    result: LoadResult


class SheetJob(NamedTuple):
    """One sheet page to render: its source, cache key and links, and the file and digest written for it last time."""

    path: str
    key: str
    links: SiteLinks
    previous: tuple[str, str] | None = None


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class WrittenPage:
    """A sheet page written by a worker: its file, digest and links (None: as last time); or the template error that stopped it."""

    path: str
    site_file: str | None = None
    digest: str | None = None
    links: PageLinks | None = None
    template_error: str | None = None


# Prepared sheets are stored one entry per file, under this prefix and the file's path: an edit replaces
# the entry instead of adding one, so the cache stays the size of the site.
SHEET_ENTRY = "sheet:"


def sheet_entry(path: str) -> str:
    """Return the cache key under which the prepared sheet of the file at `path` is stored."""
    return SHEET_ENTRY + path


def stamp_of(path: str | Path) -> Stamp:
    """Return the size and modification time of `path`."""
    info = os.stat(path)
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
        self.urls = Urls(config.base_url)
        self.renderer = Renderer(config, self.urls)
        self.info = site_info(config)
        # A prepared sheet depends on its bytes, its path and the code that reads it, never on templates
        # or settings: a template edit re-renders pages from the cache without converting any Markdown.
        self.prepare_fingerprint = digest(__version__, str(SCHEMA_VERSION), str(config.root))
        self._unsaved: list[tuple[str, PreparedSheet]] = []

    def prepare(self, path: str) -> tuple[str, Stamp, PreparedSheet]:
        """Return the cache key, stamp and prepared sheet of `path`, converting it only on a cache miss."""
        try:
            stamp = stamp_of(path)
            data = Path(path).read_bytes()
        except OSError as error:
            problem = Problem(display_path(Path(path), self.config.root), 0, "", f"cannot be read: {error.strerror}")
            return "", Stamp(0, 0), PreparedSheet(LoadResult(None, [problem]), None)
        key = digest(self.prepare_fingerprint, path, data)
        cached = self._cached(path, key)
        if cached is not None:
            return key, stamp, cached
        result = load_sheet(Path(path), self.config.root, data)
        body_html = None
        if result.sheet is not None:
            body_html = self.markdown.convert(result.sheet.body)
            # The Markdown source is not needed once converted; dropping it keeps records small.
            result = LoadResult(dataclasses.replace(result.sheet, body=""), result.problems)
        prepared = PreparedSheet(result, body_html)
        self._unsaved.append((sheet_entry(path), (key, prepared)))
        return key, stamp, prepared

    def save(self) -> None:
        """Store the sheets prepared since the last save in the cache, in one transaction."""
        self.cache.put_many(self._unsaved)
        self._unsaved = []

    def prepare_all(self, paths: list[str]) -> list[SheetOutcome]:
        """Read, check and convert every sheet in `paths`, then save what the cache lacked in one go."""
        outcomes = []
        for path in paths:
            key, stamp, prepared = self.prepare(path)
            outcomes.append(SheetOutcome(path, stamp, key, prepared.result))
        self.save()
        return outcomes

    def prepared(self, path: str, key: str) -> PreparedSheet:
        """Return the prepared sheet saved under `key`, preparing it again if the cache lost it."""
        return self._cached(path, key) or self.prepare(path)[2]

    def _cached(self, path: str, key: str) -> PreparedSheet | None:
        """Return the prepared sheet the cache holds for `path`, if it was prepared from the content `key` names."""
        entry = self.cache.get(sheet_entry(path))
        if isinstance(entry, tuple) and len(entry) == 2 and entry[0] == key and isinstance(entry[1], PreparedSheet):
            return entry[1]
        return None

    def render(self, prepared: PreparedSheet, links: SiteLinks) -> tuple[str, bytes]:
        """Return the site file and bytes of a prepared sheet's page."""
        assert prepared.result.sheet is not None and prepared.body_html is not None
        page = sheet_page(self.info, prepared.result.sheet, prepared.body_html, links, self.urls)
        return page.site_file, self.renderer.render_page(page)

    def write_pages(self, jobs: list[SheetJob], staging: Staging | None) -> list[WrittenPage]:
        """Render each sheet page and stage it unless its bytes are those written last time.

        With `staging` None, pages are rendered and checked only.
        """
        written = []
        for path, key, links, previous in jobs:
            try:
                site_file, data = self.render(self.prepared(path, key), links)
            except TemplateProblem as problem:
                written.append(WrittenPage(path, template_error=str(problem)))
                continue
            sha = page_digest(data)
            if (site_file, sha) == previous:
                # The same bytes as last time have the same links, which the builder kept.
                written.append(WrittenPage(path, site_file, sha))
                continue
            if staging is not None:
                staging.write(site_file, data)
            written.append(WrittenPage(path, site_file, sha, page_links(site_file, data.decode("utf-8"), self.urls)))
        return written


_worker: SheetWorker | None = None


def _start_worker(config: Config, cache_folder: Path | None) -> None:
    """Give a pool process its own SheetWorker."""
    global _worker
    _worker = SheetWorker(config, cache_folder)


def _prepare_batch(paths: list[str]) -> list[SheetOutcome]:
    """Prepare one batch of sheets in a pool process."""
    assert _worker is not None
    return _worker.prepare_all(paths)


def _write_batch(jobs: list[SheetJob], staging: Staging | None) -> list[WrittenPage]:
    """Render and stage one batch of sheet pages in a pool process."""
    assert _worker is not None
    return _worker.write_pages(jobs, staging)


class PendingPages:
    """Sheet pages being written by the pool: their results once done, or an end to the work when the build fails."""

    def __init__(self, futures: list[Future] = (), done: list[WrittenPage] = ()):
        """Wait on the pool's `futures`, one per batch; or hold pages already written here (`done`)."""
        self._futures = list(futures)
        self._done = list(done)

    def result(self) -> list[WrittenPage]:
        """Return every page written, in job order, once the pool has written them all."""
        return self._done + [page for future in self._futures for page in future.result()]

    def abandon(self) -> None:
        """Cancel the batches not started and wait for those that are: the staging folder they write to is deleted next.

        A process still writing into it after the deletion would make it again, beside the output folder.
        """
        for future in self._futures:
            future.cancel()
        wait(self._futures)


class SheetPool:
    """Runs sheet work in this process, or across `jobs` processes when there is enough of it."""

    def __init__(self, worker: SheetWorker, jobs: int):
        """Use `worker` for small jobs; start processes only when a big job comes."""
        self.worker = worker
        self.jobs = jobs
        self._executor: ProcessPoolExecutor | None = None

    def prepare(self, paths: list[str]) -> list[SheetOutcome]:
        """Prepare every sheet in `paths`; outcomes in path order."""
        if not self._parallel(paths):
            return self.worker.prepare_all(paths)
        return [o for batch in self._pool().map(_prepare_batch, self._batches(paths)) for o in batch]

    def write(self, jobs: list[SheetJob], staging: Staging | None) -> list[WrittenPage]:
        """Render (and stage, unless `staging` is None or the bytes are unchanged) every sheet page; results in job order."""
        return self.write_later(jobs, staging).result()

    def write_later(self, jobs: list[SheetJob], staging: Staging | None) -> PendingPages:
        """Start write() in the pool's processes; return what waits for its results, so this process can work meanwhile.

        Without a pool (a small job) the work is done before this returns.
        """
        if not self._parallel(jobs):
            return PendingPages(done=self.worker.write_pages(jobs, staging))
        return PendingPages(futures=[self._pool().submit(_write_batch, batch, staging) for batch in self._batches(jobs)])

    def close(self) -> None:
        """Stop the processes, if any were started, once they have done the work given them."""
        if self._executor is not None:
            self._executor.shutdown()
            self._executor = None

    def close_when_done(self) -> None:
        """Let the processes end as soon as the work given them is done, without waiting here; no more work comes."""
        if self._executor is not None:
            self._executor.shutdown(wait=False)

    def _parallel(self, items: list) -> bool:
        """Tell whether `items` are worth a pool."""
        return self.jobs > 1 and len(items) >= POOL_THRESHOLD

    def _batches(self, items: list) -> list[list]:
        """Split `items` into batches big enough to save the cache rarely, small enough to share evenly."""
        size = max(16, min(256, len(items) // (self.jobs * 4)))
        return [items[start : start + size] for start in range(0, len(items), size)]

    def _pool(self) -> ProcessPoolExecutor:
        """Return the process pool, started on first use."""
        if self._executor is None:
            # fork starts workers in milliseconds with the modules already imported; elsewhere, the default.
            context = get_context("fork") if "fork" in _start_methods() else None
            self._executor = ProcessPoolExecutor(
                max_workers=self.jobs,
                mp_context=context,
                initializer=_start_worker,
                initargs=(self.worker.config, self.worker.cache.folder),
            )
        return self._executor


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
