"""The Jinja environment, built once per build, and page rendering that names the template and line on failure."""

from __future__ import annotations

import json
import traceback
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import meta
from markupsafe import Markup

from . import bidi, counts, dates
from .config import Config
from .errors import Problem, TemplateProblem, display_path
from .linkcheck import PageLinks, page_links
from .pages import Page, with_body
from .pool import run_chunks
from .publish import Writer
from .records import FileRecord, content_digest, pickled_by_fields
from .site import site_info
from .urls import Urls


class Renderer:
    """Renders pages from the site's templates with autoescape on and StrictUndefined."""

    def __init__(self, config: Config, urls: Urls, compiled: Path | None = None):
        """Build the one Jinja environment of this build, with the URL helpers and date filter every template uses.

        `compiled` is a folder where Jinja keeps each template compiled, checked against its source: a build
        from the command line then compiles only what changed (0.4 s for the whole theme otherwise).
        """
        self.templates_path = config.templates_path
        self.root = config.root
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(self.templates_path),
            autoescape=jinja2.select_autoescape(("html", "xml"), default_for_string=True),
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            # A build renders thousands of pages, and each render checked every template file it uses for a
            # change. A changed template changes the build's fingerprint, which makes a new Renderer.
            auto_reload=False,
            bytecode_cache=jinja2.FileSystemBytecodeCache(str(compiled)) if compiled is not None else None,
        )
        self.urls = urls
        self.env.globals.update(url=urls.url, absolute_url=urls.absolute)
        # JSON-LD stays readable Arabic; tojson still escapes <, > and & so a value never closes the script.
        self.env.policies["json.dumps_kwargs"] = {"ensure_ascii": False, "sort_keys": False}
        self.env.filters["arabic_date"] = lambda day: dates.gregorian(day, config.locale, config.numerals)
        self.env.filters["hijri_date"] = lambda day: dates.hijri(day, config.numerals)
        self.env.filters["numerals"] = lambda value: dates.digits(str(value), config.numerals)
        # The one bidi rule (waraqa.bidi) for every field a template shows: markup where markup can go,
        # Unicode isolates in <title>, meta descriptions and feeds.
        self.env.filters["isolate"] = bidi.isolate_html
        self.env.filters["isolate_text"] = bidi.isolate_text
        self.env.filters["count"] = lambda number, noun: counts.count_phrase(number, noun, config.numerals)
        self.env.globals.update(count_forms=counts.FORMS, bidi_rule=bidi.browser_rule())
        self.env.globals["sheet_card"] = self._sheet_card
        self._site = site_info(config)
        # `site` is the same for every page of a build: as a global, partials see it without importing
        # "with context", which Jinja cannot cache and would rebuild on every page.
        self.env.globals["site"] = self._site
        self._cards: dict[int, tuple[object, Markup]] = {}
        self._loads: dict[str, frozenset[str] | None] = {}

    # Templates loaded by the globals above rather than by a tag: any template may use them.
    LOADED_BY_GLOBALS = ("_sheet_parts.html",)

    def templates_used(self, name: str) -> frozenset[str] | None:
        """Return every template that rendering `name` may load, itself included; None when that cannot be known.

        It follows extends, include and import tags with literal names, as jinja2.meta finds them; a name
        made at render time, or a template that does not parse, makes the answer None (assume any).
        """
        used: set[str] = set()
        for start in (name, *self.LOADED_BY_GLOBALS):
            loads = self._loads_of(start)
            if loads is None:
                return None
            used |= loads
        return frozenset(used)

    def _loads_of(self, name: str) -> frozenset[str] | None:
        """Return `name` and every template its tags load, recursively; None when that cannot be known."""
        if name in self._loads:
            return self._loads[name]
        self._loads[name] = None  # met again while following its own tags: a cycle, so unknown
        try:
            assert self.env.loader is not None
            source = self.env.loader.get_source(self.env, name)[0]
            names = list(meta.find_referenced_templates(self.env.parse(source)))
        except jinja2.TemplateError:
            return None
        found = {name}
        for referenced in names:
            inner = self._loads_of(referenced) if referenced is not None else None
            if inner is None:
                return None
            found |= inner
        self._loads[name] = frozenset(found)
        return self._loads[name]

    def _sheet_card(self, sheet) -> Markup:
        """Return a sheet's card for list pages (the _sheet_parts.html macro), rendered once per build.

        The home, tag and side pages show each sheet's card again and again; on a big site that
        repetition was most of the rendering time.
        """
        known = self._cards.get(id(sheet))
        if known is None or known[0] is not sheet:
            parts = self.env.get_template("_sheet_parts.html").module
            known = (sheet, Markup(parts.sheet_link_card(sheet)))  # type: ignore[attr-defined]  # a macro of the template
            self._cards[id(sheet)] = known
        return known[1]

    def render_page(self, page: Page, body: str | None = None) -> bytes:
        """Return a page's bytes: its template rendered, or its JSON data (C encoder: no indent; key order kept).

        A sheet's page is given its `body`'s HTML.
        """
        if page.template is None:
            return (json.dumps(page.context["data"](), ensure_ascii=False) + "\n").encode("utf-8")
        context = with_body(page, body or "", self.urls) if page.body_of is not None else page.context
        return self.render(page.template, context).encode("utf-8")

    def render(self, template_name: str, context: dict[str, Any]) -> str:
        """Return the rendered page; raise TemplateProblem naming the template file and its line."""
        try:
            return self.env.get_template(template_name).render(context)
        except jinja2.TemplateSyntaxError as error:
            where = self._shown(error.filename, template_name)
            raise _problem(where, error.lineno, f"template syntax error: {error.message}") from None
        except jinja2.TemplateNotFound as error:
            raise _problem(self._shown(None, template_name), 0, f"template not found: {error.name}") from None
        except Exception as error:  # noqa: BLE001 - any failure inside a template is the template's to report
            filename, line = self._template_frame(error)
            message = getattr(error, "message", None) or str(error)
            raise _problem(self._shown(filename, template_name), line, f"{type(error).__name__}: {message}") from None

    def _template_frame(self, error: BaseException) -> tuple[str | None, int]:
        """Return the template file and line where `error` was raised, from Jinja's rewritten traceback."""
        frames = traceback.extract_tb(error.__traceback__)
        for frame in reversed(frames):
            if frame.filename and Path(frame.filename).is_relative_to(self.templates_path):
                return frame.filename, frame.lineno or 0
        return None, 0

    def _shown(self, filename: str | None, template_name: str) -> str:
        """Return the template's path as the editor knows it."""
        path = Path(filename) if filename else self.templates_path / template_name
        return display_path(path, self.root)


def _problem(template: str, line: int, message: str) -> TemplateProblem:
    """Return the error that reports a template's mistake at its line."""
    return TemplateProblem([Problem(template, line, "", message)])


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Rendered:
    """One page rendered by a build: its bytes' digest, and its links (None: not HTML, or the same bytes as before)."""

    site_file: str
    digest: bytes
    links: PageLinks | None
    written: bool


def render_pages(
    pages: Sequence[Page],
    renderer: Renderer,
    writer: Writer,
    before: Mapping[str, FileRecord],
    body_of: Callable[[str], str],
    jobs: int,
    progress: Callable[[int], None] | None = None,
) -> list[Rendered]:
    """Render `pages` over `jobs` processes; hand the writer each whose bytes differ from `before` (the last build's).

    `body_of(path)` returns the body HTML of the sheet at `path`, for its page.
    """

    def render_chunk(chunk: Sequence[Page]) -> list[Rendered]:
        """Render and write one chunk of pages."""
        done = []
        for page in chunk:
            data = renderer.render_page(page, body_of(page.body_of) if page.body_of is not None else None)
            digest = content_digest(data)
            previous = before.get(page.site_file)
            if previous is not None and previous.digest == digest:
                done.append(Rendered(page.site_file, digest, None, False))  # same bytes, same links as last time
                continue
            writer.write(page.site_file, data)
            links = page_links(page.site_file, data.decode("utf-8"), renderer.urls) if page.site_file.endswith(".html") else None
            done.append(Rendered(page.site_file, digest, links, True))
        return done

    return run_chunks(render_chunk, pages, jobs, progress)
