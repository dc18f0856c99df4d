"""The build, top to bottom: load → model → pages → plan → render → write → index.

A first build, an incremental one and a check are this one pipeline. What differs is the plan (which
files are due: all of them when no earlier build can be trusted) and the writer (none for a check).
Every stage takes what the one before it made; the state one build returns is what the next one reads.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import os
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from . import checks
from .cache import code_digest, digest
from .config import Config
from .errors import BuildFailed, Problem
from .linkcheck import PageLinks, broken_links
from .load import SheetReader, SheetRecord, sheet_files, to_read
from .pages import Page, repointed, site_pages
from .plan import Item, Plan, key_of, page_key, plan, template_keys
from .content import Sheet
from .pool import default_jobs
from .progress import Meter
from .publish import TwinWriter, Writer
from .records import FileRecord, content_digest
from .render import Rendered, Renderer, render_pages
from .search import BUNDLE_FOLDER, SearchReport, index_shards, shard_count, shard_of, shard_of_file
from .site import make_site, with_edits
from .state import BuildIndex, BuildModel, State, new_build_id, parts_after
from .theme import Extra, extra_files, theme_files
from .urls import Urls
from .workspace import Workspace

log = logging.getLogger("waraqa")
_INDEX = f"{BUNDLE_FOLDER}/"
_INDEX_ENTRY = f"{BUNDLE_FOLDER}/pagefind-entry.json"


@dataclass(frozen=True)
class BuildJob:
    """What to build and how: the settings, and the command line's choices."""

    config: Config
    strict: bool = False
    config_warnings: tuple[Problem, ...] = ()
    jobs: int = field(default_factory=default_jobs)
    use_cache: bool = True
    # False skips the search index (the preview does: Pagefind re-indexes the whole site at every save).
    search: bool = True
    # False is a check: every page is rendered and every link checked, and nothing is written anywhere.
    writes: bool = True
    # Told how far each long stage is; the command line's draws a line on the terminal.
    meter: Meter = field(default_factory=Meter, compare=False)


@dataclass(frozen=True)
class BuildReport:
    """What a build did, for the summary line."""

    sheets: int
    pages: int
    files: int
    written: int
    seconds: float
    output: Path | None
    incremental: bool
    search: SearchReport | None
    warnings: tuple[Problem, ...]


@dataclass(frozen=True)
class Built:
    """A build's report, and the state the next build starts from (None after a check)."""

    report: BuildReport
    state: State | None


def build(job: BuildJob, known: State | None = None, changed: frozenset[str] | None = None, keep: bool = True) -> Built:
    """Build the site; on any failure the output folder stays exactly as it was.

    `known` is the last build's state when this process kept it; `changed`, the files that changed
    since, when someone watched them (else every file's stamp is looked at). With `keep` the state is
    stored in the cache at once; without, the caller does it later with keep_state().
    """
    started = time.perf_counter()
    config = job.config
    with Workspace(config, job.writes, job.use_cache) as space:
        build_id = new_build_id()
        wants_index = job.search and config.search and job.writes
        fingerprint = digest(code_digest(), repr(config), str(wants_index))
        theme = theme_files(config)
        paths = sheet_files(config.content_path)
        previous = space.previous(known) if job.writes else None
        trusted, restored = space.output_holds(previous)
        clock = _Clock()
        clock.lap("state and output folder checked")

        # Load: read the sheets that changed; keep the others' records.
        sources = {path: stamp for path, (stamp, _) in previous.index.sources.items()} if previous else {}
        hint = None if changed is None else frozenset(str(path) for path in changed)
        reread = to_read(paths, sources, previous.index.build if previous else 0, hint)
        gone = set(sources) - set(paths)
        if (trusted is not None and not reread and not gone and theme == trusted.index.templates
                and fingerprint == trusted.index.fingerprint and (_INDEX_ENTRY in trusted.index.files or not wants_index)):
            return Built(_unchanged(trusted, job, started, space, restored), trusted)
        model = space.model(previous) if previous else None
        if model is None:
            reread, trusted = paths, None  # the cache lost the last model: read every sheet, make every file
        reader = SheetReader(config, space.cache)
        with _stage(job.meter, "reading sheets", len(reread)) as advance:
            read = reader.read_all(reread, job.jobs, advance)
        old_records = model.records if model else {}
        records = {path: read.records[path] if path in read.records else old_records[path] for path in paths}
        warnings = _checked(records, job)
        clock.lap(f"sheets read ({len(read.records)} of {len(paths)})")

        # Model, then pages: the site's groupings, and every file it has.
        same_settings = previous is not None and previous.index.fingerprint == fingerprint
        edited = _edits_keeping_groups(old_records, read.records, gone) if same_settings else None
        urls = Urls(config.base_url)
        if edited is not None and previous is not None and previous.site is not None and previous.pages is not None:
            site, replaced = with_edits(previous.site, edited)
            pages = [repointed(page, replaced) if not edited.keys().isdisjoint(page.shows) else page
                     for page in previous.pages]
        else:
            site = make_site(config, [record.sheet for record in records.values() if record.sheet is not None])
            pages = site_pages(site, urls, config.page_size, config.author or config.title)
        extras = extra_files(config)
        clock.lap(f"model and {len(pages)} pages made")

        # Plan: the key of every file, and which are due.
        kept_renderer = previous.renderer if previous and same_settings and theme == previous.index.templates else None
        renderer = kept_renderer or Renderer(config, urls, space.compiled_templates())
        last = {name: record for name, record in trusted.index.files.items() if not name.startswith(_INDEX)} if trusted else {}
        same_inputs = trusted is not None and same_settings and theme == trusted.index.templates
        items = _items(pages, extras, records, renderer, theme, fingerprint, last, edited if same_inputs else None)
        todo = plan(items, last if trusted else None)
        due = set(todo.due)
        clock.lap(f"plan: {len(todo.due)} due, {len(todo.removed)} removed")
        old_links = model.links if model and trusted else {}

        # Render, check, write, index: nothing reaches the output folder unless all of it succeeds.
        writer = space.writer(trusted)
        try:
            with _stage(job.meter, "writing pages", len(due)) as advance:
                rendered = render_pages([page for page in pages if page.site_file in due], renderer, writer, last,
                                        lambda path: read.bodies.get(path) or reader.body(records[path]), job.jobs,
                                        advance)
            extra_written = [extra.site_file for extra in extras if extra.site_file in due and _write(writer, extra, last)]
            links = _links(old_links, rendered, todo.kept)
            clock.lap(f"{len(rendered)} pages rendered")
            _check_links(links, rendered, todo.removed, items, old_links)
            clock.lap("links checked")
            digests = {page.site_file: page.digest for page in rendered}
            digests.update((extra.site_file, content_digest(extra.data)) for extra in extras)
            files = {item.site_file: (digests.get(item.site_file) or last[item.site_file].digest, item.key)
                     for item in items}
            searched, kept_index = _index(writer, pages, todo, rendered, trusted, wants_index, job)
            if trusted is not None and wants_index:
                files.update((name, (record.digest, record.key)) for name, record in trusted.index.files.items()
                             if name in kept_index or (searched is None and name.startswith(_INDEX)))
            clock.lap("search indexed" if searched else "search index kept")
            if trusted is not None and searched is None and todo.nothing_to_do:
                out = trusted.index.files  # every file is as the output folder has it: nothing to swap in
                writer.discard()
            else:
                out = writer.finish(files, _index_files(writer) if searched is not None else [])
            clock.lap("new site in place")
        except BaseException:
            writer.discard()
            raise
        changes = sum(1 for page in rendered if page.written) + len(extra_written) + len(todo.removed) + restored
        if trusted is None and job.writes:
            changes = len(out)
        report = BuildReport(len(site.sheets), sum(1 for page in pages if page.site_file.endswith(".html")), len(out),
                             changes, time.perf_counter() - started, space.where.output, trusted is not None,
                             searched, warnings)
        if not job.writes:
            return Built(report, None)
        changed_items = {"records": set(read.records) | gone, "links": {r.site_file for r in rendered} | set(todo.removed)}
        index = BuildIndex(
            build_id, fingerprint, theme, {path: (record.stamp, record.key) for path, record in records.items()}, out,
            warnings, report.sheets, report.pages,
            parts_after(previous.index.parts if previous and model else {}, build_id, changed_items if model else None),
        )
        twin = writer.after if isinstance(writer, TwinWriter) else None
        state = State(index, BuildModel(records, links), site, tuple(pages), renderer, twin,
                      previous.stored if previous else {})
        if keep:
            state = space.persist(state, job.meter)
            clock.lap("state stored, twin tidied")
    return Built(report, state)


@contextlib.contextmanager
def _stage(meter: Meter, name: str, total: int) -> Iterator[Callable[[int], None]]:
    """Measure a stage of `total` things on `meter`; yield what counts the things done."""
    stage = meter.stage(name, total)
    try:
        yield stage.advance
    finally:
        stage.close()


class _Clock:
    """Says in the verbose log (-v) how long each stage of the build took."""

    def __init__(self) -> None:
        """Start timing the first stage."""
        self.last = time.perf_counter()

    def lap(self, stage: str) -> None:
        """Log how long `stage`, which just ended, took, and how much memory the build's process holds."""
        now = time.perf_counter()
        if log.isEnabledFor(logging.DEBUG):
            log.debug("%s: %.2f s, %d MiB", stage, now - self.last, _resident_mib())
        self.last = now


def _resident_mib() -> int:
    """Return this process's resident memory in MiB (0 where /proc does not say)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as status:
            return int(status.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // (1 << 20)
    except (OSError, ValueError, IndexError):
        return 0


def keep_state(job: BuildJob, state: State) -> State:
    """Store `state` in the cache and bring the twin up to the output folder: what build(keep=False) left undone."""
    with Workspace(job.config, job.writes, job.use_cache) as space:
        return space.persist(state, job.meter)


def warm(job: BuildJob, state: State) -> State:
    """Return `state` with its model, site, pages and renderer in memory, so that the next edit takes the quickest path.

    A long-lived process (the preview) does this while it waits: a build that changed nothing loads none of it.
    """
    if state.site is not None and state.pages is not None and state.model is not None:
        return state
    with Workspace(job.config, job.writes, job.use_cache) as space:
        model = space.model(state)
    if model is None:
        return state
    config = job.config
    urls = Urls(config.base_url)
    site = make_site(config, [record.sheet for record in model.records.values() if record.sheet is not None])
    pages = site_pages(site, urls, config.page_size, config.author or config.title)
    renderer = state.renderer or Renderer(config, urls)
    return dataclasses.replace(state, model=model, site=site, pages=tuple(pages), renderer=renderer)


def _unchanged(state: State, job: BuildJob, started: float, space: Workspace, restored: int) -> BuildReport:
    """Return the report of a build that found nothing changed; with --strict, the last warnings still stop it."""
    warnings = checks.verdict(state.index.warnings, job.strict)
    index = state.index
    return BuildReport(index.sheets, index.pages, len(index.files), restored, time.perf_counter() - started,
                       space.where.output, True, None, warnings)


def _checked(records: Mapping[str, SheetRecord], job: BuildJob) -> tuple[Problem, ...]:
    """Return the warnings of the sheets and settings; raise BuildFailed with every problem if any must stop the build."""
    import datetime as dt

    problems = list(job.config_warnings)
    for record in records.values():
        problems.extend(record.problems)
    sheets = [record.sheet for record in records.values() if record.sheet is not None]
    problems.extend(checks.duplicate_slugs(sheets))
    problems.extend(checks.stale_verifications(sheets, job.config.verify_after_days, dt.date.today()))
    return checks.verdict(problems, job.strict)


def _edits_keeping_groups(
    old: Mapping[str, SheetRecord], read: Mapping[str, SheetRecord], gone: set[str]
) -> dict[str, Sheet] | None:
    """Return the edited sheets by path when no edit changes how the site groups them; None when one does."""
    if gone:
        return None
    edited = {}
    for path, record in read.items():
        before = old.get(path)
        if before is None or before.sheet is None or record.sheet is None or before.grouping != record.grouping:
            return None
        if before.key != record.key:
            edited[path] = record.sheet
    return edited


def _items(
    pages: list[Page], extras: list[Extra], records: Mapping[str, SheetRecord], renderer: Renderer,
    theme: Mapping[str, str], fingerprint: str, known: Mapping[str, FileRecord], edited: Iterable[str] | None,
) -> list[Item]:
    """Return every file of the site with its key (plan.py says what a key is made of).

    `edited` names the sheets that changed when no change regrouped the site and settings and templates are
    the last build's: a page that shows none of them then has the key it had (`known`), and computing
    27,000 keys was a sixth of a one-sheet rebuild on 10,000 sheets.
    """
    uses = {name: renderer.templates_used(name) for name in {page.template for page in pages if page.template}}
    templates = template_keys(theme, uses)
    settings = fingerprint.encode("ascii")
    changed = None if edited is None else set(edited)
    items = []
    for page in pages:
        if changed is not None and page.site_file in known and changed.isdisjoint(page.shows):
            items.append(Item(page.site_file, page.origin, known[page.site_file].key))
            continue
        if page.grouping_only:
            shown: Iterable[bytes] = (records[path].grouping for path in page.shows)
        else:
            shown = (records[path].key for path in page.shows)
        template = templates[page.template] if page.template else b""
        items.append(Item(page.site_file, page.origin, page_key(settings, template, page.depends, shown)))
    items += [Item(extra.site_file, extra.origin, key_of(settings, extra.data)) for extra in extras]
    return items


def _write(writer: Writer, extra: Extra, last: Mapping[str, FileRecord]) -> bool:
    """Hand the writer a static file unless the output folder has those bytes already; tell whether it was written."""
    previous = last.get(extra.site_file)
    if previous is not None and previous.digest == content_digest(extra.data):
        return False
    writer.write(extra.site_file, extra.data)
    return True


def _links(old: Mapping[str, PageLinks], rendered: list[Rendered], kept: Iterable[str]) -> dict[str, PageLinks]:
    """Return the links of every page of the new site: those rendered now, and the last build's for the others."""
    links = {name: old[name] for name in kept if name in old}
    for page in rendered:
        found = page.links if page.links is not None else old.get(page.site_file)
        if found is not None:
            links[page.site_file] = found
    return links


def _check_links(
    links: Mapping[str, PageLinks], rendered: list[Rendered], removed: tuple[str, ...], items: list[Item],
    old: Mapping[str, PageLinks],
) -> None:
    """Stop the build, naming each page and link, when an internal link of the new site lands nowhere.

    Pages not rendered again had sound links last time: they can only break if a file they point to went
    away or a page lost an id. Otherwise only the pages written now are checked.
    """
    fresh = [page.site_file for page in rendered if page.links is not None]
    lost_ids = any(not set(old[name].ids) <= set(links[name].ids) for name in fresh if name in old)
    broken = broken_links(links, {item.site_file for item in items}, None if removed or lost_ids else fresh)
    if broken:
        raise BuildFailed(broken)


def _index(
    writer: Writer, pages: list[Page], todo: Plan, rendered: list[Rendered], trusted: State | None, wanted: bool,
    job: BuildJob,
) -> tuple[SearchReport | None, set[str]]:
    """Index the shards of the search index that a changed searchable page falls in; return the report and the
    index files kept from the last build (None: nothing indexed, every index file kept)."""
    folder = writer.index_folder
    if not wanted or folder is None:
        return None, set()
    searchable = [page.site_file for page in pages if page.searchable]
    count = shard_count(len(searchable))
    old = {name[len(_INDEX):] for name in trusted.index.files if name.startswith(_INDEX)} if trusted else set()
    layout = {shard_of_file(name) for name in old if name.endswith("pagefind-entry.json")}
    if layout != set(range(count)):
        due = set(range(count))  # no index yet, or the site's size moved it to another number of shards
    else:
        changed = {page.site_file for page in rendered if page.written and page.site_file.endswith(".html")}
        due = {shard_of(name, count) for name in (changed & set(searchable)) | set(todo.removed)}
    if not due:
        return None, set()
    total = 2 * sum(1 for name in searchable if shard_of(name, count) in due)
    with _stage(job.meter, "indexing for search", total) as advance:
        report = index_shards(searchable, lambda name: writer.read(name).decode("utf-8"), folder, count, due, job.jobs,
                              advance)
    kept = {_INDEX + name for name in old if shard_of_file(name) not in due and shard_of_file(name) < count}
    return report, kept


def _index_files(writer: Writer) -> list[str]:
    """Return the files of the index just written, as paths of the site."""
    folder = writer.index_folder
    assert folder is not None
    return sorted(f"{_INDEX}{path.relative_to(folder).as_posix()}" for path in folder.rglob("*") if path.is_file())
