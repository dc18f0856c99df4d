"""The README's two first commands stay true: CI runs the very test command a newcomer reads."""

from __future__ import annotations

import re

from tests.sitekit import REPO


def readme_commands() -> list[str]:
    """Return the shell commands of the README's code blocks, in order."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    return [block.strip() for block in re.findall(r"```sh\n(.*?)```", text, re.S)]


def test_readme_opens_with_build_and_test_commands():
    """The first command builds the sample site; the second runs the tests."""
    build, test = readme_commands()[:2]
    assert build.endswith("python build.py")
    assert test.endswith("python -m pytest")


def test_ci_runs_the_readme_test_command():
    """.ci/run ends with the README's test command, word for word."""
    ci_lines = (REPO / ".ci" / "run").read_text(encoding="utf-8").strip().splitlines()
    assert ci_lines[-1] == readme_commands()[1]
