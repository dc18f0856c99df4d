"""The bidi rule as source -> expected pairs: sheet bodies (Markdown), template fields (HTML) and plain text."""

from __future__ import annotations

import re

import markdown
import pytest

from waraqa.bidi import LRI, PDI, RLM, BidiExtension, browser_rule, is_left_to_right, isolate_html, isolate_text
from waraqa.markup import MarkdownRenderer

# Each case of the issue, and the neighbours that a looser or stricter rule would get wrong.
BODY_CASES = [
    # One phrase with the punctuation inside it and the symbols at its end.
    ("قمة U.S.–Russia في أنكوريج", "<p>قمة <bdi>U.S.–Russia</bdi> في أنكوريج</p>", "dash-and-dots-inside"),
    ("بحسب Fox News, CNN قالت", "<p>بحسب <bdi>Fox News, CNN</bdi> قالت</p>", "latin-comma-inside"),
    ("قررت OPEC+ خفض الإنتاج", "<p>قررت <bdi>OPEC+</bdi> خفض الإنتاج</p>", "plus-at-end"),
    ("تعلم لغة C++ وC# معًا", "<p>تعلم لغة <bdi>C++</bdi> و<bdi>C#</bdi> معًا</p>", "symbols-at-end"),
    ("وزير الخارجية Jean-Noël Barrot يصل", "<p>وزير الخارجية <bdi>Jean-Noël Barrot</bdi> يصل</p>", "accented-hyphenated"),
    ("هاتف iPhone 16 Pro الجديد", "<p>هاتف <bdi>iPhone 16 Pro</bdi> الجديد</p>", "digits-inside"),
    ("قمة G7/G20 المقبلة", "<p>قمة <bdi>G7/G20</bdi> المقبلة</p>", "slash-inside"),
    ("شركة AT&T و O'Brien", "<p>شركة <bdi>AT&amp;T</bdi> و <bdi>O'Brien</bdi></p>", "ampersand-apostrophe"),
    ("قال Rümeysa Öztürk و Šefčovič", "<p>قال <bdi>Rümeysa Öztürk</bdi> و <bdi>Šefčovič</bdi></p>", "accented-latin"),
    ("يعمل Windows 11 جيدًا", "<p>يعمل <bdi>Windows 11</bdi> جيدًا</p>", "digits-at-end"),
    ("شبكات 5G الجديدة", "<p>شبكات <bdi>5G</bdi> الجديدة</p>", "digit-before-letter"),
    # Where a phrase ends: the dot of an abbreviation is its own, a full stop and Arabic punctuation are not.
    ("قال مسؤولو U.S. أمس", "<p>قال مسؤولو <bdi>U.S.</bdi> أمس</p>", "abbreviation-dot"),
    ("شركة Apple Inc. الأمريكية", "<p>شركة <bdi>Apple Inc.</bdi> الأمريكية</p>", "company-dot"),
    ("قالت ذلك CNN.", "<p>قالت ذلك <bdi>CNN</bdi>.</p>", "full-stop-outside"),
    ("بحسب Fox News، وCNN", "<p>بحسب <bdi>Fox News</bdi>، و<bdi>CNN</bdi></p>", "arabic-comma-ends"),
    ("بحسب Fox News؛ ثم", "<p>بحسب <bdi>Fox News</bdi>؛ ثم</p>", "arabic-semicolon-ends"),
    ("هل قالت CNN؟", "<p>هل قالت <bdi>CNN</bdi>؟</p>", "arabic-question-ends"),
    # A value that starts or ends with Latin is still an Arabic sentence.
    ("F-35 مقاتلة أمريكية", "<p><bdi>F-35</bdi> مقاتلة أمريكية</p>", "latin-at-start"),
    ("Airbus A320neo طائرات للشركة", "<p><bdi>Airbus A320neo</bdi> طائرات للشركة</p>", "latin-words-at-start"),
    ("صرّح بذلك Jean-Noël Barrot", "<p>صرّح بذلك <bdi>Jean-Noël Barrot</bdi></p>", "latin-at-end"),
    ("بحسب Fox News (الأمريكية) قال.", "<p>بحسب <bdi>Fox News</bdi> (الأمريكية) قال.</p>", "before-parenthesis"),
    ("قالت (CNN) إن", "<p>قالت (<bdi>CNN</bdi>) إن</p>", "inside-parentheses"),
    ("نقلت «Fox News» الخبر", "<p>نقلت «<bdi>Fox News</bdi>» الخبر</p>", "inside-guillemets"),
    ('نقلت "The Economist" الخبر', '<p>نقلت "<bdi>The Economist</bdi>" الخبر</p>', "inside-quotes"),
    # Numbers keep the order they were typed in; plain numbers need nothing.
    ("اجتماع في 2022 لمدة 3 ساعات و3.5 يوم عند 10:30", "<p>اجتماع في 2022 لمدة 3 ساعات و3.5 يوم عند 10:30</p>", "plain-numbers"),
    ("نمو بنسبة 3.5% هذا العام", '<p>نمو بنسبة <bdi dir="ltr">3.5%</bdi> هذا العام</p>', "percent"),
    ("بتاريخ 2025-08-15 أعلن", '<p>بتاريخ <bdi dir="ltr">2025-08-15</bdi> أعلن</p>', "iso-date"),
    ("مجموعة (5+1) النووية", '<p>مجموعة (<bdi dir="ltr">5+1</bdi>) النووية</p>', "plus-between-numbers"),
    ("اجتماع 3+3 في 2022", '<p>اجتماع <bdi dir="ltr">3+3</bdi> في 2022</p>', "three-plus-three"),
    ("بلغ 3 - 4 مليارات في الفترة 2020–2025", '<p>بلغ <bdi dir="ltr">3 - 4</bdi> مليارات في الفترة <bdi dir="ltr">2020–2025</bdi></p>', "ranges"),
    ("الحرارة -5 درجات و25°C", '<p>الحرارة <bdi dir="ltr">-5</bdi> درجات و<bdi dir="ltr">25°C</bdi></p>', "sign-and-degrees"),
    ("بسعر $100 أو 90€", '<p>بسعر <bdi dir="ltr">$100</bdi> أو <bdi dir="ltr">90€</bdi></p>', "currency"),
    ("اتصل على +966 11 234 5678 الآن", '<p>اتصل على <bdi dir="ltr">+966 11 234 5678</bdi> الآن</p>', "telephone"),
    ("نسبة ٣٫٥٪ و٢٠٢٥-٠٨-١٥", '<p>نسبة <bdi dir="ltr">٣٫٥٪</bdi> و<bdi dir="ltr">٢٠٢٥-٠٨-١٥</bdi></p>', "arabic-indic-digits"),
    # Addresses are left to right, without the sentence punctuation after them.
    (
        "راجع https://example.com/a?b=1، أو اكتب إلى info@example.org.",
        '<p>راجع <bdi dir="ltr">https://example.com/a?b=1</bdi>، أو اكتب إلى <bdi dir="ltr">info@example.org</bdi>.</p>',
        "url-and-email-before-punctuation",
    ),
    ("موقع www.secb.gov.sa الرسمي", '<p>موقع <bdi dir="ltr">www.secb.gov.sa</bdi> الرسمي</p>', "bare-www-domain"),
    ("انظر example.org/x. ثم", '<p>انظر <bdi dir="ltr">example.org/x</bdi>. ثم</p>', "bare-domain-with-path"),
    ("(https://example.com/x) هنا", '<p>(<bdi dir="ltr">https://example.com/x</bdi>) هنا</p>', "url-in-parentheses"),
    ("راسل Reuters على news@reuters.com", '<p>راسل <bdi>Reuters</bdi> على <bdi dir="ltr">news@reuters.com</bdi></p>', "email-after-phrase"),
    ("الرابط <https://example.com> هنا", '<p>الرابط <a dir="ltr" href="https://example.com">https://example.com</a> هنا</p>', "autolink"),
    # Markup around and inside: links, emphasis, code, raw HTML.
    ("[Fox News](https://foxnews.com) قالت", '<p><a href="https://foxnews.com"><bdi>Fox News</bdi></a> قالت</p>', "link-text"),
    ("الأمر `git push --force` هنا", '<p>الأمر <code dir="ltr">git push --force</code> هنا</p>', "code-span-untouched"),
    ("    git push 5+1\n", '<pre dir="ltr"><code dir="ltr">git push 5+1\n</code></pre>', "code-block-untouched"),
    ("**Fox** و *CNN*", "<p><strong><bdi>Fox</bdi></strong> و <em><bdi>CNN</bdi></em></p>", "inside-emphasis"),
    ('نص <span class="x">Raw</span>', '<p>نص <span class="x"><bdi>Raw</bdi></span></p>', "raw-html-attributes-untouched"),
    ("نص عربي فقط.", "<p>نص عربي فقط.</p>", "arabic-only"),
    # Marks the editor typed stay, and an RLM makes a text Arabic.
    ("قالت CNN\u200f.", "<p>قالت <bdi>CNN</bdi>\u200f.</p>", "rlm-kept"),
    ("كلمة\u200eأخرى", "<p>كلمة\u200eأخرى</p>", "lrm-kept"),
    ("\u200fCNN.", "<p>\u200f<bdi>CNN</bdi>.</p>", "rlm-makes-it-arabic"),
    # A block with no Arabic letter is left to right as a whole, its own phrase isolates dropped.
    ("The deal was signed.", "<p><bdi>The deal was signed.</bdi></p>", "all-latin-paragraph"),
    ("**Fox** News said.", "<p><bdi><strong>Fox</strong> News said.</bdi></p>", "all-latin-with-emphasis"),
    ("- CNN.\n- قناة CNN", '<ul>\n<li><bdi>CNN.</bdi></li>\n<li>قناة <bdi>CNN</bdi></li>\n</ul>', "list-items"),
    ("| أ | ب |\n|---|---|\n| OPEC+ | F-35 مقاتلة |", None, "table-cells"),
]


@pytest.mark.parametrize(("source", "expected"), [pytest.param(s, e, id=i) for s, e, i in BODY_CASES if e])
def test_body_renders(source, expected):
    """Each Markdown source renders to exactly the expected HTML with the site's converter."""
    assert MarkdownRenderer().convert(source) == expected


def test_extension_works_alone():
    """The extension needs none of the site's other extensions."""
    md = markdown.Markdown(extensions=[BidiExtension()], output_format="html")
    assert md.convert("قررت OPEC+ خفض") == "<p>قررت <bdi>OPEC+</bdi> خفض</p>"


def test_table_cells_are_isolated():
    """Cells of a Markdown table get the same rule."""
    html = MarkdownRenderer().convert(BODY_CASES[-1][0])
    assert "<td><bdi>OPEC+</bdi></td>" in html
    assert "<td><bdi>F-35</bdi> مقاتلة</td>" in html


def test_headings_keep_arabic_ids():
    """The site's converter isolates Latin in headings and still gives Arabic heading ids."""
    html = MarkdownRenderer().convert("## لغة C++ في Rio\n")
    assert html == '<h2 id="لغة-c-في-rio">لغة <bdi>C++</bdi> في <bdi>Rio</bdi></h2>'


def test_footnotes_still_work():
    """Footnote references and back-links survive; a Latin footnote is left to right as a whole."""
    html = MarkdownRenderer().convert("مرحبًا[^1] بحسب CNN.\n\n[^1]: Reuters report\n")
    assert '<sup id="fnref:1"><a class="footnote-ref" href="#fn:1">1</a></sup> بحسب <bdi>CNN</bdi>.' in html
    assert '<p><bdi>Reuters report&#160;<a class="footnote-backref" href="#fnref:1"' in html


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("## القسم {#section}\n", '<h2 id="section">القسم</h2>'),
        ("## القسم {: #section .wide }\n", '<h2 class="wide" id="section">القسم</h2>'),
        ("## Timeline {: #timeline }\n", '<h2 id="timeline"><bdi>Timeline</bdi></h2>'),
        ("فقرة عن Fox\n{: #para }\n", '<p id="para">فقرة عن <bdi>Fox</bdi></p>'),
        ("رابط [Fox](x){: .ext } بعده\n", '<p>رابط <a class="ext" href="x"><bdi>Fox</bdi></a> بعده</p>'),
        ("نص عن {Latin} في الوسط\n", "<p>نص عن {<bdi>Latin</bdi>} في الوسط</p>"),
    ],
)
def test_attribute_lists_still_apply(source, expected):
    """`{: #id .class }` is read by attr_list, not isolated as Latin text; braces elsewhere are only text."""
    assert MarkdownRenderer().convert(source) == expected


FIELD_CASES = [
    ("OPEC+ تقرر خفض الإنتاج", "<bdi>OPEC+</bdi> تقرر خفض الإنتاج"),
    ("F-35 مقاتلة أمريكية", "<bdi>F-35</bdi> مقاتلة أمريكية"),
    ("قمة U.S.–Russia في أنكوريج", "قمة <bdi>U.S.–Russia</bdi> في أنكوريج"),
    ("بحسب Fox News, CNN", "بحسب <bdi>Fox News, CNN</bdi>"),
    ("الموقع www.secb.gov.sa", 'الموقع <bdi dir="ltr">www.secb.gov.sa</bdi>'),
    ("نسبة 3.5% في 2025-08-15", 'نسبة <bdi dir="ltr">3.5%</bdi> في <bdi dir="ltr">2025-08-15</bdi>'),
    ("Jean-Noël Barrot", "<bdi>Jean-Noël Barrot</bdi>"),
    ("CEO, Airbus.", "<bdi>CEO, Airbus.</bdi>"),
    ("www.secb.gov.sa", '<bdi dir="ltr">www.secb.gov.sa</bdi>'),
    ("info@example.org", '<bdi dir="ltr">info@example.org</bdi>'),
    ("<script>alert(1)</script> و AT&T", "&lt;<bdi>script</bdi>&gt;<bdi>alert</bdi>(1)&lt;/script&gt; و <bdi>AT&amp;T</bdi>"),
    ("وزير الخارجية", "وزير الخارجية"),
    ("3 ساعات", "3 ساعات"),
    ("2025-08-15", '<bdi dir="ltr">2025-08-15</bdi>'),
    ("", ""),
]


@pytest.mark.parametrize(("text", "expected"), FIELD_CASES)
def test_isolate_html(text, expected):
    """A template field is escaped and isolated by the same rule as a body."""
    assert str(isolate_html(text)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    # Code, links, emphasis and indented blocks aside: a field's text is never Markdown.
    [(s, e) for s, e, _ in BODY_CASES if e and e.startswith("<p>") and not re.search(r"[`<\[*]|^    ", s)],
)
def test_fields_and_bodies_follow_one_rule(text, expected):
    """A field's HTML is a body paragraph's HTML without the <p> (code and links aside, which fields cannot hold)."""
    # Both escape quotes or not as their own serialisers do; the reader sees the same characters.
    field = str(isolate_html(text)).replace("&#39;", "'").replace("&#34;", '"')
    assert "<p>" + field + "</p>" == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("OPEC+ تقرر", RLM + LRI + "OPEC+" + PDI + " تقرر"),
        ("قمة U.S.–Russia في", "قمة " + LRI + "U.S.–Russia" + PDI + " في"),
        ("نسبة 3.5%.", "نسبة " + LRI + "3.5%" + PDI + "."),
        ("2025-08-15 موعد القمة", LRI + "2025-08-15" + PDI + " موعد القمة"),
        ("«CNN» قالت", RLM + "«" + LRI + "CNN" + PDI + "» قالت"),
        ("iPhone 16 Pro", "iPhone 16 Pro"),
        ("قمة ألاسكا", "قمة ألاسكا"),
        ("قالت CNN\u200f.", "قالت " + LRI + "CNN" + PDI + "\u200f."),
    ],
)
def test_isolate_text(text, expected):
    """Plain text gets the rule as Unicode isolates, and an RLM in front when it starts with Latin."""
    assert isolate_text(text) == expected


def test_left_to_right_needs_latin_and_no_arabic():
    """Only text with a Latin letter and no right-to-left letter or mark is left to right as a whole."""
    assert is_left_to_right("Fox News, CNN.")
    assert not is_left_to_right("Fox قناة")
    assert not is_left_to_right("2025-08-15")
    assert not is_left_to_right("\u200fCNN")


def test_browser_rule_is_javascript_syntax():
    """The expressions handed to search.js use no Python-only syntax and no raw control characters."""
    rule = browser_rule()
    assert "(?P<" not in rule["units"] and "(?<url>" in rule["units"]
    assert not any(ord(char) < 32 or ord(char) > 126 for value in rule.values() for char in value)
