"""Arabic text compared as names are (waraqa.names.name_key), with a map back to the text as written."""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

from ..names import name_key

# Punctuation that ends a sentence, Arabic and Latin; a closing quote or bracket may follow it.
SENTENCE_END = ".!?؟…"
_SENTENCE_BREAK = re.compile(r"(?P<word>\w*)(?P<stop>[.!?؟…]+)[\"'”»)\]]*(?=\s|$)")
WORD = re.compile(r"[^\s\"'“”«»()\[\]{}.,،:;؛!?؟…|/\\*•●▪–—-]+")


@dataclass(frozen=True)
class Folded:
    """A text folded for comparison, and for every folded character the index of the character it came from."""

    text: str
    origin: tuple[int, ...]
    source: str

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Return the span of the original text that the folded, non-empty span [start, end) came from.

        Tatweel and tashkeel right after the span belong to its last letter (هـ), so they are in it.
        """
        last = self.origin[end - 1] + 1
        while last < len(self.source) and not _fold_char(self.source[last]):
            last += 1
        return self.origin[start], last


@functools.lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    """Return one character folded as names are compared; tashkeel and tatweel fold to nothing."""
    if char.isspace():
        return " "
    return name_key(unicodedata.normalize("NFKC", char)) if char not in "()[]" else char


def fold(text: str) -> Folded:
    """Return `text` folded character by character (no tashkeel or tatweel, one alef, casefolded), with its map."""
    chars: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        folded = _fold_char(char)
        chars.append(folded)
        origin.extend([index] * len(folded))
    return Folded("".join(chars), tuple(origin), text)


def key(text: str) -> str:
    """Return the comparison key of a phrase: folded, spaces collapsed."""
    return name_key(text)


def words(text: str) -> list[str]:
    """Return the words of `text`, punctuation left out."""
    return WORD.findall(text)


def word_count(text: str) -> int:
    """Return how many words `text` has."""
    return len(words(text))


def ends_sentence(text: str) -> bool:
    """Tell whether `text` ends with a full stop, question or exclamation mark (a closing quote may follow)."""
    return bool(re.search(r"[.!?؟…][\"'”»)\]]*$", text))


def sentences(text: str) -> list[str]:
    """Return the sentences of a paragraph as written, each with its final punctuation."""
    parts = []
    start = 0
    for match in _SENTENCE_BREAK.finditer(text):
        # «رسميًا.. انتهاء» pauses rather than ends; «د. محمد» abbreviates a title.
        if match["stop"] == ".." or (match["stop"] == "." and len(match["word"]) == 1):
            continue
        parts.append(text[start : match.end()].strip())
        start = match.end()
    rest = text[start:].strip()
    if rest:
        parts.append(rest)
    return [part for part in parts if part]
