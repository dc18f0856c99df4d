"""Dates as Arabic readers write them: CLDR month names per regional locale, optional Hijri, chosen numerals."""

from __future__ import annotations

import datetime as dt
import functools

from babel.dates import format_date
from hijridate import Gregorian

_ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
NUMERALS = ("latn", "arab")


def digits(text: str, numerals: str) -> str:
    """Return `text` with its digits written in `numerals` ('latn' 0-9 or 'arab' ٠-٩)."""
    return text.translate(_ARABIC_INDIC) if numerals == "arab" else text


@functools.lru_cache(maxsize=1 << 14)
def gregorian(day: dt.date, locale: str, numerals: str) -> str:
    """Return `day` as day, month name, year in the locale's Arabic month names (يناير, كانون الثاني, جانفي)."""
    return digits(format_date(day, "d MMMM y", locale=locale), numerals)


@functools.lru_cache(maxsize=1 << 14)
def hijri(day: dt.date, numerals: str) -> str:
    """Return `day` in the Umm al-Qura calendar, e.g. 21 صفر 1447 هـ."""
    date = Gregorian(day.year, day.month, day.day).to_hijri()
    return digits(f"{date.day} {date.month_name('ar')} {date.year} {date.notation('ar')}", numerals)
