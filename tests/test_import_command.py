"""`python build.py import FILE|-`: writes content/SLUG.md as a draft, never over a file, never a traceback."""

from __future__ import annotations

import io
import subprocess
import sys

import pytest

from waraqa.cli import main

from tests.sitekit import GOOD_SHEET, REPO, make_site

ARTICLE = """قمة الرياض تبحث أمن الملاحة في البحر الأحمر

الرياض (واس) - بحث وزير الخارجية السعودي الأمير فيصل بن فرحان ونظيره المصري بدر عبد العاطي يوم 15 أغسطس 2025 أمن الملاحة في البحر الأحمر. وأكد الجانبان أهمية التنسيق.

• تشكيل لجنة مشتركة للأمن البحري
• عقد الاجتماع المقبل في القاهرة
"""


@pytest.fixture
def site(tmp_path):
    """Return a site with one sheet, and an article file beside it."""
    root = make_site(tmp_path / "site", {"first.md": GOOD_SHEET})
    (tmp_path / "article.txt").write_text(ARTICLE, encoding="utf-8")
    return root


def run_import(site, *args: str) -> int:
    """Run `import ARGS` on `site` in-process and return the exit code."""
    return main(["import", "--source", str(site), *args])


def test_import_writes_a_draft_named_after_the_headline_and_says_what_to_check(site, capsys):
    """The sheet goes to content/<transliterated headline>.md with draft: true; every line names the file."""
    assert run_import(site, str(site.parent / "article.txt")) == 0
    written = site / "content" / "qma-al-riad-tbhth-amn-al-mlaha-fi-al-bhr.md"
    text = written.read_text(encoding="utf-8")
    assert "\ndraft: true\n" in text and 'title: "قمة الرياض تبحث أمن الملاحة في البحر الأحمر"' in text
    printed = capsys.readouterr().out.splitlines()
    assert all(line.startswith("content/qma-al-riad-tbhth-amn-al-mlaha-fi-al-bhr.md") for line in printed)
    assert any("العنوان مأخوذ من السطر 1 (title taken from line 1)" in line for line in printed)
    assert any(":5: راجع (check) date: من «15 أغسطس 2025» في السطر 3" in line for line in printed)
    assert "python build.py check --drafts" in printed[-1]


def test_the_draft_builds_with_drafts_and_check_lists_its_marks(site, capsys):
    """`build --drafts` has no errors; `check --drafts` prints a warning per mark, on the draft's lines."""
    assert run_import(site, "--slug", "red-sea", str(site.parent / "article.txt")) == 0
    capsys.readouterr()
    assert main(["build", "--source", str(site), "--drafts", "-q"]) == 0
    assert (site / "output" / "red-sea" / "index.html").is_file()
    assert main(["check", "--source", str(site), "--drafts", "-q"]) == 0
    warnings = [line for line in capsys.readouterr().err.splitlines() if "warning:" in line]
    assert warnings and all(line.startswith("content/red-sea.md:") for line in warnings)
    assert any(": warning: date: راجع: من «15 أغسطس 2025»" in line for line in warnings)


def test_standard_input_and_slug(site, monkeypatch):
    """`import -` reads what is pasted; --slug names the file."""
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(ARTICLE.encode("utf-8")), encoding="utf-8"))
    assert run_import(site, "--slug", "pasted", "-") == 0
    assert "أمن الملاحة" in (site / "content" / "pasted.md").read_text(encoding="utf-8")


def test_a_taken_slug_is_refused_and_nothing_is_overwritten(site, capsys):
    """An existing file, or another sheet's slug:, keeps the import from writing; the message offers a free slug."""
    (site / "content" / "other.md").write_text(GOOD_SHEET.replace("title:", "slug: taken\ntitle:"), encoding="utf-8")
    before = (site / "content" / "first.md").read_bytes()
    assert run_import(site, "--slug", "first", str(site.parent / "article.txt")) == 1
    assert (site / "content" / "first.md").read_bytes() == before
    err = capsys.readouterr().err
    assert "الرابط «first» لورقة موجودة ولن أكتب فوقها" in err and "--slug first-2" in err
    assert run_import(site, "--slug", "taken", str(site.parent / "article.txt")) == 1
    assert not (site / "content" / "taken.md").exists()
    assert run_import(site, str(site.parent / "article.txt")) == 0
    assert run_import(site, str(site.parent / "article.txt")) == 1
    assert "qma-al-riad-tbhth-amn-al-mlaha-fi-al-bhr-2" in capsys.readouterr().err


@pytest.mark.parametrize(
    "slug, message",
    [("Red Sea", "لا يصلح رابطًا"), ("tags", "محجوز لصفحات الموقع")],
)
def test_an_unusable_slug_is_refused(site, capsys, slug, message):
    """A slug that is not lowercase ASCII, or that the site's own pages use, gets a message in both languages."""
    assert run_import(site, "--slug", slug, str(site.parent / "article.txt")) == 1
    assert message in capsys.readouterr().err
    assert sorted(p.name for p in (site / "content").iterdir()) == ["first.md"]


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("missing.txt", None, "لا ملف بهذا الاسم (no such file)"),
        ("folder", "dir", "هذا مجلد وليس ملفًا"),
        ("empty.txt", b"  \n\n", "الملف فارغ"),
        ("photo.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01", "الملف ليس نصًّا بل ملف ثنائي"),
        ("latin1.txt", "قمة".encode("cp1256"), "السطر 1: الملف ليس بترميز UTF-8"),
        ("marks.txt", "\u200f\n\u00a0\n".encode("utf-8"), "لا نص في المقال لأستورده"),
    ],
)
def test_unreadable_input_is_a_message_not_a_traceback(site, capsys, name, data, message):
    """Every input that is not an article ends with exit 1 and one line naming it, in Arabic and English."""
    path = site.parent / name
    if data == "dir":
        path.mkdir()
    elif data is not None:
        path.write_bytes(data)
    assert run_import(site, str(path)) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"{path}: ") and message in err and "Traceback" not in err
    assert sorted(p.name for p in (site / "content").iterdir()) == ["first.md"]


def test_build_py_import_runs_as_a_command(site):
    """`python build.py import -` works from a shell, pasted text on standard input."""
    done = subprocess.run(
        [sys.executable, str(REPO / "build.py"), "import", "--source", str(site), "--slug", "from-shell", "-"],
        input=ARTICLE.encode("utf-8"), capture_output=True, cwd=REPO, timeout=60,
    )
    assert done.returncode == 0, done.stderr.decode()
    assert (site / "content" / "from-shell.md").is_file()
    assert "Traceback" not in done.stderr.decode()
