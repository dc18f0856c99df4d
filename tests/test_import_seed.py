"""The first article, imported, against the sheet an editor curated from it by hand (content/alaska-summit.md)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from waraqa.config import load_config
from waraqa.content import load_sheet
from waraqa.importer.knowledge import Knowledge, knowledge_of

from tests.importkit import TODAY, drafted
from tests.sitekit import REPO

SEED = REPO.parent / "shared" / "seed" / "alaska-summit-article.txt"
CURATED = REPO / "content" / "alaska-summit.md"


@pytest.fixture(scope="module")
def seed() -> str:
    """Return the seed article's text, or skip when it is not beside this checkout."""
    if not SEED.is_file():
        pytest.skip("the seed article is not beside this checkout")
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def curated() -> tuple[dict, str]:
    """Return the hand-curated sheet's front matter and body."""
    _, front, body = CURATED.read_text(encoding="utf-8").split("---\n", 2)
    return yaml.safe_load(front), body


def repo_knowledge() -> Knowledge:
    """Return what this repository's own site knows: the curated sheet and the settings' aliases."""
    config, _ = load_config(REPO, {})
    sheet = load_sheet(CURATED, REPO).sheet
    assert sheet is not None
    return knowledge_of([sheet], config.aliases, {sheet.slug})


def test_the_seed_drafts_the_four_details_rows_in_order(seed):
    """The details table is the article's four rows, split where the copy lost the tab."""
    assert drafted(seed).front["details"] == {
        "مدة القمة": "3 ساعات",
        "موقع القمة": "ولاية ألاسكا – الولايات المتحدة الأمريكية",
        "الوفود المشاركة": "3 مسؤولين روس و3 أمريكيين",
        "الموضوع الرئيسي": "إنهاء الحرب الروسية الأوكرانية",
    }
    assert list(drafted(seed).front["details"]) == ["مدة القمة", "موقع القمة", "الوفود المشاركة", "الموضوع الرئيسي"]


def test_the_seed_drafts_the_three_bullets_as_outcomes(seed, curated):
    """The three bullets are the outcomes, word for word, as in the curated sheet."""
    assert drafted(seed).front["outcomes"] == curated[0]["outcomes"]


def test_the_seed_body_is_the_curated_body_with_its_three_headings(seed, curated):
    """Three ## headings, and every other line of the article verbatim: the curated body exactly."""
    body = drafted(seed).body
    assert [line for line in body.splitlines() if line.startswith("## ")] == [
        "## تفاصيل قمة ألاسكا بين ترمب وبوتين في ظل الصراع الروسي الأوكراني",
        "## مخرجات قمة ألاسكا بين ترمب وبوتين: معاهدات نووية واجتماع ثلاثي قادم",
        "## الوفود المشاركة وخطة عقد مؤتمر صحفي بعد قمة ألاسكا بين ترمب وبوتين",
    ]
    assert body.strip() == curated[1].strip()


def test_what_a_new_site_drafts_differs_from_the_curated_sheet_only_where_the_text_is_silent(seed, curated):
    """On a site that knows nothing: same title, summary, place and details; no date, tags, or Trump by name."""
    front, hand = drafted(seed).front, curated[0]
    same = ("title", "summary", "place", "details", "outcomes")
    assert {field: front[field] for field in same} == {field: hand[field] for field in same}
    assert front["draft"] is True and "draft" not in hand
    # The article gives no date: today's, marked for review.
    assert front["date"] == TODAY and hand["date"].isoformat() == "2025-08-15"
    # Tags come only from the site's existing tags; a new site has none.
    assert "tags" not in front
    assert front["sources"] == [{"publisher": "فوكس نيوز"}]
    assert hand["sources"] == [{"publisher": "فوكس نيوز (Fox News)"}]
    # Trump is never named in full with a role, so a site that does not know him cannot list him;
    # Russia comes first because the article names Putin with his role before any American.
    russia, america = front["delegations"]
    assert russia == hand["delegations"][1]
    assert america == {**hand["delegations"][0], "members": hand["delegations"][0]["members"][1:]}


def test_on_this_site_the_draft_has_the_curated_facts_but_the_date(seed, curated):
    """Knowing the curated sheet and [aliases], the draft has its tags, source and delegations exactly."""
    front, hand = drafted(seed, repo_knowledge()).front, curated[0]
    differing = {field for field in set(front) | set(hand) if front.get(field) != hand.get(field)}
    assert differing == {"date", "draft"}


def test_every_guess_in_the_seed_draft_is_marked_and_the_draft_loads_without_errors(seed):
    """Date, summary, place, source, each split row, each side and member, the outcomes: each has a mark."""
    text = drafted(seed).text
    result = load_sheet(Path("/site/content/draft.md"), Path("/site"), text.encode("utf-8"))
    assert result.sheet is not None and result.sheet.draft
    marked = sorted({problem.field.split(".")[0].split("[")[0] for problem in result.problems})
    assert marked == ["", "date", "delegations", "details", "outcomes", "place", "sources", "summary"]
    assert sum(problem.field.startswith("details.") for problem in result.problems) == 4
