"""Clean-up of pasted text (waraqa/importer/text.py) and the newsroom lines left out of the body (noise.py)."""

from __future__ import annotations

import pytest

from waraqa.importer.noise import strip_noise
from waraqa.importer.text import ArticleProblem, Line, clean_line, clean_lines, decode_article

from tests.importkit import drafted


@pytest.mark.parametrize(
    "raw, clean",
    [
        ("    فقرة تبدأ بمسافات", "فقرة تبدأ بمسافات"),  # four spaces would make a Markdown code block
        ("\tفقرة بعد جدولة  ", "فقرة بعد جدولة"),
        ("&nbsp;&nbsp;قال الوزير&nbsp;إن", "قال الوزير\u00a0إن"),  # NBSP kept inside, trimmed at the edges
        ("AT&amp;T و&quot;أرامكو&quot;", 'AT&T و"أرامكو"'),
        ("AT&T &copy", "AT&T &copy"),  # not entities: left as typed
        ("\u200fUN\u200f قالت", "\u200fUN\u200f قالت"),  # direction marks are the editor's
        ("\u200f \u00a0", ""),  # a line of nothing but marks is blank
        ("نص\x07 فيه\x1b حروف تحكم\ufeff", "نص فيه حروف تحكم"),
        ("الشــراكة, بين", "الشــراكة, بين"),  # tatweel and a Latin comma stay
    ],
)
def test_a_line_is_cleaned_without_changing_its_words(raw, clean):
    """Entities decoded, control characters and edge spaces gone; everything else as pasted."""
    assert clean_line(raw) == clean


def test_lines_keep_their_numbers_in_the_pasted_text():
    """Blank lines count, so every note can point at the pasted article's line."""
    assert clean_lines("عنوان\r\n\r\n  فقرة\n") == [Line(1, "عنوان"), Line(2, ""), Line(3, "فقرة")]


def test_decoding_accepts_utf8_with_or_without_bom_and_utf16_with_one():
    """What Windows Notepad and web pages save all read as the same text."""
    for data in ("قمة".encode("utf-8"), b"\xef\xbb\xbf" + "قمة".encode("utf-8"), "قمة".encode("utf-16")):
        assert decode_article(data) == "قمة"


@pytest.mark.parametrize(
    "data, message",
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00", "the file is binary, not text"),
        ("سطر\nقمة".encode("cp1256"), "line 1: the file is not UTF-8 text"),
    ],
)
def test_decoding_refuses_what_is_not_text(data, message):
    """A binary file or another encoding is an ArticleProblem with a message in both languages."""
    with pytest.raises(ArticleProblem, match=message):
        decode_article(data)


def removed(text: str) -> list[tuple[int, str]]:
    """Return the (line, kind) of every line the noise filter leaves out of `text`."""
    return [(item.line.number, item.kind) for item in strip_noise(clean_lines(text))[1]]


PARAGRAPH = "أكد الوزير في مؤتمر صحفي أن المحادثات كانت بناءة وأن الجولة المقبلة ستعقد قريبًا في العاصمة."


@pytest.mark.parametrize(
    "lines, expected",
    [
        (["واس - عمان", "عنوان الخبر", PARAGRAPH], [(1, "byline")]),
        (["عنوان الخبر", "عمان - واس", PARAGRAPH], [(2, "byline")]),
        (["عنوان الخبر", "الرياض (واس) -", PARAGRAPH], [(2, "byline")]),
        (["عنوان الخبر", "بقلم: أحمد محمد", PARAGRAPH], [(2, "author")]),
        (["عنوان الخبر", "نشر في: الجمعة 15 أغسطس 2025 - 10:30 ص", PARAGRAPH], [(2, "date")]),
        (["عنوان", PARAGRAPH, "اقرأ أيضًا: خبر آخر", PARAGRAPH], [(3, "trailer")]),
        (["عنوان", PARAGRAPH, "رابط الخبر https://example.org/a"], [(3, "trailer")]),
        (["عنوان", PARAGRAPH, "https://example.org/a"], [(3, "trailer")]),
        (["عنوان", PARAGRAPH, "شارك الخبر", "تابعونا على منصات التواصل"], [(3, "trailer"), (4, "trailer")]),
        (["عنوان", PARAGRAPH, "المصدر: فوكس نيوز"], [(3, "source")]),
        (["عنوان", PARAGRAPH, "الوزيران خلال المؤتمر (رويترز)", "صورة أرشيفية"], [(3, "caption"), (4, "caption")]),
        (["عنوان", "(صورة: الوزير)", PARAGRAPH], [(2, "caption")]),
        # Real text that starts like noise stays.
        (["عنوان", "شارك الوزير في القمة التي عقدت في عمان الأسبوع الماضي بحضور عدد من المسؤولين.", PARAGRAPH], []),
        (["عنوان", "صورة قاتمة للاقتصاد", PARAGRAPH], []),
        (["عنوان", PARAGRAPH, "الوزيران خلال المؤتمر (رويترز)", PARAGRAPH], []),
    ],
)
def test_newsroom_noise_is_left_out(lines, expected):
    """Bylines and date lines at the top, trailers anywhere, captions at the end; look-alike text stays."""
    assert removed("\n".join(lines)) == expected


def test_removed_lines_are_kept_as_marked_comments_not_in_the_body():
    """Nothing the article held is lost: each removed line is quoted in the front matter for the editor."""
    draft = drafted("واس - عمان\nعنوان الخبر\n" + PARAGRAPH + "\n\n\n\nرابط الخبر https://example.org/a\n")
    assert draft.body == PARAGRAPH + "\n"
    assert "# راجع: حذفت السطر 1، سطر الوكالة والمدينة: «واس - عمان» (line 1 left out, a byline)" in draft.text
    assert "# راجع: حذفت السطر 7، سطر أضافته صفحة الويب أو أداة النسخ: «رابط الخبر https://example.org/a»" in draft.text
