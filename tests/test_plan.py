"""The plan decides which files a build makes from plain records alone: tested here without building a site."""

from __future__ import annotations

import pytest

from waraqa.errors import OutputError
from waraqa.plan import Item, key_of, page_key, plan, template_keys
from waraqa.records import FileRecord, Stamp

SETTINGS = b"settings"


def record(key: bytes) -> FileRecord:
    """Return the record of a file the last build made from `key`."""
    return FileRecord(b"digest", Stamp(1, 2), key)


def test_a_first_build_makes_every_file_in_site_order():
    """With no trusted last build, every file is due, in the order the site lists them."""
    items = [Item("b/index.html", "b.md", b"1"), Item("a/index.html", "a.md", b"2")]
    todo = plan(items, None)
    assert todo.due == ("b/index.html", "a/index.html") and todo.kept == () and todo.removed == ()


def test_only_files_whose_key_changed_are_due_and_gone_ones_are_removed():
    """A changed key is due, an equal one is kept, a new file is due, a file no page makes any more is removed."""
    previous = {"a/index.html": record(b"a1"), "b/index.html": record(b"b1"), "old/index.html": record(b"o")}
    items = [Item("a/index.html", "a.md", b"a1"), Item("b/index.html", "b.md", b"b2"), Item("c/index.html", "c.md", b"c")]
    todo = plan(items, previous)
    assert todo.due == ("b/index.html", "c/index.html")
    assert todo.kept == ("a/index.html",)
    assert todo.removed == ("old/index.html",)
    assert not todo.nothing_to_do
    assert plan([Item("a/index.html", "a.md", b"a1")], {"a/index.html": record(b"a1")}).nothing_to_do


def test_two_files_at_one_path_are_refused_naming_both():
    """Neither of two pages at one path could be published: the plan refuses them, naming where both came from."""
    items = [Item("static/index.html", "templates/static/index.html", b"1"), Item("static/index.html", "content/static.md", b"2")]
    with pytest.raises(OutputError, match="two pages want the same path static/index.html: "
                       "templates/static/index.html and content/static.md"):
        plan(items, None)


@pytest.mark.parametrize("site_file", ["/etc/passwd", "../outside.html", "a/../../b.html", "a//b.html"])
def test_a_file_outside_the_output_folder_is_refused(site_file):
    """No page may land outside the output folder, whatever its path says."""
    with pytest.raises(OutputError, match="refusing to write outside the output folder"):
        plan([Item(site_file, "content/x.md", b"1")], None)


def test_a_template_key_changes_with_the_templates_it_loads_only():
    """Editing a partial changes the key of every template that loads it, and no other; an unknown use means all."""
    theme = {"base.html": "1", "sheet.html": "2", "_parts.html": "3", "tags.html": "4"}
    uses = {"sheet.html": frozenset({"sheet.html", "base.html", "_parts.html"}), "tags.html": frozenset({"tags.html", "base.html"}),
            "odd.html": None}
    before = template_keys(theme, uses)
    after = template_keys({**theme, "_parts.html": "5"}, uses)
    assert after["sheet.html"] != before["sheet.html"]
    assert after["tags.html"] == before["tags.html"]
    assert after["odd.html"] != before["odd.html"]


def test_a_page_key_holds_settings_templates_what_it_depends_on_and_the_sheets_it_shows():
    """Each part of a page's key changes the key when it changes, the order of its sheets included."""
    base = page_key(SETTINGS, b"t", "2", [b"s1", b"s2"])
    assert base == page_key(SETTINGS, b"t", "2", [b"s1", b"s2"])
    variants = [
        page_key(b"other settings", b"t", "2", [b"s1", b"s2"]),
        page_key(SETTINGS, b"u", "2", [b"s1", b"s2"]),
        page_key(SETTINGS, b"t", "3", [b"s1", b"s2"]),
        page_key(SETTINGS, b"t", "2", [b"s2", b"s1"]),
        page_key(SETTINGS, b"t", "2", [b"s1"]),
    ]
    assert base not in variants and len(set(variants)) == len(variants)
    assert key_of("ab", "c") != key_of("a", "bc")
