"""Review marks (`# راجع: …`) left by the importer are warnings with their file, line and field until removed."""

from __future__ import annotations

from pathlib import Path

from waraqa.cli import main
from waraqa.content import load_sheet
from waraqa.errors import Severity
from waraqa.review_marks import review_marks

from tests.sitekit import make_site

MARKED = """---
title: "قمة # راجع: هذا نص لا تعليق"
date: 2025-08-15  # راجع: من «15 أغسطس 2025» في السطر 3 (from line 3)
summary: ملخص.
tags:  # راجع: وسوم الموقع (the site's tags)
  - روسيا
details:
  مدة القمة: 3 ساعات  # راجع: فصل تخميني (guessed split)
  المكان: أنكوريج
delegations:
  - side: روسيا
    members:
      - name: فلاديمير بوتين
        role: الرئيس الروسي
      - name: سيرغي لافروف  # راجع: السطر 7 (line 7)
        role: وزير الخارجية
outcomes:
  - "بند # راجع: داخل النص"
# راجع: حذفت السطر 31 (line 31 left out)
---

# راجع: عنوان في المتن، لا علامة
"""


def test_every_mark_in_the_front_matter_is_found_with_its_line_and_field():
    """Comments are found on value lines and on lines of their own; a '#' inside a quoted value is text."""
    front_matter = MARKED.split("---\n")[1]
    found = [(mark.line, mark.field, mark.note) for mark in review_marks(front_matter, 2)]
    assert found == [
        (3, "date", "من «15 أغسطس 2025» في السطر 3 (from line 3)"),
        (5, "tags", "وسوم الموقع (the site's tags)"),
        (8, "details.مدة القمة", "فصل تخميني (guessed split)"),
        (15, "delegations[0].members[1].name", "السطر 7 (line 7)"),
        (19, "", "حذفت السطر 31 (line 31 left out)"),
    ]


def test_loading_a_marked_sheet_gives_one_warning_per_mark_and_no_error():
    """The sheet loads; each mark is a warning naming file, line and field and saying what to do."""
    result = load_sheet(Path("/site/content/x.md"), Path("/site"), MARKED.encode("utf-8"))
    assert result.sheet is not None
    assert all(problem.severity is Severity.WARNING for problem in result.problems)
    shown = [str(problem) for problem in result.problems]
    assert len(shown) == 5
    assert shown[0] == (
        "content/x.md:3: warning: date: راجع: من «15 أغسطس 2025» في السطر 3 (from line 3)؛ "
        "صحّحه إن لزم ثم احذف التعليق (check it, fix it if needed, then delete the comment)"
    )
    assert shown[3].startswith("content/x.md:15: warning: delegations[0].members[1].name: راجع: السطر 7")


def test_a_sheet_without_marks_has_no_warnings():
    """Deleting the marks deletes the warnings; the word راجع in the body is not a mark."""
    unmarked = "\n".join(
        line.split("  # راجع")[0] for line in MARKED.splitlines() if not line.startswith("# راجع: حذفت")
    ) + "\n"
    result = load_sheet(Path("/site/content/x.md"), Path("/site"), unmarked.encode("utf-8"))
    assert result.sheet is not None
    assert result.problems == []


def test_check_lists_the_marks_of_a_draft_as_warnings(tmp_path, capsys):
    """`check --drafts` succeeds and prints the draft's marks; `--strict` makes them stop the check."""
    site = make_site(tmp_path, {"x.md": MARKED.replace("summary: ملخص.", "summary: ملخص.\ndraft: true")})
    assert main(["check", "--source", str(site), "--drafts", "-q"]) == 0
    printed = capsys.readouterr().err
    assert printed.count("warning:") == 5
    assert "content/x.md:9: warning: details.مدة القمة: راجع: فصل تخميني" in printed
    assert main(["check", "--source", str(site), "--drafts", "--strict", "-q"]) == 1
