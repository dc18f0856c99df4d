"""Details rows whose tab was lost in the copy («مدة القمة 3 ساعات»), split into label and value."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from .dates import find_dates
from .model import DetailRow, Note
from .outline import DetailsTable
from .text import Line
from .words import key

# Words that open a label and take the next words as their complement: مدة القمة, موقع القمة, عدد الوفود.
LABEL_HEADS = frozenset(
    key(word)
    for word in (
        "مدة", "موقع", "مكان", "عدد", "تاريخ", "موعد", "مقر", "نوع", "حجم", "قيمة", "مستوى", "طبيعة", "اسم",
        "جهة", "سبب", "هدف", "أهداف", "نتيجة", "نتائج", "أبرز", "رئيس", "وقت", "يوم", "عنوان", "حصيلة", "نسبة",
    )
)
PLACE_WORDS = frozenset(
    key(word) for word in ("ولاية", "مدينة", "العاصمة", "محافظة", "إمارة", "جزيرة", "منطقة", "قاعدة", "قصر", "فندق")
)
# Label words that announce a number (the label runs up to it), a date, or a place (the label is two words).
_NUMBER_HEADS = frozenset(key(word) for word in ("مدة", "عدد", "حجم", "قيمة", "نسبة", "حصيلة"))
_DATE_HEADS = frozenset(key(word) for word in ("تاريخ", "موعد", "يوم", "وقت"))
PLACE_HEADS = frozenset(key(word) for word in ("موقع", "مكان", "مقر"))
_MAX_LABEL_WORDS = 5


def split_rows(table: DetailsTable, known_labels: Iterable[str]) -> list[DetailRow]:
    """Return the details rows of a table, each split into label and value, guessed splits carrying a note."""
    labels = {key(label): label for label in known_labels}
    return [row for line in table.rows if (row := split_row(line, labels)) is not None]


def split_row(line: Line, known: dict[str, str]) -> DetailRow | None:
    """Return one row split at its tab, bar or colon, at a label the site knows, or by the words' shapes."""
    text = line.text
    explicit = _explicit_split(text)
    if explicit is not None:
        return DetailRow(*explicit)
    words = text.split()
    known_split = _known_label(words, known)
    if known_split is not None:
        label, value = known_split
        return DetailRow(label, value)
    label_words, why = _shaped_label(words)
    label, value = " ".join(words[:label_words]), " ".join(words[label_words:])
    clue = _value_clue(value)
    return DetailRow(
        label,
        value,
        Note(
            f"السطر {line.number}: فصلتُ التسمية عن القيمة تخمينًا: {why[0]}{clue[0]}",
            f"line {line.number}: label and value split by guess: {why[1]}{clue[1]}",
        ),
    )


def _explicit_split(text: str) -> tuple[str, str] | None:
    """Return the label and value of a row that kept its tab, a table bar or a colon."""
    if "\t" in text:
        label, _, value = text.partition("\t")
        return (label.strip(), value.strip()) if label.strip() and value.strip() else None
    if "|" in text:
        cells = [cell.strip() for cell in text.strip().strip("|").split("|")]
        if len(cells) >= 2 and cells[0] and cells[1]:
            return cells[0], " | ".join(cells[1:])
    # A colon between digits is a time (10:30), not the end of a label.
    parts = re.split(r"(?<![0-9٠-٩])[:：]|[:：](?![0-9٠-٩])", text, maxsplit=1)
    if len(parts) == 2 and parts[0].strip() and parts[1].strip() and len(parts[0].split()) <= _MAX_LABEL_WORDS:
        return parts[0].strip(), parts[1].strip()
    return None


def _known_label(words: list[str], known: dict[str, str]) -> tuple[str, str] | None:
    """Return the site's spelling of the longest known label the row starts with, and the rest as the value."""
    for count in range(min(len(words) - 1, _MAX_LABEL_WORDS), 0, -1):
        label = known.get(key(" ".join(words[:count])))
        if label is not None:
            return label, " ".join(words[count:])
    return None


def _shaped_label(words: list[str]) -> tuple[int, tuple[str, str]]:
    """Return how many words open the row as its label, and why (in Arabic and English).

    A label is a label word and its complement (مدة القمة), running up to the number or date that such a
    word announces (عدد الدول المشاركة 12); or a definite noun and its adjectives (الموضوع الرئيسي).
    """
    head = key(words[0])
    if head in _NUMBER_HEADS and (at := _first(words, lambda word: bool(re.match(r"[0-9٠-٩]", word)))):
        count, why = at, (f"«{words[0]}» كلمة تسمية", f"«{words[0]}» is a label word")
    elif head in _DATE_HEADS and (at := _date_start(words)):
        count, why = at, (f"«{words[0]}» كلمة تسمية", f"«{words[0]}» is a label word")
    elif not head.startswith("ال"):
        count = 1 + _definite_run(words, 1, limit=1)
        if head not in PLACE_HEADS:
            count += _adjectives(words, count)
        why = (f"«{words[0]}» كلمة تسمية", f"«{words[0]}» is a label word") if head in LABEL_HEADS else (
            "التسمية كلمة ومضافها", "the label is a word and its complement")
    else:
        count = 1 + _adjectives(words, 1)
        why = ("التسمية اسم معرّف بأل وصفته", "the label is a noun with al- and its adjective") if count > 1 else (
            "التسمية اسم معرّف بأل", "the label is a noun with al-")
    if count >= len(words) or count > _MAX_LABEL_WORDS:
        count = min(2, len(words) - 1)
        why = ("التسمية أول كلمتين", "the label is the first two words")
    return max(count, 1), why


def _first(words: list[str], test: Callable[[str], bool]) -> int:
    """Return the index of the first word after the first that passes `test`, or 0 when none does."""
    return next((index for index in range(1, len(words)) if test(words[index])), 0)


def _date_start(words: list[str]) -> int:
    """Return the index of the word where the first date of the row starts, or 0 when it has none."""
    for index in range(1, len(words)):
        dates = find_dates(" ".join(words[index:]))
        if dates and dates[0].start == 0:
            return index
    return 0


def _definite_run(words: list[str], start: int, limit: int = _MAX_LABEL_WORDS) -> int:
    """Return how many words from `start` on (at most `limit`) carry the definite article al-."""
    count = 0
    while start + count < len(words) and key(words[start + count]).startswith("ال") and count < limit:
        count += 1
    return count


def _adjectives(words: list[str], start: int) -> int:
    """Return how many words from `start` on look like adjectives: الرئيسي, التقديرية (nisba), المشاركة (participle)."""
    count = 0
    while start + count < len(words) and count < 2:
        folded = key(words[start + count])
        if not (folded.startswith("ال") and (folded.endswith(("ي", "يه")) or (folded.startswith("الم") and len(folded) >= 7))):
            break
        count += 1
    return count


def _value_clue(value: str) -> tuple[str, str]:
    """Return what the value's shape says (a number, a date, a place), as a clause in Arabic and English."""
    if find_dates(value):
        return "، والقيمة تاريخ", ", the value a date"
    if re.match(r"[0-9٠-٩]", value):
        return "، والقيمة عدد", ", the value a number"
    if value and key(value.split()[0]) in PLACE_WORDS:
        return "، والقيمة مكان", ", the value a place"
    return "", ""
