"""Measure how long Pagefind takes to index the built site, beside the build itself, and print a table.

    python benchmarks/search_index.py                 # the sample site and 1,000 generated sheets
    python benchmarks/search_index.py --sizes 1000 10000 --rounds 5

Each figure is the median of --rounds runs of waraqa.search.index_pages over the sheet pages of a site
built once; the build column is one build without the cache, for scale (it includes indexing once).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))

from benchmarks.corpus import generate  # noqa: E402
from waraqa.cli import main  # noqa: E402
from waraqa.search import index_pages  # noqa: E402


def sample_site(folder: Path) -> Path:
    """Copy the repository's sample site (content/, templates/, waraqa.toml) into `folder`; return it."""
    for name in ("content", "templates"):
        shutil.copytree(REPO / name, folder / name)
    shutil.copy2(REPO / "waraqa.toml", folder / "waraqa.toml")
    return folder


def measure(site: Path, rounds: int) -> tuple[int, float, float, int]:
    """Build `site`, then index it `rounds` times; return pages indexed, build seconds, median index seconds, KiB."""
    output = site / "output"
    started = time.perf_counter()
    if main(["build", "--source", str(site), "--output", str(output), "--base-url", "/", "--no-cache", "-q"]) != 0:
        sys.exit(f"the build of {site} failed")
    build_seconds = time.perf_counter() - started
    pages = sorted(path.relative_to(output).as_posix() for path in output.glob("*/index.html"))
    texts = [(name, (output / name).read_text(encoding="utf-8")) for name in pages]
    reports = []
    for number in range(rounds):
        bundle = site / f"index-{number}"
        reports.append(index_pages(texts, bundle))
    size = sum(path.stat().st_size for path in bundle.rglob("*") if path.is_file())
    return reports[-1].pages, build_seconds, statistics.median(report.seconds for report in reports), size // 1024


def main_benchmark() -> None:
    """Print one line per site: pages indexed, the build's time, the median indexing time, the index's size."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000], help="generated corpus sizes (default: 1000)")
    parser.add_argument("--rounds", type=int, default=3, help="indexing runs per site (default: 3)")
    args = parser.parse_args()
    print(f"{'site':<22}{'pages':>7}{'build s':>10}{'index s':>10}{'index KiB':>11}")
    with tempfile.TemporaryDirectory(prefix="waraqa-search-bench-") as temporary:
        root = Path(temporary)
        sites = [("sample (content/)", sample_site(root / "sample"))]
        sites += [(f"generated {size:,}", generate(size, root / f"corpus-{size}")) for size in args.sizes]
        for name, site in sites:
            pages, build_seconds, index_seconds, kib = measure(site, args.rounds)
            print(f"{name:<22}{pages:>7}{build_seconds:>10.2f}{index_seconds:>10.2f}{kib:>11,}", flush=True)


if __name__ == "__main__":
    main_benchmark()
