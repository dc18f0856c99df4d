"""One configured Markdown converter for sheet bodies, reset before each document."""

from __future__ import annotations

import markdown
from markdown.extensions import Extension
from markdown.extensions.extra import ExtraExtension
from markdown.extensions.toc import TocExtension, slugify_unicode

from .bidi import BidiExtension
from .fastinline import FastInlineExtension


def extensions() -> list[Extension | str]:
    """Return the extensions sheets use: Markdown Extra, Arabic heading ids, sane lists, bidi isolation."""
    return [
        # Footnote back-links are read by screen readers; their title is Arabic like the page.
        ExtraExtension(footnotes={"BACKLINK_TITLE": "العودة إلى الحاشية %d في النص"}),
        TocExtension(slugify=slugify_unicode),
        "sane_lists",
        BidiExtension(),
        # Last: it narrows the inline patterns every other extension registered.
        FastInlineExtension(),
    ]


class MarkdownRenderer:
    """Converts sheet bodies to HTML with one Python-Markdown instance built once."""

    def __init__(self) -> None:
        """Build the converter once for every body this process converts."""
        self.extensions = extensions()
        self._md = markdown.Markdown(extensions=self.extensions, output_format="html")

    def convert(self, text: str) -> str:
        """Return the HTML of one body; state such as footnotes never leaks from the previous one."""
        self._md.reset()
        return self._md.convert(text)
