"""Which pages and files the site has and what each is given: one explicit context per template. No I/O.

Every page but a sheet's own says which sheets it shows (`shows`) and anything else it depends on
(`depends`): an incremental build renders it again only when one of those changed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
from dataclasses import dataclass, field
from typing import Any

from .content import Sheet
from .records import pickled_by_fields
from .search import shard_count
from .site import Site, SiteInfo, sheet_paths
from .urls import Urls, output_file, sheet_path

API_SCHEMA_VERSION = 1
SHEET_TEMPLATE = "sheet.html"
FEED_SIZE = 20


@dataclass(frozen=True, slots=True)
class Page:
    """A file to make: its path, its template (or None for JSON data), its context, and what it shows."""

    site_file: str
    template: str | None
    context: dict[str, Any]
    origin: str
    shows: tuple[str, ...] = ()
    depends: str = ""
    in_sitemap: bool = True
    # Made by Waraqa's code (not a template) from what the shown sheets are grouped by (site.grouping_of)
    # alone: an edit that keeps every grouping cannot change it.
    grouping_only: bool = False
    # A sheet's own page shows that sheet's body, which is fetched only when the page is rendered.
    body_of: str | None = None
    # Indexed for search.
    searchable: bool = False


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class SiteLinks:
    """What a sheet page links to beyond itself: its tags', people's and sides' pages."""

    tags: dict[str, str] = field(default_factory=dict)
    people: dict[str, str] = field(default_factory=dict)
    sides: dict[str, str] = field(default_factory=dict)


def site_links(site: Site, sheet: Sheet) -> SiteLinks:
    """Return what one sheet's page links to in `site`."""
    links = site.links_of(sheet)
    return SiteLinks(links["tags"], links["people"], links["sides"])


def sheet_page(info: SiteInfo, sheet: Sheet, links: SiteLinks) -> Page:
    """Return the page of one sheet; it depends on that sheet and the paths of the pages it links to."""
    path = sheet_path(sheet.slug)
    context = {"site": info, "sheet": sheet, "path": path, "links": links}
    return Page(output_file(path), SHEET_TEMPLATE, context, sheet.display_path, (sheet.path,), links_record(links),
                body_of=sheet.path, searchable=True)


def links_record(links: SiteLinks) -> str:
    """Return what a sheet page links to as one text: a page whose tag, person or side page moved is made again."""
    # Each table lists the sheet's own names in the order the sheet gives them: the same sheet, the same text.
    return f"{links.tags!r}{links.people!r}{links.sides!r}"


def with_body(page: Page, body: str, urls: Urls) -> dict[str, Any]:
    """Return the context a sheet page is rendered with: its record's, the body's HTML and its JSON-LD."""
    sheet = page.context["sheet"]
    return {**page.context, "body": body, "structured_data": news_article(page.context["site"], sheet, urls)}


def site_pages(site: Site, urls: Urls, page_size: int, author: str) -> list[Page]:
    """Return every page of the site: each sheet's own, the lists, the feeds, the JSON API and the sitemap."""
    pages = [sheet_page(site.info, sheet, site_links(site, sheet)) for sheet in site.sheets]
    pages += list_pages(site, page_size)
    newest = max((sheet.updated or sheet.date for sheet in site.sheets), default=None)
    pages += feed_pages(site, urls, author, newest)
    pages += api_pages(site, urls)
    pages.append(sitemap_page(site, pages))
    return pages


def repointed(page: Page, replaced: dict[int, Any]) -> Page:
    """Return `page` with each object of its context that an edit replaced (see site.with_edits) swapped for the new one."""
    return dataclasses.replace(page, context={name: _repoint(value, replaced) for name, value in page.context.items()})


def _repoint(value: Any, replaced: dict[int, Any]) -> Any:
    """Return `value`, or its replacement, with the containers that hold replaced objects rebuilt."""
    new = replaced.get(id(value))
    if new is not None:
        return new
    if type(value) in (tuple, list):
        return type(value)(_repoint(item, replaced) for item in value)
    if isinstance(value, dict):
        return {name: _repoint(item, replaced) for name, item in value.items()}
    if isinstance(value, functools.partial):
        args = [_repoint(arg, replaced) for arg in value.args]
        return functools.partial(value.func, *args, **{name: _repoint(v, replaced) for name, v in value.keywords.items()})
    return value


def paginate(items: tuple, size: int) -> list[tuple]:
    """Return `items` in pages of `size`; one empty page when there are none."""
    return [items[start : start + size] for start in range(0, len(items), size)] or [()]


def numbered_path(base: str, number: int) -> str:
    """Return the site path of page `number` (from 1) of a list whose first page is at `base`."""
    return base if number == 1 else f"{base}page/{number}/"


def paged(base: str, template: str, context: dict[str, Any], key: str, items: tuple, size: int, origin: str) -> list[Page]:
    """Return the pages of a long list at `base`, `size` items each, with a pager linking them.

    Paging keeps an edited sheet from re-rendering one huge page on a big site: only the page that
    shows it changes (and all of them when their count does).
    """
    chunks = paginate(items, size)
    pages = []
    for number, chunk in enumerate(chunks, start=1):
        pager = {
            "number": number,
            "count": len(chunks),
            "previous": numbered_path(base, number - 1) if number > 1 else None,
            "next": numbered_path(base, number + 1) if number < len(chunks) else None,
        }
        path = numbered_path(base, number)
        shows = tuple(getattr(item, "sheet", item).path for item in chunk)
        page_context = {**context, key: chunk, "path": path, "pager": pager}
        pages.append(Page(output_file(path), template, page_context, origin, shows, str(len(chunks))))
    return pages


def list_pages(site: Site, page_size: int) -> list[Page]:
    """Return every page that shows many sheets or none: home pages, tags, people, sides, 404 and search."""
    info = site.info
    pages = paged("", "index.html", {"site": info}, "sheets", site.sheets, page_size, "the home page")
    every = sheet_paths(site.sheets)
    pages.append(Page("tags/index.html", "tags.html", {"site": info, "tags": site.tags, "path": "tags/"}, "the tags index", every))
    for tag in site.tags:
        context = {"site": info, "tag": tag}
        pages += paged(tag.path, "tag.html", context, "sheets", tag.sheets, page_size, f"the tag {tag.name}")
    people_context = {"site": info, "people": site.people, "path": "people/"}
    pages.append(Page("people/index.html", "people.html", people_context, "the people index", every))
    for person in site.people:
        context = {"site": info, "person": person}
        pages += paged(person.path, "person.html", context, "appearances", person.appearances, page_size,
                       f"the person {person.name}")
    pages.append(Page("sides/index.html", "sides.html", {"site": info, "sides": site.sides, "path": "sides/"}, "the sides index", every))
    for side in site.sides:
        # A side's first page also lists its people, who may come from any of its sheets.
        context = {"site": info, "side": side}
        side_pages = paged(side.path, "side.html", context, "sheets", side.sheets, page_size, f"the side {side.name}")
        side_pages[0] = dataclasses.replace(side_pages[0], shows=sheet_paths(side.sheets))
        pages += side_pages
    pages.append(Page("404.html", "404.html", {"site": info, "path": "404.html"}, "the 404 page", in_sitemap=False))
    if info.search:
        # The search page merges the index's shards, so it depends on how many there are.
        shards = shard_count(len(site.sheets))
        pages.append(Page("search/index.html", "search.html", {"site": info, "path": "search/", "shards": shards},
                          "the search page", depends=str(shards), in_sitemap=False))
    return pages


def feed_pages(site: Site, urls: Urls, author: str, updated: dt.date | None) -> list[Page]:
    """Return the Atom feed, the JSON Feed, the sitemap and robots.txt."""
    newest = site.sheets[:FEED_SIZE]
    context = {"site": site.info, "sheets": newest, "author": author, "updated": updated, "path": "atom.xml"}
    return [
        Page("atom.xml", "atom.xml", context, "the Atom feed", sheet_paths(newest), in_sitemap=False),
        Page("feed.json", None, {"data": functools.partial(json_feed, site, urls, author)}, "the JSON Feed",
             sheet_paths(newest), in_sitemap=False),
        Page("robots.txt", "robots.txt", {"site": site.info, "path": "robots.txt"}, "robots.txt", in_sitemap=False),
    ]


def sitemap_page(site: Site, pages: list[Page]) -> Page:
    """Return sitemap.xml listing every page meant for readers, with the newest date of what it shows."""
    dates = {sheet.path: sheet.updated or sheet.date for sheet in site.sheets}
    entries = []
    for page in pages:
        if page.in_sitemap and page.site_file.endswith(".html"):
            path = page.site_file.removesuffix("index.html")
            shown = [dates[p] for p in page.shows if p in dates]
            entries.append({"path": path, "lastmod": max(shown) if shown else None})
    entries.sort(key=lambda entry: str(entry["path"]))
    # It shows addresses and dates only: an edit that changes neither leaves it as it was.
    listed = hashlib.sha256(repr([(entry["path"], entry["lastmod"]) for entry in entries]).encode()).hexdigest()
    return Page("sitemap.xml", "sitemap.xml", {"site": site.info, "entries": entries, "path": "sitemap.xml"},
                "the sitemap", (), listed, in_sitemap=False)


def api_pages(site: Site, urls: Urls) -> list[Page]:
    """Return the static JSON API: an index of sheets, one file per sheet, people and tags.

    Each file's data is made only if it is written: an incremental build writes few of them.
    """
    every = sheet_paths(site.sheets)
    pages = [Page("api/sheets.json", None, {"data": functools.partial(_sheets_index, site, urls)}, "the sheets API",
                  every, in_sitemap=False)]
    for sheet in site.sheets:
        data = functools.partial(_sheet_file, sheet, urls)
        pages.append(Page(f"api/sheets/{sheet.slug}.json", None, {"data": data}, sheet.display_path, (sheet.path,),
                          in_sitemap=False))
    pages.append(Page("api/people.json", None, {"data": functools.partial(_people_index, site, urls)},
                      "the people API", every, in_sitemap=False, grouping_only=True))
    pages.append(Page("api/tags.json", None, {"data": functools.partial(_tags_index, site, urls)},
                      "the tags API", every, in_sitemap=False, grouping_only=True))
    return pages


def _sheets_index(site: Site, urls: Urls) -> dict[str, Any]:
    """Return api/sheets.json: every sheet's slug, title, date, tags and address, newest first."""
    return {
        "schema_version": API_SCHEMA_VERSION,
        "sheets": [
            {"slug": s.slug, "title": s.title, "date": s.date.isoformat(), "tags": list(s.tags),
             "url": urls.absolute(sheet_path(s.slug))}
            for s in site.sheets
        ],
    }


def _sheet_file(sheet: Sheet, urls: Urls) -> dict[str, Any]:
    """Return api/sheets/<slug>.json: every fact of one sheet."""
    return {"schema_version": API_SCHEMA_VERSION, **sheet_facts(sheet, urls)}


def _people_index(site: Site, urls: Urls) -> dict[str, Any]:
    """Return api/people.json: every person with every appearance."""
    return {
        "schema_version": API_SCHEMA_VERSION,
        "people": [
            {"name": p.name, "slug": p.slug, "url": urls.absolute(p.path),
             "appearances": [{"sheet": a.sheet.slug, "date": a.sheet.date.isoformat(), "role": a.role, "side": a.side,
                              "country": a.country} for a in p.appearances]}
            for p in site.people
        ],
    }


def _tags_index(site: Site, urls: Urls) -> dict[str, Any]:
    """Return api/tags.json: every tag with its sheets' slugs."""
    return {
        "schema_version": API_SCHEMA_VERSION,
        "tags": [{"name": t.name, "slug": t.slug, "url": urls.absolute(t.path), "sheets": [s.slug for s in t.sheets]}
                 for t in site.tags],
    }


def sheet_facts(sheet: Sheet, urls: Urls) -> dict[str, Any]:
    """Return every fact of a sheet as JSON-ready data, dates as ISO strings, in a stable key order."""
    iso = lambda day: day.isoformat() if day else None  # noqa: E731 - a one-word helper keeps the table readable
    return {
        "slug": sheet.slug,
        "url": urls.absolute(sheet_path(sheet.slug)),
        "title": sheet.title,
        "date": iso(sheet.date),
        "updated": iso(sheet.updated),
        "verified_on": iso(sheet.verified_on),
        "summary": sheet.summary,
        "place": sheet.place,
        "tags": list(sheet.tags),
        "details": [{"label": d.label, "value": d.value} for d in sheet.details],
        "delegations": [
            {"side": d.side, "country": d.country, "members": [{"name": m.name, "role": m.role} for m in d.members]}
            for d in sheet.delegations
        ],
        "outcomes": list(sheet.outcomes),
        "sources": [
            {"publisher": s.publisher, "title": s.title, "url": s.url, "accessed": iso(s.accessed)} for s in sheet.sources
        ],
    }


def news_article(info: SiteInfo, sheet: Sheet, urls: Urls) -> dict[str, Any]:
    """Return the schema.org NewsArticle of a sheet, for its JSON-LD block."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": sheet.title,
        "description": sheet.summary,
        "url": urls.absolute(sheet_path(sheet.slug)),
        "mainEntityOfPage": urls.absolute(sheet_path(sheet.slug)),
        "datePublished": sheet.date.isoformat(),
        "dateModified": (sheet.updated or sheet.date).isoformat(),
        "inLanguage": "ar",
        "publisher": {"@type": "Organization", "name": info.title, "url": urls.absolute("")},
        "keywords": list(sheet.tags),
        "mentions": [
            {"@type": "Person", "name": member.name, "jobTitle": member.role}
            for delegation in sheet.delegations
            for member in delegation.members
        ],
    }
    if sheet.place:
        data["contentLocation"] = {"@type": "Place", "name": sheet.place}
    citations = []
    for source in sheet.sources:
        citation: dict[str, Any] = {"@type": "CreativeWork", "publisher": {"@type": "Organization", "name": source.publisher}}
        if source.title:
            citation["name"] = source.title
        if source.url:
            citation["url"] = source.url
        citations.append(citation)
    if citations:
        data["citation"] = citations
    return data


def json_feed(site: Site, urls: Urls, author: str) -> dict[str, Any]:
    """Return the JSON Feed 1.1 of the newest sheets."""
    return {
        "version": "https://jsonfeed.org/version/1.1",
        "title": site.info.title,
        "home_page_url": urls.absolute(""),
        "feed_url": urls.absolute("feed.json"),
        "description": site.info.description,
        "language": "ar",
        "authors": [{"name": author}],
        "items": [
            {
                "id": urls.absolute(sheet_path(sheet.slug)),
                "url": urls.absolute(sheet_path(sheet.slug)),
                "title": sheet.title,
                "summary": sheet.summary,
                "content_text": sheet.summary,
                "date_published": f"{sheet.date.isoformat()}T00:00:00Z",
                "date_modified": f"{(sheet.updated or sheet.date).isoformat()}T00:00:00Z",
                "tags": list(sheet.tags),
            }
            for sheet in site.sheets[:FEED_SIZE]
        ],
    }
