"""The bidi Markdown extension: Latin runs isolated in <bdi>, code, URLs and e-mail kept left to right."""

from __future__ import annotations

import markdown
import pytest

from waraqa.bidi import BidiExtension
from waraqa.markup import MarkdownRenderer

CASES = [
    pytest.param(
        "بحسب Fox News (الأمريكية) قال.",
        "<p>بحسب <bdi>Fox News</bdi> (الأمريكية) قال.</p>",
        id="latin-name-before-parenthesis",
    ),
    pytest.param(
        "مقاتلات F-35 وشركة AT&T و O'Brien.",
        "<p>مقاتلات <bdi>F-35</bdi> وشركة <bdi>AT&amp;T</bdi> و <bdi>O'Brien</bdi>.</p>",
        id="joined-by-punctuation",
    ),
    pytest.param(
        "قال Rümeysa Öztürk و Šefčovič",
        "<p>قال <bdi>Rümeysa Öztürk</bdi> و <bdi>Šefčovič</bdi></p>",
        id="accented-latin",
    ),
    pytest.param(
        "راجع https://example.com/a?b=1، أو اكتب إلى info@example.org.",
        '<p>راجع <bdi dir="ltr">https://example.com/a?b=1</bdi>، أو اكتب إلى <bdi dir="ltr">info@example.org</bdi>.</p>',
        id="bare-url-and-email-ltr-without-trailing-punctuation",
    ),
    pytest.param(
        "الرابط <https://example.com> هنا",
        '<p>الرابط <a dir="ltr" href="https://example.com">https://example.com</a> هنا</p>',
        id="autolink-ltr",
    ),
    pytest.param(
        "[Fox News](https://foxnews.com) قالت",
        '<p><a href="https://foxnews.com"><bdi>Fox News</bdi></a> قالت</p>',
        id="link-text-isolated-href-untouched",
    ),
    pytest.param("الأمر `git push` هنا", '<p>الأمر <code dir="ltr">git push</code> هنا</p>', id="code-span-ltr"),
    pytest.param("    git push\n", '<pre dir="ltr"><code dir="ltr">git push\n</code></pre>', id="code-block-ltr"),
    pytest.param(
        "**Fox** News و *CNN*",
        "<p><strong><bdi>Fox</bdi></strong> <bdi>News</bdi> و <em><bdi>CNN</bdi></em></p>",
        id="inside-emphasis",
    ),
    pytest.param("اجتماع 3+3 في 2022", "<p>اجتماع 3+3 في 2022</p>", id="numbers-alone-untouched"),
    pytest.param("نص عربي فقط.", "<p>نص عربي فقط.</p>", id="arabic-only-untouched"),
    pytest.param(
        'نص <span class="x">Raw</span>',
        '<p>نص <span class="x"><bdi>Raw</bdi></span></p>',
        id="raw-html-tags-untouched",
    ),
]


@pytest.mark.parametrize(("source", "expected"), CASES)
def test_bidi_extension_renders(source, expected):
    """Each Markdown source renders to exactly the expected HTML."""
    md = markdown.Markdown(extensions=[BidiExtension()], output_format="html")
    assert md.convert(source) == expected


def test_site_converter_uses_the_extension_with_arabic_heading_ids():
    """The site's converter isolates Latin in headings and still gives Arabic heading ids."""
    html = MarkdownRenderer().convert("## قمة G20 في Rio\n")
    assert html == '<h2 id="قمة-g20-في-rio">قمة <bdi>G20</bdi> في <bdi>Rio</bdi></h2>'


def test_footnotes_still_work():
    """Footnote references and their text are untouched apart from the Latin run."""
    html = MarkdownRenderer().convert("مرحبًا[^1]\n\n[^1]: Reuters report\n")
    assert '<sup id="fnref:1"><a class="footnote-ref" href="#fn:1">1</a></sup>' in html
    assert "<bdi>Reuters report</bdi>" in html


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("## القسم {#section}\n", '<h2 id="section">القسم</h2>'),
        ("## القسم {: #section .wide }\n", '<h2 class="wide" id="section">القسم</h2>'),
        ("فقرة عن Fox\n{: #para }\n", '<p id="para">فقرة عن <bdi>Fox</bdi></p>'),
        ("رابط [Fox](x){: .ext } بعده\n", '<p>رابط <a class="ext" href="x"><bdi>Fox</bdi></a> بعده</p>'),
        ("نص عن {Latin} في الوسط\n", "<p>نص عن {<bdi>Latin</bdi>} في الوسط</p>"),
    ],
)
def test_attribute_lists_with_latin_names_still_apply(source, expected):
    """`{: #id .class }` is read by attr_list, not isolated as Latin text; braces elsewhere are only text."""
    assert MarkdownRenderer().convert(source) == expected
