"""The site model: which sheets are published, in what order, and at which paths. No I/O."""

from __future__ import annotations

from dataclasses import dataclass

from .config import Config
from .content import Sheet
from .urls import sheet_path


@dataclass(frozen=True)
class SiteInfo:
    """The settings templates show: the site's name, description and locale."""

    title: str
    description: str
    locale: str
    base_url: str
    hijri: bool = False
    numerals: str = "latn"


@dataclass(frozen=True)
class Site:
    """The published sheets, newest first, with the site's settings."""

    info: SiteInfo
    sheets: tuple[Sheet, ...]

    def path_of(self, sheet: Sheet) -> str:
        """Return the site path of a sheet's page."""
        return sheet_path(sheet.slug)


def make_site(config: Config, sheets: list[Sheet]) -> Site:
    """Return the site of `sheets`: drafts left out unless asked for, newest first, ties by slug."""
    published = [sheet for sheet in sheets if config.drafts or not sheet.draft]
    published.sort(key=lambda sheet: sheet.slug)
    published.sort(key=lambda sheet: sheet.date, reverse=True)
    return Site(site_info(config), tuple(published))


def site_info(config: Config) -> SiteInfo:
    """Return the settings that templates show."""
    return SiteInfo(config.title, config.description, config.locale, config.base_url, config.hijri, config.numerals)
