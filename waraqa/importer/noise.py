"""Lines a copied article carries that are not its text: scraper trailers, photo captions, bylines, date lines."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .dates import find_dates
from .text import Line
from .words import ends_sentence, key, word_count

# News agencies as datelines name them (folded): «واس - عمان», «الرياض (واس) -», «(رويترز)».
AGENCIES = frozenset(
    key(name)
    for name in (
        "واس", "وام", "قنا", "كونا", "بنا", "سانا", "سبأ", "واف", "العمانية", "الأناضول", "رويترز", "أ ف ب",
        "ا ف ب", "أ.ف.ب", "فرانس برس", "فرانس بريس", "أسوشيتد برس", "د ب أ", "شينخوا", "تاس", "سبوتنيك",
        "إرنا", "بترا", "معا", "وفا", "أ ش أ", "لانا", "واج", "وات", "لاماب", "و م ع", "AFP", "Reuters", "AP", "DPA", "Xinhua", "TASS",
    )
)
_STRONG_TRAILERS = tuple(
    key(cue)
    for cue in (
        "رابط الخبر", "رابط مختصر", "الرابط المختصر", "رابط المقال", "رابط دائم", "اقرأ أيضا", "اقرأ كذلك",
        "اقرأ المزيد", "جميع الحقوق محفوظة", "حقوق النشر", "كلمات مفتاحية", "الكلمات المفتاحية",
        "أخبار ذات صلة", "مواضيع ذات صلة", "مقالات ذات صلة", "المزيد من الأخبار", "©",
    )
)
# Words that start a trailer only on a short line: «شارك» also starts real sentences.
_WEAK_TRAILERS = tuple(
    key(cue)
    for cue in ("شارك", "تابعونا", "تابعنا", "للمزيد", "اشترك", "الوسوم", "وسوم", "share", "read more", "tags")
)
_CAPTION_CUES = tuple(key(cue) for cue in ("صورة", "الصورة", "(صورة", "[صورة", "صور:", "تصوير", "عدسة", "📷", "photo"))
_AUTHOR_CUES = tuple(
    key(cue) for cue in ("بقلم", "كتب", "كتبت", "إعداد", "تقرير", "متابعة", "ترجمة", "تحرير", "حوار", "مراسلنا", "by")
)
_SOURCE_CUES = tuple(key(cue) for cue in ("المصدر", "المصادر", "مصدر الخبر", "source"))
_DATE_FILLER = frozenset(
    key(word)
    for word in (
        "نشر", "نُشر", "في", "بتاريخ", "تاريخ", "النشر", "آخر", "تحديث", "التحديث", "الساعة", "يوم", "منذ", "ص", "م",
        "am", "pm", "السبت", "الأحد", "الاثنين", "الإثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة",
        "الموافق", "ل", "published", "updated",
    )
)
_URL = re.compile(r"https?://[^\s<>\"”»]+")
_SEPARATOR = re.compile(r"\s+ـ+\s+|\s*[-–—/|]\s*")
_CREDIT = re.compile(r"[(\[]([^()\[\]]{1,40})[)\]]\s*$")
_QUOTED = re.compile(r"^[«“\"]([^«»“”\"]+)[»”\"]$")
_LEADING_LINES = 6


@dataclass(frozen=True)
class Removed:
    """A line left out of the draft: what kind of line it was, and what it told (a publisher, a link, a date)."""

    line: Line
    kind: str
    publisher: str | None = None
    url: str | None = None


# What each kind of removed line is, for the editor: Arabic, then English.
KINDS = {
    "trailer": ("سطر أضافته صفحة الويب أو أداة النسخ", "a web page or scraper trailer"),
    "caption": ("تعليق صورة", "a photo caption"),
    "byline": ("سطر الوكالة والمدينة", "a byline"),
    "author": ("اسم الكاتب", "an author line"),
    "date": ("سطر التاريخ", "a date line"),
    "source": ("سطر المصدر", "a source line"),
}


def strip_noise(lines: list[Line]) -> tuple[list[Line], list[Removed]]:
    """Return the article's lines without trailers, captions, bylines and date lines, and the lines removed."""
    removed: dict[int, Removed] = {}
    for line in lines:
        found = _trailer(line) or _caption(line, anywhere=True) or _source_line(line)
        if found:
            removed[line.number] = found
    for line in _leading(lines):
        found = _byline(line) or _author(line) or _date_line(line)
        if found and line.number not in removed:
            removed[line.number] = found
    for line in reversed(lines):
        if not line.text or line.number in removed:
            continue
        found = _caption(line, anywhere=False)
        if not found:
            break
        removed[line.number] = found
    kept = [line for line in lines if line.number not in removed]
    return kept, sorted(removed.values(), key=lambda item: item.line.number)


def agency(text: str) -> str | None:
    """Return `text` without its quotes when it names a news agency or a quoted outlet, else None."""
    text = text.strip()
    quoted = _QUOTED.match(text)
    if quoted:
        return quoted.group(1).strip()
    return text if key(text) in AGENCIES else None


def _starts_with(text: str, cues: tuple[str, ...]) -> bool:
    """Tell whether the folded `text` starts with one of `cues` as a whole word."""
    folded = key(text)
    return any(folded.startswith(cue) and not folded[len(cue) : len(cue) + 1].isalpha() for cue in cues)


def _trailer(line: Line) -> Removed | None:
    """Return the removal of a scraper trailer (a link line, «رابط الخبر …», «اقرأ أيضًا …», «شارك»)."""
    if not line.text:
        return None
    url = _URL.search(line.text)
    link = url.group(0).rstrip(".,،") if url else None
    if _URL.fullmatch(line.text.strip("<>")) or _starts_with(line.text, _STRONG_TRAILERS):
        return Removed(line, "trailer", url=link)
    short = word_count(line.text) <= 8 and not ends_sentence(line.text)
    if short and _starts_with(line.text, _WEAK_TRAILERS):
        return Removed(line, "trailer", url=link)
    return None


def _caption(line: Line, anywhere: bool) -> Removed | None:
    """Return the removal of a photo caption: a short line starting «صورة…», or (at the end) one ending in a credit."""
    if not line.text or word_count(line.text) > 20 or ends_sentence(line.text.removesuffix(")")):
        return None
    if line.text.startswith(("📷", "🖼")):
        return Removed(line, "caption")
    if _starts_with(line.text.lstrip("([ "), _CAPTION_CUES):
        # Mid-article, only a marked caption: «(صورة …)», «الصورة: …»; «صورة قاتمة …» may be a heading.
        first = re.split(r"\s", line.text, maxsplit=1)[0]
        if not anywhere or line.text.startswith(("(", "[")) or first.endswith((":", "-")):
            return Removed(line, "caption")
    if anywhere:
        return None
    credit = _CREDIT.search(line.text)
    if credit and (agency(credit.group(1)) or any(cue in key(credit.group(1)) for cue in ("صوره", "ارشيف", "تصوير"))):
        return Removed(line, "caption")
    if key(line.text).endswith(("ارشيفيه", "ارشيف")):
        return Removed(line, "caption")
    return None


def _source_line(line: Line) -> Removed | None:
    """Return the removal of a line naming the article's source («المصدر: فوكس نيوز»)."""
    if not line.text or word_count(line.text) > 10:
        return None
    label, colon, rest = line.text.partition(":")
    if colon and rest.strip() and key(label) in _SOURCE_CUES:
        url = _URL.search(rest)
        publisher = _URL.sub("", rest).strip(" -–،,") or None
        return Removed(line, "source", publisher=publisher, url=url.group(0) if url else None)
    return None


def _leading(lines: list[Line]) -> list[Line]:
    """Return the first few lines, before the first that reads as a paragraph: where bylines and dates sit."""
    leading: list[Line] = []
    for line in lines:
        if not line.text:
            continue
        if len(leading) == _LEADING_LINES or word_count(line.text) > 12 and ends_sentence(line.text):
            break
        leading.append(line)
    return leading


def _byline(line: Line) -> Removed | None:
    """Return the removal of a byline: «واس - عمان», «عمان - واس», «الرياض (واس)», «دبي - «الخليج»»."""
    text = line.text.rstrip(" -–—:ـ")
    if word_count(text) > 6:
        return None
    credit = _CREDIT.search(text)
    if credit and agency(credit.group(1)) and word_count(text[: credit.start()]) <= 3:
        return Removed(line, "byline", publisher=agency(credit.group(1)))
    parts = [part for part in _SEPARATOR.split(text) if part.strip()]
    if len(parts) == 1 and agency(parts[0].strip("()")):
        return Removed(line, "byline", publisher=agency(parts[0].strip("()")))
    if len(parts) == 2:
        for outlet, city in (parts, parts[::-1]):
            if agency(outlet) and word_count(city) <= 3:
                return Removed(line, "byline", publisher=agency(outlet))
    return None


def _author(line: Line) -> Removed | None:
    """Return the removal of an author line: «بقلم: …», «كتب: …», «إعداد …»."""
    if word_count(line.text) <= 8 and not ends_sentence(line.text) and _starts_with(line.text, _AUTHOR_CUES):
        return Removed(line, "author")
    return None


def _date_line(line: Line) -> Removed | None:
    """Return the removal of a line that only dates the article: «نشر في: الجمعة 15 أغسطس 2025 - 10:30 ص»."""
    dates = find_dates(line.text)
    if not dates:
        return None
    rest = line.text
    for date in reversed(dates):
        rest = rest[: date.start] + " " + rest[date.end :]
    rest = re.sub(r"\d{1,2}:\d{2}(?::\d{2})?", " ", rest)
    if all(key(word) in _DATE_FILLER for word in re.findall(r"\w+", rest)):
        return Removed(line, "date")
    return None
