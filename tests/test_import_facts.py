"""Tags, place and sources (waraqa/importer/facts.py), and the draft file itself (sheet_text.py)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from waraqa.content import load_sheet
from waraqa.errors import Severity
from waraqa.importer.knowledge import Knowledge
from waraqa.importer.model import Delegation, DetailRow, Draft, Guessed, Member, Note, SourceGuess
from waraqa.importer.sheet_text import sheet_text

from tests.importkit import drafted

P1 = "انطلقت القمة صباح اليوم في العاصمة بحضور وفود من عشر دول، وتستمر يومين من المحادثات المغلقة."


def test_tags_are_the_site_s_tags_the_text_mentions_in_the_order_it_mentions_them():
    """«وأوكرانيا» and «الأوكرانية»? Only the tag's own spelling, with a joined و/ب/ل; tags the text lacks stay out."""
    site = Knowledge(tags=("روسيا", "أوكرانيا", "الصين", "قمة ألاسكا"))
    draft = drafted(f"قمة ألاسكـا\nبحثت القمة الحرب بين روسيا وأوكرانيا. {P1}\n", site)
    assert draft.front["tags"] == ["قمة ألاسكا", "روسيا", "أوكرانيا"]
    assert "tags:  # راجع: وسوم الموقع الموجودة في النص" in draft.text
    assert "tags" not in drafted(f"عنوان\n{P1}\n").front


@pytest.mark.parametrize(
    "article, place",
    [
        (f"عنوان\n{P1}\nالعنصر التفاصيل\nموقع القمة قصر الضيافة – جدة\n", "قصر الضيافة – جدة"),
        (f"عنوان\nعقد الاجتماع في مدينة جدة بحضور الوزراء. {P1}\n", "مدينة جدة"),
        (f"عنوان\nانطلقت القمة في ولاية ألاسكا الأمريكية اليوم. {P1}\n", "ولاية ألاسكا"),
    ],
)
def test_the_place_comes_from_a_details_row_or_a_place_phrase(article, place):
    """«موقع …»/«مكان …» rows first, then «في مدينة …», «في ولاية …», marked with where it came from."""
    draft = drafted(article)
    assert draft.front["place"] == place
    assert f'place: "{place}"  # راجع: من' in draft.text


@pytest.mark.parametrize(
    "sentence, publisher",
    [
        ("بحسب “فوكس نيوز” الأمريكية، انتهت القمة.", "فوكس نيوز"),
        ("وبحسب «رويترز» فإن الخطة تمتد خمس سنوات.", "رويترز"),
        ("ذكرت صحيفة «الشرق الأوسط» أن القمة انتهت.", "الشرق الأوسط"),
        ("نقلًا عن وكالة “تاس” فإن الوفد وصل.", "تاس"),
        ("الرياض (واس) - انتهت القمة.", "واس"),
    ],
)
def test_sources_are_the_outlets_the_article_cites(sentence, publisher):
    """A quoted outlet after بحسب, ذكرت, نقلًا عن; a dateline's agency in brackets."""
    draft = drafted(f"عنوان\n{sentence} {P1}\n")
    assert draft.front["sources"] == [{"publisher": publisher}]


def test_a_known_publisher_is_spelled_as_the_site_spells_it_and_a_link_line_is_a_source():
    """«فوكس نيوز» is «فوكس نيوز (Fox News)» on a site that has it; «رابط الخبر URL» gives a source to name."""
    site = Knowledge(publishers=("فوكس نيوز (Fox News)",))
    draft = drafted(f"عنوان\nبحسب “فوكس نيوز” انتهت القمة. {P1}\nرابط الخبر https://www.example.org/a?id=1\n", site)
    assert draft.front["sources"] == [
        {"publisher": "فوكس نيوز (Fox News)"},
        {"publisher": "example.org", "url": "https://www.example.org/a?id=1"},
    ]
    assert "  - publisher: example.org  # راجع: الرابط من السطر 3؛ سمِّ الناشر (link from line 3; name the publisher)" in draft.text


@pytest.mark.parametrize(
    "value",
    ["no", "yes", "0123", "3", "1.10", "2025-08-15", "null", "a: b", "نص # ليس تعليقًا", "- بند", "[قائمة]",
     '"مقتبس"', "'مقتبس'", "@حساب", "* نجمة", "&مرجع", "!وسم", "%نسبة", "|", ">", "{}", "~", "?"],
)
def test_every_value_comes_back_from_the_yaml_as_the_text_it_was(value):
    """Values YAML would read as something else are quoted, so the draft loads with no error and the same text."""
    guess = Note("تخمين", "a guess")
    draft = Draft(
        title=value, date=dt.date(2025, 8, 15), date_guess=guess, summary=Guessed(value, guess), body="نص.\n",
        place=Guessed(value, guess), tags=(value,), tags_guess=guess, sources=(SourceGuess(value, None, guess),),
        details=(DetailRow(value, value, guess), DetailRow("المدة", value)),
        delegations=(Delegation(value, "RU", (Member(value, value, guess),), guess),), outcomes=(value,),
        outcomes_guess=guess,
    )
    text = sheet_text(draft, "article.txt")
    result = load_sheet(Path("/site/content/x.md"), Path("/site"), text.encode("utf-8"))
    assert [str(p) for p in result.problems if p.severity is Severity.ERROR] == []
    sheet = result.sheet
    assert sheet is not None and sheet.draft
    assert (sheet.title, sheet.summary, sheet.place, sheet.tags, sheet.outcomes) == (value, value, value, (value,), (value,))
    assert [(row.label, row.value) for row in sheet.details] == [(value, value), ("المدة", value)]
    assert (sheet.sources[0].publisher, sheet.delegations[0].side, sheet.delegations[0].members[0].name) == (value,) * 3
    # One warning per guessed line: title and the unguessed row carry none.
    assert len(result.problems) == 9
