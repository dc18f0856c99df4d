"""The build: load and validate every sheet, make the site model, render every page, then swap the output in."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from pathlib import Path

from .config import Config
from .content import Sheet, load_sheets
from .errors import BuildFailed, Problem, Severity
from .markup import MarkdownRenderer
from .output import StagedOutput, check_output_path
from .render import Renderer
from .site import Site, make_site
from .urls import Urls, output_file

log = logging.getLogger("waraqa")
STATIC_FOLDER = "static"


@dataclass(frozen=True)
class RenderedPage:
    """One page ready to write: where it goes, its HTML, and what it was made from (for messages)."""

    site_file: str
    html: str
    origin: str


@dataclass
class BuildReport:
    """What a build did, for the summary line."""

    sheets: int = 0
    pages: int = 0
    files: int = 0
    seconds: float = 0.0
    output: Path | None = None
    warnings: list[Problem] = field(default_factory=list)


def validate(config: Config, strict: bool, config_warnings: list[Problem] = ()) -> tuple[list[Sheet], list[Problem]]:
    """Return every usable sheet and every warning; raise BuildFailed listing all problems if any must stop the build."""
    sheets, problems = load_sheets(config.content_path, config.root)
    problems = [*config_warnings, *problems]
    stopping = [p for p in problems if p.severity is Severity.ERROR or strict]
    if stopping:
        raise BuildFailed(problems)
    return sheets, problems


def render_pages(config: Config, site: Site) -> list[RenderedPage]:
    """Return every page of the site rendered: the home page, one page per sheet, and 404.html."""
    urls = Urls(config.base_url)
    renderer = Renderer(config, urls)
    markdown = MarkdownRenderer()
    pages = [
        RenderedPage("index.html", renderer.render("index.html", {"site": site.info, "sheets": site.sheets, "path": ""}), "the home page"),
        RenderedPage("404.html", renderer.render("404.html", {"site": site.info, "path": "404.html"}), "the 404 page"),
    ]
    for sheet in site.sheets:
        path = site.path_of(sheet)
        context = {"site": site.info, "sheet": sheet, "body": markdown.convert(sheet.body), "path": path}
        pages.append(RenderedPage(output_file(path), renderer.render("sheet.html", context), sheet.display_path))
    return pages


class Builder:
    """Builds one site, again and again: the preview server keeps one and calls build() after every save."""

    def __init__(self, config: Config, *, strict: bool = False, config_warnings: list[Problem] = ()):
        """Remember the settings of the builds to come."""
        self.config = config
        self.strict = strict
        self.config_warnings = list(config_warnings)

    def build(self) -> BuildReport:
        """Build the site into the output folder; on any failure the previous output folder is left as it was."""
        config = self.config
        started = time.perf_counter()
        output = check_output_path(config)
        sheets, warnings = validate(config, self.strict, self.config_warnings)
        site = make_site(config, sheets)
        pages = render_pages(config, site)
        staged = StagedOutput(output)
        try:
            for page in pages:
                staged.write(page.site_file, page.html.encode("utf-8"), page.origin)
            static = config.templates_path / STATIC_FOLDER
            if static.is_dir():
                staged.copy_tree(static, f"{STATIC_FOLDER}/", f"{config.templates_dir.as_posix()}/{STATIC_FOLDER}")
            staged.write(".nojekyll", b"", "GitHub Pages settings")
            if config.cname:
                staged.write("CNAME", f"{config.cname}\n".encode("ascii"), "the cname setting")
            files = staged.file_count
            staged.publish()
        except BaseException:
            staged.discard()
            raise
        return BuildReport(
            sheets=len(site.sheets),
            pages=len(pages),
            files=files,
            seconds=time.perf_counter() - started,
            output=output,
            warnings=warnings,
        )

    def check(self) -> BuildReport:
        """Validate every sheet and render every page without writing anything."""
        started = time.perf_counter()
        sheets, warnings = validate(self.config, self.strict, self.config_warnings)
        site = make_site(self.config, sheets)
        pages = render_pages(self.config, site)
        return BuildReport(sheets=len(site.sheets), pages=len(pages), seconds=time.perf_counter() - started, warnings=warnings)
