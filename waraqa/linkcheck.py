"""Check that every internal link of the built site lands on a file, and every #fragment on an id of that page.

It reads the HTML that was written, so it guards the templates and the Markdown alike. Regular
expressions instead of a full HTML parser keep it fast enough to run on every build of a big site;
attribute values are always quoted in what Waraqa and Python-Markdown write.
"""

from __future__ import annotations

import functools
import html
import posixpath
import re
from collections.abc import Container, Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from .errors import Problem

from .records import pickled_by_fields
from .sharing import one_copy
from .urls import Urls

# Links and ids in one pass over the page: each pass costs about 0.1 ms on a sheet page.
_ATTRIBUTE = re.compile(r"""\s(href|src|srcset|id)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_NOT_RELATIVE = ("/", "#", "http:", "https:", "mailto:", "data:", "tel:")
# Links and ids inside code samples are text. Scripts need no stripping: _ATTRIBUTE wants an attribute, and JSON-LD's "url" values are not attributes.
_CODE = re.compile(r"<(pre|code|template)\b.*?</\1>", re.S)


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class PageLinks:
    """The internal links of one page (as site paths, with fragments) and the ids it offers, each without repeats.

    Tuples, not sets: the build state of a big site keeps 27,000 of these, and loading it with frozensets
    inside took five times as long (every string hashed again).
    """

    links: tuple[tuple[str, str], ...]
    ids: tuple[str, ...]


def page_links(site_file: str, text: str, urls: Urls) -> PageLinks:
    """Return the internal links and ids of one written page; external links are not collected."""
    body = _CODE.sub("", text) if "<pre" in text or "<code" in text or "<template" in text else text
    page_folder = posixpath.dirname(site_file)
    found: set[tuple[str, str]] = set()
    ids: set[str] = set()
    # Tuples of strings rather than match objects, each attribute once: pages repeat their navigation.
    for name, double_quoted, single_quoted in set(_ATTRIBUTE.findall(body)):
        value = double_quoted or single_quoted
        value = html.unescape(value) if "&" in value else value
        if name == "id":
            ids.add(one_copy(value))  # outside code; ids inside it are gathered below
            continue
        candidates = [part.strip().split(" ")[0] for part in value.split(",")] if name == "srcset" else [value]
        for candidate in candidates:
            candidate = candidate.strip()
            # Only relative links depend on the page's folder; the rest share one remembered answer.
            folder = "" if candidate.startswith(_NOT_RELATIVE) else page_folder
            target = _site_target(folder, candidate, urls)
            if target is not None:
                # A bare #fragment points into the page itself.
                found.add(one_copy(target if target[0] or not candidate.startswith("#") else (site_file, target[1])))
    if body is not text:
        # A code sample's own element (a <pre id> or a <template id>) is still a target on the page.
        ids.update(html.unescape(double or single) for name, double, single in _ATTRIBUTE.findall(text) if name == "id")
    return PageLinks(tuple(found), tuple(ids))


@functools.lru_cache(maxsize=65536)
def _site_target(folder: str, link: str, urls: Urls) -> tuple[str, str] | None:
    """Return (site path, fragment) of a link on a page in `folder`, or None for external, mail and data links.

    Pages share most of their links (the stylesheet, the navigation), so answers are remembered.
    """
    if not link:
        return None
    parts = urlsplit(link)
    if parts.scheme or parts.netloc:
        base = urlsplit(urls.base_url)
        if parts.scheme not in ("http", "https") or parts.netloc != base.netloc or not base.netloc:
            return None
    path = unquote(parts.path)
    if not path:
        return None if not parts.fragment else ("", unquote(parts.fragment))
    if path.startswith("/"):
        if not (path + ("/" if not path.endswith("/") else "")).startswith(urls.base_path) and path != urls.base_path.rstrip("/"):
            return "/" + path.lstrip("/"), unquote(parts.fragment)  # outside the base path: never a file of ours
        relative = path[len(urls.base_path) :] if path.startswith(urls.base_path) else ""
    else:
        relative = posixpath.normpath(posixpath.join(folder, path))
        relative = "" if relative == "." else relative + ("/" if path.endswith("/") else "")
    return relative, unquote(parts.fragment)


def broken_links(pages: Mapping[str, PageLinks], files: Container[str], only: Iterable[str] | None = None) -> list[Problem]:
    """Return one problem per broken link: a target that is not a file, or a fragment that is not an id there.

    `pages` holds the links and ids of every page; `only` names the pages whose links are checked (default: all).
    """
    problems = []
    for site_file in sorted(pages if only is None else only):
        for target, fragment in sorted(pages[site_file].links):
            resolved = _file_for(target, files)
            shown = f"{target}#{fragment}" if fragment else target
            if resolved is None:
                problems.append(Problem(site_file, 0, "", f"broken link to {shown or '/'}: no such file in the site"))
            elif fragment and resolved in pages and fragment not in pages[resolved].ids:
                problems.append(Problem(site_file, 0, "", f"broken link to {shown}: no element with id {fragment!r} there"))
    return problems


def _file_for(target: str, files: Container[str]) -> str | None:
    """Return the file a site path is served from (a folder by its index.html), or None."""
    if target.startswith("/"):
        return None
    for candidate in (target, f"{target}index.html" if target.endswith("/") or not target else f"{target}/index.html"):
        if candidate in files:
            return candidate
    return None
