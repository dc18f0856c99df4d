"""ISO 3166-1 alpha-2 country codes, from CLDR through Babel."""

from __future__ import annotations

from functools import cache

from babel import Locale

# CLDR also names these two-letter territories, but ISO 3166-1 does not assign them:
# exceptionally reserved (AC, CP, CQ, DG, EA, EU, EZ, IC, TA, UN) and user-assigned (QO, XA, XB, XK, ZZ).
_NOT_ISO_3166 = frozenset({"AC", "CP", "CQ", "DG", "EA", "EU", "EZ", "IC", "QO", "TA", "UN", "XA", "XB", "XK", "ZZ"})


@cache
def country_codes() -> frozenset[str]:
    """Return the 249 ISO 3166-1 alpha-2 codes."""
    names = Locale("en").territories
    return frozenset(
        code for code in names if isinstance(code, str) and len(code) == 2 and code.isalpha() and code not in _NOT_ISO_3166
    )


def is_country_code(code: str) -> bool:
    """Tell whether `code` is an assigned ISO 3166-1 alpha-2 code (in capitals)."""
    return code in country_codes()

