"""Arabic count phrases («ورقة واحدة», «ورقتان», «3 أوراق», «11 ورقة») chosen by CLDR's plural rules for Arabic.

Arabic counts in six forms: zero, one (the noun and «واحدة» after it), two (the dual, no digit), few (3-10:
a plural), many (11-99: a singular) and other (100, 1000, ...: a singular). Babel knows which number takes
which form; the forms of each noun the site counts are below, `{n}` standing for the number.
"""

from __future__ import annotations

from babel import Locale

from . import dates

FORMS: dict[str, dict[str, str]] = {
    "sheet": {
        "zero": "لا أوراق",
        "one": "ورقة واحدة",
        "two": "ورقتان",
        "few": "{n} أوراق",
        "many": "{n} ورقة",
        "other": "{n} ورقة",
    },
    "result": {
        "zero": "لا نتائج",
        "one": "نتيجة واحدة",
        "two": "نتيجتان",
        "few": "{n} نتائج",
        "many": "{n} نتيجة",
        "other": "{n} نتيجة",
    },
    "person": {
        "zero": "لا أحد",
        "one": "شخص واحد",
        "two": "شخصان",
        "few": "{n} أشخاص",
        "many": "{n} شخصًا",
        "other": "{n} شخص",
    },
}

_ARABIC = Locale("ar")


def plural_form(number: int) -> str:
    """Return the CLDR plural category of `number` in Arabic: zero, one, two, few, many or other."""
    return _ARABIC.plural_form(number)


def count_phrase(number: int, noun: str, numerals: str = "latn") -> str:
    """Return `number` of `noun` (a key of FORMS) in Arabic, its digits in the site's numerals."""
    form = FORMS[noun][plural_form(number)]
    return form.replace("{n}", dates.digits(str(number), numerals))
