"""Which pages the site has and what each template is given: one explicit context per template. No I/O."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .content import Sheet
from .site import Site, SiteInfo
from .urls import output_file, sheet_path


@dataclass(frozen=True)
class Page:
    """A page to render: the file it becomes, its template, its context, and what it is made from (for messages)."""

    site_file: str
    template: str
    context: dict[str, Any]
    origin: str


def sheet_page(info: SiteInfo, sheet: Sheet, body_html: str) -> Page:
    """Return the page of one sheet; it depends on that sheet alone, so it can be rebuilt alone."""
    path = sheet_path(sheet.slug)
    context = {"site": info, "sheet": sheet, "body": body_html, "path": path}
    return Page(output_file(path), "sheet.html", context, sheet.display_path)


def list_pages(site: Site) -> list[Page]:
    """Return every page that shows many sheets or none: the home page and 404.html."""
    return [
        Page("index.html", "index.html", {"site": site.info, "sheets": site.sheets, "path": ""}, "the home page"),
        Page("404.html", "404.html", {"site": site.info, "path": "404.html"}, "the 404 page"),
    ]
