"""Dates in article text (waraqa/importer/dates.py) and the draft's date: source text -> date and its mark."""

from __future__ import annotations

import datetime as dt

import pytest

from waraqa.importer.dates import find_dates

from tests.importkit import TODAY, drafted

AUGUST_15 = dt.date(2025, 8, 15)


@pytest.mark.parametrize(
    "text, written",
    [
        ("عقدت القمة في 15 أغسطس 2025 بحضور", "15 أغسطس 2025"),  # Egypt and the Gulf
        ("عقدت القمة في 15 اغسطس 2025", "15 اغسطس 2025"),
        ("الجمعة 15 آب 2025", "15 آب 2025"),  # the Levant and Iraq
        ("الجمعة 15 آب/أغسطس 2025", "15 آب/أغسطس 2025"),
        ("الجمعة 15 آب (أغسطس) 2025", "15 آب (أغسطس) 2025"),
        ("يوم 15 أوت 2025", "15 أوت 2025"),  # Algeria and Tunisia
        ("يوم 15 غشت 2025", "15 غشت 2025"),  # Morocco
        ("في 15 أغسـطس 2025م", "15 أغسـطس 2025م"),  # tatweel, and م for the Gregorian year
        ("في ١٥ أغسطس ٢٠٢٥", "١٥ أغسطس ٢٠٢٥"),
        ("في 15 من شهر أغسطس عام 2025", "15 من شهر أغسطس عام 2025"),
        ("نشر في 15 / 8 / 2025", "15 / 8 / 2025"),
        ("نشر في 15-8-2025", "15-8-2025"),
        ("نشر في 15.8.2025", "15.8.2025"),
        ("نشر في 2025-08-15", "2025-08-15"),
        ("الموافق 21 صفر 1447 هـ", "21 صفر 1447 هـ"),  # Hijri
        ("الموافق 21 صفر 1447هـ", "21 صفر 1447هـ"),
        ("الموافق 1447/2/21 هـ", "1447/2/21 هـ"),
        ("الموافق 21/2/1447هـ", "21/2/1447هـ"),
    ],
)
def test_a_date_is_found_as_any_region_writes_it(text, written):
    """Every regional set of month names, numbers with / - ., Arabic-Indic digits, Hijri with هـ: 15 August 2025."""
    found = find_dates(text)
    assert [(date.day, date.written) for date in found] == [(AUGUST_15, written)]
    assert found[0].hijri == ("هـ" in text)


@pytest.mark.parametrize(
    "text, day",
    [
        ("في 3 كانون الثاني 2025", dt.date(2025, 1, 3)),
        ("في 3 كانون ثاني 2025", dt.date(2025, 1, 3)),
        ("في 3 جانفي 2025", dt.date(2025, 1, 3)),
        ("في 3 يناير 2025", dt.date(2025, 1, 3)),
        ("في 1 تشرين الأول 2024", dt.date(2024, 10, 1)),
        ("في 10 ذي الحجة 1446 هـ", dt.date(2025, 6, 6)),
    ],
)
def test_the_month_is_the_right_one_in_every_set(text, day):
    """كانون الثاني, جانفي and يناير are all January; ذي الحجة is the Hijri twelfth month."""
    assert [date.day for date in find_dates(text)] == [day]


@pytest.mark.parametrize(
    "text",
    ["بدأت الحرب في 2022، وما زالت", "30 فبراير 2025", "15 أغسطس 1447 هـ", "21 صفر 2025م", "3.5 / 2 2025", "15 أغسطس"],
)
def test_what_is_not_a_real_date_is_not_found(text):
    """A year alone, an impossible day, a month of the wrong calendar, a day without a year: no date."""
    assert find_dates(text) == []


P1 = "انطلقت القمة صباح اليوم في العاصمة بحضور وفود من عشر دول، وتستمر يومين من المحادثات المغلقة."


def test_the_draft_date_is_the_date_line_then_the_first_date_then_today():
    """The date line wins and leaves the body; else the text's first date; else today, always marked."""
    draft = drafted(f"عنوان\nالسبت 16 أغسطس 2025\n{P1} وكانت الجولة الأولى في 1 يوليو 2025.\n")
    assert draft.front["date"] == dt.date(2025, 8, 16)
    assert "date: 2025-08-16  # راجع: من «16 أغسطس 2025» في السطر 2 (from «16 أغسطس 2025» on line 2)" in draft.text
    assert draft.body == f"{P1} وكانت الجولة الأولى في 1 يوليو 2025.\n"
    assert drafted(f"عنوان\n{P1} وكانت الجولة الأولى في 1 يوليو 2025.\n").front["date"] == dt.date(2025, 7, 1)
    undated = drafted(f"عنوان\n{P1}\n")
    assert undated.front["date"] == TODAY
    assert "  # راجع: لا تاريخ في النص، فوضعت تاريخ اليوم (no date in the text: today's date)" in undated.text
