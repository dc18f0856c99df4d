"""An article's lines read as a sheet's parts: the headline, headings, paragraphs, bullet lists and a details table."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Union

from .text import Line
from .words import ends_sentence, key, word_count

_BULLET = re.compile(r"^[•●▪◦■◆►✓✔]\s*(?P<text>\S.*)$|^[-*–]\s+(?P<dash>\S.*)$")
_NUMBERED = re.compile(r"^(?:\(\s*(?P<paren>[0-9٠-٩]{1,2})\s*\)|(?P<number>[0-9٠-٩]{1,2})\s*[.)\-–])\s+(?P<text>\S.*)$")
_DOUBLE_BULLET = re.compile(r"^[•●▪]{2,}\s*(?P<text>\S.*)$")
# A bullet that starts in the middle of a line: «ومن أبرز النتائج: • بند • بند».
_MID_LINE_BULLET = re.compile(r"(?<=\S)\s+(?=[•●▪]\s*\S)")
_ORDINALS = ("اولا", "ثانيا", "ثالثا", "رابعا", "خامسا", "سادسا", "سابعا", "ثامنا", "تاسعا", "عاشرا", "اخيرا")
_ORDINAL_HEADING = re.compile(rf"^(?:{'|'.join(_ORDINALS)})\s*[:\-–.]")
_HEADER_LABELS = {key(word) for word in ("العنصر", "البند", "المعلومة", "المعلومات", "الموضوع", "المؤشر")}
_HEADER_VALUES = {key(word) for word in ("التفاصيل", "القيمة", "البيان", "الوصف")}
_TABLE_RULE = re.compile(r"^\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?$")
_OUTCOME_WORDS = tuple(
    key(word)
    for word in ("مخرجات", "نتائج", "أبرز", "توصيات", "مقررات", "قرارات", "اتفاق", "تفاهمات", "البيان الختامي",
                 "خلاصة", "حصيلة", "outcome", "result")
)
HEADING_WORDS = 15
ROW_WORDS = 14


@dataclass(frozen=True)
class Heading:
    """A section heading: its line, its text as the body shows it, and what made it one."""

    line: Line
    text: str
    why: str


@dataclass(frozen=True)
class Paragraph:
    """A paragraph: one line of the article, kept word for word."""

    line: Line


@dataclass(frozen=True)
class Item:
    """One bullet of a list: its line and its text without the bullet mark."""

    line: Line
    text: str
    numbered: bool


@dataclass(frozen=True)
class BulletList:
    """Consecutive bullets."""

    items: tuple[Item, ...]

    @property
    def numbered(self) -> bool:
        """Tell whether every item was numbered (1. or ١.)."""
        return all(item.numbered for item in self.items)


@dataclass(frozen=True)
class DetailsTable:
    """A details table whose tab structure may be lost: its header line and its row lines."""

    header: Line
    rows: tuple[Line, ...]


Block = Union[Heading, Paragraph, BulletList, DetailsTable]


@dataclass(frozen=True)
class Outline:
    """The article as parts: the headline (None if the article is empty) and the blocks after it, in order."""

    headline: Line | None
    blocks: tuple[Block, ...]


def outline(lines: list[Line]) -> Outline:
    """Return the outline of an article's lines (noise already removed)."""
    pieces = [piece for line in lines for piece in _split_mid_line_bullets(line)]
    texts = [line for line in pieces if line.text]
    if not texts:
        return Outline(None, ())
    headline, rest = texts[0], texts[1:]
    blocks: list[Block] = []
    index = 0
    while index < len(rest):
        line = rest[index]
        if is_details_header(line.text):
            table, index = _details_table(rest, index)
            blocks.append(table)
            continue
        item = bullet(line)
        if item is not None:
            items = [item]
            while index + 1 < len(rest) and (following := bullet(rest[index + 1])) is not None:
                items.append(following)
                index += 1
            blocks.append(BulletList(tuple(items)))
        else:
            blocks.append(_heading(line, rest[index + 1] if index + 1 < len(rest) else None) or Paragraph(line))
        index += 1
    return Outline(headline, tuple(blocks))


def _split_mid_line_bullets(line: Line) -> list[Line]:
    """Return a line cut before every bullet that starts in its middle; the text before it stays a line."""
    if not _MID_LINE_BULLET.search(line.text) or _DOUBLE_BULLET.match(line.text):
        return [line]
    return [Line(line.number, part) for part in _MID_LINE_BULLET.split(line.text) if part]


def bullet(line: Line) -> Item | None:
    """Return the bullet a line is (•, -, *, –, 1., ١., (1)), or None; «•• …» is a heading, not a bullet."""
    if _DOUBLE_BULLET.match(line.text):
        return None
    plain = _BULLET.match(line.text)
    if plain:
        return Item(line, plain["text"] or plain["dash"], numbered=False)
    numbered = _NUMBERED.match(line.text)
    if numbered:
        return Item(line, numbered["text"], numbered=True)
    return None


def _heading(line: Line, following: Line | None) -> Heading | None:
    """Return the heading `line` is, judged by its shape and the line after it, or None for a paragraph."""
    text = line.text
    double = _DOUBLE_BULLET.match(text)
    if double:
        return Heading(line, double["text"].rstrip(" :："), "double-bullet")
    if _ORDINAL_HEADING.match(key(text)):
        return Heading(line, text, "ordinal")
    if word_count(text) > HEADING_WORDS or len(text) > 150:
        return None
    if text.endswith((":", "：")) and following is not None and bullet(following) is not None:
        return Heading(line, text.rstrip(" :："), "colon")
    if ends_sentence(text) or text.endswith(("،", ",", "؛", ";", ":", "：")):
        return None
    if following is not None and bullet(following) is not None:
        return Heading(line, text, "before-list")
    if following is not None and _reads_as_paragraph(following) and word_count(following.text) > word_count(text):
        return Heading(line, text, "short")
    return None


def _reads_as_paragraph(line: Line) -> bool:
    """Tell whether a line is running text: not a bullet or a table, and a sentence or a long line."""
    if bullet(line) is not None or is_details_header(line.text) or _DOUBLE_BULLET.match(line.text):
        return False
    return ends_sentence(line.text) or word_count(line.text) > HEADING_WORDS


def is_details_header(text: str) -> bool:
    """Tell whether a line heads a details table: «العنصر التفاصيل», «البند | القيمة», «المعلومة: التفاصيل»."""
    parts = key(re.sub(r"[\t|:]+", " ", text)).split()
    return len(parts) == 2 and parts[0] in _HEADER_LABELS and parts[1] in _HEADER_VALUES


def _details_table(lines: list[Line], start: int) -> tuple[DetailsTable, int]:
    """Return the details table whose header is lines[start], and the index of the first line after it."""
    rows: list[Line] = []
    index = start + 1
    while index < len(lines):
        line = lines[index]
        if _TABLE_RULE.match(line.text):
            index += 1
            continue
        following = lines[index + 1] if index + 1 < len(lines) else None
        if not _reads_as_row(line) or (_heading(line, following) is not None and rows and _has_gap(lines, index)):
            break
        rows.append(line)
        index += 1
    return DetailsTable(lines[start], tuple(rows)), index


def _reads_as_row(line: Line) -> bool:
    """Tell whether a line can be a details row: two words or more, short, not a sentence or a bullet."""
    count = word_count(line.text)
    # Two words at least, also when cut at spaces alone: a row is split between words.
    two = len(line.text.split()) >= 2
    return two and 2 <= count <= ROW_WORDS and not ends_sentence(line.text) and bullet(line) is None


def _has_gap(lines: list[Line], index: int) -> bool:
    """Tell whether a blank line came before lines[index] in the article (the line numbers skip one)."""
    return index > 0 and lines[index].number - lines[index - 1].number > 1


def about_outcomes(heading: Heading) -> bool:
    """Tell whether a heading announces outcomes (مخرجات, نتائج, أبرز ما اتفق عليه, …)."""
    folded = key(heading.text)
    return any(word in folded for word in _OUTCOME_WORDS)
