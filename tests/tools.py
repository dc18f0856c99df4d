"""Find the outside tools some tests need; skip without them, or fail where CI demands the whole suite."""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Iterator

import pytest

from benchmarks.browsing import CHROMIUM, CHROMIUM_ARGS

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


@contextlib.contextmanager
def chromium() -> Iterator:
    """Yield Debian's chromium driven by Playwright, which never downloads a browser of its own here.

    Use it in module-scoped fixtures: Playwright's sync API allows one running instance per thread.
    """
    executable = require_tool("chromium", CHROMIUM)
    from playwright.sync_api import sync_playwright  # a test dependency: missing, the suite must fail

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()
