"""The build as a newcomer and a maintainer see it: the sample site, deterministic output, safe output folder."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest

from tests.sitekit import GOOD_SHEET, REPO, build, make_site, snapshot


class LinkCollector(HTMLParser):
    """Collects every href and src of a page, and the text of its elements."""

    def __init__(self) -> None:
        """Start with no links."""
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        """Keep href and src values."""
        self.links.extend(value for name, value in attrs if name in ("href", "src") and value)


def links_of(html: str) -> list[str]:
    """Return every href and src of `html`."""
    collector = LinkCollector()
    collector.feed(html)
    return collector.links


@pytest.fixture
def sample_site(tmp_path):
    """Return a copy of the project's own sample site."""
    root = tmp_path / "site"
    root.mkdir()
    for name in ("content", "templates"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "waraqa.toml", root / "waraqa.toml")
    return root


def test_build_py_builds_the_sample_sheet_with_all_its_facts(sample_site):
    """`python build.py` makes the Alaska sheet with 4 details rows, 6 people, 3 outcomes and its 3 sections."""
    result = subprocess.run(
        [sys.executable, str(REPO / "build.py"), "--source", str(sample_site)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert re.fullmatch(
        r"Built 1 sheet, \d+ pages \(\d+ files\) into output/ in \d+\.\d\d s; search index: 1 page in \d+\.\d\d s\n",
        result.stdout,
    )
    html = (sample_site / "output" / "alaska-summit" / "index.html").read_text(encoding="utf-8")
    assert html.startswith('<!doctype html>\n<html lang="ar" dir="rtl">\n<head>\n<meta charset="utf-8">')
    for label, value in [
        ("مدة القمة", "3 ساعات"),
        ("موقع القمة", "ولاية ألاسكا – الولايات المتحدة الأمريكية"),
        ("الوفود المشاركة", "3 مسؤولين روس و3 أمريكيين"),
        ("الموضوع الرئيسي", "إنهاء الحرب الروسية الأوكرانية"),
    ]:
        assert re.search(rf'<th scope="row">(<bdi>)?{label}(</bdi>)?</th>\s*<td>(<bdi>)?{value}', html), label
    people = [
        ("دونالد ترمب", "الرئيس الأمريكي"),
        ("ماركو روبيو", "وزير الخارجية"),
        ("ستيف ويتكوف", "المبعوث الخاص"),
        ("فلاديمير بوتين", "الرئيس الروسي"),
        ("سيرغي لافروف", "وزير الخارجية"),
        ("يوري أوشاكوف", "مستشار السياسة الخارجية"),
    ]
    for name, role in people:
        assert re.search(rf"{name}.*?{role}", html, re.S), name
    assert html.count("الولايات المتحدة") >= 1 and "روسيا" in html
    for outcome in ("بدل اللقاء الثنائي الأولي", "المعاهدات النووية بين واشنطن وموسكو", "بوتين وزيلينسكي وترمب"):
        assert outcome in html
    assert len(re.findall(r"<h2 id=\"[^\"]*قمة-ألاسكا[^\"]*\">", html)) == 3
    assert "فوكس نيوز" in html
    assert (sample_site / "output" / ".nojekyll").is_file()


def test_build_py_builds_its_own_folder_from_anywhere_and_says_so(sample_site, tmp_path):
    """Run from another folder, build.py builds the site it sits in, as its --help tells."""
    shutil.copy(REPO / "build.py", sample_site / "build.py")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    run = [sys.executable, str(sample_site / "build.py"), "build"]
    env = {**os.environ, "PYTHONPATH": str(REPO)}  # as if installed, wherever the tests run from
    result = subprocess.run([*run, "-q"], cwd=elsewhere, env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert (sample_site / "output" / "index.html").is_file()
    assert not any(elsewhere.iterdir())
    shown = subprocess.run([*run, "--help"], cwd=elsewhere, env=env, capture_output=True, text=True, check=True).stdout
    assert "(default: the folder of build.py)" in " ".join(shown.split())


def test_sample_sheet_body_keeps_the_seed_article_word_for_word():
    """Every paragraph of the seed article's body is in the sample sheet unchanged."""
    seed = REPO.parent / "shared" / "seed" / "alaska-summit-article.txt"
    if not seed.is_file():
        pytest.skip("the seed article is not beside this checkout")
    sheet = (REPO / "content" / "alaska-summit.md").read_text(encoding="utf-8")
    paragraphs = [line.strip() for line in seed.read_text(encoding="utf-8").splitlines() if line.strip()]
    for paragraph in paragraphs[1:11]:
        assert paragraph in sheet
    assert f'title: "{paragraphs[0]}"' in sheet


def test_two_builds_are_byte_identical(sample_site):
    """The same input gives the same bytes: no timestamps, no set or dict order leaks."""
    assert build(sample_site) == 0
    first = snapshot(sample_site / "output")
    assert build(sample_site) == 0
    assert snapshot(sample_site / "output") == first


def test_every_link_resolves_under_a_project_sub_path(sample_site):
    """Built for https://example.github.io/repo/, every href and src points at a file under /repo/."""
    (sample_site / "content" / "second.md").write_text(GOOD_SHEET, encoding="utf-8")
    assert build(sample_site, "--base-url", "https://example.github.io/repo/") == 0
    output = sample_site / "output"
    pages = sorted(output.rglob("*.html"))
    assert len(pages) >= 15
    checked = 0
    for page in pages:
        for link in links_of(page.read_text(encoding="utf-8")):
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or link.startswith("#"):
                continue
            assert parts.path.startswith("/repo/"), f"{page}: {link}"
            target = output / parts.path.removeprefix("/repo/")
            if parts.path.endswith("/"):
                target = target / "index.html"
            assert target.is_file(), f"{page.relative_to(output)} links to {link}, which is not in the output"
            checked += 1
    assert checked >= 10


def test_404_page_links_work_from_any_depth(sample_site):
    """404.html is served for any missing path, so its links are root-relative with the base path."""
    assert build(sample_site, "--base-url", "/repo/") == 0
    links = [link for link in links_of((sample_site / "output" / "404.html").read_text(encoding="utf-8"))
             if not link.startswith("#")]
    assert links and all(link.startswith("/repo/") for link in links)


def test_cname_is_written_for_a_custom_domain(tmp_path):
    """A configured domain becomes output/CNAME, as GitHub Pages wants it."""
    make_site(tmp_path, {"a.md": GOOD_SHEET}, config='cname = "Facts.Example.org"\n')
    assert build(tmp_path) == 0
    assert (tmp_path / "output" / "CNAME").read_text() == "facts.example.org\n"


@pytest.mark.parametrize("output", [".", "content", "templates", "..", "content/pages"])
def test_output_folder_that_would_destroy_sources_is_refused(tmp_path, capsys, output):
    """The project root, content/, templates/, their parents and folders inside them are never the output."""
    root = make_site(tmp_path / "site", {"a.md": GOOD_SHEET})
    before = snapshot(tmp_path)
    assert build(root, "--output", output) == 1
    assert capsys.readouterr().err.startswith("error: refusing to write the site into ")
    assert snapshot(tmp_path) == before


def test_foreign_non_empty_output_folder_is_refused(tmp_path, capsys):
    """A folder Waraqa did not make is left alone, whatever it holds."""
    root = make_site(tmp_path, {"a.md": GOOD_SHEET})
    (root / "output").mkdir()
    (root / "output" / "thesis.docx").write_bytes(b"years of work")
    assert build(root) == 1
    assert "was not made by Waraqa" in capsys.readouterr().err
    assert (root / "output" / "thesis.docx").read_bytes() == b"years of work"


def test_failed_render_leaves_previous_output_and_no_staging_folder(tmp_path, capsys):
    """A template error mid-build names the template and line, keeps output/, and cleans its staging folder."""
    root = make_site(tmp_path, {"a.md": GOOD_SHEET})
    assert build(root) == 0
    before = snapshot(root / "output")
    sheet_template = root / "templates" / "sheet.html"
    lines = sheet_template.read_text(encoding="utf-8").splitlines()
    line = next(number for number, text in enumerate(lines, start=1) if "{% block main %}" in text) + 1
    lines.insert(line - 1, "{{ sheet.no_such_field }}")
    sheet_template.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert build(root) == 1
    err = capsys.readouterr().err
    assert re.search(rf"^error: templates/sheet\.html:{line}: UndefinedError: .*no_such_field", err, re.M), err
    assert "Traceback" not in err
    assert snapshot(root / "output") == before
    assert [p.name for p in root.iterdir() if p.name.startswith(".output")] == []


def test_template_syntax_error_names_template_and_line(tmp_path, capsys):
    """A broken tag in a template is reported at its line."""
    root = make_site(tmp_path, {"a.md": GOOD_SHEET})
    (root / "templates" / "404.html").write_text("{% extends 'base.html' %}\n{% block main %}\n{% if %}\n", "utf-8")
    assert build(root) == 1
    assert re.search(r"^error: templates/404\.html:3: template syntax error: ", capsys.readouterr().err, re.M)


def test_check_validates_without_writing(tmp_path, capsys):
    """`check` reports problems like a build but writes nothing."""
    from waraqa.cli import main

    root = make_site(tmp_path, {"a.md": GOOD_SHEET})
    assert main(["check", "--source", str(root)]) == 0
    assert re.search(r"^Checked 1 sheet and \d+ pages: no errors$", capsys.readouterr().out, re.M)
    assert not (root / "output").exists()


def test_config_errors_name_the_setting_and_line(tmp_path, capsys):
    """A bad setting in waraqa.toml gets the file, the line and the setting."""
    make_site(tmp_path, {"a.md": GOOD_SHEET}, config='title = "t"\nbase_url = "ftp://x"\nnumerals = "roman"\ntitel = "x"\n')
    assert build(tmp_path) == 1
    err = capsys.readouterr().err.splitlines()
    assert "waraqa.toml:2: base_url: 'ftp://x' must be a path such as /repo/ or an address such as " \
        "https://user.github.io/repo/" in err
    assert "waraqa.toml:3: numerals: 'roman' must be \"latn\" or \"arab\"" in err
    assert "waraqa.toml:4: warning: titel: unknown setting; did you mean 'title'?" in err


def test_bad_base_url_on_the_command_line_is_named_as_such(tmp_path, capsys):
    """--base-url mistakes point at the option, not at a line of waraqa.toml."""
    make_site(tmp_path, {"a.md": GOOD_SHEET})
    assert build(tmp_path, "--base-url", "user.github.io/repo") == 1
    assert capsys.readouterr().err.startswith("command line: --base-url: 'user.github.io/repo' must be a path")


def test_toml_syntax_error_has_its_line(tmp_path, capsys):
    """A TOML mistake is reported at its line."""
    make_site(tmp_path, {"a.md": GOOD_SHEET}, config='title = "t"\nbase_url = /\n')
    assert build(tmp_path) == 1
    assert capsys.readouterr().err.startswith("waraqa.toml:2: TOML syntax error: Invalid value")


def test_output_folder_is_created_by_rename_not_left_half_written(tmp_path):
    """After a good build there is exactly one output folder and Waraqa's marker in it."""
    root = make_site(tmp_path, {"a.md": GOOD_SHEET})
    assert build(root) == 0
    assert build(root) == 0
    assert sorted(p.name for p in root.iterdir()) == [".waraqa-cache", "content", "output", "templates", "waraqa.toml"]
    assert (root / "output" / ".waraqa-output").is_file()


def test_dates_follow_the_configured_locale_and_numerals(tmp_path):
    """ar_LB writes آب for August; numerals = arab writes the generator's digits as ٠-٩ but keeps datetime."""
    make_site(
        tmp_path,
        {"a.md": GOOD_SHEET.replace("2025-01-10", "2025-08-15")},
        config='locale = "ar_LB"\nnumerals = "arab"\n',
    )
    assert build(tmp_path) == 0
    html = (tmp_path / "output" / "a" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<time datetime="2025-08-15"[^>]*>(<bdi>)?١٥ آب ٢٠٢٥(</bdi>)?</time>', html)
