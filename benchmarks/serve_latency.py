"""Measure save -> browser reloaded with the new text, for `python build.py serve`, on two sites.

Usage: python benchmarks/serve_latency.py [--saves 20] [--sheets 1000] [--chromium /usr/bin/chromium]

The sample site (one sheet) and a generated site of 1,000 Arabic sheets are built in a temporary folder and
served on a free port; headless chromium keeps one sheet open; each save changes one sentence of that sheet.
The time of a save is taken just before the file is written; the time of the reload is the browser's own
clock at DOMContentLoaded of the page that shows the new text. Prints the median and the worst of each site.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SAMPLE = "alaska-summit.md"
PHRASE = "قمة ألاسكا بين ترمب وبوتين بعد 3 ساعات"
sys.path.insert(0, str(REPO))

from benchmarks.browsing import CHROMIUM, CHROMIUM_ARGS  # noqa: E402 - needs the repository on the path first

TAGS = ["روسيا", "أوكرانيا", "الولايات المتحدة", "الصين", "مصر", "السعودية", "قطر", "الأمم المتحدة",
        "الاتحاد الأوروبي", "الطاقة", "المناخ", "الاقتصاد", "التجارة", "الأمن", "السلام", "الانتخابات",
        "اللاجئون", "الصحة", "التعليم", "المياه", "النفط", "الغاز", "القمة العربية", "حلف الناتو",
        "الاتحاد الأفريقي", "آسيا", "أمريكا اللاتينية", "الخليج", "البحر الأحمر", "السودان"]
PLACES = ["القاهرة – مصر", "الرياض – السعودية", "الدوحة – قطر", "جنيف – سويسرا", "نيويورك – الولايات المتحدة",
          "بكين – الصين", "الجزائر – الجزائر", "تونس – تونس", "عمّان – الأردن", "بيروت – لبنان"]


def sample_site(folder: Path) -> Path:
    """Copy the sample site (settings, templates, the Alaska sheet) into `folder`."""
    shutil.copytree(REPO / "templates", folder / "templates")
    shutil.copy(REPO / "waraqa.toml", folder / "waraqa.toml")
    (folder / "content").mkdir(parents=True)
    shutil.copy(REPO / "content" / SAMPLE, folder / "content" / SAMPLE)
    return folder


def generated_site(folder: Path, count: int) -> Path:
    """Make a site of `count` sheets, each a variation of the sample sheet: own title, date, place and tags."""
    sample_site(folder)
    text = (folder / "content" / SAMPLE).read_text(encoding="utf-8")
    head, body = text.split("\n---\n", 1)
    start = dt.date(2020, 1, 1)
    for number in range(1, count):
        tags = "".join(f"  - {TAGS[(number * step) % len(TAGS)]}\n" for step in (1, 7, 11))
        sheet = (
            head.replace('title: "', f'title: "الورقة {number}: ', 1)
            .replace("date: 2025-08-15", f"date: {start + dt.timedelta(days=number * 2)}", 1)
            .replace("place: \"ولاية ألاسكا – الولايات المتحدة الأمريكية\"", f'place: "{PLACES[number % len(PLACES)]}"', 1)
        )
        sheet = sheet.split("tags:\n", 1)[0] + "tags:\n" + tags + "sources:" + sheet.split("\nsources:", 1)[1]
        body_text = body.replace("قمة ألاسكا", f"القمة رقم {number}")
        (folder / "content" / f"sheet-{number:04d}.md").write_text(f"{sheet}\n---\n{body_text}", encoding="utf-8")
    return folder


def free_port() -> int:
    """Return a TCP port that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_served(url: str, process: subprocess.Popen, timeout: float) -> None:
    """Wait until `url` answers 200; raise if the server died or never answered."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server stopped with exit code {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.1)
    raise SystemExit(f"the server did not answer {url} within {timeout:.0f} s")


def measure(browser, site: Path, saves: int) -> list[float]:
    """Serve `site`, save its Alaska sheet `saves` times, and return each save's milliseconds to reload."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/alaska-summit/"
    command = [sys.executable, str(REPO / "build.py"), "serve", "--source", str(site), "--port", str(port), "-q"]
    with open(site.parent / f"{site.name}-server.log", "w") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_until_served(url, process, timeout=300)
        page = browser.new_page()
        page.add_init_script("addEventListener('DOMContentLoaded', () => { window.__shown = Date.now(); });")
        page.goto(url)
        sheet = site / "content" / SAMPLE
        previous = PHRASE
        timings = []
        for number in range(saves):
            page.wait_for_function("() => window.LiveReload && window.LiveReload.connector.protocol >= 7", timeout=30_000)
            token = f"الحفظ رقم {number + 1}"
            text = sheet.read_text(encoding="utf-8").replace(previous, token, 1)
            saved = time.time() * 1000
            sheet.write_text(text, encoding="utf-8")
            page.wait_for_function(
                "t => document.body !== null && document.body.innerText.includes(t)", arg=token, polling=20, timeout=30_000
            )
            timings.append(page.evaluate("window.__shown") - saved)
            previous = token
        page.close()
        return timings
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


def main() -> int:
    """Run the benchmark on both sites and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--saves", type=int, default=20)
    parser.add_argument("--sheets", type=int, default=1000)
    parser.add_argument("--chromium", default=os.environ.get("CHROMIUM", CHROMIUM))
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="waraqa-serve-bench-") as temp, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=args.chromium, args=CHROMIUM_ARGS)
        sites = [
            ("sample site (1 sheet)", sample_site(Path(temp) / "sample")),
            (f"generated site ({args.sheets:,} sheets)", generated_site(Path(temp) / "generated", args.sheets)),
        ]
        for name, site in sites:
            timings = measure(browser, site, args.saves)
            print(
                f"{name}: {len(timings)} saves, save -> reloaded: median {statistics.median(timings):.0f} ms, "
                f"worst {max(timings):.0f} ms"
            )
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
