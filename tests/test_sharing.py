"""Records of different sheets and pages hold one copy of each value they repeat: a big site's model stays small."""

from __future__ import annotations

import pickle
from pathlib import Path

from waraqa.content import load_sheet
from waraqa.linkcheck import page_links
from waraqa.urls import Urls

SHEET = """---
title: {title}
date: 2025-08-15
summary: ملخص.
place: أنكوريج
tags: [دبلوماسية]
details:
  المكان: قاعدة إلمندورف
delegations:
  - side: الولايات المتحدة
    country: us
    members:
      - name: ماركو روبيو
        role: وزير الخارجية
sources:
  - publisher: Reuters
---

نص.
"""


def repeated_values(sheet) -> list[str]:
    """Return the values a sheet shares with others that name the same people, places and tags."""
    delegation = sheet.delegations[0]
    member = delegation.members[0]
    return [
        sheet.place, sheet.tags[0], sheet.details[0].label, sheet.sources[0].publisher,
        delegation.side, delegation.country, member.name, member.role,
    ]


def test_sheets_that_name_the_same_things_share_one_copy_of_each(tmp_path: Path):
    """Two sheets read separately hold the very same string for a repeated name, role, label, tag, place or side."""
    sheets = []
    for name, title in (("a.md", "قمة أولى"), ("b.md", "قمة ثانية")):
        path = tmp_path / name
        path.write_text(SHEET.format(title=title), encoding="utf-8")
        result = load_sheet(path, tmp_path)
        assert result.sheet is not None, result.problems
        sheets.append(result.sheet)
    first, second = (repeated_values(sheet) for sheet in sheets)
    assert first == second
    assert all(a is b for a, b in zip(first, second, strict=True))
    # What a pool process sends the build in one batch keeps that sharing.
    received = pickle.loads(pickle.dumps(sheets))
    assert all(a is b for a, b in zip(*(repeated_values(sheet) for sheet in received), strict=True))
    # Text that is each sheet's own is not held back for sharing.
    assert sheets[0].title != sheets[1].title


def test_pages_that_link_to_the_same_place_share_its_target():
    """The link records of two pages hold one copy of a target both link to, and of an id both offer."""
    urls = Urls("/")
    page = '<main id="main"><a href="../tags/x/">وسم</a></main>'
    first = page_links("a/index.html", page, urls)
    second = page_links("b/index.html", page, urls)
    assert first == second
    assert first.links[0] is second.links[0]
    assert first.ids[0] is second.ids[0]
