"""The build: gather and check every sheet, make the site model, render the pages, then write them safely.

A full build writes into a fresh folder swapped in at the end. When the output folder is exactly what the
last build left (checked by size and time of every file) and no template or setting changed, a build is
incremental instead: it re-reads only changed sheets, renders what shows them, and replaces only files
whose bytes changed, each by an atomic rename, after everything has rendered without error.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__
from .cache import CACHE_FOLDER, BuildCache, digest
from .config import Config
from .content import LoadResult, Sheet, duplicate_slugs, sheet_files
from .errors import BuildFailed, OutputError, Problem, Severity, TemplateProblem
from .output import MARKER, StagedOutput, check_output_path
from .pages import Page, list_pages, sheet_page
from .render import Renderer
from .sheets import SheetOutcome, SheetWorker, Stamp, build_sheets, default_jobs, page_digest, stamp_of
from .site import make_site
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
    warnings: list[Problem] = field(default_factory=list)


@dataclass
class BuildState:
    """What a build leaves for the next one: its inputs' stamps and results, and every file it wrote."""

    fingerprint: str
    started_ns: int
    sources: dict[Path, tuple[Stamp, str]]
    results: dict[Path, LoadResult]
    sheet_pages: dict[Path, str] = field(default_factory=dict)
    files: dict[str, tuple[str, Stamp]] = field(default_factory=dict)
    extras: frozenset[str] = frozenset()
    warnings: list[Problem] = field(default_factory=list)
    pages: int = 0


def site_fingerprint(config: Config) -> str:
    """Return a digest of everything besides the sheets that every page depends on: templates, settings, version."""
    parts: list[bytes | str] = [__version__, repr(config)]
    templates = config.templates_path
    for path in sorted(templates.rglob("*")) if templates.is_dir() else []:
        if path.is_file():
            parts += [path.relative_to(templates).as_posix(), path.read_bytes()]
    return digest(*parts)


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
    ):
        """Remember the settings of the builds to come; `jobs` processes for cold builds (default: every core)."""
        self.config = config
        self.strict = strict
        self.config_warnings = list(config_warnings)
        self.jobs = jobs or default_jobs()
        self.cache_folder = config.root / CACHE_FOLDER if use_cache else None
        self._state: BuildState | None = None

    def build(self) -> BuildReport:
        """Build the site into the output folder; on any failure the previous output folder is left as it was."""
        started = time.perf_counter()
        output = check_output_path(self.config)
        fingerprint = site_fingerprint(self.config)
        paths = sheet_files(self.config.content_path)
        cache = BuildCache(self.cache_folder)
        try:
            state_key = digest("state", str(output))
            previous = self._state or _cached_state(cache, state_key)
            if previous and previous.fingerprint == fingerprint and _output_intact(output, previous.files):
                state, written = self._incremental(previous, paths, output, cache)
                incremental = True
            else:
                state, written = self._full(fingerprint, paths, output)
                incremental = False
            if state is not previous:
                cache.put(state_key, state)
        finally:
            cache.close()
        self._state = state
        return BuildReport(
            sheets=len(state.sheet_pages),
            pages=state.pages,
            files=len(state.files),
            written=written,
            seconds=time.perf_counter() - started,
            output=output,
            incremental=incremental,
            warnings=state.warnings,
        )

    def check(self) -> BuildReport:
        """Validate every sheet and render every page without writing anything."""
        started = time.perf_counter()
        worker = SheetWorker(self.config, self.cache_folder)
        paths = sheet_files(self.config.content_path)
        outcomes = build_sheets(worker, paths, None, self.jobs)
        results = {o.path: o.result for o in outcomes}
        warnings = self._checked(results)
        site = make_site(self.config, _sheets(results))
        renderer = worker.renderer
        for sheet in site.sheets:
            worker.render(worker.prepare(sheet.path)[2])
        pages = list_pages(site)
        for page in pages:
            renderer.render(page.template, page.context)
        return BuildReport(
            sheets=len(site.sheets),
            pages=len(site.sheets) + len(pages),
            seconds=time.perf_counter() - started,
            warnings=warnings,
        )

    def _checked(self, results: dict[Path, LoadResult]) -> list[Problem]:
        """Return the warnings of `results`; raise BuildFailed with every problem if any must stop the build."""
        problems = [*self.config_warnings]
        for result in results.values():
            problems.extend(result.problems)
        problems.extend(duplicate_slugs(_sheets(results)))
        if any(p.severity is Severity.ERROR or self.strict for p in problems):
            raise BuildFailed(problems)
        return problems

    def _full(self, fingerprint: str, paths: list[Path], output: Path) -> tuple[BuildState, int]:
        """Build every page into a fresh folder and swap it in; return the new state and files written."""
        started_ns = time.time_ns()
        worker = SheetWorker(self.config, self.cache_folder)
        staged = StagedOutput(output)
        try:
            outcomes = build_sheets(worker, paths, staged.folder, self.jobs)
            results = {o.path: o.result for o in outcomes}
            warnings = self._checked(results)
            _raise_template_errors(outcomes)
            digests: dict[str, str] = {}
            for outcome in outcomes:
                if outcome.page_file:
                    staged.claim(outcome.page_file, outcome.result.sheet.display_path)
                    digests[outcome.page_file] = outcome.page_digest
            site = make_site(self.config, _sheets(results))
            pages = list_pages(site)
            for page in pages:
                data = worker.renderer.render(page.template, page.context).encode("utf-8")
                staged.write(page.site_file, data, page.origin)
                digests[page.site_file] = page_digest(data)
            extras = self._extra_files()
            for site_file, data, origin in extras:
                staged.write(site_file, data, origin)
                digests[site_file] = page_digest(data)
            written = staged.file_count
            staged.publish()
        except BaseException:
            staged.discard()
            raise
        state = BuildState(
            fingerprint=fingerprint,
            started_ns=started_ns,
            sources={o.path: (o.stamp, o.key) for o in outcomes},
            results=results,
            sheet_pages={o.path: o.page_file for o in outcomes if o.page_file},
            files={name: (sha, stamp_of(output / name)) for name, sha in digests.items()},
            extras=frozenset(site_file for site_file, _, _ in extras),
            warnings=warnings,
            pages=len(site.sheets) + len(pages),
        )
        return state, written

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
        self, previous: BuildState, paths: list[Path], output: Path, cache: BuildCache
    ) -> tuple[BuildState, int]:
        """Re-read changed sheets, re-render what shows them, and replace only the files whose bytes changed."""
        started_ns = time.time_ns()
        racy_after = previous.started_ns - _RACY_SECONDS * 1_000_000_000
        stamps = {path: stamp_of(path) for path in paths}
        changed = [
            path
            for path in paths
            if path not in previous.sources
            or previous.sources[path][0] != stamps[path]
            or stamps[path].mtime_ns >= racy_after
        ]
        if not changed and set(paths) == set(previous.sources):
            if self.strict and previous.warnings:
                raise BuildFailed(previous.warnings)
            return previous, 0
        worker = SheetWorker(self.config, self.cache_folder)
        fresh = {o.path: o for o in build_sheets(worker, changed, None, self.jobs)}
        results = {path: fresh[path].result if path in fresh else previous.results[path] for path in paths}
        warnings = self._checked(results)
        site = make_site(self.config, _sheets(results))
        published = {sheet.path for sheet in site.sheets}
        pages: list[Page] = []
        for path in sorted(published):
            if path in fresh or path not in previous.sheet_pages:
                prepared = worker.prepare(path)[2]
                pages.append(sheet_page(worker.info, prepared.result.sheet, prepared.body_html))
        fresh_sheet_pages = list(pages)
        pages.extend(list_pages(site))
        rendered = _render_all(worker.renderer, pages)
        sheet_pages = {path: page for path, page in previous.sheet_pages.items() if path in published}
        for page in pages:
            if page.template == "sheet.html":
                sheet_pages[page.context["sheet"].path] = page.site_file
        keep = set(sheet_pages.values()) | {page.site_file for page in pages} | previous.extras
        changes = {
            page.site_file: data
            for page, data in rendered
            if previous.files.get(page.site_file, ("", None))[0] != page_digest(data)
        }
        _refuse_collisions(pages, sheet_pages, previous.files)
        files = _write_in_place(output, changes, [name for name in previous.files if name not in keep], previous.files)
        state = BuildState(
            fingerprint=previous.fingerprint,
            started_ns=started_ns,
            sources={
                path: (fresh[path].stamp, fresh[path].key) if path in fresh else previous.sources[path] for path in paths
            },
            results=results,
            sheet_pages=sheet_pages,
            files=files,
            extras=previous.extras,
            warnings=warnings,
            pages=len(pages) - len(fresh_sheet_pages) + len(site.sheets),
        )
        return state, len(changes)


def _sheets(results: dict[Path, LoadResult]) -> list[Sheet]:
    """Return the usable sheets of `results` in path order."""
    return [results[path].sheet for path in sorted(results) if results[path].sheet is not None]


def _raise_template_errors(outcomes: list[SheetOutcome]) -> None:
    """Raise the first template error a sheet page met, if any."""
    for outcome in outcomes:
        if outcome.template_error:
            raise TemplateProblem(outcome.template_error)


def _render_all(renderer: Renderer, pages: list[Page]) -> list[tuple[Page, bytes]]:
    """Render every page in memory, so that nothing is written unless all of them render."""
    return [(page, renderer.render(page.template, page.context).encode("utf-8")) for page in pages]


def _refuse_collisions(pages: list[Page], sheet_pages: dict[Path, str], files: dict[str, tuple[str, Stamp]]) -> None:
    """Refuse a sheet page that would land on a file the site already has for something else."""
    owners = {site_file: path for path, site_file in sheet_pages.items()}
    for page in pages:
        if page.template == "sheet.html" and page.site_file in files and owners.get(page.site_file) != page.context["sheet"].path:
            raise OutputError(f"two pages want the same path {page.site_file}: {page.origin} and another file of the site")


def _output_intact(output: Path, files: dict[str, tuple[str, Stamp]]) -> bool:
    """Tell whether every file the last build wrote is still there, unchanged by size and time."""
    if not (output / MARKER).is_file():
        return False
    try:
        return all(stamp_of(output / name) == stamp for name, (_, stamp) in files.items())
    except OSError:
        return False


def _write_in_place(
    output: Path, changes: dict[str, bytes], removed: list[str], files: dict[str, tuple[str, Stamp]]
) -> dict[str, tuple[str, Stamp]]:
    """Replace each changed file by an atomic rename and delete removed ones; return the new record of files."""
    record = dict(files)
    with _interrupts_deferred():
        for site_file, data in sorted(changes.items()):
            target = output.joinpath(*site_file.split("/"))
            target.parent.mkdir(parents=True, exist_ok=True)
            temporary = target.with_name(f".{target.name}.tmp-{os.getpid()}")
            temporary.write_bytes(data)
            os.replace(temporary, target)
            record[site_file] = (page_digest(data), stamp_of(target))
        for site_file in sorted(removed):
            target = output.joinpath(*site_file.split("/"))
            target.unlink(missing_ok=True)
            record.pop(site_file, None)
            with contextlib.suppress(OSError):
                target.parent.rmdir()
    return record


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


def _cached_state(cache: BuildCache, key: str) -> BuildState | None:
    """Return the last build's state from the cache, or None."""
    state = cache.get(key)
    return state if isinstance(state, BuildState) else None

