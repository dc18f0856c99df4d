"""Sides as articles name them: nationality adjectives (الروسي, الأمريكية) and the countries they stand for."""

from __future__ import annotations

import functools

from babel import Locale

from .words import key

# The masculine singular nisba of each country often in the news; الروسي, الروسية, الروس all reach it.
_NISBA = {
    "روسي": "RU", "امريكي": "US", "اميركي": "US", "اوكراني": "UA", "صيني": "CN", "فرنسي": "FR", "بريطاني": "GB",
    "الماني": "DE", "ايطالي": "IT", "اسباني": "ES", "تركي": "TR", "ايراني": "IR", "هندي": "IN", "باكستاني": "PK",
    "ياباني": "JP", "كندي": "CA", "برازيلي": "BR", "سعودي": "SA", "اماراتي": "AE", "قطري": "QA", "كويتي": "KW",
    "بحريني": "BH", "عماني": "OM", "يمني": "YE", "عراقي": "IQ", "سوري": "SY", "لبناني": "LB", "اردني": "JO",
    "فلسطيني": "PS", "اسرائيلي": "IL", "مصري": "EG", "ليبي": "LY", "تونسي": "TN", "جزائري": "DZ", "مغربي": "MA",
    "موريتاني": "MR", "سوداني": "SD", "صومالي": "SO", "اثيوبي": "ET", "افغاني": "AF", "بيلاروسي": "BY",
    "بولندي": "PL", "هولندي": "NL", "بلجيكي": "BE", "سويسري": "CH", "نرويجي": "NO", "سويدي": "SE",
    "استرالي": "AU", "مكسيكي": "MX", "ارجنتيني": "AR", "فنزويلي": "VE", "كوبي": "CU", "اندونيسي": "ID",
    "ماليزي": "MY", "جنوب افريقي": "ZA", "نيجيري": "NG", "كيني": "KE", "اذربيجاني": "AZ", "ارميني": "AM",
    "جورجي": "GE", "كازاخي": "KZ", "يوناني": "GR", "قبرصي": "CY",
}
_NATIONALITIES = {key(nisba): code for nisba, code in _NISBA.items()}
# Prefixes a nisba can carry: the article and the conjunctions and prepositions joined to it.
_PREFIXES = ("وال", "فال", "بال", "لل", "ال", "و", "ف")
# Endings of the nisba: feminine, plural, dual; «الروس» drops the ي altogether.
_SUFFIXES = ("يين", "يون", "يان", "يه", "ي")


def nationality(word: str) -> str | None:
    """Return the ISO country code a nationality adjective stands for (الروسي, الأمريكية, الروس), or None."""
    folded = key(word)
    for prefix in ("", *_PREFIXES):
        if not folded.startswith(prefix):
            continue
        stem = folded[len(prefix) :]
        for suffix in _SUFFIXES:
            if stem.endswith(suffix) and len(stem) > len(suffix) + 1:
                code = _NATIONALITIES.get(stem[: -len(suffix)] + "ي")
                if code:
                    return code
        code = _NATIONALITIES.get(stem + "ي")
        if code and prefix:
            return code
    return None


@functools.lru_cache(maxsize=256)
def country_name(code: str) -> str:
    """Return the Arabic name CLDR gives a country (روسيا, الولايات المتحدة)."""
    return Locale.parse("ar").territories.get(code, code)


def side_name(code: str, known_sides: dict[str, str]) -> str:
    """Return the name the site already uses for a country's side, else the country's Arabic name."""
    return known_sides.get(code) or country_name(code)
