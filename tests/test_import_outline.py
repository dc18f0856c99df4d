"""Headings, bullets, outcomes and the body (waraqa/importer/outline.py, body.py): source text -> draft."""

from __future__ import annotations

import pytest

from tests.importkit import drafted

TITLE = "عنوان الخبر"
P1 = "انطلقت القمة صباح اليوم في العاصمة بحضور وفود من عشر دول، وتستمر يومين من المحادثات المغلقة."
P2 = "وقال المتحدث باسم القمة إن جدول الأعمال يشمل ملفات الأمن والطاقة والتجارة بين الدول المشاركة."


def article(*lines: str) -> str:
    """Return an article of a title and `lines`, a blank line between each."""
    return "\n\n".join((TITLE, *lines)) + "\n"


def test_a_short_line_without_a_full_stop_before_a_paragraph_is_a_heading():
    """«تفاصيل القمة» followed by a paragraph becomes `## تفاصيل القمة`; a sentence with a full stop does not."""
    assert drafted(article(P1, "تفاصيل القمة", P2)).body == f"{P1}\n\n## تفاصيل القمة\n\n{P2}\n"
    assert drafted(article(P1, "انتهت القمة.", P2)).body == f"{P1}\n\nانتهت القمة.\n\n{P2}\n"
    # A short line with no paragraph after it is not a heading.
    assert drafted(article(P1, "تفاصيل القمة")).body == f"{P1}\n\nتفاصيل القمة\n"


@pytest.mark.parametrize(
    "line, heading",
    [
        ("أولاً: خلفية القمة", "## أولاً: خلفية القمة"),
        ("ثانيا - ردود الفعل الدولية على نتائج القمة والاتفاق المبدئي بين الأطراف كافة", "## ثانيا - ردود الفعل الدولية على نتائج القمة والاتفاق المبدئي بين الأطراف كافة"),
        ("•• السياق العام:", "## السياق العام"),
    ],
)
def test_ordinal_and_double_bullet_lines_are_headings(line, heading):
    """«أولاً: …» and «•• …:» are headings whatever their length."""
    assert drafted(article(P1, line, P2)).body == f"{P1}\n\n{heading}\n\n{P2}\n"


@pytest.mark.parametrize("mark", ["•", "-", "*", "–", "●", "1.", "١.", "1)", "١-", "(1)"])
def test_a_list_after_a_paragraph_is_the_outcomes(mark):
    """Bullets of every kind, with no heading over them, become the outcomes and leave the body."""
    draft = drafted(article(P1, f"{mark} البند الأول\n{mark} البند الثاني", P2))
    assert draft.front["outcomes"] == ["البند الأول", "البند الثاني"]
    assert draft.body == f"{P1}\n\n{P2}\n"
    assert "outcomes:  # راجع: القائمة في الأسطر 5–6، وليس فوقها عنوان" in draft.text


def test_a_bullet_that_starts_in_the_middle_of_a_line_is_cut_there():
    """«ومن أبرز ما جاء: • بند • بند» gives the sentence as a line and one bullet per mark."""
    draft = drafted(article(P1, "• وقف إطلاق النار • تبادل الأسرى\n• فتح المعابر"))
    assert draft.front["outcomes"] == ["وقف إطلاق النار", "تبادل الأسرى", "فتح المعابر"]
    draft = drafted(article("وقال البيان إن الاتفاق يشمل ما يلي، وهو قابل للتمديد. • وقف إطلاق النار • تبادل الأسرى", P2))
    assert draft.front["outcomes"] == ["وقف إطلاق النار", "تبادل الأسرى"]
    assert draft.body.startswith("وقال البيان إن الاتفاق يشمل ما يلي، وهو قابل للتمديد.\n\n")


def test_a_list_under_a_heading_about_something_else_stays_a_markdown_list_in_the_body():
    """«محاور اللقاء:» before a list is a heading; its list is the body's, numbered ones as 1. 2."""
    draft = drafted(article(P1, "محاور اللقاء:\n- الطاقة\n- التجارة", P2, "الخطوات التالية\n١. اجتماع فني\n٢. زيارة ميدانية", P2))
    assert "outcomes" not in draft.front
    assert draft.body == (
        f"{P1}\n\n## محاور اللقاء\n\n- الطاقة\n- التجارة\n\n{P2}\n\n## الخطوات التالية\n\n1. اجتماع فني\n2. زيارة ميدانية\n\n{P2}\n"
    )


def test_a_list_under_an_outcomes_heading_is_the_outcomes_even_with_other_lists_about():
    """«أبرز النتائج:» wins over a list with no heading; a heading holding only its list leaves the body."""
    draft = drafted(article(P1, "- بند في المتن\n- بند آخر", P2, "أبرز النتائج:\n1. اتفاق أول\n2. اتفاق ثان", "خلفية", P2))
    assert draft.front["outcomes"] == ["اتفاق أول", "اتفاق ثان"]
    assert draft.body == f"{P1}\n\n- بند في المتن\n- بند آخر\n\n{P2}\n\n## خلفية\n\n{P2}\n"
    assert "# راجع: حذفت العنوان «أبرز النتائج» من السطر 10، فقائمته صارت المخرجات" in draft.text
    assert "outcomes:  # راجع: القائمة تحت «أبرز النتائج» في الأسطر 11–12" in draft.text


def test_the_body_keeps_every_other_line_word_for_word():
    """One paragraph a line, however many blank lines between; marks, tatweel and Latin commas as pasted."""
    line = "قال\u00a0الوزير إن \u200fNATO\u200f تـــدعم الاتفاق, وإن الجولة المقبلة في أيلول."
    draft = drafted(f"{TITLE}\n{P1}\n\n\n\n\n{line}\n   {P2}\n")
    assert draft.body == f"{P1}\n\n{line}\n\n{P2}\n"


def test_a_paragraph_that_markdown_would_read_as_a_heading_is_escaped():
    """A pasted line starting with # is text, not a heading: the backslash keeps it so."""
    assert drafted(article(P1, "#قمة_الرياض #السعودية")).body == f"{P1}\n\n\\#قمة_الرياض #السعودية\n"


def test_summary_is_one_or_two_sentences_of_the_first_paragraph():
    """The first sentence, or the first two when the first is short; the whole paragraph if it is one sentence."""
    assert drafted(article(P1 + " " + P2)).front["summary"] == P1
    assert drafted(article("انتهت القمة. " + P1 + " " + P2)).front["summary"] == "انتهت القمة. " + P1
    assert drafted(article(P1)).front["summary"] == P1
    assert drafted(article("رسميًا.. انتهت القمة في العاصمة بعد يومين من المحادثات المغلقة بين الوفود العشرة. " + P2)
                   ).front["summary"] == "رسميًا.. انتهت القمة في العاصمة بعد يومين من المحادثات المغلقة بين الوفود العشرة."
