"""One object for each value that thousands of records repeat: a role, a tag, a side, a link target.

A site of 10,000 sheets names the same few hundred people, roles, detail labels and pages again and
again. Read from YAML or from a page, each occurrence is a new string; kept in the build's model, those
copies were a sixth of a cold build's peak memory. Records pickled together also share one copy when
they reach the build's process, and again when they are loaded from the cache.
"""

from __future__ import annotations

from typing import TypeVar

T = TypeVar("T", str, tuple)

# Names and link targets only: a site has as many distinct ones as it has people, tags and pages.
_COPIES: dict = {}


def one_copy(value: T) -> T:
    """Return the first value equal to `value` that this process has met, so that every record shares it."""
    return _COPIES.setdefault(value, value)
