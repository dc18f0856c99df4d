"""Run Lighthouse (npm) in mobile mode on the sample sheet and print the four scores and the bytes transferred.

    python benchmarks/lighthouse.py [--chromium /usr/bin/chromium] [--page alaska-summit/] [--json report.json]

The sample site is built into a temporary folder and served on 127.0.0.1 by Python's http.server, which sends
files as they are (no compression), so the byte count is an upper bound of what GitHub Pages, which gzips
HTML and CSS, would send. Targets: every score >= 0.95, performance 1.0, the page <= 100 KB with its fonts.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.browsing import CHROMIUM_ARGS, served  # noqa: E402 - needs the repository on the path first
from waraqa.cli import main as waraqa_main  # noqa: E402

LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
CHROME_FLAGS = " ".join(["--headless=new", *CHROMIUM_ARGS])
BUDGET_BYTES = 100 * 1024


def lighthouse(url: str, chromium: str) -> dict:
    """Run Lighthouse's mobile preset on `url` with the given chromium and return its JSON report."""
    command = [
        str(LIGHTHOUSE), url,
        "--output=json", "--output-path=stdout", "--quiet",
        f"--only-categories={','.join(CATEGORIES)}",
        "--form-factor=mobile", "--screenEmulation.mobile",
        f"--chrome-flags={CHROME_FLAGS}",
    ]
    run = subprocess.run(command, capture_output=True, text=True, env={**os.environ, "CHROME_PATH": chromium}, check=False)
    if run.returncode != 0:
        raise SystemExit(f"lighthouse failed ({run.returncode}):\n{run.stderr[-2000:]}")
    return json.loads(run.stdout)


def summary(report: dict) -> tuple[list[str], bool]:
    """Return the lines to print (scores, bytes, each request) and whether every target is met."""
    scores = {name: report["categories"][name]["score"] for name in CATEGORIES}
    total = int(report["audits"]["total-byte-weight"]["numericValue"])
    lines = [f"{name:<15} {scores[name]:.2f}" for name in CATEGORIES]
    lines.append(f"{'transferred':<15} {total} bytes ({total / 1024:.1f} KiB)")
    for item in report["audits"]["network-requests"]["details"]["items"]:
        lines.append(f"  {item.get('transferSize', 0):>7}  {item['url']}")
    met = all(score is not None and score >= 0.95 for score in scores.values())
    met = met and scores["performance"] == 1.0 and total <= BUDGET_BYTES
    return lines, met


def main(argv: list[str] | None = None) -> int:
    """Build and serve the sample site, run Lighthouse on the sheet, print the figures; exit 1 if a target is missed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--page", default="alaska-summit/", help="the site path to measure")
    parser.add_argument("--json", type=Path, help="also save Lighthouse's full report here")
    args = parser.parse_args(argv)
    if not LIGHTHOUSE.exists():
        print("lighthouse is not installed: run `npm ci` first", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as scratch:
        site = Path(scratch) / "site"
        site.mkdir()
        with served(site) as origin:
            # Built for the address it is served at, as on GitHub Pages: canonical links and feeds are absolute.
            if waraqa_main(["build", "--source", str(ROOT), "--output", str(site), "--base-url", origin, "-q"]) != 0:
                return 2
            report = lighthouse(f"{origin}{args.page}", args.chromium)
    if args.json:
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    lines, met = summary(report)
    print("\n".join(lines))
    print("targets met" if met else "targets missed: every score >= 0.95, performance 1.0, <= 100 KiB")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
