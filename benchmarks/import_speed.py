"""How long `python build.py import` takes on sites of growing size: reading what the site knows dominates.

    python benchmarks/import_speed.py --sizes 0 1000 10000
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.corpus import REPO, generate

ARTICLE = REPO / "tests" / "fixtures" / "import" / "gulf-agency.txt"


def import_seconds(site: Path, slug: str) -> float:
    """Return the wall-clock seconds of one `build.py import` of the fixture article into `site`."""
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, str(REPO / "build.py"), "import", "--source", str(site), "--slug", slug, "-q", str(ARTICLE)],
        check=True, cwd=REPO,
    )
    return time.perf_counter() - started


def main() -> int:
    """Print the median import time for each site size."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[0, 1000])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="waraqa-import-bench-") as scratch:
        for size in args.sizes:
            site = generate(size, Path(scratch) / f"site-{size}")
            times = [import_seconds(site, f"draft-{round_}") for round_ in range(args.rounds)]
            print(f"{size:>6} sheets: import {statistics.median(times):.2f} s (median of {args.rounds})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
