"""The site's one bidi rule: which parts of an Arabic text are laid out left to right, exactly as typed.

The Unicode bidi algorithm lays out an Arabic sentence right to left and gives neutral characters (spaces,
dots, commas, dashes, `+`) the direction of what surrounds them. Between two Latin words in an Arabic
sentence that goes wrong: `U.S.–Russia` came out as «Russia–.U.S», `OPEC+` as «+OPEC», `2025-08-15` as
«15-08-2025». So each *unit* below is isolated as one left-to-right piece, and everything else keeps
flowing right to left:

- a Latin phrase: Latin words with the spaces, punctuation and digits between them and the symbols at its
  end (`Fox News, CNN`, `U.S.–Russia`, `iPhone 16 Pro`, `OPEC+`, `C++`, `G7/G20`), never the sentence's
  own punctuation after it;
- a number written with signs that the algorithm would reorder (`3.5%`, `2025-08-15`, `5+1`, `-4`,
  `$100`, `+966 11 234 5678`); a plain number (`2022`, `3.5`, `10:30`) needs nothing;
- a URL, a bare domain (`www.secb.gov.sa`, `example.org/x`) or an e-mail address, always left to right.

A text with no right-to-left letter at all is left to right as a whole. A text that merely starts with a
Latin word is still an Arabic sentence: its base direction stays right to left.

`isolate_html` writes the rule as `<bdi>` elements (template fields; `BidiExtension` does the same for
sheet bodies); `isolate_text` writes it as Unicode isolates (LRI … PDI) for text that cannot hold markup:
`<title>`, meta descriptions, feeds, share texts. Marks the editor typed (RLM, LRM) are kept as they are.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

from markdown import Markdown
from markdown.extensions import Extension
from markdown.extensions.attr_list import AttrListTreeprocessor
from markdown.inlinepatterns import InlineProcessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString
from markupsafe import Markup, escape

# Written as escapes, not characters, so the expressions can also be handed to the browser (search.js).
LATIN_LETTERS = r"A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff"
_LETTER = rf"[{LATIN_LETTERS}]"
_IN_WORD = rf"[{LATIN_LETTERS}\u0300-\u036f0-9]"  # combining accents: decomposed «é» stays one word
_DIGIT = r"[0-9\u0660-\u0669\u06f0-\u06f9]"
# Right-to-left letters (Hebrew, Arabic and its supplements, Syriac, Thaana, N'Ko, presentation forms) and
# the marks that make text right to left (RLM, RLE, RLO, RLI). Arabic digits and punctuation are not letters.
RTL = r"[\u0590-\u05ff\u0608\u060b\u060d\u061b-\u064a\u066d-\u066f\u0671-\u06d5\u06e5\u06e6\u06ee\u06ef\u06fa-\u08ff\ufb1d-\ufdff\ufe70-\ufefe\u200f\u202b\u202e\u2067]"

# Between the words of one phrase: spaces, and the punctuation names and lists use (AT&T, O'Brien, Fox News,
# CNN, U.S.–Russia, G7/G20, Jean-Noël). Arabic punctuation («،» «؛») always ends a phrase.
_JOINER = r"[ \u00a0.,:'\u2019&+/\-\u2010-\u2015]+"
# A phrase stops before an address, which is a unit of its own (and always dir="ltr").
_ADDRESS_AHEAD = r"(?:https?|ftp)://|www\.|[A-Za-z0-9._%+\-]+@"
# What a phrase keeps at its end: symbols (OPEC+, C++, C#, 5%), and the dot of an abbreviation (U.S., Inc.),
# never a sentence's full stop.
_ABBREVIATIONS = ("Inc", "Ltd", "Co", "Corp", "Jr", "Sr", "Bros", "etc")
_TAIL = (
    r"(?:[+#%\u00b0\u2122\u00ae\u00a9]+|(?<=\." + _LETTER + r")\.|(?:"
    + "|".join(rf"(?<=\b{word})" for word in _ABBREVIATIONS)
    + r")\.)?"
)
_PHRASE = rf"[0-9]*{_LETTER}{_IN_WORD}*(?:{_JOINER}(?!{_ADDRESS_AHEAD})(?:[0-9]*{_LETTER}{_IN_WORD}*|[0-9]+))*{_TAIL}"

# A number, and the signs that make the algorithm reorder its parts: + - – × = between numbers, a sign or a
# currency before, a percent, per mille, degree or currency after. A plain number is left alone.
_NUMBER_PART = rf"{_DIGIT}+(?:[.,:/\u066b\u066c]{_DIGIT}+)*"
_OPERATOR = r" ?[\-\u2010-\u2015\u2212+\u00d7=] ?"
_BEFORE = rf"(?:[$\u20ac\u00a3\u00a5]|[+\-\u2212](?={_DIGIT}))"
_AFTER = r"(?:[%\u066a\u2030$\u20ac\u00a3\u00a5]|\u00b0[CF]?)"
_NUMBER = (
    rf"\+{_DIGIT}+(?: {_DIGIT}+)+"  # a telephone number: +966 11 234 5678
    rf"|{_BEFORE}{_NUMBER_PART}(?:{_OPERATOR}{_NUMBER_PART})*{_AFTER}?"
    rf"|{_NUMBER_PART}(?:{_OPERATOR}{_NUMBER_PART})+{_AFTER}?"
    rf"|{_NUMBER_PART}{_AFTER}"
)

# The end of an address never takes the sentence punctuation that follows it.
_ADDRESS_END = r"[^\s<>\x02\x03.,;:!?)\]'\"\u00bb\u060c\u061b\u061f]"
_URL = rf"(?:https?|ftp)://[^\s<>\x02\x03]*{_ADDRESS_END}"
_EMAIL = r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+"
# A bare domain ends in a lower-case top-level name, so «U.S.Army» or «Fox.News» stay ordinary Latin phrases.
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?"
_DOMAIN = rf"(?:{_LABEL}\.)+[a-z]{{2,}}(?![A-Za-z0-9\-])(?:/[^\s<>\x02\x03]*{_ADDRESS_END})?"

# A unit never starts inside a word or a number, nor inside Python-Markdown's placeholders (STX "klzzwxh:0" ETX).
_START = rf"(?<![{LATIN_LETTERS}0-9\u0660-\u0669\u06f0-\u06f9_@.,:/\-'\u2019\x02])"
UNITS = rf"{_START}(?:(?P<url>{_URL})|(?P<email>{_EMAIL})|(?P<domain>{_DOMAIN})|(?P<number>{_NUMBER})|(?P<latin>{_PHRASE}))"
# What every unit needs somewhere in a text: a Latin letter, an @, or a digit beside a sign. A text without
# it has nothing to isolate (waraqa.fastinline skips the pattern on such texts, isolate_html returns early).
UNIT_TRIGGER = (
    rf"[{LATIN_LETTERS}@]|{_DIGIT} ?[\-\u2010-\u2015\u2212+\u00d7=%\u066a\u2030$\u20ac\u00a3\u00a5\u00b0]"
    rf"|[$\u20ac\u00a3\u00a5+\-\u2212]{_DIGIT}"
)

_UNITS = re.compile(UNITS)
_TRIGGER = re.compile(UNIT_TRIGGER)
_RTL = re.compile(RTL)
_ANY_LATIN = re.compile(_LETTER)
LRI, PDI, RLM = "\u2066", "\u2069", "\u200f"


def is_left_to_right(text: str) -> bool:
    """Tell whether `text` is Latin as a whole: it has a Latin letter and no right-to-left letter or mark."""
    return _ANY_LATIN.search(text) is not None and _RTL.search(text) is None


def isolate_html(text: str) -> Markup:
    """Return `text` escaped, each unit in `<bdi>` (`dir="ltr"` for numbers and addresses); all-Latin text in one.

    A plain `<bdi>` always holds Latin words (its first letter makes it left to right), so the theme can
    give Latin phrases their own font, digits included; numbers and addresses get `dir="ltr"`.
    """
    if not _TRIGGER.search(text):
        return escape(text)
    if is_left_to_right(text):
        whole = _UNITS.fullmatch(text)
        opening = '<bdi dir="ltr">' if whole is not None and whole.lastgroup != "latin" else "<bdi>"
        return Markup(f"{opening}{escape(text)}</bdi>")
    pieces: list[str] = []
    done = 0
    for match in _UNITS.finditer(text):
        opening = "<bdi>" if match.lastgroup == "latin" else '<bdi dir="ltr">'
        pieces += (escape(text[done : match.start()]), opening, escape(match.group()), "</bdi>")
        done = match.end()
    pieces.append(escape(text[done:]))
    return Markup("".join(pieces))


def isolate_text(text: str) -> str:
    """Return `text` for places that cannot hold markup, each unit between LRI and PDI (U+2066, U+2069).

    An Arabic text that starts with a Latin word also gets an RLM in front, for readers that decide a
    text's direction by its first letter without knowing isolates. All-Latin text is returned as it is.
    """
    if not _TRIGGER.search(text) or is_left_to_right(text):
        return text
    isolated = _UNITS.sub(lambda match: LRI + match.group() + PDI, text)
    first = re.search(rf"{_LETTER}|{RTL}", text)
    if first is not None and _ANY_LATIN.match(first.group()):
        isolated = RLM + isolated
    return isolated


def browser_rule() -> dict[str, str]:
    """Return the rule's expressions in JavaScript's syntax, for scripts that isolate text in the browser."""
    return {"units": UNITS.replace("(?P<", "(?<"), "trigger": UNIT_TRIGGER, "rtl": RTL, "latin": _LETTER}


# An attribute list (`## Title {: #section }`), where attr_list looks for one: at the end of a text, or at
# the start of the text after an element. Its Latin ids and classes must stay plain text for it to read.
_ATTRIBUTE_LISTS = re.compile(rf"{AttrListTreeprocessor.BASE_RE}[ ]*$|^{AttrListTreeprocessor.BASE_RE}")


class UnitProcessor(InlineProcessor):
    """Wraps each unit of a body's text in `<bdi>`; numbers, URLs, domains and e-mail addresses in `<bdi dir="ltr">`."""

    # InlineProcessor's own signature; the stubs check it against the older Pattern's, which differs.
    def handleMatch(  # type: ignore[override]
        self, m: re.Match[str], data: str
    ) -> tuple[etree.Element | None, int | None, int | None]:
        """Return the isolating element for one unit; nothing for a unit inside an attribute list."""
        if "{" in data and any(span.start() <= m.start(0) < span.end() for span in _ATTRIBUTE_LISTS.finditer(data)):
            return None, None, None
        element = etree.Element("bdi")
        if m.lastgroup != "latin":
            element.set("dir", "ltr")
        element.text = AtomicString(m.group(0))
        return element, m.start(0), m.end(0)


# Blocks whose text a reader takes as one paragraph; one with no right-to-left letter is left to right.
_TEXT_BLOCKS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "td", "th", "dt", "dd", "caption", "figcaption"})
_BLOCKS = _TEXT_BLOCKS | {"ul", "ol", "dl", "div", "table", "blockquote", "pre", "hr", "thead", "tbody", "tr"}
_CODE = frozenset({"pre", "code", "kbd", "samp"})


class LeftToRightTreeprocessor(Treeprocessor):
    """Marks code and autolinked addresses dir="ltr", and isolates each all-Latin paragraph as one `<bdi>`."""

    def run(self, root: etree.Element) -> None:
        """Set dir="ltr" on code and autolinks without a direction; wrap each all-Latin text block in one `<bdi>`."""
        for element in root.iter():
            if "dir" in element.attrib:
                continue
            if element.tag in _CODE:
                element.set("dir", "ltr")
            elif element.tag == "a" and isinstance(element.text, AtomicString) and len(element) == 0:
                # Only <https://...> and <name@host> autolinks get their address as atomic link text.
                element.set("dir", "ltr")
        for block in [e for e in root.iter() if e.tag in _TEXT_BLOCKS and "dir" not in e.attrib]:
            if not any(child.tag in _BLOCKS for child in block) and is_left_to_right(_prose(block)):
                _wrap_left_to_right(block)


def _prose(element: etree.Element) -> str:
    """Return the text of `element` outside code, which is left to right already."""
    parts = [element.text or ""]
    for child in element:
        if child.tag not in _CODE:
            parts.append(_prose(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _wrap_left_to_right(block: etree.Element) -> None:
    """Move the content of `block` into one `<bdi>`, dropping the phrases' own `<bdi>` inside it."""
    wrapper = etree.Element("bdi")
    wrapper.text, block.text = block.text, None
    for child in list(block):
        block.remove(child)
        wrapper.append(child)
    _unwrap_phrases(wrapper)
    block.append(wrapper)


def _unwrap_phrases(parent: etree.Element) -> None:
    """Replace every attribute-less `<bdi>` under `parent` by its text: inside a Latin block it adds nothing."""
    for child in list(parent):
        _unwrap_phrases(child)
    index = 0
    while index < len(parent):
        child = parent[index]
        if child.tag != "bdi" or child.attrib or len(child):
            index += 1
            continue
        text = (child.text or "") + (child.tail or "")
        if index == 0:
            parent.text = (parent.text or "") + text
        else:
            parent[index - 1].tail = (parent[index - 1].tail or "") + text
        parent.remove(child)


class BidiExtension(Extension):
    """Isolate units in Arabic sentences; keep code, URLs and e-mail left to right; all-Latin blocks too."""

    def extendMarkdown(self, md: Markdown) -> None:
        """Register the inline pattern after every built-in one, and the tree pass after attr_list."""
        # Priority 5 runs after emphasis (50), so the pattern sees only the plain text left between elements.
        md.inlinePatterns.register(UnitProcessor(UNITS, md), "latin_run", 5)
        # After attr_list (8), which must still find `{: #id }` as text, and before toc (5).
        md.treeprocessors.register(LeftToRightTreeprocessor(md), "left_to_right", 6)


def makeExtension(**kwargs) -> BidiExtension:  # noqa: N802 - the name Python-Markdown looks up
    """Return the extension, so `markdown.Markdown(extensions=["waraqa.bidi"])` works."""
    return BidiExtension(**kwargs)
