"""The package's types are checked: mypy, with the project's settings in pyproject.toml, finds no error."""

from __future__ import annotations

import subprocess
import sys

from tests.sitekit import REPO


def test_mypy_finds_no_error_in_the_package():
    """`python -m mypy` (files and settings from pyproject.toml) reports success on waraqa/."""
    done = subprocess.run([sys.executable, "-m", "mypy"], cwd=REPO, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith("Success: no issues found")
