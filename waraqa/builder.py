"""The build: gather and check every sheet, make the site model, render the pages, then write them safely.

A full build writes into a fresh folder swapped in at the end. When the output folder is exactly what the
last build left (checked by size and time of every file) and no template or setting changed, a build is
incremental instead: it re-reads only changed sheets, renders only the pages that show them, and replaces
only files whose bytes changed, each by an atomic rename, after everything rendered and every link resolved.
Files of the last build missing from the output folder are first brought back from the page store.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import functools
import gc
import logging
import multiprocessing
import os
import shutil
import signal
import tempfile
import threading
import time
from dataclasses import dataclass, field
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from .buildstate import BuildState, cached_state, changed_parts, new_parts, save_state
from .cache import CACHE_FOLDER, BuildCache, code_digest, digest
from .config import Config
from .content import LoadResult, Sheet, duplicate_slugs, sheet_files
from .errors import BuildFailed, OutputError, Problem, Severity, TemplateProblem
from .linkcheck import PageLinks, broken_links, page_links
from .output import MARKER, StagedOutput, Staging, check_output_path
from .pagestore import PageStore
from .pages import SHEET_TEMPLATE, Page, SiteLinks, api_pages, feed_pages, list_pages, repointed, site_links, sitemap_page
from .render import Renderer
from .search import BUNDLE_FOLDER, SearchReport, index_site
from .sheets import (
    POOL_THRESHOLD,
    SHEET_ENTRY,
    SheetOutcome,
    SheetPool,
    SheetJob,
    SheetWorker,
    Stamp,
    WrittenPage,
    default_jobs,
    page_digest,
    sheet_entry,
    stamp_of,
)
from .site import Site, grouping_of, make_site, with_edits
from .urls import Urls

log = logging.getLogger("waraqa")
STATIC_FOLDER = "static"
# A file changed this close to the last build may have changed again within one tick of the file
# system's clock without its stamp showing it; such files are always read again.
_RACY_SECONDS = 2


@dataclass
class BuildReport:
    """What a build did, for the summary line."""

    sheets: int = 0
    pages: int = 0
    files: int = 0
    written: int = 0
    seconds: float = 0.0
    output: Path | None = None
    incremental: bool = False
    search: SearchReport | None = None
    warnings: list[Problem] = field(default_factory=list)


def settings_fingerprint(config: Config) -> str:
    """Return a digest of what every page depends on besides sheets and templates: the settings and Waraqa's code."""
    return digest(code_digest(), repr(config))


def template_digests(config: Config) -> dict[str, str]:
    """Return a digest of every file under the templates folder (templates and static files), by its Jinja name."""
    templates = config.templates_path
    found = {}
    for path in sorted(templates.rglob("*")) if templates.is_dir() else []:
        if path.is_file():
            found[path.relative_to(templates).as_posix()] = digest(path.read_bytes())
    return found


class Builder:
    """Builds one site, again and again: the preview server keeps one and calls build() after every save."""

    def __init__(
        self,
        config: Config,
        *,
        strict: bool = False,
        config_warnings: list[Problem] = (),
        jobs: int | None = None,
        use_cache: bool = True,
        index_search: bool = True,
        save_when_idle: bool = False,
    ):
        """Remember the settings of the builds to come; `jobs` processes for big builds (default: every core).

        `index_search` False skips the Pagefind pass (the preview does, to keep every save fast).
        `save_when_idle` leaves the build state and the page store for save_pending() to update: on 10,000
        sheets, storing the state takes about a second, and a template edit frees 10,000 old pages from the
        store in another; the preview spends both after the browser has reloaded, not before.
        """
        self.config = config
        self.strict = strict
        self.config_warnings = list(config_warnings)
        self.jobs = jobs or default_jobs()
        self.use_cache = use_cache
        self.index_search = index_search and config.search
        self.save_when_idle = save_when_idle
        self._pending: tuple[tuple[str, str], BuildState] | None = None
        # The page store save_pending() is to update: the last build's state, and the state whose files the
        # store holds (None: those of no build it can trust; it is emptied first).
        self._unstored: tuple[PageStore, BuildState, BuildState | None] | None = None
        # Kept between builds with the same templates and settings, so Jinja compiles each template once.
        self._worker: tuple[str, SheetWorker] | None = None
        self._state: BuildState | None = None
        # The model parts the cache holds for the output folder, by the build that stored each (buildstate.py).
        self._stored_parts: dict[str, int] = {}
        self._search: SearchReport | None = None

    def build(self) -> BuildReport:
        """Build the site into the output folder; on any failure the previous output folder is left as it was."""
        with collector_paused():
            return self._build()

    def _build(self) -> BuildReport:
        """Build the site, as build() describes."""
        started = time.perf_counter()
        output = check_output_path(self.config)
        fingerprint = settings_fingerprint(self.config)
        templates = template_digests(self.config)
        paths = sheet_files(self.config.content_path)
        with self._cache_folder() as folder:
            cache = BuildCache(folder)
            pool = SheetPool(self._worker_for(digest(fingerprint, repr(sorted(templates.items()))), folder), self.jobs)
            try:
                keys = (digest("state", str(output)), digest("state-model", str(output)))
                previous = self._state
                if previous is None:
                    previous = cached_state(cache, keys)
                    self._stored_parts = previous.parts if previous else {}
                store = PageStore(folder, output)
                outcome = None
                restored = 0
                if previous and previous.fingerprint == fingerprint:
                    restored = self._restored(output, previous, store)
                    if restored is not None:
                        outcome = self._incremental(previous, templates, paths, output, pool)
                incremental = outcome is not None
                state, written = outcome or self._full(fingerprint, templates, paths, output, pool)
                written += restored or 0
                if self.use_cache and (state is not previous or restored):
                    if self.save_when_idle:
                        self._pending = (keys, state)
                    else:
                        self._save(cache, keys, state)
                    if previous is None or state.sources.keys() != previous.sources.keys():
                        cache.prune(SHEET_ENTRY, {sheet_entry(path) for path in state.sources})
                    if state is not previous:
                        self._update_store_or_defer(store, state, previous if incremental else None)
            finally:
                pool.close()
                cache.close()
        self._state = state
        return BuildReport(
            sheets=state.sheets,
            pages=state.pages,
            files=len(state.files),
            written=written,
            seconds=time.perf_counter() - started,
            output=output,
            incremental=incremental,
            search=self._search,
            warnings=state.warnings,
        )

    def _restored(self, output: Path, previous: BuildState, store: PageStore) -> int | None:
        """Make the output folder hold exactly what the `previous` build wrote; return how many files that took.

        Deleted files come back from the page store. None when that cannot be done: a file was changed, or
        the store lacks one; such a folder needs a full build.
        """
        if previous is self._state and (output / MARKER).is_file():
            # A state kept in memory is this process's own last build: only a deleted output folder can have
            # changed behind it (only the preview keeps one, and its folder is inside the cache).
            return 0
        return store.restore(previous.files)

    def keep_model(self) -> None:
        """Have the last build's site model and pages in memory, so the next edit can take the fast path.

        A build that changed nothing never loads them; the preview calls this while it waits for a save.
        """
        state = self._state
        if state is None or state.site is not None:
            return
        if state.results is None:
            loaded = state.load_model() if state.load_model else None
            if loaded is None:
                state.load_model = None  # missing from the cache: the next edit makes a full build
                return
            state = loaded
        with collector_paused():
            site = make_site(self.config, _sheets(state.results))
            self._state = dataclasses.replace(state, site=site, other=self._other_pages(site))

    def _update_store_or_defer(self, store: PageStore, state: BuildState, holds: BuildState | None) -> None:
        """Make the page store hold the files of `state`, now or (save_when_idle) in save_pending().

        `holds` is the state whose files the store holds, or None after a full build.
        """
        if not self.save_when_idle:
            _update_store(store, state, holds)
            return
        if self._unstored is not None and holds is not None:
            holds = self._unstored[2]  # builds since the last update wrote files the store still lacks
        self._unstored = (store, state, holds)

    def save_pending(self) -> None:
        """Store what save_when_idle left for later: the state of the last build, and its files in the page store."""
        if self._unstored is not None:
            store, state, holds = self._unstored
            self._unstored = None
            _update_store(store, state, holds)
        if self._pending is None:
            return
        keys, state = self._pending
        self._pending = None
        cache = BuildCache(self.config.root / CACHE_FOLDER)
        try:
            # Pickling the model allocates enough to start full collections, each walking the whole model:
            # close to a second on 10,000 sheets, during which a save in the editor waited for its rebuild.
            with collector_paused():
                self._save(cache, keys, state)
        finally:
            cache.close()

    def _save(self, cache: BuildCache, keys: tuple[str, str], state: BuildState) -> None:
        """Store `state`: its index, and the parts of its model the cache does not hold yet."""
        save_state(cache, keys, state, self._stored_parts)
        self._stored_parts = state.parts

    def _worker_for(self, fingerprint: str, folder: Path) -> SheetWorker:
        """Return the worker of the last build when templates and settings are the same and the cache is in use."""
        if not self.use_cache:
            return SheetWorker(self.config, folder)
        if self._worker is None or self._worker[0] != fingerprint:
            self._worker = (fingerprint, SheetWorker(self.config, folder))
        return self._worker[1]

    def check(self) -> BuildReport:
        """Validate every sheet, render every page and check every link, writing nothing."""
        started = time.perf_counter()
        paths = sheet_files(self.config.content_path)
        with self._cache_folder() as folder:
            pool = SheetPool(SheetWorker(self.config, folder), self.jobs)
            try:
                outcomes = pool.prepare(paths)
                results = {o.path: o.result for o in outcomes}
                warnings = self._checked(results)
                site = make_site(self.config, _sheets(results))
                written = pool.write(_sheet_jobs(site, {o.path: o.key for o in outcomes}), None)
                _raise_template_errors(written)
                rendered = self._render(pool.worker.renderer, self._other_pages(site))
            finally:
                pool.close()
        links = {w.site_file: w.links for w in written if w.site_file} | {
            page.site_file: page_links(page.site_file, data.decode("utf-8"), pool.worker.urls)
            for page, data in rendered if page.site_file.endswith(".html")
        }
        files = set(links) | {page.site_file for page, _ in rendered} | {name for name, _, _ in self._extra_files()}
        _raise_broken_links(links, files)
        return BuildReport(sheets=len(site.sheets), pages=len(links), seconds=time.perf_counter() - started, warnings=warnings)

    @contextlib.contextmanager
    def _cache_folder(self):
        """Yield the cache folder: the site's own, or a throwaway one when the cache is not to be used."""
        if self.use_cache:
            yield self.config.root / CACHE_FOLDER
            return
        scratch = tempfile.mkdtemp(prefix="waraqa-cache-")
        try:
            yield Path(scratch)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)

    def _checked(self, results: dict[str, LoadResult]) -> list[Problem]:
        """Return the warnings of `results`; raise BuildFailed with every problem if any must stop the build."""
        problems = [*self.config_warnings]
        for result in results.values():
            problems.extend(result.problems)
        sheets = _sheets(results)
        problems.extend(duplicate_slugs(sheets))
        problems.extend(self._stale_verifications(sheets))
        if any(p.severity is Severity.ERROR or self.strict for p in problems):
            raise BuildFailed(problems)
        return problems

    def _stale_verifications(self, sheets: list[Sheet]) -> list[Problem]:
        """Warn about sheets last verified longer ago than the site allows."""
        limit = dt.date.today() - dt.timedelta(days=self.config.verify_after_days)
        return [
            Problem(
                sheet.display_path,
                1,
                "verified_on",
                f"last verified on {sheet.verified_on.isoformat()}, more than {self.config.verify_after_days} days "
                "ago; check the facts again",
                Severity.WARNING,
            )
            for sheet in sheets
            if sheet.verified_on and sheet.verified_on < limit
        ]

    def _other_pages(self, site: Site) -> list[Page]:
        """Return every page that is not a sheet's own: lists, feeds, the JSON API and the sitemap."""
        urls = Urls(self.config.base_url)
        pages = list_pages(site, self.config.page_size)
        newest = max((sheet.updated or sheet.date for sheet in site.sheets), default=None)
        pages += feed_pages(site, urls, self.config.author or self.config.title, newest)
        pages += api_pages(site, urls)
        sheet_pages = [Page(f"{sheet.slug}/index.html", "sheet.html", {}, "", (sheet.path,)) for sheet in site.sheets]
        pages.append(sitemap_page(site, sheet_pages + pages))
        return pages

    def _render(self, renderer: Renderer, pages: list[Page]) -> list[tuple[Page, bytes]]:
        """Render every page in memory (JSON data as UTF-8 JSON), so nothing is written unless all of them render."""
        return [(page, renderer.render_page(page)) for page in pages]

    def _full(
        self, fingerprint: str, templates: dict[str, str], paths: list[str], output: Path, pool: SheetPool
    ) -> tuple[BuildState, int]:
        """Build every page into a fresh folder and swap it in; return the new state and files written."""
        started_ns = time.time_ns()
        staged = StagedOutput(output)
        sheet_pages_written = None
        try:
            outcomes = pool.prepare(paths)
            results = {o.path: o.result for o in outcomes}
            warnings = self._checked(results)
            site = make_site(self.config, _sheets(results))
            keys = {o.path: o.key for o in outcomes}
            jobs = _sheet_jobs(site, keys)
            sheet_pages_written = pool.write_later(jobs, staged.staging)
            # The pool's processes end as soon as the sheet pages are written, mostly before this process is
            # done with the other pages: their memory is freed while it still works.
            pool.close_when_done()
            # The other pages are rendered here while the pool renders sheet pages: the cores stay as busy as
            # with processes forked for them, and no fork copies the site model page by page as it reads it.
            other = self._other_pages(site)
            try:
                other_written = write_pages(pool.worker, other, staged.staging, 1)
            except TemplateProblem:
                _raise_template_errors(sheet_pages_written.result())  # a sheet page's error is reported first
                raise
            written = sheet_pages_written.result()
            _raise_template_errors(written)
            digests: dict[str, str] = {}
            links: dict[str, PageLinks] = {}
            for page in written:
                staged.claim(page.site_file, results[page.path].sheet.display_path)
                digests[page.site_file] = page.digest
                links[page.site_file] = page.links
            for page, (digest_of_page, found) in zip(other, other_written, strict=True):
                staged.claim(page.site_file, page.origin)
                digests[page.site_file] = digest_of_page
                if found is not None:
                    links[page.site_file] = found
            extras = self._extra_files()
            for site_file, data, origin in extras:
                staged.write(site_file, data, origin)
                digests[site_file] = page_digest(data)
            _raise_broken_links(links, set(digests))
            count = staged.file_count
            self._search = index_site(staged.folder) if self.index_search else None
            staged.publish()
        except BaseException:
            try:
                if sheet_pages_written is not None:
                    sheet_pages_written.abandon()
            finally:
                staged.discard()
            raise
        state = BuildState(
            fingerprint=fingerprint,
            started_ns=started_ns,
            templates=templates,
            sources={o.path: (o.stamp, o.key) for o in outcomes},
            results=results,
            sheet_pages={w.path: (w.site_file, _links_record(job.links)) for w, job in zip(written, jobs, strict=True)},
            list_pages=_list_page_records(other),
            files={name: (sha, stamp_of(output / name)) for name, sha in digests.items()},
            links=links,
            warnings=warnings,
            sheets=len(site.sheets),
            pages=len(written) + sum(1 for page in other if page.site_file.endswith(".html")),
            parts=new_parts(started_ns),
            site=site,
            other=other,
        )
        return state, count

    def _extra_files(self) -> list[tuple[str, bytes, str]]:
        """Return the files every build writes besides pages: static files, .nojekyll and CNAME."""
        files = []
        static = self.config.templates_path / STATIC_FOLDER
        if static.is_dir():
            origin = f"{self.config.templates_dir.as_posix()}/{STATIC_FOLDER}"
            for path in sorted(static.rglob("*")):
                relative = path.relative_to(static)
                if path.is_file() and not any(part.startswith(".") for part in relative.parts):
                    name = relative.as_posix()
                    files.append((f"{STATIC_FOLDER}/{name}", path.read_bytes(), f"{origin}/{name}"))
        files.append((".nojekyll", b"", "GitHub Pages settings"))
        if self.config.cname:
            files.append(("CNAME", f"{self.config.cname}\n".encode("ascii"), "the cname setting"))
        return files

    def _incremental(
        self, previous: BuildState, templates: dict[str, str], paths: list[str], output: Path, pool: SheetPool
    ) -> tuple[BuildState, int] | None:
        """Re-read changed sheets, re-render what shows them or uses a changed template, and replace only changed files.

        Return None when the last build's model is not at hand, so that a full build is made instead.
        """
        started_ns = time.time_ns()
        racy_after = previous.started_ns - _RACY_SECONDS * 1_000_000_000
        stamps = {path: stamp_of(path) for path in paths}
        reread = [
            path
            for path in paths
            if path not in previous.sources
            or previous.sources[path][0] != stamps[path]
            or stamps[path].mtime_ns >= racy_after
        ]
        retemplated = {
            name for name in templates.keys() | previous.templates.keys() if templates.get(name) != previous.templates.get(name)
        }
        if not reread and not retemplated and set(paths) == set(previous.sources):
            if self.strict and previous.warnings:
                raise BuildFailed(previous.warnings)
            self._search = self._index_if_missing(output)
            return previous, 0
        if not reread and set(paths) == set(previous.sources) and self._static_files_only(retemplated, templates, pool):
            static = self._static_only(previous, templates, output)
            if static is not None:
                return static
        if previous.results is None:
            previous = previous.load_model()
            if previous is None:
                return None
        fresh: dict[str, SheetOutcome] = {o.path: o for o in pool.prepare(reread)}
        sources = {path: (fresh[path].stamp, fresh[path].key) if path in fresh else previous.sources[path] for path in paths}
        changed = {path for path in paths if path not in previous.sources or previous.sources[path][1] != sources[path][1]}
        changed |= set(previous.sources) - set(paths)
        results = {path: fresh[path].result if path in fresh else previous.results[path] for path in paths}
        warnings = self._checked(results)
        keys = {path: key for path, (_, key) in sources.items()}
        uses_changed_template = functools.partial(_uses_changed, pool.worker.renderer, retemplated)
        edited = self._edits_keeping_groups(previous, changed, results)
        every_sheet = uses_changed_template(SHEET_TEMPLATE)
        jobs: list[SheetJob] = []
        if edited is not None and previous.site is not None and previous.other is not None:
            # Nothing that orders, groups or links sheets changed, and the last build's model is in memory
            # (the preview): swap the edited sheets into it and its pages; re-render the pages that show
            # them or use a changed template.
            site, replaced = with_edits(previous.site, edited)
            other, due = [], []
            for page in previous.other:
                if not page.grouping_only and not changed.isdisjoint(page.shows):
                    page = repointed(page, replaced)
                    due.append(page)
                elif uses_changed_template(page.template):
                    due.append(page)
                other.append(page)
            # Links stay as they were, and so do their records in sheet_pages.
            sheet_pages = dict(previous.sheet_pages)
            jobs = _sheet_jobs(site, keys) if every_sheet else _edited_sheet_jobs(site, edited, keys, sheet_pages)
        elif not changed and not any(uses_changed_template(name) for name in _page_templates(templates)):
            # Only what sheet pages use changed, and the model is not in memory (a build from the command
            # line): render them again with the links the last build gave them, without making the site.
            site = other = None
            due = []
            sheet_pages = dict(previous.sheet_pages)
            if every_sheet:
                jobs = [SheetJob(path, keys[path], _site_links_of(record)) for path, (_, record) in sorted(sheet_pages.items())]
        else:
            site = make_site(self.config, _sheets(results))
            if edited is not None and not every_sheet:
                # No edit changed a grouping: every sheet page links where it did, and only the edited ones
                # change. Comparing the links of every sheet page was a tenth of a one-sheet rebuild.
                sheet_pages = dict(previous.sheet_pages)
                jobs = _edited_sheet_jobs(site, edited, keys, sheet_pages)
            else:
                # Sheet pages: those whose sheet, links or template changed.
                sheet_pages = {}
                for job in _sheet_jobs(site, keys):
                    old = previous.sheet_pages.get(job.path)
                    record = _links_record(job.links)
                    if old and job.path not in changed and old[1] == record and not every_sheet:
                        sheet_pages[job.path] = old
                    else:
                        jobs.append(job)
                        sheet_pages[job.path] = ("", record)
            other = self._other_pages(site)
            # Other pages: those whose shown sheets, template, or anything else they depend on changed. A page
            # made from groupings alone stays as it was when every edit keeps its sheet's grouping.
            due = [
                page
                for page in other
                if previous.list_pages.get(page.site_file) != _list_page_record(page)
                or (not changed.isdisjoint(page.shows) and not (page.grouping_only and edited is not None))
                or uses_changed_template(page.template)
            ]
        jobs = [job._replace(previous=_previous_file(previous, job.path)) for job in jobs]
        staged = StagedOutput(output, flat=True)
        try:
            # Only files whose bytes changed are written, into a staging folder beside the output folder.
            written = pool.write(jobs, staged.staging)
            _raise_template_errors(written)
            fresh_links: dict[str, PageLinks] = {}
            digests: dict[str, str] = {}
            for page in written:
                sheet_pages[page.path] = (page.site_file, sheet_pages[page.path][1])
                digests[page.site_file] = page.digest
                if page.links is not None:
                    fresh_links[page.site_file] = page.links
            other_written = write_pages(pool.worker, due, staged.staging, self.jobs, previous.files)
            for page, (sha, found) in zip(due, other_written, strict=True):
                digests[page.site_file] = sha
                if found is not None:
                    fresh_links[page.site_file] = found
            extras = self._extra_files()
            digests.update(_stage_extras(staged.staging, extras, previous.files))
            list_pages = previous.list_pages if other is None else _list_page_records(other)
            produced = {site_file for site_file, _ in sheet_pages.values()} | set(list_pages)
            produced |= {site_file for site_file, _, _ in extras}
            if other is not None:
                _refuse_collisions(sheet_pages, other)
            links = {name: found for name, found in previous.links.items() if name in produced}
            links.update(fresh_links)
            # Pages not rendered again had sound links last time: they can only break if a file they point
            # to went away or a re-rendered page lost an id. Otherwise only the new pages need checking.
            lost_ids = any(
                not set(previous.links[name].ids) <= set(found.ids)
                for name, found in fresh_links.items()
                if name in previous.links
            )
            removed = sorted(set(previous.files) - produced)
            _raise_broken_links(links if removed or lost_ids else fresh_links, produced)
            files, changes = _move_into(output, staged.staging, digests, removed, previous.files)
        finally:
            staged.discard()
        # Pagefind has no incremental mode: any change means a fresh index, which it swaps in whole.
        self._search = index_site(output) if self.index_search and (changes or removed) else self._index_if_missing(output)
        state = BuildState(
            fingerprint=previous.fingerprint,
            started_ns=started_ns,
            templates=templates,
            sources=sources,
            results=results,
            sheet_pages=sheet_pages,
            list_pages=list_pages,
            files=files,
            links=links,
            warnings=warnings,
            sheets=previous.sheets if site is None else len(site.sheets),
            pages=len(sheet_pages) + sum(1 for site_file in list_pages if site_file.endswith(".html")),
            site=site,
            other=other,
        )
        state.parts = changed_parts(previous, state, changed)
        return state, len(changes) + len(removed)

    def _static_files_only(self, retemplated: set[str], templates: dict[str, str], pool: SheetPool) -> bool:
        """Tell whether every changed file is a static file that no template loads (a style sheet, a font)."""
        if not all(_is_static(name) for name in retemplated):
            return False
        renderer = pool.worker.renderer
        return not any(_uses_changed(renderer, retemplated, name) for name in templates if not _is_static(name))

    def _static_only(self, previous: BuildState, templates: dict[str, str], output: Path) -> tuple[BuildState, int] | None:
        """Copy changed and new static files into the output folder, without the site model; None if one was removed.

        No page changed, so no link can break unless a file went away: that case needs every page's links.
        """
        extras = self._extra_files()
        names = {site_file for site_file, _, _ in extras}
        if any(_is_static(name) and name not in names for name in previous.files):
            return None
        staged = StagedOutput(output, flat=True)
        try:
            digests = _stage_extras(staged.staging, extras, previous.files)
            files, changes = _move_into(output, staged.staging, digests, [], previous.files)
        finally:
            staged.discard()
        self._search = self._index_if_missing(output)
        # The model stays the one stored with the last build, and so do its parts.
        return dataclasses.replace(previous, templates=templates, files=files), len(changes)

    def _edits_keeping_groups(
        self, previous: BuildState, changed: set[str], results: dict[str, LoadResult]
    ) -> dict[str, Sheet] | None:
        """Return the edited sheets by path when no edit changes a grouping (see site.grouping_of).

        None means a sheet was added, removed, broken or regrouped: the site's lists change.
        """
        edited = {}
        for path in changed:
            old = previous.results.get(path)
            new = results.get(path)
            if old is None or new is None or old.sheet is None or new.sheet is None:
                return None
            if grouping_of(old.sheet) != grouping_of(new.sheet):
                return None
            edited[path] = new.sheet
        return edited

    def _index_if_missing(self, output: Path) -> SearchReport | None:
        """Index the site when search is on but its index is missing (a build made without it, or deleted)."""
        if self.index_search and not (output / BUNDLE_FOLDER / "pagefind-entry.json").is_file():
            return index_site(output)
        return None


# The pages a forked process renders, and the files the last build wrote: set just before the processes
# start, so they inherit them instead of receiving them pickled.
_forked_pages: list[Page] = []
_forked_worker: SheetWorker | None = None
_forked_files: dict[str, tuple[str, Stamp]] = {}


def _write_page(
    worker: SheetWorker, page: Page, staging: Staging, files: dict[str, tuple[str, Stamp]]
) -> tuple[str, PageLinks | None]:
    """Render one page, stage it unless `files` says it is unchanged; return its digest and links.

    The links are None for a file other than HTML, and for a page unchanged since the build that wrote `files`.
    """
    data = worker.renderer.render_page(page)
    sha = page_digest(data)
    if _written_before(files, page.site_file, sha):
        return sha, None  # the same bytes as last time have the same links, which the builder kept
    staging.write(page.site_file, data)
    found = page_links(page.site_file, data.decode("utf-8"), worker.urls) if page.site_file.endswith(".html") else None
    return sha, found


def _write_range(start: int, stop: int, staging: Staging) -> list[tuple[str, PageLinks | None]]:
    """Render and stage pages start..stop of the inherited list, in a forked process."""
    assert _forked_worker is not None
    return [_write_page(_forked_worker, page, staging, _forked_files) for page in _forked_pages[start:stop]]


def write_pages(
    worker: SheetWorker, pages: list[Page], staging: Staging, jobs: int, files: dict[str, tuple[str, Stamp]] | None = None
) -> list[tuple[str, PageLinks | None]]:
    """Render `pages` and stage those that differ from `files` (the last build's), over `jobs` processes.

    Return each page's digest and links, in page order (see _write_page).
    """
    global _forked_pages, _forked_worker, _forked_files
    files = files or {}
    if jobs <= 1 or len(pages) < POOL_THRESHOLD or "fork" not in multiprocessing.get_all_start_methods():
        return [_write_page(worker, page, staging, files) for page in pages]
    _forked_pages, _forked_worker, _forked_files = pages, worker, files
    try:
        size = max(16, len(pages) // (jobs * 4))
        starts = list(range(0, len(pages), size))
        with ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("fork")) as pool:
            chunks = pool.map(_write_range, starts, [start + size for start in starts], [staging] * len(starts))
            return [result for chunk in chunks for result in chunk]
    finally:
        _forked_pages, _forked_worker, _forked_files = [], None, {}


def _sheets(results: dict[str, LoadResult]) -> list[Sheet]:
    """Return the usable sheets of `results` in path order."""
    return [results[path].sheet for path in sorted(results) if results[path].sheet is not None]


def _sheet_jobs(site: Site, keys: dict[str, str]) -> list[SheetJob]:
    """Return the job of every published sheet's page, in path order."""
    jobs = (SheetJob(sheet.path, keys[sheet.path], site_links(site, sheet)) for sheet in site.sheets)
    return sorted(jobs, key=lambda job: job.path)


def _edited_sheet_jobs(site: Site, edited: dict[str, Sheet], keys: dict[str, str], sheet_pages: dict) -> list[SheetJob]:
    """Return the jobs of the edited sheets that have a page (a draft has none), in path order."""
    return [SheetJob(path, keys[path], site_links(site, sheet)) for path, sheet in sorted(edited.items()) if path in sheet_pages]


def _previous_file(previous: BuildState, path: str) -> tuple[str, str] | None:
    """Return the file the last build wrote for the sheet at `path`, and its digest; None if it wrote none."""
    old = previous.sheet_pages.get(path)
    if old is None or old[0] not in previous.files:
        return None
    return old[0], previous.files[old[0]][0]


def _links_record(links: SiteLinks) -> tuple:
    """Return what a sheet page links to as plain sorted pairs: compared to see a moved tag or person page, and kept."""
    return tuple(tuple(sorted(found.items())) for found in (links.tags, links.people, links.sides))


def _site_links_of(record: tuple) -> SiteLinks:
    """Return the links a sheet page had, from the record _links_record() made of them."""
    return SiteLinks(*(dict(pairs) for pairs in record))


def _list_page_record(page: Page) -> tuple[tuple[str, ...], str]:
    """Return what the state keeps of a page other than a sheet's: what it shows and what else it depends on."""
    return page.shows, page.depends


def _list_page_records(pages: list[Page]) -> dict[str, tuple[tuple[str, ...], str]]:
    """Return the record of each page of `pages`, by its site file."""
    return {page.site_file: _list_page_record(page) for page in pages}


def _uses_changed(renderer: Renderer, changed: set[str], template: str | None) -> bool:
    """Tell whether a page made from `template` may show one of the `changed` template files (JSON pages use none)."""
    if template is None or not changed:
        return False
    used = renderer.templates_used(template)
    return used is None or not used.isdisjoint(changed)


def _page_templates(templates: dict[str, str]) -> list[str]:
    """Return the templates that may make pages other than sheet pages: all but partials, static files and sheet.html."""
    return [
        name
        for name in templates
        if name != SHEET_TEMPLATE and not _is_static(name) and not name.rsplit("/", 1)[-1].startswith("_")
    ]


def _raise_template_errors(written: list[WrittenPage]) -> None:
    """Raise the first template error a sheet page met, if any."""
    for page in written:
        if page.template_error:
            raise TemplateProblem(page.template_error)


def _raise_broken_links(links: dict[str, PageLinks], files: set[str]) -> None:
    """Stop the build, naming each page and link, when any internal link lands nowhere."""
    broken = broken_links(links, files)
    if broken:
        raise BuildFailed([Problem(message.split(": ", 1)[0], 0, "", message.split(": ", 1)[1]) for message in broken])


def _refuse_collisions(sheet_pages: dict[str, tuple[str, tuple]], other: list[Page]) -> None:
    """Refuse a sheet page that lands on the path of another page of the site."""
    others = {page.site_file: page.origin for page in other}
    for path, (site_file, _) in sheet_pages.items():
        if site_file in others:
            raise OutputError(f"two pages want the same path {site_file}: {path} and {others[site_file]}")


def _update_store(store: PageStore, state: BuildState, previous: BuildState | None) -> None:
    """Keep the files `state` records in the page store: those written since `previous`, or all after a full build."""
    if previous is None:
        store.reset()  # its entries may hold bytes edited in place in the old output folder
        store.keep(state.files)
        return
    store.keep({name: record for name, record in state.files.items() if previous.files.get(name) != record})
    store.prune(state.files)


def _is_static(name: str) -> bool:
    """Tell whether a file of the templates folder, or of the site, is a static file (copied, never rendered)."""
    return name.startswith(f"{STATIC_FOLDER}/")


def _written_before(files: dict[str, tuple[str, Stamp]], site_file: str, sha: str) -> bool:
    """Tell whether the build that recorded `files` wrote exactly the bytes with digest `sha` to `site_file`."""
    return site_file in files and files[site_file][0] == sha


def _stage_extras(staging: Staging, extras: list[tuple[str, bytes, str]], files: dict[str, tuple[str, Stamp]]) -> dict[str, str]:
    """Stage the extra files whose bytes differ from what `files` records; return each one's digest."""
    digests = {}
    for site_file, data, _ in extras:
        digests[site_file] = page_digest(data)
        if not _written_before(files, site_file, digests[site_file]):
            staging.write(site_file, data)
    return digests


def _move_into(
    output: Path, staged: Staging, digests: dict[str, str], removed: list[str], files: dict[str, tuple[str, Stamp]]
) -> tuple[dict[str, tuple[str, Stamp]], list[str]]:
    """Move into `output`, by atomic renames, every file of `digests` that `files` does not record with those bytes.

    Such files, and only they, were staged in `staged`. Removed files are deleted. Return the new record
    of files and the names moved in.
    """
    changes = sorted(name for name, sha in digests.items() if not _written_before(files, name, sha))
    record = dict(files)
    with _interrupts_deferred():
        for site_file in changes:
            target = output.joinpath(*site_file.split("/"))
            try:
                os.replace(staged.path_of(site_file), target)
            except FileNotFoundError:  # a new page's folder; trying first saves a call per file on a big edit
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(staged.path_of(site_file), target)
            record[site_file] = (digests[site_file], stamp_of(target))
        for site_file in removed:
            target = output.joinpath(*site_file.split("/"))
            target.unlink(missing_ok=True)
            record.pop(site_file, None)
            with contextlib.suppress(OSError):
                target.parent.rmdir()
    return record, changes


@contextlib.contextmanager
def collector_paused():
    """Pause Python's cycle collector for the block.

    A big site's model is millions of objects that live until the build ends, and each full collection
    walks them all: on 10,000 sheets that was most of an edit's rebuild time. The builder makes few
    reference cycles; those it makes are collected once the block ends. Forked workers inherit the pause,
    which also keeps them from touching, and so copying, the pages they share with this process.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@contextlib.contextmanager
def _interrupts_deferred():
    """Hold Ctrl-C until the block ends, so that an interrupted build never leaves a half-updated site."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda number, frame: received.append(number))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        if received:
            raise KeyboardInterrupt
