"""The W3C Nu HTML Checker (npm vnu-jar) reports no error on any page or stylesheet of the built site."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.browser.conftest import REPO
from tests.tools import require_tool

VNU = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def check(files: list[Path], *options: str) -> list[dict]:
    """Run vnu.jar on `files` and return its error messages."""
    java = require_tool("java")
    require_tool("vnu-jar (npm ci)", str(VNU))
    run = subprocess.run(
        [java, "-jar", str(VNU), "--errors-only", "--format", "json", *options, *map(str, files)],
        capture_output=True,
        text=True,
        check=False,
    )
    # vnu writes its JSON report on stderr and exits 1 when it found errors.
    report = json.loads(run.stderr or '{"messages": []}')
    return [m for m in report["messages"] if m.get("type") in ("error", "non-document-error")]


def describe(messages: list[dict]) -> str:
    """Return vnu's messages as file:line: text lines."""
    return "\n".join(f"{m.get('url', '')}:{m.get('lastLine', '?')}: {m['message']}" for m in messages)


def site_files(site: Path, suffix: str) -> list[Path]:
    """Return the generated files with `suffix`, leaving out the tests' own fixture pages."""
    return sorted(p for p in site.rglob(f"*{suffix}") if "_fixtures" not in p.relative_to(site).parts)


def test_every_page_is_valid_html(built_site):
    """Home page, sheet pages and 404.html have no HTML error."""
    pages = site_files(built_site, ".html")
    assert {p.relative_to(built_site).as_posix() for p in pages} >= {"index.html", "404.html", "alaska-summit/index.html"}
    errors = check(pages)
    assert errors == [], describe(errors)


def test_every_stylesheet_is_valid_css(built_site):
    """The theme's stylesheets have no CSS error."""
    stylesheets = site_files(built_site, ".css")
    assert stylesheets
    errors = check(stylesheets, "--css")
    assert errors == [], describe(errors)


def test_svg_icon_is_valid(built_site):
    """The favicon is well-formed SVG."""
    errors = check(site_files(built_site, ".svg"), "--svg")
    assert errors == [], describe(errors)


@pytest.mark.parametrize(
    ("name", "text", "options"),
    [
        ("broken.html", '<!doctype html><html lang="ar"><head><title>x</title></head><body><p dir="sideways">نص</p></body></html>', ()),
        ("broken.css", "p { colr: red; }", ("--css",)),
    ],
)
def test_checker_catches_an_error(tmp_path, name, text, options):
    """The check can fail: an invalid attribute value or an unknown CSS property is reported."""
    broken = tmp_path / name
    broken.write_text(text, "utf-8")
    assert check([broken], *options) != []
