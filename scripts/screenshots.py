"""Regenerate docs/screenshots/: the sample sheet at 375 and 1280 px, light and dark, in Debian's chromium.

    python scripts/screenshots.py [--output docs/screenshots] [--chromium /usr/bin/chromium]

The sample site is built into a temporary folder and served on 127.0.0.1, so the screenshots show exactly
what a reader gets, fonts included. Playwright drives the installed chromium; it never downloads one.
"""

from __future__ import annotations

import argparse
import logging
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.browsing import CHROMIUM, CHROMIUM_ARGS, served  # noqa: E402 - needs the repository on the path first
from waraqa.cli import main as waraqa_main  # noqa: E402
SHOTS = [(375, "light"), (375, "dark"), (1280, "light"), (1280, "dark")]
SHEET = "alaska-summit/"
log = logging.getLogger("waraqa.screenshots")


def main(argv: list[str] | None = None) -> int:
    """Build the sample site, then save one full-page screenshot of the sample sheet per width and theme."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--chromium", default=CHROMIUM)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as scratch:
        site = Path(scratch) / "site"
        if waraqa_main(["build", "--source", str(ROOT), "--output", str(site), "--base-url", "/", "-q"]) != 0:
            return 1
        args.output.mkdir(parents=True, exist_ok=True)
        with served(site) as base:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=args.chromium, args=CHROMIUM_ARGS)
                for width, scheme in SHOTS:
                    page = browser.new_page(viewport={"width": width, "height": 900}, color_scheme=scheme)
                    page.goto(base + SHEET, wait_until="networkidle")
                    page.evaluate("document.fonts.ready")
                    path = args.output / f"sheet-{width}-{scheme}.png"
                    page.screenshot(path=str(path), full_page=True)
                    page.close()
                    log.info("wrote %s", path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
                browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
