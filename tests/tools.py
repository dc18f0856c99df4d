"""Find the outside tools some tests need; skip without them, or fail where CI demands the whole suite."""

from __future__ import annotations

import os
import shutil

import pytest

REQUIRE_ALL = os.environ.get("WARAQA_REQUIRE_ALL_TOOLS") == "1"


def require_tool(name: str, path: str | None = None) -> str:
    """Return the path of tool `name` (found on PATH unless `path` is given); skip, or fail in CI, without it."""
    found = path if path and os.path.exists(path) else shutil.which(path or name)
    if found:
        return found
    reason = f"{name} is not installed; .ci/run installs it"
    if REQUIRE_ALL:
        pytest.fail(f"{reason}, and WARAQA_REQUIRE_ALL_TOOLS=1 forbids skipping", pytrace=False)
    pytest.skip(reason)
    raise AssertionError("unreachable")
