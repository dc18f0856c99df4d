"""Every URL the site links to, made in one place so the site works at a domain root or under a sub-path."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from urllib.parse import quote, urlsplit


@dataclass(frozen=True)
class Urls:
    """Turns site paths ('alaska-summit/', 'static/site.css') into links that carry the base path."""

    base_url: str

    @property
    def base_path(self) -> str:
        """Return the path part of the base URL, always starting and ending with '/'."""
        return urlsplit(self.base_url).path or "/"

    def url(self, site_path: str = "") -> str:
        """Return the root-relative link to `site_path`, so it works from any page depth, 404.html included."""
        return _quoted(self.base_path, site_path)

    def absolute(self, site_path: str = "") -> str:
        """Return the full address of `site_path`, when the base URL names a host; else the root-relative link."""
        parts = urlsplit(self.base_url)
        if parts.scheme and parts.netloc:
            return f"{parts.scheme}://{parts.netloc}{self.url(site_path)}"
        return self.url(site_path)


_PLAIN = re.compile(r"[A-Za-z0-9/#?=&%.~_-]*")


@functools.lru_cache(maxsize=65536)
def _quoted(base_path: str, site_path: str) -> str:
    """Return `base_path` joined to `site_path`, percent-encoded; pages repeat links, so answers are remembered."""
    site_path = site_path.lstrip("/")
    if _PLAIN.fullmatch(site_path):  # ASCII slugs, the usual case, need no quoting
        return base_path + site_path
    return base_path + quote(site_path, safe="/#?=&%.~-_")


def sheet_path(slug: str) -> str:
    """Return the site path of a sheet's page."""
    return f"{slug}/"


def output_file(site_path: str) -> str:
    """Return the file that serves `site_path`: folders are served by their index.html."""
    if site_path == "" or site_path.endswith("/"):
        return site_path + "index.html"
    return site_path
