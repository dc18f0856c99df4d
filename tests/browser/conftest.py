"""Fixtures for tests in a real browser: the sample site built into tmp, served on 127.0.0.1, and Debian's chromium."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from benchmarks.browsing import served
from tests.tools import chromium
from waraqa.cli import main

REPO = Path(__file__).resolve().parent.parent.parent
# One page of each type the generator writes.
PAGES = {
    "home": "",
    "sheet": "alaska-summit/",
    "404": "404.html",
    "tags": "tags/",
    "tag": "tags/russia/",
    "people": "people/",
    "person": "people/sergei-lavrov/",
    "sides": "sides/",
    "side": "sides/russia/",
}
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """Return the folder of the sample site (content/, templates/ and waraqa.toml of the repository), built once."""
    output = tmp_path_factory.mktemp("browser") / "site"
    assert main(["build", "--source", str(REPO), "--output", str(output), "--base-url", "/", "-q"]) == 0
    # Test-only pages go beside the site, never into it: they are served from the same origin.
    (output / "_fixtures").mkdir()
    for fixture in FIXTURES.glob("*.html"):
        (output / "_fixtures" / fixture.name).write_bytes(fixture.read_bytes())
    return output


@pytest.fixture(scope="session")
def base_url(built_site: Path) -> Iterator[str]:
    """Serve the built site on a free port of 127.0.0.1 for the whole session; return its address."""
    with served(built_site) as address:
        yield address


@pytest.fixture(scope="module")
def browser():
    """Launch Debian's chromium through Playwright (which never downloads a browser here).

    Module scope, not session: Playwright's sync API allows one running instance per thread, and other test
    modules (the preview server's) start their own.
    """
    with chromium() as launched:
        yield launched


@pytest.fixture
def open_page(browser, base_url):
    """Return a function that opens a site path at a viewport width (and colour scheme) and waits for its fonts."""
    pages = []

    def open_(path: str, width: int = 1280, color_scheme: str = "light"):
        """Open `path` and return the page once its fonts are ready; fail if it fetched from another host."""
        page = browser.new_page(viewport={"width": width, "height": 800}, color_scheme=color_scheme)
        pages.append(page)
        outside = []
        # Every request must stay on the local server: no page may load anything from another host.
        page.on("request", lambda request: None if request.url.startswith(base_url) or request.url.startswith("data:") else outside.append(request.url))
        page.goto(base_url + path, wait_until="networkidle")
        page.evaluate("document.fonts.ready.then(() => true)")
        assert outside == [], f"{path} loaded from another host: {outside}"
        return page

    yield open_
    for page in pages:
        page.close()
