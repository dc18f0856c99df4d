"""The golden site builds to exactly the files in tests/golden/expected (regenerate: python -m tests.golden.regenerate)."""

from __future__ import annotations

import difflib

from tests.golden.regenerate import EXPECTED, REPO, STATIC, build_golden, text_files


def test_golden_site_matches_expected_output(tmp_path):
    """Every generated file equals its golden copy; a difference is shown as a readable diff."""
    output = tmp_path / "output"
    assert build_golden(tmp_path, output) == 0
    actual = text_files(output)
    expected = text_files(EXPECTED)
    assert sorted(actual) == sorted(expected), "files differ; run python -m tests.golden.regenerate and review"
    for name in sorted(expected):
        if actual[name] != expected[name]:
            diff = difflib.unified_diff(
                expected[name].decode("utf-8").splitlines(),
                actual[name].decode("utf-8").splitlines(),
                f"expected/{name}",
                f"built/{name}",
                lineterm="",
            )
            raise AssertionError("\n".join(diff) + "\n(run python -m tests.golden.regenerate if this is intended)")


def test_golden_static_files_are_the_themes(tmp_path):
    """The output's static folder holds exactly the theme's static files."""
    output = tmp_path / "output"
    assert build_golden(tmp_path, output) == 0
    built = sorted(p.relative_to(output / STATIC).as_posix() for p in (output / STATIC).rglob("*") if p.is_file())
    theme = REPO / "templates" / STATIC
    assert built == sorted(
        p.relative_to(theme).as_posix() for p in theme.rglob("*") if p.is_file() and not p.name.startswith(".")
    )
