"""Messy newsroom articles (written for these tests, in the style of agency wires and news sites) -> their drafts."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from waraqa.content import load_sheet
from waraqa.importer.text import decode_article

from tests.importkit import drafted

FIXTURES = Path(__file__).parent / "fixtures" / "import"


def imported(name: str):
    """Return the draft of a fixture article, read as the command reads a file."""
    return drafted(decode_article((FIXTURES / name).read_bytes()))


def test_a_gulf_agency_wire():
    """Byline «واس - عمان», a Hijri date line, &nbsp;, leading spaces, blank runs, a Latin comma, tatweel, RLM,
    «اقرأ أيضًا», a list under «محاور اللقاء:» kept in the body, numbered ١. outcomes, a link trailer, a caption."""
    draft = imported("gulf-agency.txt")
    assert draft.front == {
        "title": "الأردن والسعودية تبحثان تعزيز التعاون الاقتصادي\u00a0والاستثماري",
        "date": dt.date(2025, 8, 15),
        "draft": True,
        "summary": "عقد وزير الخارجية الأردني أيمن الصفدي ونظيره السعودي الأمير فيصل بن فرحان اجتماعًا موسّعًا في "
        "العاصمة عمان, بحثا خلاله سبل تعزيز التعاون الاقتصادي بين البلدين.",
        "place": "العاصمة عمان",
        "sources": [
            {"publisher": "واس"},
            {"publisher": "example.org", "url": "https://example.org/news/2025/08/15/jordan-saudi"},
        ],
        "delegations": [
            {"side": "الأردن", "country": "JO", "members": [
                {"name": "أيمن الصفدي", "role": "وزير الخارجية"},
                {"name": "يعرب القضاة", "role": "وزير الصناعة والتجارة"},
            ]},
            {"side": "المملكة العربية السعودية", "country": "SA", "members": [
                {"name": "فيصل بن فرحان", "role": "وزير الخارجية"},
                {"name": "خالد الفالح", "role": "وزير الاستثمار"},
            ]},
        ],
        "outcomes": ["إنشاء مجلس أعمال مشترك", "رفع حجم التبادل التجاري إلى 10 مليارات دولار", "عقد الاجتماع المقبل في الرياض"],
    }
    assert draft.body == (
        "عقد وزير الخارجية الأردني أيمن الصفدي ونظيره السعودي الأمير فيصل بن فرحان اجتماعًا موسّعًا في العاصمة عمان, "
        "بحثا خلاله سبل تعزيز التعاون الاقتصادي بين البلدين. وأكد الجانبان أهمية التنسيق المشترك في القضايا الإقليمية.\n"
        "\n"
        "وضمّ الوفد السعودي وزير الاستثمار خالد الفالح، فيما ضم الوفد الأردني وزير الصناعة والتجارة يعرب القضاة.\n"
        "\n"
        "## محاور اللقاء\n"
        "\n"
        "- الربط الكهربائي بين البلدين\n"
        "- تسهيل حركة الشاحنات عبر المنافذ الحدودية\n"
        "\n"
        "وقال الصفدي في مؤتمر صحفي إن العلاقات بين البلدين \u200fتشهد\u200f مرحلة جديدة من الشــراكة الحقيقية، مضيفًا أن "
        "اللجنة المشتركة ستجتمع قبل نهاية العام.\n"
    )
    # Every line left out of the body is kept, word for word, as a marked comment.
    for left_out in ("«واس - عمان»", "«الأحد 21 صفر 1447 هـ الموافق 15 / 8 / 2025»", "«اقرأ أيضًا: السعودية تطلق",
                     "«رابط الخبر https://example.org/", "«(صورة: الوزيران خلال الاجتماع في عمان)»", "«أبرز ما اتفق عليه»"):
        assert any(line.startswith("# راجع: حذفت") and left_out in line for line in draft.text.splitlines())


def test_a_levant_news_site_page():
    """Byline «بيروت - «النهار»», آب/أغسطس, ordinal headings, «•• …:» with a mid-line bullet, a details table
    headed «البند القيمة», «وبحسب «رويترز»», and share/follow trailers."""
    draft = imported("levant-web.txt")
    front = draft.front
    assert front["date"] == dt.date(2025, 8, 15)
    assert front["details"] == {"مكان القمة": "السراي الحكومي – بيروت", "مدة الخطة": "5 سنوات",
                                "الكلفة التقديرية": "3 مليارات دولار"}
    assert front["place"] == "السراي الحكومي – بيروت"
    assert front["sources"] == [{"publisher": "النهار"}, {"publisher": "رويترز"}]
    assert [(d["side"], [m["name"] for m in d["members"]]) for d in front["delegations"]] == [
        ("لبنان", ["نواف سلام"]), ("الولايات المتحدة", ["توم باراك"]),
    ]
    # The only list sits under a heading not about outcomes: it stays in the body, and there are no outcomes.
    assert "outcomes" not in front
    assert draft.body.split("\n\n")[1:6] == [
        "## أولاً: خلفية القمة",
        "جاءت القمة بعد أشهر من المشاورات بين الحكومة والجهات المانحة، وسط ضغوط اقتصادية متزايدة على البلاد.",
        "## ما تضمنته الخطة",
        "- إعادة بناء الجسور والطرق\n- ترميم المدارس والمستشفيات\n- تعويض المتضررين",
        "## ثانيًا: ردود الفعل",
    ]
    assert "شارك" not in draft.body and "تابعونا" not in draft.body and "البند" not in draft.body


def test_a_maghreb_agency_wire():
    """A dateline «الجزائر (واج) -» inside the first paragraph, «أوت», a counterpart «ونظيرته التونسية …»,
    dash bullets with no heading (the outcomes), and a caption ending in a credit."""
    draft = imported("maghreb-agency.txt")
    front = draft.front
    assert front["date"] == dt.date(2025, 8, 15)
    assert front["sources"] == [{"publisher": "واج"}]
    assert front["delegations"] == [
        {"side": "الجزائر", "country": "DZ", "members": [{"name": "محمد عرقاب", "role": "وزير الطاقة"}]},
        {"side": "تونس", "country": "TN", "members": [{"name": "فاطمة ثابت شيبوب", "role": "وزير الطاقة"}]},
    ]
    assert front["outcomes"] == ["إنجاز خط ربط كهربائي جديد بين البلدين", "تبادل الخبرات في مجال الطاقة الشمسية"]
    assert draft.body.startswith("الجزائر (واج) - وقّع وزير الطاقة الجزائري")
    assert "(واج)\n" not in draft.body and "حفل التوقيع" not in draft.body


def test_every_fixture_drafts_a_sheet_that_loads_without_errors():
    """Each draft is a valid sheet with draft: true; its only problems are the review warnings."""
    for fixture in sorted(FIXTURES.glob("*.txt")):
        text = imported(fixture.name).text
        result = load_sheet(Path("/site/content/x.md"), Path("/site"), text.encode("utf-8"))
        assert result.sheet is not None and result.sheet.draft, fixture.name
        assert result.problems and all(problem.message.startswith("راجع: ") for problem in result.problems)
