"""The preview server as an editor meets it: a real server process, a real browser, real saves."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.tools import chromium

REPO = Path(__file__).resolve().parent.parent
SHEET = "content/alaska-summit.md"
SHEET_URL = "alaska-summit/"
# A phrase of the sample sheet's body that the tests replace with text of their own.
PHRASE = "قمة ألاسكا بين ترمب وبوتين بعد 3 ساعات"
TIMEOUT = 20.0


def poll(check: Callable[[], object], what: str, timeout: float = TIMEOUT) -> object:
    """Return the first truthy result of `check`, trying every 50 ms; fail naming `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(0.05)


def free_port() -> int:
    """Return a TCP port that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def make_site(folder: Path) -> Path:
    """Copy the sample site (settings, templates, the Alaska sheet) into `folder` and return it."""
    shutil.copytree(REPO / "templates", folder / "templates")
    shutil.copy(REPO / "waraqa.toml", folder / "waraqa.toml")
    (folder / "content").mkdir()
    shutil.copy(REPO / SHEET, folder / SHEET)
    return folder


def fetch(url: str) -> tuple[int, str]:
    """Return the status and text of `url`, error statuses included; (0, '') when nothing answers."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")
    except OSError:
        return 0, ""


def fetch_until(url: str, wanted: Callable[[int, str], bool], what: str) -> tuple[int, str]:
    """Return the status and text of `url` once `wanted(status, text)` holds, fetching again until then."""

    def attempt() -> tuple[int, str] | None:
        status, text = fetch(url)
        return (status, text) if wanted(status, text) else None

    return poll(attempt, what)


@dataclass
class Served:
    """A running `build.py serve` process and where its output goes."""

    process: subprocess.Popen
    site: Path
    url: str
    stdout: Path
    stderr: Path

    def err(self) -> str:
        """Return what the server printed on stderr so far."""
        return self.stderr.read_text(encoding="utf-8")

    def out(self) -> str:
        """Return what the server printed on stdout so far."""
        return self.stdout.read_text(encoding="utf-8")

    def edit(self, old: str, new: str) -> None:
        """Save the sheet with `old` replaced by `new`, as an editor's save would."""
        path = self.site / SHEET
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} is not in the sheet"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    def stop(self) -> int:
        """Press Ctrl-C and return the exit code."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=TIMEOUT)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode


def start_server(site: Path, port: int, logs: Path, *extra: str) -> subprocess.Popen:
    """Start `python build.py serve` for `site` on `port`, its output going to files in `logs`."""
    command = [sys.executable, str(REPO / "build.py"), "serve", "--source", str(site), "--port", str(port), *extra]
    with open(logs / "stdout.txt", "w") as out, open(logs / "stderr.txt", "w") as err:
        return subprocess.Popen(command, stdout=out, stderr=err, env={**os.environ, "PYTHONUNBUFFERED": "1"})


@contextmanager
def serving(site: Path, logs: Path) -> Iterator[Served]:
    """Run the preview server of `site` until the block ends; fail if it does not answer."""
    port = free_port()
    process = start_server(site, port, logs)
    served = Served(process, site, f"http://127.0.0.1:{port}/", logs / "stdout.txt", logs / "stderr.txt")
    try:
        poll(lambda: process.poll() is not None or fetch(served.url)[0] == 200, "the server to answer")
        assert process.poll() is None, f"the server stopped:\n{served.err()}"
        yield served
    finally:
        served.stop()


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    """A preview server for a copy of the sample site."""
    site = make_site(tmp_path / "site")
    with serving(site, tmp_path) as server:
        yield server


@pytest.fixture(scope="module")
def browser():
    """Headless Debian chromium driven by Playwright."""
    with chromium() as launched:
        yield launched


@pytest.fixture
def page(browser):
    """A fresh browser tab."""
    tab = browser.new_page()
    yield tab
    tab.close()


def open_live(page, url: str) -> None:
    """Open `url` and wait until its live-reload connection is up, so no save can slip by unseen."""
    page.goto(url)
    page.wait_for_function(
        "() => window.LiveReload && window.LiveReload.connector.protocol >= 7", timeout=TIMEOUT * 1000
    )


def wait_for_text(page, text: str) -> None:
    """Wait until the page, however often it reloads meanwhile, shows `text`."""
    page.wait_for_function(
        "text => document.body !== null && document.body.innerText.includes(text)",
        arg=text,
        polling=50,
        timeout=TIMEOUT * 1000,
    )


def test_a_save_shows_in_the_open_page_without_a_manual_reload(served: Served, page):
    open_live(page, served.url + SHEET_URL)
    page.evaluate("window.__before_save = true")

    served.edit(PHRASE, "نصٌّ جديد بعد الحفظ")

    wait_for_text(page, "نصٌّ جديد بعد الحفظ")
    assert page.evaluate("window.__before_save === undefined"), "the text changed, but not by a reload of the page"


def test_two_saves_a_second_apart_both_show(served: Served, page):
    open_live(page, served.url + SHEET_URL)

    served.edit(PHRASE, "الحفظ الأول")
    first_saved = time.monotonic()
    wait_for_text(page, "الحفظ الأول")
    # livereload as shipped ignores a change within 3 s of its last reload: the second save must still count.
    time.sleep(max(0.0, 1.0 - (time.monotonic() - first_saved)))
    served.edit("الحفظ الأول", "الحفظ الثاني")

    wait_for_text(page, "الحفظ الثاني")


def test_broken_front_matter_shows_the_error_page_and_a_fix_brings_the_sheet_back(served: Served, page):
    open_live(page, served.url + SHEET_URL)

    served.edit("date: 2025-08-15", "date: [2025-08-15")

    wait_for_text(page, "تعذّر بناء الموقع")
    row = page.locator("table.problems tr.problem").first
    assert row.locator("td.path").inner_text() == SHEET
    assert row.locator("td.line").inner_text() == "4"
    assert "YAML syntax error" in row.locator("td.message").inner_text()
    assert page.evaluate("[document.documentElement.lang, document.documentElement.dir]") == ["ar", "rtl"]
    assert f"{SHEET}:4: YAML syntax error" in served.err()
    assert served.process.poll() is None

    served.edit("date: [2025-08-15", "date: 2025-08-15")

    wait_for_text(page, "تفاصيل قمة ألاسكا")
    assert page.locator("table.problems").count() == 0


def test_a_missing_field_is_named_on_the_error_page(served: Served):
    served.edit('title: "رسميًا.. انتهاء قمة ألاسكا', 'titel: "رسميًا.. انتهاء قمة ألاسكا')

    _, html = fetch_until(served.url + SHEET_URL, lambda status, _: status == 500, "the error page")

    assert '<td class="path"><bdi dir="ltr"><code>content/alaska-summit.md</code></bdi></td>' in html
    assert '<td class="field"><bdi dir="ltr"><code>title</code></bdi></td>' in html
    assert "required" in html
    assert 'href="/static/site.css"' in html


def test_a_template_error_is_shown_and_the_server_keeps_serving(served: Served):
    template = served.site / "templates" / "sheet.html"
    good = template.read_text(encoding="utf-8")
    template.write_text(good.replace("{% block main %}", "{% block main %}{{ sheet.no_such_field }}", 1), encoding="utf-8")

    _, html = fetch_until(served.url + SHEET_URL, lambda status, _: status == 500, "the error page")

    assert "templates/sheet.html" in html and "no_such_field" in html
    template.write_text(good, encoding="utf-8")
    fetch_until(served.url + SHEET_URL, lambda status, _: status == 200, "the sheet to come back")


def test_a_settings_change_rebuilds_and_broken_settings_show_the_error_page(served: Served):
    settings = served.site / "waraqa.toml"
    good = settings.read_text(encoding="utf-8")

    settings.write_text(good.replace('title = "ورقة"', 'title = "ورقة المعاينة"', 1), encoding="utf-8")
    fetch_until(served.url, lambda status, html: status == 200 and "ورقة المعاينة" in html, "the new title")

    settings.write_text(good.replace('hijri = false', 'hijri = "no"', 1), encoding="utf-8")
    _, html = fetch_until(served.url, lambda status, _: status == 500, "the error page")
    assert "<code>waraqa.toml</code>" in html and "<code>hijri</code>" in html and "true or false" in html

    settings.write_text(good, encoding="utf-8")
    fetch_until(served.url, lambda status, html: status == 200 and "ورقة المعاينة" not in html, "the old title")


def test_the_address_is_printed_and_ctrl_c_stops_cleanly(served: Served):
    assert f"Serving the preview at {served.url}" in served.out()

    code = served.stop()

    assert code in (0, 130)
    assert "Stopped." in served.err()
    assert "Traceback" not in served.err()


def test_open_shows_the_preview_in_the_web_browser(tmp_path: Path, monkeypatch):
    opened = tmp_path / "opened.txt"
    browser = tmp_path / "browser"
    browser.write_text(f"#!/bin/sh\nprintf '%s' \"$1\" > '{opened}'\n", encoding="utf-8")
    browser.chmod(0o755)
    monkeypatch.setenv("BROWSER", str(browser))
    site = make_site(tmp_path / "site")
    port = free_port()
    process = start_server(site, port, tmp_path, "--open")
    try:
        poll(lambda: opened.exists() and opened.read_text(encoding="utf-8"), "the browser to be asked")
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=TIMEOUT)

    assert opened.read_text(encoding="utf-8") == f"http://127.0.0.1:{port}/"


def test_the_published_output_never_gets_the_preview(tmp_path: Path):
    site = make_site(tmp_path / "site")
    subprocess.run([sys.executable, str(REPO / "build.py"), "build", "--source", str(site), "-q"], check=True)
    published = {path: path.read_bytes() for path in (site / "output").rglob("*") if path.is_file()}

    with serving(site, tmp_path) as server:
        server.edit(PHRASE, "تعديل للمعاينة فقط")
        _, served_page = fetch_until(server.url + SHEET_URL, lambda _, html: "تعديل للمعاينة فقط" in html, "the edit")

    assert "livereload" in served_page
    assert {path: path.read_bytes() for path in (site / "output").rglob("*") if path.is_file()} == published
    preview_pages = list((site / ".waraqa-cache" / "preview").rglob("*.html"))
    assert preview_pages, "the preview was not built into .waraqa-cache/preview"
    for path in preview_pages:
        assert "livereload" not in path.read_text(encoding="utf-8"), f"{path} carries the live-reload script"


def test_a_port_in_use_gets_a_clear_message(tmp_path: Path):
    site = make_site(tmp_path / "site")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        process = start_server(site, port, tmp_path)
        try:
            code = process.wait(timeout=TIMEOUT)
        finally:
            if process.poll() is None:
                process.kill()

    stderr = (tmp_path / "stderr.txt").read_text(encoding="utf-8")
    assert code == 1
    assert f"port {port} on 127.0.0.1 is already in use" in stderr
    assert f"--port {port + 1}" in stderr
    assert "Traceback" not in stderr


class RecordingPreview:
    """A stand-in for the preview: the sources a watcher looks at, and the saves it reported."""

    def __init__(self, folder: Path):
        """Watch `folder`."""
        self.sources = [folder]
        self.problems: list = []
        self.rebuilt: list[set[Path]] = []

    def rebuild(self, changed: set[Path]) -> bool:
        """Record one rebuild."""
        self.rebuilt.append(changed)
        return True

    def when_idle(self) -> None:
        """Do nothing while idle."""


def test_a_file_saved_lately_is_seen_again_before_the_next_look_over_every_file(tmp_path: Path):
    """On a big site the whole tree is looked over seldom; a file the editor saves again is seen at once."""
    from waraqa.serve import SourceWatcher

    for name in ("a.md", "b.md"):
        (tmp_path / name).write_text("أ", encoding="utf-8")
    preview = RecordingPreview(tmp_path)
    watcher = SourceWatcher(preview)
    (tmp_path / "a.md").write_text("أب", encoding="utf-8")
    watcher.examine()
    assert preview.rebuilt == [{tmp_path / "a.md"}]
    watcher.next_scan = time.monotonic() + 3600  # as if looking over every file took long
    (tmp_path / "a.md").write_text("أبت", encoding="utf-8")
    (tmp_path / "b.md").write_text("بت", encoding="utf-8")
    watcher.examine()
    assert preview.rebuilt[-1] == {tmp_path / "a.md"}
    watcher.next_scan = time.monotonic()
    watcher.examine()
    assert preview.rebuilt[-1] == {tmp_path / "b.md"}
    (tmp_path / "a.md").unlink()
    watcher.next_scan = time.monotonic() + 3600
    watcher.examine()
    assert preview.rebuilt[-1] == {tmp_path / "a.md"}


def test_a_build_made_while_no_browser_listens_reloads_the_next_one_that_connects(tmp_path: Path, monkeypatch):
    """A browser between a page it reloaded and that page's connection hears no reload; the reload waits for it."""
    from livereload.handlers import LiveReloadHandler

    from waraqa.serve import SourceWatcher

    (tmp_path / "a.md").write_text("أ", encoding="utf-8")
    preview = RecordingPreview(tmp_path)
    watcher = SourceWatcher(preview)
    monkeypatch.setattr(LiveReloadHandler, "waiters", set())
    (tmp_path / "a.md").write_text("أب", encoding="utf-8")
    assert watcher.examine() == (None, None)
    assert preview.rebuilt == [{tmp_path / "a.md"}], "the build waited for a browser"
    monkeypatch.setattr(LiveReloadHandler, "waiters", {object()})
    assert watcher.examine() == ("*", None)
    assert watcher.examine() == (None, None)
    assert len(preview.rebuilt) == 1
