"""Python-Markdown's inline pass, trying on each text only the patterns whose trigger characters it contains.

Python-Markdown runs every inline pattern's regular expression over every text; an Arabic paragraph
with no `*`, `[`, `<` or backtick in it cannot match most of them, yet pays for all of them. That pass
is about half of a cold build. A pattern is skipped only when the text lacks every character its
expression needs, so the output is the same byte for byte; patterns this module does not know are
always tried.
"""

from __future__ import annotations

import re
from typing import cast

from markdown import Markdown
from markdown.extensions import Extension
from markdown.treeprocessors import InlineProcessor
from markdown.util import AtomicString, Registry

from .bidi import UNIT_TRIGGER

# What each built-in pattern's expression cannot match without (markdown/inlinepatterns.py).
KNOWN_TRIGGERS: dict[str, re.Pattern[str]] = {
    name: re.compile(trigger)
    for name, trigger in {
        "backtick": r"`",
        "escape": r"\\",
        "footnote": r"\[",
        "reference": r"\[",
        "link": r"\[",
        "image_link": r"!\[",
        "image_reference": r"!\[",
        "short_reference": r"\[",
        "short_image_ref": r"!\[",
        "autolink": r"<",
        "automail": r"<",
        "linebreak": r"  \n",
        "html": r"<",
        "entity": r"&",
        "em_strong": r"[*_]",
        "em_strong2": r"_",
        "not_strong": r"[*_]",
        "strong_em": r"[*_]",
        "latin_run": UNIT_TRIGGER,
    }.items()
}


class FilteringInlineProcessor(InlineProcessor):
    """The inline pass, with the pattern list narrowed per top-level text to the ones that can match."""

    def run(self, tree, ancestors=None):
        """Run the pass over a document, knowing every pattern the extensions registered."""
        self._every = self.md.inlinePatterns
        self._named = [(item.name, self._every[item.name]) for item in _sorted(self._every)]
        return super().run(tree, ancestors)

    # Overrides a private method of Python-Markdown 3.11's InlineProcessor (pyproject.toml pins the minor version).
    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:  # noqa: N802 - overrides
        """Process `data` with the patterns it can match; nested texts reuse the narrowed list they came from."""
        handle = super()._InlineProcessor__handleInline  # type: ignore[misc]  # private, see above
        if self.inlinePatterns is not self._every or isinstance(data, AtomicString):
            return handle(data, patternIndex)
        # Nested texts are parts of this one: a pattern that cannot match here cannot match in them.
        narrowed = [
            pattern for name, pattern in self._named if name not in KNOWN_TRIGGERS or KNOWN_TRIGGERS[name].search(data)
        ]
        if not narrowed:
            return data
        # A list in place of the registry: indexing and len() are all the pass uses.
        self.inlinePatterns = cast(Registry, narrowed)
        try:
            return handle(data, patternIndex)
        finally:
            self.inlinePatterns = self._every


def _sorted(registry: Registry) -> list:
    """Return a registry's items in priority order, as the inline pass walks them."""
    list(registry)  # iterating sorts the registry
    return list(registry._priority)  # type: ignore[attr-defined]  # private, pinned with Python-Markdown


class FastInlineExtension(Extension):
    """Replace the inline pass with the filtering one; register it after every other extension."""

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - Python-Markdown's name
        """Swap the 'inline' tree processor, keeping its priority."""
        priority = next(item.priority for item in _sorted(md.treeprocessors) if item.name == "inline")
        md.treeprocessors.register(FilteringInlineProcessor(md), "inline", priority)
