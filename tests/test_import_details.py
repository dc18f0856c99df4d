"""The details table (waraqa/importer/outline.py finds it, details.py splits its rows): source text -> draft."""

from __future__ import annotations

import pytest

from waraqa.importer.details import split_row
from waraqa.importer.knowledge import Knowledge
from waraqa.importer.text import Line

from tests.importkit import drafted

P1 = "انطلقت القمة صباح اليوم في العاصمة بحضور وفود من عشر دول، وتستمر يومين من المحادثات المغلقة."


@pytest.mark.parametrize(
    "row, label, value",
    [
        ("مدة القمة 3 ساعات", "مدة القمة", "3 ساعات"),
        ("موقع القمة ولاية ألاسكا – الولايات المتحدة الأمريكية", "موقع القمة", "ولاية ألاسكا – الولايات المتحدة الأمريكية"),
        ("مكان القمة السراي الحكومي – بيروت", "مكان القمة", "السراي الحكومي – بيروت"),
        ("الوفود المشاركة 3 مسؤولين روس و3 أمريكيين", "الوفود المشاركة", "3 مسؤولين روس و3 أمريكيين"),
        ("الموضوع الرئيسي إنهاء الحرب الروسية الأوكرانية", "الموضوع الرئيسي", "إنهاء الحرب الروسية الأوكرانية"),
        ("الجهة المنظمة الأمم المتحدة", "الجهة المنظمة", "الأمم المتحدة"),
        ("عدد الدول المشاركة 12 دولة", "عدد الدول المشاركة", "12 دولة"),
        ("عدد المشاركين من الوفود 40", "عدد المشاركين من الوفود", "40"),
        ("تاريخ الانعقاد 15 أغسطس 2025", "تاريخ الانعقاد", "15 أغسطس 2025"),
        ("موعد الجولة المقبلة 1 أيلول 2025", "موعد الجولة المقبلة", "1 أيلول 2025"),
        ("رئيس الوفد وزير الخارجية", "رئيس الوفد", "وزير الخارجية"),
    ],
)
def test_a_row_without_its_tab_is_split_by_the_shape_of_its_words_and_marked(row, label, value):
    """Label words (مدة, موقع, عدد, تاريخ), definite nouns and their adjectives, the value's number or date."""
    split = split_row(Line(9, row), {})
    assert (split.label, split.value) == (label, value)
    assert split.guess is not None and split.guess.en.startswith("line 9: label and value split by guess")


@pytest.mark.parametrize(
    "row, label, value",
    [
        ("مدة القمة\t3 ساعات", "مدة القمة", "3 ساعات"),
        ("| المدة | 3 ساعات |", "المدة", "3 ساعات"),
        ("المكان: جدة", "المكان", "جدة"),
        ("الموعد 10:30 صباحًا", "الموعد", "10:30 صباحًا"),  # a time's colon is not a separator
    ],
)
def test_a_row_that_kept_a_tab_bar_or_colon_is_split_there_without_a_guess(row, label, value):
    """The separator the copy kept is the split; a time's colon is not one."""
    split = split_row(Line(1, row), {})
    assert (split.label, split.value) == (label, value)
    assert (split.guess is None) == (row != "الموعد 10:30 صباحًا")


def test_a_label_the_site_already_uses_is_split_on_and_spelled_as_the_site_spells_it():
    """«مده القمه» on the site: the row «مدة القمـة 3 ساعات» splits after it, no guess."""
    split = split_row(Line(1, "مدة القمـة 3 ساعات"), {"مده القمه": "مدة القمة"})
    assert (split.label, split.value, split.guess) == ("مدة القمة", "3 ساعات", None)
    knowing = drafted(f"عنوان\n{P1}\nالعنصر التفاصيل\nالطرف الراعي الاتحاد الأوروبي\n",
                      Knowledge(labels=("الطرف الراعي",)))
    assert knowing.front["details"] == {"الطرف الراعي": "الاتحاد الأوروبي"}
    assert "# راجع" not in next(line for line in knowing.text.splitlines() if line.startswith("  الطرف الراعي"))


@pytest.mark.parametrize("header", ["العنصر التفاصيل", "البند القيمة", "المعلومة التفاصيل", "العنصر\tالتفاصيل",
                                    "| البند | القيمة |", "العنـصر  التفاصيل"])
def test_a_details_table_starts_at_its_header_line(header):
    """The header line in any of its spellings opens the table; it and its rows leave the body."""
    draft = drafted(f"عنوان\n{P1}\n{header}\nمدة القمة 3 ساعات\nعدد الوفود 4 وفود\n")
    assert draft.front["details"] == {"مدة القمة": "3 ساعات", "عدد الوفود": "4 وفود"}
    assert draft.body == P1 + "\n"


def test_the_table_ends_where_the_article_goes_on():
    """Rows stop at a sentence, a bullet or a heading after a blank line; what follows stays in the body."""
    draft = drafted(f"عنوان\n{P1}\n\nالعنصر التفاصيل\nمدة القمة 3 ساعات\n\nالخلفية\n{P1}\n")
    assert draft.front["details"] == {"مدة القمة": "3 ساعات"}
    assert draft.body == f"{P1}\n\n## الخلفية\n\n{P1}\n"


def test_rows_sharing_a_label_are_written_as_a_list():
    """Two rows with one label would be a duplicate key: the draft uses the {label, value} list form."""
    draft = drafted(f"عنوان\n{P1}\nالبند القيمة\nالمكان: جدة\nالمكان: الرياض\n")
    assert draft.front["details"] == [{"label": "المكان", "value": "جدة"}, {"label": "المكان", "value": "الرياض"}]
