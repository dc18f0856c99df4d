"""The filtering inline pass gives exactly the HTML of Python-Markdown's own, only faster."""

from __future__ import annotations

import markdown
import pytest

from benchmarks.corpus import sheet
from waraqa.markup import MarkdownRenderer

TRICKY = [
    "نص عربي بسيط بلا أي رموز.",
    "نص فيه *تأكيد* و**خط عريض** و_مائل_ و__عريض__ و***كلاهما***.",
    "رابط [النص](https://example.com/a_b) وصورة ![بديل](/img.png \"عنوان\") ومرجع [هنا][1].\n\n[1]: https://x.org",
    "رمز `code_with_underscores` و``مزدوج ` داخله`` ونهاية.",
    "هروب \\*ليس تأكيدًا\\* و\\[ليس رابطًا\\] و\\\\ شرطة.",
    "سطر أول  \nسطر ثان بعد فاصل.",
    "وسم <span class=\"x\">مضمّن</span> وكيان &amp; و&copy; و&#1575;.",
    "رابط تلقائي <https://example.org/path?q=1> وبريد <editor@example.org>.",
    "حاشية[^n] في النص.\n\n[^n]: نص الحاشية مع *تأكيد*.",
    "بحسب Fox News (الأمريكية) و«3+3» و(الجولة 5) وF-35 وO'Brien.",
    "عنوان https://example.com/page. وبريد a.b@example.co.uk، ثم نص.",
    "*HTML* مع تعريف اختصار.\n\n*[HTML]: Hyper Text Markup Language",
    "فقرة {: #id .cls }\n\n## عنوان {: #custom }",
    "| أ | ب |\n|---|---|\n| *س* | `ص` |\n| Latin | 5 |",
    "- بند *أول*\n- بند [ثان](x)\n    - متداخل **عريض**",
    "> اقتباس فيه _تأكيد_ وLatin words.",
    "```\nكود * _ [ ] < &\n```",
    "نص_بشرطة_سفلية_داخل_الكلمة و2*3*4.",
    "<div markdown=\"1\">داخل *HTML* كتلة</div>",
    "",
]


def reference_renderer() -> markdown.Markdown:
    """Return a converter like ours but with Python-Markdown's own inline pass."""
    from waraqa.markup import extensions

    chosen = [ext for ext in extensions() if type(ext).__name__ != "FastInlineExtension"]
    assert len(chosen) == len(extensions()) - 1
    return markdown.Markdown(extensions=chosen, output_format="html")


@pytest.mark.parametrize("text", TRICKY + [sheet(i).split("\n---\n", 1)[1] for i in range(30)])
def test_filtering_inline_pass_matches_python_markdown(text):
    """Every tricky input and thirty generated bodies convert to identical HTML."""
    reference = reference_renderer()
    assert MarkdownRenderer().convert(text) == reference.convert(text)


def test_filtering_inline_pass_is_really_installed():
    """The converter uses the filtering pass (else this file tests nothing)."""
    from waraqa.fastinline import FilteringInlineProcessor

    assert isinstance(MarkdownRenderer()._md.treeprocessors["inline"], FilteringInlineProcessor)
