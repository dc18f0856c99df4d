"""Site search: the sample site indexed by Pagefind and searched in a real browser, under a sub-path.

A reader types into the search box of the header, lands on the results page and finds the Alaska sheet by
a country with or without its hamza, by a derived form, by a person, by a Latin word, and by the year in
Latin or Arabic-Indic digits; a word that appears nowhere finds nothing and the page says so in Arabic.
"""

from __future__ import annotations

import gzip
import hashlib
import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from benchmarks.browsing import served
from tests.tools import chromium
from waraqa.cli import main
from tests.sitekit import snapshot
from waraqa.pagefind_files import cbor_decode, cbor_encode
from waraqa.search import SearchError, index_pages

REPO = Path(__file__).resolve().parent.parent
SHEET_URL = "/repo/alaska-summit/"
# A second sheet whose text shows markup as text: a result must show it as text too, never run it.
MARKUP_SHEET = """---
title: ورقة عن نص فيه وسوم
date: 2024-03-01
summary: ورقة اختبار.
---

كتب المبرمجون في تقرير Zebrafish السطر `<img src=x onerror="window.hacked=1">` والشرط `a < b && c` كما هما.
"""
SHEET_TITLE = "انتهاء قمة ألاسكا"


def sample_site(folder: Path, numerals: str = "latn", search: bool = True) -> Path:
    """Copy the sample site (content/, templates/, waraqa.toml) into `folder`, writing dates in `numerals`."""
    shutil.copytree(REPO / "content", folder / "content")
    shutil.copytree(REPO / "templates", folder / "templates")
    config = re.sub(r"(?m)^numerals = .*$\n?", "", (REPO / "waraqa.toml").read_text(encoding="utf-8"))
    # At the top: a setting after the file's [tables] would belong to the last of them.
    config = re.sub(r"(?m)^search = .*$\n?", "", config)
    config = f"search = {str(search).lower()}\n{config}"
    (folder / "waraqa.toml").write_text(f'numerals = "{numerals}"\n{config}', encoding="utf-8")
    # The sheet's article names Fox News in Arabic only; its sources list gives the Latin name too.
    assert "Fox News" in (folder / "content" / "alaska-summit.md").read_text(encoding="utf-8")
    (folder / "content" / "markup-in-text.md").write_text(MARKUP_SHEET, encoding="utf-8")
    return folder


def build_sample(folder: Path, output: Path, base_url: str, numerals: str = "latn") -> Path:
    """Build the sample site into `output` under `base_url`, with its search index; return `output`."""
    site = sample_site(folder, numerals)
    assert main(["build", "--source", str(site), "--output", str(output), "--base-url", base_url, "--no-cache", "-q"]) == 0
    assert (output / "pagefind" / "pagefind-entry.json").is_file() and (output / "search" / "index.html").is_file()
    return output


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[str]:
    """Serve the sample site under /repo/ (Latin digits) and /arab/ (Arabic-Indic digits); return the origin."""
    root = tmp_path_factory.mktemp("search")
    folder = root / "served"
    build_sample(root / "site", folder / "repo", "/repo/")
    build_sample(root / "site-arab", folder / "arab", "/arab/", numerals="arab")
    with served(folder) as address:
        yield address.rstrip("/")


@pytest.fixture(scope="module")
def browser():
    """Launch Debian's chromium through Playwright, which never downloads a browser here."""
    with chromium() as launched:
        yield launched


@pytest.fixture
def page(browser, server):
    """Return a fresh page that fails the test if it loads anything from another host."""
    opened = browser.new_page(viewport={"width": 1280, "height": 900})
    outside: list[str] = []
    opened.on("request", lambda request: None if request.url.startswith(server) else outside.append(request.url))
    opened.on("pageerror", lambda error: outside.append(f"script error: {error}"))
    yield opened
    opened.close()
    assert outside == [], f"the search loaded from another host or failed: {outside}"


def search_from_header(page, server: str, query: str, site: str = "/repo/"):
    """Open the home page, type `query` into the header's search box, press Enter; return the results page."""
    from playwright.sync_api import expect

    page.goto(f"{server}{site}")
    box = page.get_by_role("search", name="البحث في الموقع").get_by_role("searchbox")
    box.fill(query)
    box.press("Enter")
    page.wait_for_url(re.compile(re.escape(f"{server}{site}search/") + r"\?q="))
    expect(page.locator("[data-search-status]")).not_to_be_empty()
    return page


@pytest.mark.parametrize(
    "query",
    ["أوكرانيا", "اوكرانيا", "الأوكرانية", "لافروف", "بوتين", "Fox", "2025", "٢٠٢٥"],
    ids=["country", "without-hamza", "derived-form", "lavrov", "putin", "latin-word", "year", "arabic-indic-year"],
)
def test_the_header_box_finds_the_sheet(page, server, query):
    """Each of the issue's queries, typed in the header, lists the Alaska sheet, and only sheets."""
    from playwright.sync_api import expect

    search_from_header(page, server, query)
    results = page.locator(".search-result")
    expect(results).to_have_count(1)
    link = results.first.get_by_role("link")
    expect(link).to_contain_text(SHEET_TITLE)
    assert link.get_attribute("href") == SHEET_URL
    expect(page.locator("[data-search-status]")).to_have_text(f"نتيجة واحدة عن «{query}».")
    expect(page.locator("#search-q")).to_have_value(query)


def test_the_match_is_marked_in_its_own_spelling(page, server):
    """A query without hamza marks the word as the sheet writes it, with its hamza."""
    from playwright.sync_api import expect

    search_from_header(page, server, "اوكرانيا")
    expect(page.locator(".search-result-excerpt mark").first).to_contain_text("أوكرانيا")


def test_the_excerpt_keeps_its_spaces_and_shows_markup_as_text(page, server):
    """The excerpt reads as the sheet does, spaces kept; markup quoted in a sheet is shown, never made or run."""
    from playwright.sync_api import expect

    search_from_header(page, server, "أوكرانيا")
    expect(page.locator(".search-result-excerpt")).to_contain_text("أوكرانيا. بحسب")
    search_from_header(page, server, "Zebrafish")
    excerpt = page.locator(".search-result-excerpt")
    expect(excerpt).to_contain_text("a < b &&")
    expect(excerpt).to_contain_text('onerror="window.hacked=1"')
    assert page.locator(".search-results img").count() == 0
    assert page.evaluate("window.hacked") is None


def test_latin_words_in_results_read_as_typed(page, server):
    """Results get the site's bidi rule: a Latin word of the excerpt, match and all, is one left-to-right <bdi>."""
    from playwright.sync_api import expect

    search_from_header(page, server, "Zebrafish")
    expect(page.locator("[data-search-status]")).to_have_text("نتيجة واحدة عن «Zebrafish».")
    excerpt = page.locator(".search-result-excerpt")
    expect(excerpt.locator("bdi", has=page.locator("mark"))).to_have_text("Zebrafish")
    assert excerpt.evaluate("e => getComputedStyle(e).direction") == "rtl"
    word, before = excerpt.evaluate(
        """e => { const bdi = e.querySelector('bdi'); const r = document.createRange();
                  const text = bdi.previousSibling; r.setStart(text, text.data.length - 6); r.setEnd(text, text.data.length - 1);
                  return [bdi.getBoundingClientRect().right, r.getBoundingClientRect().left]; }"""
    )
    assert before >= word - 1, "the Arabic word before the Latin one must sit at its right"


def test_a_word_that_appears_nowhere_finds_nothing(page, server):
    """An absent word lists nothing, and the page says so in Arabic."""
    from playwright.sync_api import expect

    search_from_header(page, server, "زلزال")
    expect(page.locator("[data-search-status]")).to_have_text("لا توجد نتائج عن «زلزال».")
    expect(page.locator(".search-result")).to_have_count(0)


@pytest.mark.parametrize("query", ["المحتوى", "مصادرها", "حقائق"], ids=["skip-link", "footer", "kicker"])
def test_navigation_footer_and_labels_are_not_indexed(page, server, query):
    """Words found only in the skip link, the footer or the sheet's label «ورقة حقائق» find nothing."""
    from playwright.sync_api import expect

    search_from_header(page, server, query)
    expect(page.locator("[data-search-status]")).to_have_text(f"لا توجد نتائج عن «{query}».")


def test_the_year_is_found_in_both_digits_on_a_site_that_writes_arabic_indic(page, server):
    """A site whose dates are in ٠-٩ is found by 2025 and ٢٠٢٥ alike, and counts in its own digits."""
    from playwright.sync_api import expect

    for query in ("2025", "٢٠٢٥"):
        search_from_header(page, server, query, site="/arab/")
        expect(page.locator(".search-result")).to_have_count(1)
        expect(page.locator(".search-result-date")).to_contain_text("٢٠٢٥")


def test_typing_on_the_results_page_searches_and_the_keyboard_reaches_the_result(page, server):
    """The results page searches as the reader types; Tab reaches the result and Enter opens the sheet."""
    from playwright.sync_api import expect

    page.goto(f"{server}/repo/search/")
    expect(page.locator("[data-search-status]")).to_contain_text("اكتب")
    page.locator("#search-q").press_sequentially("لافروف", delay=20)
    # The address follows the search, so that it can be bookmarked or shared.
    expect(page).to_have_url(f"{server}/repo/search/?q=%D9%84%D8%A7%D9%81%D8%B1%D9%88%D9%81")
    expect(page.locator("[data-search-status]")).to_have_text("نتيجة واحدة عن «لافروف».")
    link = page.locator(".search-result a")
    for _ in range(10):
        page.keyboard.press("Tab")
        if link.evaluate("element => element === document.activeElement"):
            break
    else:
        pytest.fail("Tab never reached the result's link")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{server}{SHEET_URL}")


def test_tags_and_sides_filter_the_results(page, server):
    """The tag and side boxes list the sheet's values; choosing one lists its sheets even with no words."""
    from playwright.sync_api import expect

    page.goto(f"{server}/repo/search/")
    tag = page.get_by_label("الوسم")
    side = page.get_by_label("الجانب")
    # Arabic collation: أوكرانيا sorts as اوكرانيا, after الولايات.
    tags = ["كل الوسوم", "الولايات المتحدة", "أوكرانيا", "روسيا", "قمة ألاسكا"]
    expect(tag.locator("option")).to_have_text(tags)
    expect(side.locator("option")).to_have_text(["كل الجوانب", "الولايات المتحدة", "روسيا"])
    side.select_option("روسيا")
    expect(page.locator(".search-result")).to_have_count(1)
    assert "side=" in page.url
    page.locator("#search-q").fill("زلزال")
    page.locator("#search-q").press("Enter")
    expect(page.locator(".search-result")).to_have_count(0)


def test_the_page_is_right_to_left_and_loads_only_from_the_site(page, server):
    """The results page is Arabic, right to left, and takes its script, index and styles from under /repo/."""
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    search_from_header(page, server, "بوتين")
    assert page.evaluate("[document.documentElement.lang, document.documentElement.dir]") == ["ar", "rtl"]
    assert any(url.startswith(f"{server}/repo/pagefind/") for url in requested)
    assert all(url.startswith(f"{server}/repo/") for url in requested), requested


# --- Without a browser ------------------------------------------------------------------------------------


def index_files(output: Path) -> dict[str, bytes]:
    """Return every file of the search index in `output` with its bytes."""
    bundle = output / "pagefind"
    return {p.relative_to(bundle).as_posix(): p.read_bytes() for p in sorted(bundle.rglob("*")) if p.is_file()}


def test_indexing_is_byte_for_byte_repeatable(tmp_path):
    """Two builds of the same site, then indexing its pages again and again, give the same index byte for byte.

    Pagefind alone writes the tag and side filters in an order that changes from run to run; with four tags
    and two sides, six runs are enough to see it more often than not.
    """
    first = index_files(build_sample(tmp_path / "a", tmp_path / "out-a", "/"))
    output = build_sample(tmp_path / "b", tmp_path / "out-b", "/")
    assert any(name.startswith("filter/") for name in first)
    assert index_files(output) == first
    pages = sorted(p.relative_to(output).as_posix() for p in output.glob("*/index.html"))
    for number in range(5):
        bundle = tmp_path / f"again-{number}" / "pagefind"
        index_pages([(name, (output / name).read_text(encoding="utf-8")) for name in pages], bundle)
        assert index_files(bundle.parent) == first


def test_the_whole_site_is_the_same_on_tmpfs_and_ext4_with_one_process_or_many(tmp_path):
    """The output, search index included, does not depend on the file system or on --jobs.

    Pagefind's own walk numbers pages in the order the file system lists them: tmpfs lists a folder newest
    first, ext4 by a hash of the names, and a pool writes files in another order than one process.
    """
    tmpfs = Path("/dev/shm")
    if not tmpfs.is_dir():
        pytest.skip("no tmpfs at /dev/shm")
    from benchmarks.corpus import generate
    from waraqa.pool import POOL_THRESHOLD

    site = generate(POOL_THRESHOLD + 16, tmp_path / "site", search=True)
    on_disk = tmp_path / "out-disk"
    assert main(["build", "--source", str(site), "--output", str(on_disk), "--no-cache", "-q", "--jobs", "2"]) == 0
    with tempfile.TemporaryDirectory(dir=tmpfs) as scratch:
        in_memory = Path(scratch) / "out"
        assert main(["build", "--source", str(site), "--output", str(in_memory), "--no-cache", "-q", "--jobs", "1"]) == 0
        assert snapshot(in_memory) == snapshot(on_disk)
    assert any(name.startswith("pagefind/filter/") for name in snapshot(on_disk))


def test_pagefind_files_read_and_written_back_are_unchanged(tmp_path):
    """Waraqa reads and writes Pagefind's index files exactly as Pagefind does: same bytes, same hash names."""
    files = index_files(build_sample(tmp_path / "site", tmp_path / "out", "/"))
    chunks = {name: data for name, data in files.items() if name.endswith((".pf_index", ".pf_filter", ".pf_meta"))}
    assert any(name.startswith("index/") for name in chunks)
    for name, data in chunks.items():
        plain = gzip.decompress(data)
        assert plain.startswith(b"pagefind_dcd")
        value, end = cbor_decode(plain, len(b"pagefind_dcd"))
        assert end == len(plain) and cbor_encode(value) == plain[len(b"pagefind_dcd") :], name
        digest = "".join(f"{byte:x}" for byte in hashlib.sha1(plain[len(b"pagefind_dcd") :]).digest())
        assert name.split("_", 1)[1].startswith(digest[:7]), name


def test_an_edit_reindexes_the_sheets_alone_and_leaves_nothing_beside_the_site(tmp_path, capsys):
    """After an edit the index is made again from the two sheets only, and no folder is left in or beside output/."""
    site = sample_site(tmp_path / "site")
    assert main(["build", "--source", str(site), "-q"]) == 0
    before = sorted(p.name for p in (site / "output").iterdir())
    sheet = site / "content" / "markup-in-text.md"
    sheet.write_text(sheet.read_text(encoding="utf-8").replace("ورقة اختبار.", "ورقة اختبار معدلة."), encoding="utf-8")
    assert main(["build", "--source", str(site)]) == 0
    assert "search index: 2 pages" in capsys.readouterr().out
    assert sorted(p.name for p in (site / "output").iterdir()) == before
    assert sorted(p.name for p in site.iterdir()) == [".waraqa-cache", "content", "output", "templates", "waraqa.toml"]


def test_switched_off_the_site_has_no_search(tmp_path):
    """With `search = false` in waraqa.toml the build writes no index, no results page and no search box."""
    site = sample_site(tmp_path / "site", search=False)
    output = tmp_path / "out"
    assert main(["build", "--source", str(site), "--output", str(output), "--no-cache", "-q"]) == 0
    assert not (output / "pagefind").exists() and not (output / "search").exists()
    pages = sorted(output.rglob("*.html"))
    with_search = [p.name for p in pages if re.search(r"site-search|static/search\.|pagefind/", p.read_text(encoding="utf-8"))]
    assert pages and with_search == []


def test_a_missing_pagefind_is_named_with_the_way_to_install_it(tmp_path, monkeypatch):
    """Without the binary, indexing fails with a message that says what to install, not a traceback."""
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "no-such-pagefind"))
    with pytest.raises(SearchError, match="PAGEFIND_BINARY_PATH names .*no-such-pagefind, which is not a file"):
        index_pages([("a/index.html", "<html></html>")], tmp_path / "bundle")


def test_a_failing_pagefind_after_an_edit_leaves_the_output_as_it_was(tmp_path, monkeypatch, capsys):
    """Pagefind failing (a binary that exits 3) after a title edit: exit 1, its message shown, output/ unchanged."""
    site = sample_site(tmp_path / "site")
    assert main(["build", "--source", str(site), "-q"]) == 0
    before = snapshot(site / "output")
    failing = tmp_path / "pagefind"
    failing.write_text("#!/bin/sh\necho 'no index today' >&2\nexit 3\n", encoding="utf-8")
    failing.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(failing))
    sheet = site / "content" / "alaska-summit.md"
    sheet.write_text(sheet.read_text(encoding="utf-8").replace("رسميًا..", "رسميًا:"), encoding="utf-8")
    assert main(["build", "--source", str(site), "-q"]) == 1
    assert re.search(r"(?s)Pagefind failed to index the site \(exit code 3\).*no index today", capsys.readouterr().err)
    assert snapshot(site / "output") == before
    assert sorted(p.name for p in site.iterdir()) == [".waraqa-cache", "content", "output", "templates", "waraqa.toml"]
    monkeypatch.delenv("PAGEFIND_BINARY_PATH")
    assert main(["build", "--source", str(site), "-q"]) == 0
    assert "رسميًا:" in (site / "output" / "alaska-summit" / "index.html").read_text(encoding="utf-8")
