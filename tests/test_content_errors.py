"""Every content mistake is reported as path:line: field: message, all in one run, with output/ untouched."""

from __future__ import annotations

import re

import pytest

from tests.sitekit import GOOD_SHEET, build, make_site, snapshot

SHEET_HEAD = "---\ntitle: عنوان\ndate: 2025-01-10\nsummary: ملخص\n"

CASES = {
    "unclosed fence": (
        "---\ntitle: عنوان\ndate: 2025-01-10\n\nنص بلا سياج ثان\n",
        "content/bad.md:1: the front matter opened here is never closed; add a line '---' after its last field",
    ),
    "front matter is a list": (
        "---\n- عنوان\n- ملخص\n---\nنص\n",
        "content/bad.md:2: the front matter must be key: value pairs, not a list",
    ),
    "YAML syntax error": (
        "---\ntitle: عنوان\ndate: 2025-01-10\nsummary: [غير مغلق\n---\n",
        "content/bad.md:4: YAML syntax error: did not find expected ',' or ']' "
        "(while parsing a flow sequence that starts at line 4)",
    ),
    "key named content": (
        SHEET_HEAD + "content: نص\n---\n",
        "content/bad.md:5: content: 'content' is reserved for the Markdown body below the front matter; rename this key",
    ),
    "missing required field": (
        "---\ntitle: عنوان\ndate: 2025-01-10\n---\n",
        "content/bad.md:2: summary: required",
    ),
    "missing nested field": (
        SHEET_HEAD + "delegations:\n  - side: روسيا\n    members:\n      - name: بوتين\n        role: الرئيس\n"
        "      - name: لافروف\n---\n",
        "content/bad.md:10: delegations[0].members[1].role: required",
    ),
    "wrong type in the tree": (
        SHEET_HEAD + "delegations:\n  - side: روسيا\n    members: لافروف\n---\n",
        "content/bad.md:7: delegations[0].members: must be a list, not 'لافروف'",
    ),
    "boolean shown as text": (
        SHEET_HEAD + "details:\n  - label: موافقة\n    value: no\n---\n",
        'content/bad.md:7: details[0].value: YAML reads no as a yes/no value (boolean), not text; '
        'put it in quotes to show it as written: "no"',
    ),
    "leading zero number shown as text": (
        SHEET_HEAD + "details:\n  الرمز: 0123\n---\n",
        'content/bad.md:6: details.الرمز: YAML reads 0123 as a number, not text; '
        'put it in quotes to show it as written: "0123"',
    ),
    "version number shown as text": (
        SHEET_HEAD + "outcomes:\n  - 1.10\n---\n",
        'content/bad.md:6: outcomes[0]: YAML reads 1.10 as a number, not text; '
        'put it in quotes to show it as written: "1.10"',
    ),
    "impossible date": (
        "---\ntitle: عنوان\ndate: 2025-02-30\nsummary: ملخص\n---\n",
        "content/bad.md:3: date: 2025-02-30 is not a real date",
    ),
    "date in another format": (
        "---\ntitle: عنوان\ndate: 15/08/2025\nsummary: ملخص\n---\n",
        "content/bad.md:3: date: must be a date written YYYY-MM-DD, not 15/08/2025",
    ),
    "path in slug": (
        SHEET_HEAD + "slug: ../x\n---\n",
        "content/bad.md:5: slug: '../x' is not a slug: use lowercase ASCII letters, digits and single hyphens, "
        "like alaska-summit",
    ),
    "reserved slug": (
        SHEET_HEAD + "slug: tags\n---\n",
        "content/bad.md:5: slug: 'tags' is the address of the site's own tag pages",
    ),
    "country code": (
        SHEET_HEAD + "delegations:\n  - side: مكان\n    country: XX\n    members:\n      - {name: أ, role: ب}\n---\n",
        "content/bad.md:7: delegations[0].country: 'XX' is not an ISO 3166 two-letter country code, like US or RU",
    ),
    "not UTF-8": (
        (SHEET_HEAD + "place: ").encode("utf-8") + "القاهرة\n---\n".encode("cp1256"),
        "content/bad.md:5: the file is not UTF-8 text (byte 0xc7 cannot be read); save it with the UTF-8 encoding",
    ),
    "empty file": (
        "",
        "content/bad.md:1: the file is empty; a sheet starts with front matter between two '---' lines",
    ),
    "no front matter": (
        "نص بلا بيانات\n",
        "content/bad.md:1: the file must start with a line '---' that opens the front matter",
    ),
}


@pytest.fixture
def built_site(tmp_path):
    """Return a site that has built once, so that its output/ exists to be protected."""
    root = make_site(tmp_path, {"good.md": GOOD_SHEET})
    assert build(root) == 0
    return root


@pytest.mark.parametrize("text, expected", CASES.values(), ids=CASES.keys())
def test_content_error_is_reported_at_its_line_and_output_is_kept(built_site, capsys, text, expected):
    """Each mistake prints its exact message, exits 1 without a traceback, and leaves output/ byte for byte."""
    before = snapshot(built_site / "output")
    capsys.readouterr()
    (built_site / "content" / "bad.md").write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    assert build(built_site) == 1
    err = capsys.readouterr().err
    assert expected in err.splitlines()
    assert "Traceback" not in err
    assert snapshot(built_site / "output") == before


def test_every_problem_in_every_file_is_reported_in_one_run(tmp_path, capsys):
    """Problems in two files and two fields all come out of one build, sorted by file and line."""
    make_site(
        tmp_path,
        {
            "a.md": "---\ntitle: عنوان\ndate: 2025-13-01\nsummary: [x]\n---\n",
            "b.md": "---\ntitle: عنوان\n---\n",
        },
    )
    assert build(tmp_path) == 1
    lines = capsys.readouterr().err.splitlines()
    assert lines[:5] == [
        "content/a.md:3: date: 2025-13-01 is not a real date",
        "content/a.md:4: summary: must be text, not a list",
        "content/b.md:2: date: required",
        "content/b.md:2: summary: required",
        "4 errors and 0 warnings",
    ]


def test_two_sheets_with_one_slug_name_both_files(tmp_path, capsys):
    """A slug used twice is an error on the second file that names the first."""
    make_site(tmp_path, {"a.md": GOOD_SHEET, "b.md": GOOD_SHEET.replace("---\n", "---\nslug: a\n", 1)})
    assert build(tmp_path) == 1
    assert "content/b.md:2: slug: 'a' is already the slug of content/a.md; two sheets cannot share one URL" in (
        capsys.readouterr().err.splitlines()
    )


def test_file_name_that_is_no_slug_asks_for_one(tmp_path, capsys):
    """A file named in Arabic needs an explicit ASCII slug."""
    make_site(tmp_path, {"قمة.md": GOOD_SHEET})
    assert build(tmp_path) == 1
    assert "content/قمة.md:1: slug: the file name 'قمة' is not a URL slug" in capsys.readouterr().err


def test_unknown_key_warns_with_a_suggestion_and_strict_fails(tmp_path, capsys):
    """`outcome` is a warning that suggests `outcomes`; the build goes on unless --strict."""
    make_site(tmp_path, {"a.md": GOOD_SHEET.replace("---\n", "---\noutcome:\n  - نتيجة\n", 1)})
    assert build(tmp_path) == 0
    warning = "content/a.md:2: warning: outcome: unknown key; did you mean 'outcomes'?"
    assert warning in capsys.readouterr().err.splitlines()
    assert build(tmp_path, "--strict") == 1
    assert warning in capsys.readouterr().err.splitlines()


def test_duplicate_key_is_a_warning_naming_the_first_line(tmp_path, capsys):
    """A key given twice warns at the second, naming the first."""
    make_site(tmp_path, {"a.md": GOOD_SHEET.replace("---\n", "---\nplace: أ\nplace: ب\n", 1)})
    assert build(tmp_path) == 0
    assert "content/a.md:3: warning: place: duplicate key (first given at line 2); the last value is used" in (
        capsys.readouterr().err.splitlines()
    )
    assert '<span class="meta-item place">ب</span>' in (tmp_path / "output" / "a" / "index.html").read_text(encoding="utf-8")


def test_bom_and_crlf_are_read_and_lines_still_count(tmp_path, capsys):
    """A file saved by Windows Notepad (BOM, CRLF) builds, and its errors keep their line numbers."""
    text = "\ufeff---\r\ntitle: عنوان\r\ndate: 2025-01-10\r\nsummary: ملخص\r\n---\r\nنص\r\n"
    make_site(tmp_path, {"a.md": text, "b.md": text.replace("2025-01-10", "2025-01-32")})
    assert build(tmp_path) == 1
    assert capsys.readouterr().err.splitlines()[0] == "content/b.md:3: date: 2025-01-32 is not a real date"
    (tmp_path / "content" / "b.md").unlink()
    assert build(tmp_path) == 0
    assert re.search(r"<h1[^>]*>عنوان</h1>", (tmp_path / "output" / "a" / "index.html").read_text(encoding="utf-8"))


def test_files_starting_with_underscore_are_not_sheets(tmp_path):
    """content/_notes.md is a note for editors, never a page."""
    make_site(tmp_path, {"a.md": GOOD_SHEET, "_notes.md": "ملاحظات بلا بيانات"})
    assert build(tmp_path) == 0
    assert not (tmp_path / "output" / "_notes").exists()


def test_drafts_are_built_only_when_asked(tmp_path):
    """A draft sheet is left out unless --drafts."""
    make_site(tmp_path, {"a.md": GOOD_SHEET.replace("---\n", "---\ndraft: true\n", 1)})
    assert build(tmp_path) == 0
    assert not (tmp_path / "output" / "a").exists()
    assert build(tmp_path, "--drafts") == 0
    assert (tmp_path / "output" / "a" / "index.html").is_file()
