"""Pasted article text made workable: decoded, HTML entities and stray control characters gone, line edges trimmed.

Nothing else changes: tatweel, tashkeel, Latin commas and the invisible direction marks (RLM, LRM, ALM) and
no-break spaces inside a line stay as the editor pasted them.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from ..errors import WaraqaError


class ArticleProblem(WaraqaError):
    """The pasted article cannot be read as text; the message is for the editor, in Arabic and English."""


@dataclass(frozen=True)
class Line:
    """One line of the article: its number in the pasted text (from 1) and its trimmed text ('' when blank)."""

    number: int
    text: str


# C0 and C1 controls other than the tab, DEL, and a BOM in the middle of the text: copy-and-paste debris.
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufeff\ufffe\uffff]")
# Spaces a web page or word processor puts at a line's edges; inside a line they are kept.
_EDGE_SPACE = " \t\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u202f\u205f\u3000"
_INVISIBLE = "\u200e\u200f\u061c"
_ENTITY = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def decode_article(data: bytes) -> str:
    """Return the text of a pasted article: UTF-8 (with or without BOM) or UTF-16 with a BOM; raise ArticleProblem."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    if b"\x00" in data:
        raise ArticleProblem(
            "الملف ليس نصًّا بل ملف ثنائي (صورة أو مستند أو برنامج)؛ انسخ نص المقال إلى ملف نصي "
            "(the file is binary, not text: copy the article's text into a plain-text file)"
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ArticleProblem(
            f"السطر {line}: الملف ليس بترميز UTF-8؛ احفظه بترميز UTF-8 "
            f"(line {line}: the file is not UTF-8 text; save it with the UTF-8 encoding)"
        ) from None
    return text.removeprefix("\ufeff")


def clean_lines(text: str) -> list[Line]:
    """Return the article's lines, numbered as pasted, with entities decoded, debris removed and edges trimmed."""
    return [Line(number, clean_line(raw)) for number, raw in enumerate(text.splitlines(), start=1)]


def clean_line(raw: str) -> str:
    """Return one pasted line with HTML entities decoded, control characters removed and its edges trimmed."""
    line = _ENTITY.sub(lambda match: html.unescape(match.group(0)), raw) if "&" in raw else raw
    line = _CONTROLS.sub("", line).strip(_EDGE_SPACE)
    # A line of nothing but direction marks is blank; marks beside text are the editor's and stay.
    return "" if not line.strip(_EDGE_SPACE + _INVISIBLE) else line


def is_blank(lines: list[Line]) -> bool:
    """Tell whether an article has no text at all."""
    return not any(line.text for line in lines)
