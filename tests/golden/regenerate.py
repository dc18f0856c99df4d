"""Rebuild the golden site's expected output: `python -m tests.golden.regenerate`, then review `git diff`."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from waraqa.cli import main

HERE = Path(__file__).resolve().parent
SITE = HERE / "site"
EXPECTED = HERE / "expected"
REPO = HERE.parent.parent
# Static files (fonts, stylesheets) are the theme's, not the generator's output; they are compared by name only.
STATIC = "static"
# Pagefind's index is Pagefind's output (binary, version-bound); tests/test_search.py checks it.
SEARCH_INDEX = "pagefind"


def build_golden(source: Path, output: Path) -> int:
    """Build the golden site (with the project's templates) into `output`; return the exit code."""
    site = output.parent / "golden-site"
    shutil.copytree(SITE, site)
    shutil.copytree(REPO / "templates", site / "templates")
    return main(["build", "--source", str(site), "--output", str(output), "-q"])


def text_files(folder: Path) -> dict[str, bytes]:
    """Return the generated files under `folder` by relative path, static files left out."""
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.relative_to(folder).parts[0] not in (STATIC, SEARCH_INDEX)
    }


def regenerate() -> int:
    """Replace tests/golden/expected with a fresh build."""
    import tempfile

    with tempfile.TemporaryDirectory() as scratch:
        output = Path(scratch) / "output"
        if build_golden(SITE, output) != 0:
            return 1
        shutil.rmtree(EXPECTED, ignore_errors=True)
        for name, data in text_files(output).items():
            target = EXPECTED / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
    print(f"Wrote {EXPECTED.relative_to(REPO)}; review it with git diff.")
    return 0


if __name__ == "__main__":
    sys.exit(regenerate())
