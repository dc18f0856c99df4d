"""Arabic count phrases through CLDR's plural rules, and the pages that show them."""

from __future__ import annotations

import re

import pytest

from tests.sitekit import build, make_site
from waraqa.counts import FORMS, count_phrase


@pytest.mark.parametrize(
    ("number", "phrase"),
    [
        (0, "لا أوراق"),
        (1, "ورقة واحدة"),
        (2, "ورقتان"),
        (3, "3 أوراق"),
        (10, "10 أوراق"),
        (11, "11 ورقة"),
        (99, "99 ورقة"),
        (100, "100 ورقة"),
        (102, "102 ورقة"),
        (103, "103 أوراق"),
        (111, "111 ورقة"),
    ],
)
def test_sheet_counts(number, phrase):
    """One, two, 3-10 and 11-99 each take the form Arabic grammar asks for."""
    assert count_phrase(number, "sheet") == phrase


def test_counts_follow_the_site_numerals():
    """With numerals = arab the digits are Arabic-Indic; one and two have no digit at all."""
    assert count_phrase(3, "result", "arab") == "٣ نتائج"
    assert count_phrase(2, "result", "arab") == "نتيجتان"


def test_every_noun_has_every_form():
    """Each counted noun has the six CLDR forms of Arabic, and a number in each that shows one."""
    for noun, forms in FORMS.items():
        assert sorted(forms) == ["few", "many", "one", "other", "two", "zero"], noun
        assert all("{n}" in forms[form] for form in ("few", "many", "other")), noun


SHEET = """---
title: ورقة {n}
date: 2025-01-0{n}
summary: ملخص.
tags: [{tags}]
delegations:
  - side: روسيا
    country: RU
    members:
      - name: سيرغي لافروف
        role: وزير الخارجية
---

نص.
"""


def test_index_and_tag_pages_count_in_words(tmp_path):
    """The tags, people and sides indexes and a tag's page say «ورقتان», «3 أوراق», «ورقة واحدة»."""
    sheets = {f"s{n}.md": SHEET.format(n=n, tags="روسيا" + (", قمة" if n < 3 else "")) for n in (1, 2, 3)}
    root = make_site(tmp_path, sheets)
    assert build(root) == 0
    read = lambda path: (root / "output" / path).read_text(encoding="utf-8")  # noqa: E731
    tags = read("tags/index.html")
    assert re.search(r'>روسيا</a> <span class="count">\(3 أوراق\)</span>', tags)
    assert re.search(r'>قمة</a> <span class="count">\(ورقتان\)</span>', tags)
    assert '<span class="count">(3 أوراق)</span>' in read("people/index.html")
    assert '<span class="count">(3 أوراق)</span>' in read("sides/index.html")
    assert '<p class="lede">3 أوراق</p>' in read("tags/rusia/index.html")
