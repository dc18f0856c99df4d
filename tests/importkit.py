"""Importing in tests: an article's text in, the draft's front matter (as data), body and file text out."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import yaml

from waraqa.importer.draft import draft_article
from waraqa.importer.knowledge import Knowledge
from waraqa.importer.sheet_text import sheet_text

TODAY = dt.date(2026, 1, 2)


@dataclass(frozen=True)
class Drafted:
    """What importing one text gave: the front matter as YAML reads it, the body, and the whole file."""

    front: dict
    body: str
    text: str


def drafted(article: str, knowledge: Knowledge | None = None) -> Drafted:
    """Return the draft of `article` as a sheet file would hold it."""
    text = sheet_text(draft_article(article, knowledge or Knowledge(), TODAY), "article.txt")
    _, front, body = text.split("---\n", 2)
    return Drafted(yaml.safe_load(front), body.removeprefix("\n"), text)
