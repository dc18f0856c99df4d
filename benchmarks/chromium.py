"""How every browser run of this project starts Debian's chromium: the tests, the benchmarks and the screenshot script."""

from __future__ import annotations

CHROMIUM = "/usr/bin/chromium"
# As root, without a sandbox; no background traffic, since this machine reaches no host but the registries.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
