"""A Markdown extension that isolates Latin-script runs in Arabic text and keeps code, URLs and e-mail left to right.

Without isolation a phrase like «بحسب Fox News (الأمريكية)» is laid out by the Unicode bidi algorithm
with the Latin words pulling neighbouring punctuation and numbers into their left-to-right run, so the
parenthesis and the words around it come out in the wrong order. `<bdi>` gives each Latin run its own
direction without touching the sentence around it.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

from markdown import Markdown
from markdown.extensions import Extension
from markdown.extensions.attr_list import AttrListTreeprocessor
from markdown.inlinepatterns import InlineProcessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import STX, AtomicString

# The Latin letters a run is made of (also the trigger waraqa.fastinline uses to skip texts without any).
LATIN_LETTERS = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff"
# Inside one run: Latin words and numbers joined by a space or by punctuation names use (F-35, AT&T, O'Brien).
_RUN = rf"[{LATIN_LETTERS}][{LATIN_LETTERS}0-9]*(?:[ .'’&+/\-]+[{LATIN_LETTERS}0-9]+)*"
# The end of a URL never takes the sentence punctuation that follows it.
_URL = r"(?:https?|ftp)://[^\s<>\x02\x03]*[^\s<>\x02\x03.,;:!?)\]'\"»،؛؟]"
_EMAIL = r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+"
# A run never starts inside a word or inside Python-Markdown's placeholders (STX "klzzwxh:0" ETX).
LATIN_RUN = rf"(?<![{LATIN_LETTERS}0-9_@.\-{STX}])(?:(?P<url>{_URL})|(?P<email>{_EMAIL})|(?P<run>{_RUN}))"


# An attribute list (`## Title {: #section }`), where attr_list looks for one: at the end of a text, or at
# the start of the text after an element. Its Latin ids and classes must stay plain text for it to read.
_ATTRIBUTE_LISTS = re.compile(rf"{AttrListTreeprocessor.BASE_RE}[ ]*$|^{AttrListTreeprocessor.BASE_RE}")


class LatinRunProcessor(InlineProcessor):
    """Wraps each run of Latin script in `<bdi>`; URLs and e-mail addresses in `<bdi dir="ltr">`."""

    def handleMatch(self, m: re.Match[str], data: str) -> tuple[etree.Element | None, int | None, int | None]:
        """Return the isolating element for one matched run; nothing for a run inside an attribute list."""
        if "{" in data and any(span.start() <= m.start(0) < span.end() for span in _ATTRIBUTE_LISTS.finditer(data)):
            return None, None, None
        element = etree.Element("bdi")
        if m.group("url") or m.group("email"):
            element.set("dir", "ltr")
        element.text = AtomicString(m.group(0))
        return element, m.start(0), m.end(0)


class LeftToRightTreeprocessor(Treeprocessor):
    """Marks code blocks, code spans and autolinked addresses dir="ltr", which also isolates them."""

    def run(self, root: etree.Element) -> None:
        """Set dir="ltr" on every pre, code and autolink that has no direction of its own."""
        for element in root.iter():
            if "dir" in element.attrib:
                continue
            if element.tag in ("pre", "code", "kbd", "samp"):
                element.set("dir", "ltr")
            elif element.tag == "a" and isinstance(element.text, AtomicString) and len(element) == 0:
                # Only <https://...> and <name@host> autolinks get their address as atomic link text.
                element.set("dir", "ltr")


class BidiExtension(Extension):
    """Isolate Latin runs in Arabic sentences; keep code, URLs and e-mail left to right."""

    def extendMarkdown(self, md: Markdown) -> None:
        """Register the inline pattern after every built-in one, and the tree pass after inline processing."""
        # Priority 5 runs after emphasis (50), so the pattern sees only the plain text left between elements.
        md.inlinePatterns.register(LatinRunProcessor(LATIN_RUN, md), "latin_run", 5)
        md.treeprocessors.register(LeftToRightTreeprocessor(md), "left_to_right", 15)


def makeExtension(**kwargs) -> BidiExtension:  # noqa: N802 - the name Python-Markdown looks up
    """Return the extension, so `markdown.Markdown(extensions=["waraqa.bidi"])` works."""
    return BidiExtension(**kwargs)
