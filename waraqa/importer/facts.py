"""Facts an article states in passing: the site's tags it mentions, the place, and the outlets it cites."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from .details import PLACE_WORDS
from .knowledge import Knowledge
from .model import DetailRow, Guessed, Note, SourceGuess
from .noise import Removed, agency
from .text import Line
from .words import fold, key

_PLACE_LABELS = tuple(key(word) for word in ("موقع", "مكان", "مقر", "الموقع", "المكان", "المقر", "مكان الانعقاد"))
_QUOTE = r"[“«\"]([^“”«»\"]{2,60})[”»\"]"
_OUTLET = r"(?:صحيفة|صحيفه|وكالة|وكاله|قناة|قناه|موقع|شبكة|شبكه|مجلة|مجله|إذاعة|اذاعه)"
_CITING = re.compile(
    r"(?<!\w)[وف]?(?:ب?حسب|وفق[\u064b-\u065f]*\s*ا?\s*لـ?|نقل[\u064b-\u065f]*ا?\s+عن|ذكرت|أفادت|قالت|أوردت|نشرت|أشارت)"
    rf"\s+(?:{_OUTLET}\s+)?{_QUOTE}"
)
_NAMED_OUTLET = re.compile(rf"(?<!\w){_OUTLET}\s+{_QUOTE}")
_CREDIT = re.compile(r"\(([^()]{1,30})\)")
# «في مدينة جدة», «بولاية ألاسكا»: the cue and the one word of the name after it.
_PLACE_PHRASE = re.compile(r"(?<!\w)(?:في|ب)\s*(?P<cue>\w+)\s+(?P<name>[^\s،,.:;؛()]+)")


def tags_in(lines: list[Line], knowledge: Knowledge) -> tuple[tuple[str, ...], Note | None]:
    """Return the site's existing tags that the article mentions, in the order it first mentions them."""
    text = "\n".join(line.text for line in lines)
    folded = fold(text).text
    found = []
    for tag in knowledge.tags:
        pattern = rf"(?<!\w)(?:[وبلفك]|ال)?{re.escape(key(tag))}(?!\w)"
        match = re.search(pattern, folded)
        if match:
            found.append((match.start(), tag))
    tags = tuple(tag for _, tag in sorted(found))
    if not tags:
        return (), None
    return tags, Note("وسوم الموقع الموجودة في النص", "the site's tags that the text mentions")


def place_of(details: tuple[DetailRow, ...], lines: list[Line]) -> Guessed | None:
    """Return the place: from a details row such as «موقع القمة», else from «في مدينة …», «في ولاية …»."""
    for row in details:
        if key(row.label).startswith(_PLACE_LABELS):
            return Guessed(row.value, Note(f"من صف التفاصيل «{row.label}»", f"from the details row «{row.label}»"))
    for line in lines:
        for match in _PLACE_PHRASE.finditer(line.text):
            if key(match["cue"]) in PLACE_WORDS:
                phrase = f"{match['cue']} {match['name']}"
                return Guessed(phrase, Note(f"من «{match.group(0)}» في السطر {line.number}",
                                            f"from «{match.group(0)}» on line {line.number}"))
    return None


def sources_of(lines: list[Line], removed: list[Removed], knowledge: Knowledge) -> tuple[SourceGuess, ...]:
    """Return the outlets the article cites or came from: «بحسب “فوكس نيوز”», bylines, «المصدر:», link lines."""
    found: dict[str, SourceGuess] = {}

    def add(publisher: str, url: str | None, note: Note) -> None:
        """Keep the first source of each publisher, in the site's spelling when the site knows it."""
        publisher = _known_publisher(publisher, knowledge) or publisher.strip()
        found.setdefault(key(publisher), SourceGuess(publisher, url, note))

    for item in removed:
        if item.publisher:
            add(item.publisher, item.url, Note(f"من السطر {item.line.number}: «{item.line.text}»",
                                               f"from line {item.line.number}"))
    for line in lines:
        for pattern in (_CITING, _NAMED_OUTLET):
            for match in pattern.finditer(line.text):
                add(match.group(1), None, Note(f"من «{match.group(0)}» في السطر {line.number}",
                                               f"from «{match.group(0)}» on line {line.number}"))
        for match in _CREDIT.finditer(line.text):
            outlet = agency(match.group(1))
            if outlet:
                add(outlet, None, Note(f"من «{match.group(0)}» في السطر {line.number}",
                                       f"from «{match.group(0)}» on line {line.number}"))
    for item in removed:
        if item.url and not item.publisher:
            host = urlsplit(item.url).hostname or item.url
            publisher = host.removeprefix("www.")
            if not any(source.url == item.url for source in found.values()):
                add(publisher, item.url, Note(f"الرابط من السطر {item.line.number}؛ سمِّ الناشر",
                                              f"link from line {item.line.number}; name the publisher"))
    return tuple(found.values())


def _known_publisher(name: str, knowledge: Knowledge) -> str | None:
    """Return the site's spelling of a publisher: «فوكس نيوز» is «فوكس نيوز (Fox News)» on a site that has it."""
    wanted = key(name)
    for publisher in knowledge.publishers:
        main, _, other = publisher.partition("(")
        if wanted in (key(publisher), key(main), key(other.rstrip(")"))):
            return publisher
    return None
