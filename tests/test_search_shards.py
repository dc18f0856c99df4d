"""A big site's search index is split into shards: an edit re-indexes one, and the merged shards find what one index finds."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from benchmarks.browsing import served
from benchmarks.corpus import generate
from tests.sitekit import snapshot
from tests.tools import chromium
from waraqa import search
from waraqa.cli import main

SHEETS = search.SHARD_PAGES + 88  # two shards


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> dict[str, Path]:
    """Build one corpus twice under /one/ and /shards/: as one index, and split into shards."""
    root = tmp_path_factory.mktemp("shards")
    site = generate(SHEETS, root / "site", search=True)
    served_folder = root / "served"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(search, "SHARD_PAGES", 10**6)
        assert build_into(site, served_folder / "one", "/one/") == 0
    assert build_into(site, served_folder / "shards", "/shards/") == 0
    return {"site": site, "served": served_folder}


def build_into(site: Path, output: Path, base_url: str) -> int:
    """Build `site` into `output` for `base_url`, without the cache."""
    return main(["build", "--source", str(site), "--output", str(output), "--base-url", base_url, "--no-cache", "-q"])


def test_a_big_site_has_shards_and_an_edit_reindexes_one(sites, tmp_path, capsys):
    """Two shards on disk; one title edit re-indexes one of them, and the result equals a build from nothing."""
    shards = sites["served"] / "shards" / "pagefind"
    assert (shards / "pagefind-entry.json").is_file() and (shards / "shards" / "1" / "pagefind-entry.json").is_file()
    assert not (shards / "shards" / "1" / "pagefind.js").exists(), "a merged shard needs no script of its own"
    assert not (sites["served"] / "one" / "pagefind" / "shards").exists()
    site = tmp_path / "site"
    shutil.copytree(sites["site"], site)
    assert main(["build", "--source", str(site), "-q"]) == 0
    sheet = site / "content" / "sheet-00042.md"
    sheet.write_text(sheet.read_text(encoding="utf-8").replace('title: "', 'title: "(معدّل) ', 1), encoding="utf-8")
    capsys.readouterr()
    assert main(["build", "--source", str(site)]) == 0
    assert "(1 of 2 shards)" in capsys.readouterr().out
    fresh = tmp_path / "fresh"
    shutil.copytree(site, fresh, ignore=shutil.ignore_patterns("output", ".waraqa-cache"))
    assert main(["build", "--source", str(fresh), "--no-cache", "-q"]) == 0
    assert snapshot(site / "output") == snapshot(fresh / "output")


@pytest.fixture(scope="module")
def page(sites) -> Iterator:
    """Return a browser page on a server of both builds."""
    with served(sites["served"]) as address, chromium() as browser:
        opened = browser.new_page()
        opened.base = address.rstrip("/")  # type: ignore[attr-defined]
        yield opened
        opened.close()


def status(page, site: str, query: str) -> str:
    """Search `site`'s search page for `query` as a reader does; return what its status line says."""
    from playwright.sync_api import expect

    page.goto(f"{page.base}/{site}/search/?q={query}")
    line = page.locator("[data-search-status]")
    expect(line).to_have_text(re.compile("عن «"), timeout=20_000)
    return line.inner_text()


# Every result's address and excerpt, by Pagefind's own script, loading the shards as search.js does.
EVERY_RESULT = """async ([bundle, shards, query]) => {
  const pagefind = await import(bundle + "pagefind.js");
  const settings = {excerptLength: 24};
  await pagefind.options(settings);
  await pagefind.init();
  await Promise.all(Array.from({length: shards - 1}, (_, n) => pagefind.mergeIndex(`${bundle}shards/${n + 1}/`, settings)));
  const found = await pagefind.search(query);
  const data = await Promise.all(found.results.map((result) => result.data()));
  return Object.fromEntries(data.map((item) => [item.url, item.excerpt]));
}"""


def results(page, site: str, query: str) -> dict[str, str]:
    """Return every result of `query` on `site`: address -> excerpt."""
    shards = int(page.locator("[data-search]").get_attribute("data-shards"))
    found = page.evaluate(EVERY_RESULT, [f"/{site}/pagefind/", shards, query])
    return {url.removeprefix(f"/{site}/"): excerpt for url, excerpt in found.items()}


@pytest.mark.parametrize("query", ["Geneva", "الرياض", "لافروف", "OPEC", "مليار"])
def test_merged_shards_find_what_one_index_finds(page, query):
    """Every query finds the same sheets with the same excerpts in the shards as in one index of the whole site."""
    said = status(page, "one", query)
    one = results(page, "one", query)
    assert status(page, "shards", query) == said, "the search page counts other results over the shards"
    merged = results(page, "shards", query)
    assert one, f"the query {query!r} found nothing at all"
    assert merged == one
