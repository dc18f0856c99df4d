"""One configured Markdown converter for sheet bodies, reset before each document."""

from __future__ import annotations

import markdown
from markdown.extensions.toc import TocExtension, slugify_unicode


class MarkdownRenderer:
    """Converts sheet bodies to HTML with one Python-Markdown instance built once."""

    def __init__(self) -> None:
        """Build the converter: tables, footnotes and friends, Arabic heading ids, sane lists."""
        self._md = markdown.Markdown(
            extensions=["extra", TocExtension(slugify=slugify_unicode), "sane_lists"],
            output_format="html",
        )

    def convert(self, text: str) -> str:
        """Return the HTML of one body; state such as footnotes never leaks from the previous one."""
        self._md.reset()
        return self._md.convert(text)
