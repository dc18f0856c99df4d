"""Measure what each stage of a build costs per sheet on one core, and the least a cold build can take.

    python benchmarks/stage_costs.py                  # 1,000 generated sheets
    python benchmarks/stage_costs.py --sheets 2000 --site-size 10000

Every stage runs over all sheets before the next, in this process, with the cycle collector paused as in
a build. A cold build must at least read, check and convert every sheet and render its page; spread
perfectly over every core, that sum is the floor printed last, before any other page or file is made.
"""

from __future__ import annotations

import argparse
import gc
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from benchmarks.corpus import generate  # noqa: E402
from waraqa.config import load_config  # noqa: E402
from waraqa.content import load_sheet  # noqa: E402
from waraqa.linkcheck import page_links  # noqa: E402
from waraqa.load import sheet_files  # noqa: E402
from waraqa.markup import MarkdownRenderer  # noqa: E402
from waraqa.pages import sheet_page, site_links  # noqa: E402
from waraqa.pool import default_jobs  # noqa: E402
from waraqa.records import content_digest  # noqa: E402
from waraqa.render import Renderer  # noqa: E402
from waraqa.site import make_site, site_info  # noqa: E402
from waraqa.urls import Urls  # noqa: E402

# Sheets converted and rendered before timing starts: templates compile and caches fill on the first ones.
WARM_UP = 50


def stage_costs(site: Path, scratch: Path) -> dict[str, float]:
    """Return the milliseconds per sheet of each stage of building the sheets of `site`, in build order."""
    config, _ = load_config(site)
    paths = [Path(path) for path in sheet_files(config.content_path)]
    costs: dict[str, float] = {}

    def timed(name: str, work, items: list) -> list:
        """Run `work` on every item, after a warm-up on the first ones; record its milliseconds per item."""
        results = [work(item) for item in items[:WARM_UP]]
        started = time.perf_counter()
        results += [work(item) for item in items[WARM_UP:]]
        costs[name] = (time.perf_counter() - started) * 1000 / max(1, len(items) - WARM_UP)
        return results

    data = timed("read the file", Path.read_bytes, paths)

    def check(pair: tuple[Path, bytes]):
        """Read and check one sheet's front matter, as a build does."""
        return load_sheet(pair[0], config.root, pair[1])

    loaded = timed("check the front matter (YAML)", check, list(zip(paths, data, strict=True)))
    sheets = [result.sheet for result in loaded]
    markdown = MarkdownRenderer()
    bodies = timed("convert the Markdown", lambda sheet: markdown.convert(sheet.body), sheets)
    site = make_site(config, sheets)
    urls = Urls(config.base_url)
    renderer = Renderer(config, urls)
    info = site_info(config)

    def render(pair) -> tuple[str, bytes]:
        """Render one sheet's page."""
        sheet, body = pair
        page = sheet_page(info, sheet, site_links(site, sheet))
        return page.site_file, renderer.render_page(page, body)

    pages = timed("render its page (Jinja)", render, list(zip(sheets, bodies, strict=True)))
    timed("find the page's links and ids", lambda page: page_links(page[0], page[1].decode("utf-8"), urls), pages)
    timed("digest the page", lambda page: content_digest(page[1]), pages)
    timed("write the page", lambda page: (scratch / content_digest(page[0].encode()).hex()).write_bytes(page[1]), pages)
    return costs


def report(costs: dict[str, float], site_size: int, cores: int) -> None:
    """Print each stage's cost and the floor of a cold build of `site_size` sheets on `cores` cores."""
    print(f"{'stage, per sheet on one core':36} {'ms':>7}")
    for name, milliseconds in costs.items():
        print(f"{name:36} {milliseconds:7.3f}")
    needed = ("check the front matter (YAML)", "convert the Markdown", "render its page (Jinja)")
    per_sheet = sum(costs[name] for name in needed)
    floor = per_sheet * site_size / cores / 1000
    print(f"\nfront matter + Markdown + page: {per_sheet:.3f} ms per sheet")
    print(f"least a cold build of {site_size:,} sheets can take on {cores} cores: {floor:.1f} s, before writing any file")


def main() -> int:
    """Generate a corpus, measure every stage on it and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sheets", type=int, default=1000, help="sheets to measure on (default: 1000)")
    parser.add_argument("--site-size", type=int, default=10000, help="sheets of the site whose floor is printed")
    args = parser.parse_args()
    gc.disable()  # as builds do (cli.collector_paused)
    with tempfile.TemporaryDirectory(prefix="waraqa-stages-") as scratch:
        site = generate(args.sheets, Path(scratch) / "site")
        (Path(scratch) / "staging").mkdir()
        report(stage_costs(site, Path(scratch) / "staging"), args.site_size, default_jobs())
    return 0


if __name__ == "__main__":
    sys.exit(main())
