"""Transliterated slugs: «الله» stays one word, and every other slug is what it was."""

from __future__ import annotations

import pytest

from waraqa.names import transliterate


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("عبد الله الثاني", "abdullah-al-thani"),
        ("عبدالله بن زايد", "abdullah-bn-zaid"),
        ("عَبْد اللّه", "abdullah"),
        ("سيف الله", "sif-allah"),
        ("الله", "allah"),
        ("عبد العزيز", "abd-al-aziz"),
    ],
)
def test_allah_is_one_word(name, slug):
    """«عبد الله» is abdullah, as newsrooms write it (King Abdullah), never abd-al-la."""
    assert transliterate(name) == slug


# Every person and side of the sample and golden sites, with the slug it had before «الله» was handled.
UNCHANGED = {
    "ألكسندر نوفاك (Alexander Novak)": "al-ksndr-nufak-alexander-novak",
    "الأمير عبد العزيز بن سلمان": "al-amir-abd-al-aziz-bn-slman",
    "السعودية": "al-saudia",
    "الولايات المتحدة": "al-wlaiat-al-mthda",
    "دونالد ترمب": "dunald-trmb",
    "روسيا": "rusia",
    "ستيف ويتكوف": "stif-witkuf",
    "سيرغي لافروف": "sirghi-lafruf",
    "فلاديمير بوتين": "fladimir-butin",
    "ماركو روبيو": "marku-rubiu",
    "يوري أوشاكوف": "yuri-aushakuf",
}


@pytest.mark.parametrize(("name", "slug"), UNCHANGED.items())
def test_other_slugs_stay_the_same(name, slug):
    """Names without «الله» keep their published addresses."""
    assert transliterate(name) == slug
