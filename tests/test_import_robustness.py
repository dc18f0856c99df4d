"""Any text at all: the import drafts a sheet that loads without errors, or says why not; it never loses a word."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

from waraqa.content import load_sheet
from waraqa.errors import Severity
from waraqa.importer.outline import is_details_header
from waraqa.importer.text import ArticleProblem, clean_lines

from tests.importkit import drafted

FIXTURES = Path(__file__).parent / "fixtures" / "import"
ODD_LINES = [
    "", "   ", "---", "# عنوان", "> اقتباس", "- ", "•", "1.", "العنصر التفاصيل", "&amp;&lt;&#0;", "\x00", "\u202e",
    "key: value", "{{x}}", "<script>alert(1)</script>", "|---|---|", "# راجع: x", '"quoted"', "ـــــ", "🙂" * 50,
    "a\tb", "\t", "||", "| |", ":", "x:", ": y", "مدة: ", "الرئيس الروسي", "وفد الوفد الروسي", "15 / 8 / 2025",
]
# Markup the draft turns into structure: bullet and number marks, table rules, a heading's final colon.
_MARKUP = re.compile(r"\(?[0-9٠-٩]{1,2}[.)\-–]?|[|:\-]+|•+")


def articles(count: int, seed: int) -> list[str]:
    """Return `count` articles made of random lines of the fixtures and odd lines, always the same ones."""
    lines = [line for path in sorted(FIXTURES.glob("*.txt")) for line in path.read_text(encoding="utf-8").splitlines()]
    lines += ODD_LINES
    rng = random.Random(seed)
    return ["\n".join(rng.choice(lines) for _ in range(rng.randint(1, 30))) for _ in range(count)]


def test_random_articles_draft_sheets_that_load_and_keep_every_word():
    """300 articles of shuffled newsroom and odd lines: no exception, no error, no word of the article lost."""
    for article in articles(300, seed=20):
        try:
            draft = drafted(article)
        except ArticleProblem:
            continue  # nothing but noise or marks: a message, not a draft
        result = load_sheet(Path("/site/content/x.md"), Path("/site"), draft.text.encode("utf-8"))
        assert result.sheet is not None, article
        assert [p for p in result.problems if p.severity is Severity.ERROR] == [], article
        for line in clean_lines(article):
            if is_details_header(line.text):
                continue
            for word in line.text.split():
                word = word.strip("•●▪-*–:：")
                if word and not _MARKUP.fullmatch(word):
                    assert word in draft.text or json.dumps(word, ensure_ascii=False)[1:-1] in draft.text, (word, article)
