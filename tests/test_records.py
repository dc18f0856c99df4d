"""Records come back whole from the pool and the cache, which pickle them as calls to their class."""

from __future__ import annotations

import dataclasses
import pickle
from pathlib import Path

import pytest

from waraqa.content import LoadResult, load_sheet
from waraqa.errors import Problem, Severity
from waraqa.linkcheck import PageLinks
from waraqa.pages import SiteLinks
from waraqa.records import pickled_by_fields
from waraqa.load import SheetRecord
from waraqa.records import FileRecord, Stamp
from waraqa.render import Rendered

# Every field of a sheet set, the optional ones too, so that a value left behind or moved to another
# field on the way through pickle shows.
SHEET = """---
title: قمة ألاسكا
date: 2025-08-15
updated: 2025-08-16
verified_on: 2025-08-17
summary: ملخص.
place: أنكوريج
tags: [دبلوماسية, أوكرانيا]
details:
  المكان: قاعدة إلمندورف
  المدة: 3 ساعات
delegations:
  - side: الولايات المتحدة
    country: us
    members:
      - name: ماركو روبيو
        role: وزير الخارجية
  - side: روسيا
    members:
      - name: سيرغي لافروف
        role: وزير الخارجية
outcomes:
  - لا اتفاق.
sources:
  - publisher: Reuters
    title: Summit ends
    url: https://example.com/a
    accessed: 2025-08-18
---

نص.
"""


def test_records_come_back_from_pickle_equal_and_of_their_own_class(tmp_path: Path):
    """A sheet's record, its load result with problems, and the pool's and link check's records survive pickling."""
    path = tmp_path / "alaska.md"
    path.write_text(SHEET, encoding="utf-8")
    result = load_sheet(path, tmp_path)
    assert result.sheet is not None, result.problems
    warned = LoadResult(result.sheet, [Problem("content/alaska.md", 3, "updated", "قديم", Severity.WARNING)])
    records = [
        warned,
        LoadResult(None, [Problem("content/b.md", 2, "date", "ليس تاريخًا")]),
        SheetRecord(str(path), Stamp(10, 20), b"key", result.sheet, tuple(warned.problems), b"grouping"),
        SheetRecord("content/b.md", Stamp(1, 2), b"other", None, (Problem("content/b.md", 2, "date", "x"),)),
        FileRecord(b"digest", Stamp(3, 4), b"plan key"),
        Rendered("alaska/index.html", b"abc", PageLinks((("", "main"),), ("main",)), True),
        Rendered("feed.json", b"def", None, False),
        SiteLinks({"دبلوماسية": "tags/x/"}, {"ماركو روبيو": "people/marco/"}, {"روسيا": "sides/russia/"}),
    ]
    back = pickle.loads(pickle.dumps(records, protocol=pickle.HIGHEST_PROTOCOL))
    assert back == records
    assert [type(record) for record in back] == [type(record) for record in records]
    assert back[0].sheet.sources[0].accessed == result.sheet.sources[0].accessed
    assert back[0].problems[0].severity is Severity.WARNING


def test_a_record_with_a_field_outside_init_cannot_be_pickled_by_fields():
    """Calling the class could not restore such a field, so the record is refused when it is defined."""

    @dataclasses.dataclass(frozen=True)
    class Counted:
        """A record with a field computed after __init__."""

        name: str
        size: int = dataclasses.field(init=False, default=0)

    with pytest.raises(TypeError, match="Counted"):
        pickled_by_fields(Counted)
