"""Dates as Arabic articles write them: month names of every region, day/month/year numbers, Hijri with هـ."""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass

from babel import Locale
from hijridate import Hijri

from .words import fold, key

# One locale per regional set of month names that CLDR knows: يناير (Egypt and the Gulf), كانون الثاني
# (the Levant and Iraq), جانفي (Algeria and Tunisia), and Morocco's and Mauritania's own spellings.
_MONTH_LOCALES = ("ar", "ar_SY", "ar_DZ", "ar_MA", "ar_MR")
_HIJRI_MONTHS = (
    ("محرم", "محرم الحرام"),
    ("صفر",),
    ("ربيع الأول",),
    ("ربيع الآخر", "ربيع الثاني", "ربيع ثاني"),
    ("جمادى الأولى", "جمادى الأول"),
    ("جمادى الآخرة", "جمادى الثانية", "جمادى الآخر", "جمادى الثاني"),
    ("رجب",),
    ("شعبان",),
    ("رمضان",),
    ("شوال",),
    ("ذو القعدة", "ذي القعدة"),
    ("ذو الحجة", "ذي الحجة"),
)
_DIGITS = r"[0-9٠-٩۰-۹]"
_HIJRI_MARK = r"(?:ه(?!\w)|هجريه?(?!\w)|للهجره(?!\w))"
_GREGORIAN_MARK = r"(?:م(?!\w)|ميلاديه?(?!\w)|للميلاد(?!\w))"


@dataclass(frozen=True)
class FoundDate:
    """A date found in a text: the calendar day it names, where it is written, and whether it was Hijri."""

    day: dt.date
    start: int
    end: int
    written: str
    hijri: bool


@functools.lru_cache(maxsize=1)
def month_numbers() -> dict[str, tuple[int, bool]]:
    """Return every folded month name known, Gregorian and Hijri, with its number and whether it is Hijri."""
    months: dict[str, tuple[int, bool]] = {}
    for locale in _MONTH_LOCALES:
        names = Locale.parse(locale).months["format"]["wide"]
        for number in range(1, 13):
            name = key(names[number])
            months[name] = (number, False)
            # «كانون ثاني», «تشرين أول»: the Levant often writes the two-word months without «ال».
            first, _, second = name.partition(" ")
            if second.startswith("ال"):
                months[f"{first} {second[2:]}"] = (number, False)
    for number, spellings in enumerate(_HIJRI_MONTHS, start=1):
        for spelling in spellings:
            months[key(spelling)] = (number, True)
    return months


@functools.lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern, re.Pattern, re.Pattern]:
    """Return the patterns of a date with a month name, of day/month/year numbers, and of year-first numbers."""
    names = sorted(month_numbers(), key=len, reverse=True)
    month = "(?:" + "|".join(re.escape(name).replace(r"\ ", r"\s+") for name in names) + r")(?!\w)"
    # «15 أغسطس 2025», «15 آب/أغسطس 2025», «15 آب (أغسطس) 2025», «21 صفر 1447 هـ», «15 من شهر أغسطس عام 2025م».
    named = re.compile(
        rf"(?<!{_DIGITS})(?P<day>{_DIGITS}{{1,2}})\s*(?:من\s+)?(?:شهر\s+)?(?P<month>{month})"
        rf"(?:\s*[/(]\s*(?P<other>{month})\s*\)?)?\s*[,،]?\s*(?:(?:عام|سنه)\s+)?"
        rf"(?P<year>{_DIGITS}{{4}})(?!{_DIGITS})\s*(?P<mark>{_HIJRI_MARK}|{_GREGORIAN_MARK})?"
    )
    # «15 / 8 / 2025», «15-8-2025», «15.8.2025», «21/2/1447هـ»
    day_first = re.compile(
        rf"(?<![\d/.-])(?P<day>{_DIGITS}{{1,2}})\s*(?P<sep>[/.-])\s*(?P<month>{_DIGITS}{{1,2}})\s*(?P=sep)\s*"
        rf"(?P<year>{_DIGITS}{{4}})(?![\d/.-])\s*(?P<mark>{_HIJRI_MARK}|{_GREGORIAN_MARK})?"
    )
    # «2025-08-15», «1447/2/21 هـ»
    year_first = re.compile(
        rf"(?<![\d/.-])(?P<year>{_DIGITS}{{4}})\s*(?P<sep>[/-])\s*(?P<month>{_DIGITS}{{1,2}})\s*(?P=sep)\s*"
        rf"(?P<day>{_DIGITS}{{1,2}})(?![\d/.-])\s*(?P<mark>{_HIJRI_MARK}|{_GREGORIAN_MARK})?"
    )
    return named, day_first, year_first


def find_dates(text: str) -> list[FoundDate]:
    """Return every real date written in `text`, in the order they appear."""
    folded = fold(text)
    found: list[FoundDate] = []
    taken: list[tuple[int, int]] = []
    named, day_first, year_first = _patterns()
    for pattern in (named, day_first, year_first):
        for match in pattern.finditer(folded.text):
            if any(start < match.end() and match.start() < end for start, end in taken):
                continue
            date = _date_of(match, named_month=pattern is named)
            if date is None:
                continue
            taken.append(match.span())
            start, end = folded.span(*match.span())
            found.append(FoundDate(date[0], start, end, text[start:end].strip(), date[1]))
    return sorted(found, key=lambda date: date.start)


def _date_of(match: re.Match, named_month: bool) -> tuple[dt.date, bool] | None:
    """Return the day a date match names and whether it is Hijri, or None when it names no real day."""
    mark = match["mark"] or ""
    says_hijri, says_gregorian = mark.startswith(("ه", "للهجره")), mark.startswith(("م", "للميلاد"))
    if named_month:
        month, hijri = month_numbers()[re.sub(r"\s+", " ", match["month"])]
        if (hijri and says_gregorian) or (not hijri and says_hijri):
            return None
    else:
        month, hijri = int(match["month"]), says_hijri
    day, year = int(match["day"]), int(match["year"])
    try:
        if hijri:
            return (_gregorian(year, month, day), True) if 1300 <= year <= 1600 else None
        return (dt.date(year, month, day), False) if 1900 <= year <= 2100 else None
    except (ValueError, OverflowError):
        return None


def _gregorian(year: int, month: int, day: int) -> dt.date:
    """Return the Gregorian day of an Umm al-Qura Hijri date."""
    converted = Hijri(year, month, day).to_gregorian()
    return dt.date(converted.year, converted.month, converted.day)
