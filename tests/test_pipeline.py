"""Cached, parallel and incremental builds give exactly the bytes of a plain serial build."""

from __future__ import annotations

import errno
import gc
import os
import pickle
import re
import shutil
import sqlite3
import subprocess
import sys
import time

from pathlib import Path

import pytest

from benchmarks.corpus import generate
from tests.sitekit import GOOD_SHEET, REPO, KeptBuilds, build, make_site, snapshot
from waraqa.cache import CACHE_FOLDER
from waraqa import pages as pages_module
from waraqa.cli import main
from waraqa.render import Renderer
from waraqa.pool import POOL_THRESHOLD


def serial_output(root: Path, scratch: Path) -> dict[str, bytes]:
    """Return the files of a serial build of `root` with no cache, made in a copy of the site."""
    copy = scratch / "serial-copy"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns("output", CACHE_FOLDER))
    assert main(["build", "--source", str(copy), "--jobs", "1", "--no-cache", "-q"]) == 0
    return snapshot(copy / "output")


def edit(path: Path, old: str, new: str) -> None:
    """Replace text in a file and move its time on, as an editor's save does."""
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


def edit_long_ago(path: Path, old: str, new: str) -> None:
    """Edit a file and date the change an hour back, past the window in which builds re-read every file."""
    edit(path, old, new)
    os.utime(path, (time.time() - 3600, time.time() - 3600))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """Return a generated site big enough for the process pool."""
    return generate(POOL_THRESHOLD + 16, tmp_path_factory.mktemp("corpus") / "site")


def test_parallel_cached_and_serial_builds_are_byte_identical(corpus, tmp_path):
    """A pool build, a warm-cache build into an empty folder, and a no-op rebuild all equal a serial build."""
    expected = serial_output(corpus, tmp_path)
    assert build(corpus, "--jobs", "2") == 0
    assert snapshot(corpus / "output") == expected
    shutil.rmtree(corpus / "output")
    assert build(corpus, "--jobs", "2") == 0
    assert snapshot(corpus / "output") == expected
    assert build(corpus) == 0
    assert snapshot(corpus / "output") == expected


def test_edited_sheet_rebuilds_its_page_and_the_lists_that_show_it_only(tmp_path, capsys):
    """Changing one sheet's title rewrites its page, the home page, the feeds and its API files, nothing else."""
    root = make_site(tmp_path / "site", {"a.md": GOOD_SHEET, "b.md": GOOD_SHEET})
    assert build(root) == 0
    before = snapshot(root / "output")
    edit(root / "content" / "a.md", "قمة تجريبية", "قمة معدلة")
    assert main(["build", "--source", str(root)]) == 0
    assert " files, 6 changed) into output/" in capsys.readouterr().out
    after = snapshot(root / "output")
    # The search index is made afresh on any change (tests/test_search.py checks it); the pages are not.
    assert sorted(n for n in after if after[n] != before.get(n) and not n.startswith("pagefind/")) == [
        "a/index.html", "api/sheets.json", "api/sheets/a.json", "atom.xml", "feed.json", "index.html",
    ]
    assert after == serial_output(root, tmp_path)


def test_edit_keeping_every_grouping_leaves_the_people_and_tags_api_unmade(tmp_path, monkeypatch):
    """From the command line, a new title does not make api/people.json again (a third of such a rebuild on
    10,000 sheets); a new role does. Either way the output equals a fresh build."""
    sheet = GOOD_SHEET.replace("---\n\n", "delegations:\n  - side: روسيا\n    members:\n"
                               "      - name: سيرغي لافروف\n        role: وزير الخارجية\n---\n\n", 1)
    root = make_site(tmp_path / "site", {"a.md": sheet, "b.md": sheet})
    assert build(root) == 0
    made = []
    monkeypatch.setattr(pages_module, "_people_index", lambda *args: made.append("people") or {"people": []})
    edit(root / "content" / "a.md", "قمة تجريبية", "قمة معدلة")
    assert build(root) == 0
    assert made == []
    monkeypatch.undo()
    assert snapshot(root / "output") == serial_output(root, tmp_path)
    edit(root / "content" / "a.md", "وزير الخارجية", "رئيس الوفد")
    assert build(root) == 0
    assert snapshot(root / "output") == serial_output(root, tmp_path)
    assert "رئيس الوفد" in (root / "output" / "api" / "people.json").read_text(encoding="utf-8")


def test_preview_edits_equal_a_fresh_build(tmp_path):
    """A Builder kept between saves, as the preview keeps one, writes what a fresh serial build writes.

    Title, body and template edits take the fast path that swaps sheets into the last build's model; a
    tag, a role or a date change regroups the site and takes the full one. Both must give the same bytes.
    """
    root = generate(POOL_THRESHOLD + 16, tmp_path / "site")
    builder = KeptBuilds(root, search=False)
    builder.build()
    edits = [
        ("content/sheet-00007.md", "title: \"", "title: \"(معدّل) "),
        ("content/sheet-00011.md", "\n## ", "\nفقرة جديدة عن Geneva في 2025.\n\n## "),
        ("content/sheet-00007.md", "summary: \"", "summary: \"ملخص جديد. "),
        ("templates/static/site.css", "/* Waraqa's theme.", "/* Waraqa's theme, edited."),
        ("templates/_sheet_parts.html", '<p class="summary">', '<p class="summary card">'),
        ("templates/sheet.html", "</article>\n{% endblock %}", "</article>\n<p>تذييل</p>\n{% endblock %}"),
        ("content/sheet-00023.md", "tags:\n", "tags:\n  - وسم جديد\n"),
        ("content/sheet-00031.md", "role: ", "role: نائب "),
        ("content/sheet-00042.md", "date: 20", "date: 19"),
    ]
    for name, old, new in edits:
        text = (root / name).read_text(encoding="utf-8")
        assert old in text
        (root / name).write_text(text.replace(old, new, 1), encoding="utf-8")
        builder.build()
        assert snapshot(root / "output") == serial_output(root, tmp_path), f"after editing {name}"


def test_restarted_preview_loads_its_model_when_idle(tmp_path):
    """A preview that starts on a built site loads the model while idle; its first edit matches a fresh build."""
    root = generate(POOL_THRESHOLD + 16, tmp_path / "site")
    for sheet_file in (root / "content").iterdir():  # saved long before the build, as on a real site
        os.utime(sheet_file, (time.time() - 3600, time.time() - 3600))
    assert build(root) == 0
    preview = KeptBuilds(root, keep=False, search=False)
    assert preview.build().written == 0
    assert preview.state.site is None
    preview.warm()
    assert preview.state.site is not None and len(preview.state.pages) > POOL_THRESHOLD
    sheet = root / "content" / "sheet-00005.md"
    edit(sheet, "title: \"", "title: \"(معدّل) ")
    assert preview.build({sheet}).written > 0
    assert snapshot(root / "output") == serial_output(root, tmp_path)


def test_preview_saves_its_state_only_when_asked(tmp_path):
    """The preview's builds leave the state unsaved until idle; once saved, a restarted preview writes nothing."""
    root = make_site(tmp_path / "site", {"a.md": GOOD_SHEET})
    KeptBuilds(root, keep=False).build()
    assert KeptBuilds(root).build().written > 0, "state saved before keep_state()"
    edit(root / "content" / "a.md", "قمة تجريبية", "قمة معدلة")
    preview = KeptBuilds(root, keep=False)
    assert preview.build().written > 0
    preview.keep_state()
    assert KeptBuilds(root).build().written == 0


def test_preview_saves_with_the_cycle_collector_paused(tmp_path, monkeypatch):
    """The idle save pickles the whole model; a full collection during it walked millions of objects (close to 1 s).

    The pause is the preview's policy, set where its process runs, not inside the library.
    """
    from waraqa import serve, workspace
    from waraqa.cli import make_parser

    root = make_site(tmp_path / "site", {"a.md": GOOD_SHEET})
    args = make_parser().parse_args(["serve", "--source", str(root)])
    preview = serve.Preview(args, "http://127.0.0.1:8000/")
    assert preview.rebuild(set())
    collector_on = []
    monkeypatch.setattr(workspace, "save", lambda *args: collector_on.append(gc.isenabled()))
    preview.last_build -= serve.IDLE_SECONDS + 1
    preview.when_idle()
    assert collector_on == [False]
    assert gc.isenabled()


def test_model_stored_in_parts_by_several_builds_loads_whole(tmp_path, capsys):
    """Each build stores only the parts of the model it changed; a later build still gets every sheet's record.

    The preview also saves only when idle, so parts changed by builds in between must not be skipped.
    Every edit is dated an hour back, so that no build re-reads a sheet for being recent: each sheet's
    record then comes from the stored model alone.
    """
    root = make_site(tmp_path / "site", {name: GOOD_SHEET for name in ("a.md", "b.md", "c.md", "d.md")})
    for path in (root / "content").iterdir():
        os.utime(path, (time.time() - 7200, time.time() - 7200))
    assert build(root) == 0
    edit_long_ago(root / "content" / "a.md", "قمة تجريبية", "قمة أولى")
    assert build(root) == 0
    preview = KeptBuilds(root, keep=False)
    for name, title in (("b.md", "قمة ثانية"), ("c.md", "قمة ثالثة")):
        edit_long_ago(root / "content" / name, "قمة تجريبية", title)
        assert preview.build().incremental
    preview.keep_state()
    edit_long_ago(root / "content" / "d.md", "قمة تجريبية", "قمة رابعة")
    assert main(["build", "--source", str(root)]) == 0
    assert " changed) into output/" in capsys.readouterr().out, "the model did not load: a full build was made"
    assert snapshot(root / "output") == serial_output(root, tmp_path)
    assert "قمة أولى" in (root / "output" / "index.html").read_text(encoding="utf-8")


def test_model_part_stored_by_another_build_is_not_used(tmp_path, capsys):
    """A part of the model overwritten by another build reads as missing: the next build is a full one, and right."""
    root = make_site(tmp_path / "site", {"a.md": GOOD_SHEET, "b.md": GOOD_SHEET})
    assert build(root) == 0
    with sqlite3.connect(root / CACHE_FOLDER / "build.sqlite") as db:
        rows = db.execute("SELECT key, value FROM entries").fetchall()
        for key, value in rows:
            stored = pickle.loads(value)
            if isinstance(stored, tuple) and len(stored) == 2 and stored[1] == {}:
                db.execute("UPDATE entries SET value = ? WHERE key = ?", (pickle.dumps((stored[0] + 1, {})), key))
    edit(root / "content" / "a.md", "قمة تجريبية", "قمة معدلة")
    assert main(["build", "--source", str(root)]) == 0
    assert " changed) into output/" not in capsys.readouterr().out
    assert snapshot(root / "output") == serial_output(root, tmp_path)


def test_template_edit_rebuilds_every_page(tmp_path):
    """A changed template reaches every page, cached sheets included."""
    root = make_site(tmp_path / "site", {"a.md": GOOD_SHEET, "b.md": GOOD_SHEET})
    assert build(root) == 0
    edit(root / "templates" / "base.html", "</body>", "<!-- تذييل جديد --></body>")
    assert build(root) == 0
    pages = [p for p in (root / "output").rglob("*.html")]
    assert len(pages) >= 4 and all("تذييل جديد" in p.read_text(encoding="utf-8") for p in pages)
    assert snapshot(root / "output") == serial_output(root, tmp_path)


def changed_files(before: dict[str, bytes], after: dict[str, bytes]) -> list[str]:
    """Return the files added, removed or changed between two snapshots, the search index left out."""
    names = (before.keys() | after.keys()) - {n for n in before.keys() | after.keys() if n.startswith("pagefind/")}
    return sorted(name for name in names if before.get(name) != after.get(name))


def test_sheet_template_edit_from_the_command_line_keeps_each_pages_links(tmp_path):
    """A build with no model in memory re-renders sheet pages with the tag, people and side links they had."""
    root = generate(POOL_THRESHOLD + 16, tmp_path / "site")
    assert build(root) == 0
    edit(root / "templates" / "sheet.html", "</article>\n{% endblock %}", "</article>\n<p>تذييل</p>\n{% endblock %}")
    assert build(root) == 0
    assert snapshot(root / "output") == serial_output(root, tmp_path)


@pytest.mark.parametrize(
    ("template", "old", "new", "expected"),
    [
        ("sheet.html", "</article>\n{% endblock %}", "</article>\n<p>تذييل الورقة</p>\n{% endblock %}", ["a/index.html", "b/index.html"]),
        ("sheet.html", "</article>\n{% endblock %}", "</article>\n{# ملاحظة للمصمم #}\n{% endblock %}", []),
        ("_sheet_parts.html", '<p class="summary">', '<p class="summary card">', None),
        ("static/site.css", "/* Waraqa's theme.", "/* Waraqa's theme, edited.", ["static/site.css"]),
    ],
    ids=["sheet page", "comment only", "macro used by cards", "style sheet"],
)
def test_template_edit_rebuilds_the_pages_that_use_it_only(tmp_path, template, old, new, expected):
    """An edited template re-renders the pages whose templates load it, and only changed files are written."""
    root = make_site(tmp_path / "site", {"a.md": GOOD_SHEET, "b.md": GOOD_SHEET})
    assert build(root) == 0
    before = snapshot(root / "output")
    edit(root / "templates" / template, old, new)
    assert build(root) == 0
    after = snapshot(root / "output")
    if expected is not None:
        assert changed_files(before, after) == expected
    else:
        assert "index.html" in changed_files(before, after)
    assert after == serial_output(root, tmp_path)


def test_style_edit_copies_the_file_alone_and_keeps_the_model_for_the_next_edit(tmp_path):
    """A style sheet edit is copied without the site model; the next sheet edit still builds incrementally."""
    root = make_site(tmp_path / "site", {"a.md": GOOD_SHEET, "b.md": GOOD_SHEET})
    for sheet_file in (root / "content").iterdir():  # saved long before the build, as on a real site
        os.utime(sheet_file, (time.time() - 3600, time.time() - 3600))
    assert KeptBuilds(root).build().written > 0
    edit(root / "templates" / "static" / "site.css", "/* Waraqa's theme.", "/* Waraqa's theme, edited.")
    report = KeptBuilds(root).build()
    assert (report.incremental, report.written) == (True, 1)
    edit(root / "content" / "a.md", "قمة تجريبية", "قمة معدلة")
    report = KeptBuilds(root).build()
    assert report.incremental and 0 < report.written < report.files // 2
    assert snapshot(root / "output") == serial_output(root, tmp_path)


def test_removing_a_static_file_that_pages_use_fails_the_build(tmp_path, capsys):
    """A deleted favicon leaves every page with a broken link: the build stops and output/ stays whole."""
    root = make_site(tmp_path / "site", {"a.md": GOOD_SHEET})
    assert build(root) == 0
    before = snapshot(root / "output")
    (root / "templates" / "static" / "favicon.svg").unlink()
    assert build(root) == 1
    assert "broken link to static/favicon.svg" in capsys.readouterr().err
    assert snapshot(root / "output") == before


def test_template_error_in_an_incremental_build_names_the_template_and_leaves_output_whole(tmp_path, capsys):
    """A broken template after a good build is reported with its file and line, and output/ stays as it was."""
    root = make_site(tmp_path / "site", {"a.md": GOOD_SHEET})
    assert build(root) == 0
    before = snapshot(root / "output")
    edit(root / "templates" / "sheet.html", "</article>\n{% endblock %}", "</article>\n{{ sheet.no_such_field }}\n{% endblock %}")
    assert build(root) == 1
    assert "templates/sheet.html:" in capsys.readouterr().err
    assert snapshot(root / "output") == before
    assert not list(root.glob(".output.tmp-*"))


def test_config_edit_rebuilds_every_page(tmp_path):
    """A changed setting (the site title) reaches every page."""
    root = make_site(tmp_path / "site", {"a.md": GOOD_SHEET})
    assert build(root) == 0
    (root / "waraqa.toml").write_text('title = "عنوان آخر للموقع"\n', encoding="utf-8")
    assert build(root) == 0
    assert all("عنوان آخر للموقع" in p.read_text(encoding="utf-8") for p in (root / "output").rglob("*.html"))


def test_removed_sheet_and_changed_slug_leave_no_stale_page(tmp_path):
    """Deleting a sheet deletes its page; a new slug moves the page."""
    root = make_site(tmp_path / "site", {"a.md": GOOD_SHEET, "b.md": GOOD_SHEET})
    assert build(root) == 0
    (root / "content" / "b.md").unlink()
    edit(root / "content" / "a.md", "---\n", "---\nslug: new-a\n")
    assert build(root) == 0
    assert not (root / "output" / "b").exists() and not (root / "output" / "a").exists()
    assert (root / "output" / "new-a" / "index.html").is_file()
    assert snapshot(root / "output") == serial_output(root, tmp_path)


def test_hand_edited_output_is_rebuilt_whole(tmp_path):
    """A file changed in output/ by hand makes the next build a full one that restores it.

    The edit is made in place, so it also reaches the page store's hard link to that file: a later build
    into an emptied folder must not bring the hand-edited bytes back.
    """
    root = make_site(tmp_path / "site", {"a.md": GOOD_SHEET})
    assert build(root) == 0
    expected = snapshot(root / "output")
    (root / "output" / "a" / "index.html").write_text("changed by hand", encoding="utf-8")
    assert build(root) == 0
    assert snapshot(root / "output") == expected
    shutil.rmtree(root / "output")
    assert build(root) == 0
    assert snapshot(root / "output") == expected


def test_deleted_output_comes_back_without_rendering(tmp_path, monkeypatch, capsys):
    """With sources unchanged, a deleted output folder or file is restored from the cache; no page is rendered."""
    root = make_site(tmp_path / "site", {"a.md": GOOD_SHEET, "b.md": GOOD_SHEET})
    assert main(["build", "--source", str(root)]) == 0
    count = re.search(r"\((\d+) files", capsys.readouterr().out).group(1)
    expected = snapshot(root / "output")
    shutil.rmtree(root / "output")
    (root / "output-elsewhere").mkdir()  # a neighbour the build must leave alone
    monkeypatch.setattr(Renderer, "render", lambda *args: pytest.fail("a page was rendered"))
    assert main(["build", "--source", str(root)]) == 0
    assert f"({count} files, {count} changed)" in capsys.readouterr().out
    assert snapshot(root / "output") == expected
    (root / "output" / "b" / "index.html").unlink()
    assert main(["build", "--source", str(root)]) == 0
    assert f"({count} files, 1 changed)" in capsys.readouterr().out
    assert snapshot(root / "output") == expected
    assert (root / "output-elsewhere").is_dir()


def test_edit_made_while_output_was_deleted_is_built(tmp_path):
    """An emptied output folder and an edited sheet: unchanged files come back, the edit's pages are rendered."""
    root = make_site(tmp_path / "site", {"a.md": GOOD_SHEET, "b.md": GOOD_SHEET})
    assert build(root) == 0
    shutil.rmtree(root / "output")
    edit(root / "content" / "a.md", "قمة تجريبية", "قمة معدلة")
    assert build(root) == 0
    assert snapshot(root / "output") == serial_output(root, tmp_path)


def test_damaged_twin_is_not_used(tmp_path):
    """Twin files whose bytes changed since they were linked are never put back into the site."""
    root = make_site(tmp_path / "site", {"a.md": GOOD_SHEET})
    assert build(root) == 0
    expected = snapshot(root / "output")
    shutil.rmtree(root / "output")
    for entry in twin_files(root):
        with entry.open("ab") as file:
            file.write(b"damage")
    assert build(root) == 0
    assert snapshot(root / "output") == expected


def test_twin_holds_the_output_folders_files_and_nothing_else(tmp_path):
    """After edits the twin holds exactly the output folder's files, as hard links that cost no space."""
    root = make_site(tmp_path / "site", {"a.md": GOOD_SHEET, "b.md": GOOD_SHEET})
    assert build(root) == 0
    for number in range(3):
        edit(root / "content" / "a.md", "نص الورقة", f"نص الورقة {number}")
        assert build(root) == 0
    twin = twin_folder(root)
    output = root / "output"
    names = sorted(p.relative_to(output).as_posix() for p in output.rglob("*") if p.is_file())
    assert sorted(p.relative_to(twin).as_posix() for p in twin.rglob("*") if p.is_file()) == names
    assert all((output / name).stat().st_ino == (twin / name).stat().st_ino for name in names if name != ".waraqa-output")


def test_preview_tidies_the_twin_when_idle(tmp_path, monkeypatch):
    """The preview brings the twin up to its folder only once idle; then a deleted folder comes back unrendered.

    On 10,000 sheets a template edit frees 10,000 old pages from the twin: a second the browser waited for.
    """
    root = make_site(tmp_path / "site", {"a.md": GOOD_SHEET, "b.md": GOOD_SHEET})
    preview = KeptBuilds(root, keep=False, search=False)
    preview.build()
    preview.keep_state()
    twin = twin_folder(root)
    for number in range(2):
        before = {p.relative_to(twin).as_posix(): p.stat().st_ino for p in twin.rglob("*") if p.is_file()}
        edit(root / "content" / "a.md", "نص الورقة", f"نص الورقة {number}")
        assert preview.build().written > 0
        output = root / "output"
        assert {p.relative_to(output).as_posix(): p.stat().st_ino for p in output.rglob("*") if p.is_file()} != before
    preview.keep_state()
    expected = snapshot(root / "output")
    shutil.rmtree(root / "output")
    monkeypatch.setattr(Renderer, "render", lambda *args: pytest.fail("a page was rendered"))
    report = KeptBuilds(root, search=False).build()
    assert report.written == report.files == len(expected) - 1  # every file but the marker, none rendered
    assert snapshot(root / "output") == expected


def test_preview_folder_deleted_before_the_twin_is_tidied_is_built_again(tmp_path, monkeypatch):
    """A deleted folder cannot come back from a twin the preview has not tidied yet: it is built afresh, right.

    Once the twin is tidied, the folder comes back from it without a page rendered.
    """
    root = make_site(tmp_path / "site", {"a.md": GOOD_SHEET, "b.md": GOOD_SHEET})
    preview = KeptBuilds(root, keep=False, search=False)
    preview.build()
    edit(root / "content" / "a.md", "قمة تجريبية", "قمة معدلة")
    preview.build()
    shutil.rmtree(root / "output")
    edit(root / "content" / "b.md", "نص الورقة", "نص الورقة الجديد")
    preview.build()
    expected = snapshot(root / "output")
    assert expected == {name: data for name, data in serial_output(root, tmp_path).items() if not name.startswith("pagefind/")}
    preview.keep_state()
    shutil.rmtree(root / "output")
    monkeypatch.setattr(Renderer, "render", lambda *args: pytest.fail("a page was rendered"))
    preview.build()
    assert snapshot(root / "output") == expected


def test_cache_keeps_the_files_and_states_of_the_folders_used_last_only(tmp_path, capsys):
    """Building into folder after folder keeps the files and the state of the last three in the cache, not of every one."""
    root = make_site(tmp_path / "site", {"a.md": GOOD_SHEET})
    entries = []
    for number in range(6):
        assert build(root, "--output", str(tmp_path / f"out-{number}")) == 0
        entries.append(cache_entries(root))
    assert entries[5] == entries[2], "the cache grows with every folder built into"
    assert len(list((root / CACHE_FOLDER / "trees").iterdir())) == 3
    shutil.rmtree(tmp_path / "out-4")
    assert main(["build", "--source", str(root), "--output", str(tmp_path / "out-4")]) == 0
    assert " changed) into " in capsys.readouterr().out, "a recent folder's files or state were not kept"
    assert main(["build", "--source", str(root), "--output", str(tmp_path / "out-0")]) == 0
    assert " changed) into " not in capsys.readouterr().out, "the state of a folder long unused was kept"
    assert snapshot(tmp_path / "out-0") == snapshot(tmp_path / "out-5")


def cache_entries(root: Path) -> int:
    """Return how many entries a site's cache holds."""
    with sqlite3.connect(root / CACHE_FOLDER / "build.sqlite") as db:
        return db.execute("SELECT count(*) FROM entries").fetchone()[0]


def twin_folder(root: Path) -> Path:
    """Return the twin of a site's output folder."""
    (home,) = [folder for folder in (root / CACHE_FOLDER / "trees").iterdir() if (folder / "twin").is_dir()]
    return home / "twin"


def twin_files(root: Path) -> list[Path]:
    """Return the files of the twin of a site's output folder."""
    return [path for path in twin_folder(root).rglob("*") if path.is_file()]


def test_error_in_an_incremental_build_leaves_output_whole(tmp_path):
    """A broken save after a good build changes nothing in output/."""
    root = make_site(tmp_path / "site", {"a.md": GOOD_SHEET, "b.md": GOOD_SHEET})
    assert build(root) == 0
    before = snapshot(root / "output")
    edit(root / "content" / "a.md", "قمة تجريبية", "قمة معدلة")
    edit(root / "content" / "b.md", "date: 2025-01-10", "date: 2025-02-30")
    assert build(root) == 1
    assert snapshot(root / "output") == before


@pytest.mark.parametrize("damage", [b"", b"not a database at all" * 100, b"SQLite format 3\x00" + b"\xff" * 5000])
def test_damaged_cache_is_ignored_and_rebuilt(tmp_path, damage):
    """A truncated or foreign cache file never crashes a build."""
    root = make_site(tmp_path / "site", {"a.md": GOOD_SHEET})
    assert build(root) == 0
    expected = snapshot(root / "output")
    for path in (root / CACHE_FOLDER).glob("build.sqlite*"):
        path.write_bytes(damage)
    shutil.rmtree(root / "output")
    assert build(root) == 0
    assert snapshot(root / "output") == expected
    assert build(root) == 0


def test_cache_written_by_other_code_is_ignored(tmp_path):
    """Records pickled by another version of Waraqa are dropped, not handed to code expecting other shapes."""
    root = make_site(tmp_path / "site", {"a.md": GOOD_SHEET})
    assert build(root) == 0
    expected = snapshot(root / "output")
    database = root / CACHE_FOLDER / "build.sqlite"
    with sqlite3.connect(database) as db:
        db.execute("UPDATE meta SET value = 'waraqa-cache-3:older code' WHERE name = 'format'")
        db.execute("UPDATE entries SET value = ?", (pickle.dumps({"shape": "from older code"}),))
        db.execute("INSERT INTO entries VALUES ('older key', ?)", (pickle.dumps({"shape": "from older code"}),))
    shutil.rmtree(root / "output")
    assert build(root) == 0
    assert snapshot(root / "output") == expected
    with sqlite3.connect(database) as db:
        stored = [pickle.loads(value) for (value,) in db.execute("SELECT value FROM entries")]
    assert stored and {"shape": "from older code"} not in stored


def test_cache_keeps_one_entry_per_sheet_file(tmp_path):
    """Edits replace a sheet's cache entry and a deleted sheet's entry goes, so the cache never outgrows the site."""
    root = make_site(tmp_path / "site", {"a.md": GOOD_SHEET, "b.md": GOOD_SHEET})
    assert build(root) == 0
    for _ in range(3):
        edit(root / "content" / "a.md", "نص الورقة", "نص الورقة المعدّل")
        assert build(root) == 0
    assert sheet_entries(root) == ["sheet:" + str(root / "content" / name) for name in ("a.md", "b.md")]
    (root / "content" / "b.md").unlink()
    assert build(root) == 0
    assert sheet_entries(root) == ["sheet:" + str(root / "content" / "a.md")]


def sheet_entries(root: Path) -> list[str]:
    """Return the keys of the prepared sheets in a site's cache."""
    with sqlite3.connect(root / CACHE_FOLDER / "build.sqlite") as db:
        return sorted(key for (key,) in db.execute("SELECT key FROM entries WHERE key LIKE 'sheet:%'"))


def test_deleting_the_cache_is_always_safe(tmp_path):
    """Without its cache folder a site builds the same bytes."""
    root = make_site(tmp_path / "site", {"a.md": GOOD_SHEET})
    assert build(root) == 0
    expected = snapshot(root / "output")
    shutil.rmtree(root / CACHE_FOLDER)
    edit(root / "content" / "a.md", "نص الورقة.", "نص الورقة.")
    assert build(root) == 0
    assert snapshot(root / "output") == expected


def test_two_builds_at_once_do_not_corrupt_the_cache(corpus, tmp_path):
    """Two processes building the same site together both succeed, and the next build is still right."""
    expected = serial_output(corpus, tmp_path)
    shutil.rmtree(corpus / CACHE_FOLDER, ignore_errors=True)
    command = [sys.executable, str(REPO / "build.py"), "--source", str(corpus), "-q", "--jobs", "2"]
    first = subprocess.Popen([*command, "--output", str(tmp_path / "out-1")])
    second = subprocess.Popen([*command, "--output", str(tmp_path / "out-2")])
    assert (first.wait(timeout=300), second.wait(timeout=300)) == (0, 0)
    assert snapshot(tmp_path / "out-1") == expected == snapshot(tmp_path / "out-2")
    shutil.rmtree(corpus / "output", ignore_errors=True)
    assert build(corpus) == 0
    assert snapshot(corpus / "output") == expected


def test_save_within_the_same_clock_tick_is_not_missed(tmp_path):
    """A same-size edit that keeps the file's time is still seen, because recent files are always re-read."""
    root = make_site(tmp_path / "site", {"a.md": GOOD_SHEET})
    path = root / "content" / "a.md"
    assert build(root) == 0
    stat = path.stat()
    edit(root / "content" / "a.md", "قمة تجريبية", "قمة تجريبيه")
    import os

    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert build(root) == 0
    assert "قمة تجريبيه" in (root / "output" / "a" / "index.html").read_text(encoding="utf-8")


def test_a_build_that_fails_while_the_pool_writes_leaves_nothing_behind(tmp_path, monkeypatch):
    """A page failing in one worker while the other still writes: the build stops, the output folder stays as it was,
    and no worker writes on into the folder the build deleted."""
    root = generate(POOL_THRESHOLD + 16, tmp_path / "site")
    render_page = Renderer.render_page

    def slowly_or_failing(renderer, page, body=None):
        """Render slowly; fail on one sheet page, as a full disk would."""
        if page.site_file == "sheet-00003/index.html":
            raise OSError(errno.ENOSPC, "No space left on device")
        time.sleep(0.01)
        return render_page(renderer, page, body)

    monkeypatch.setattr(Renderer, "render_page", slowly_or_failing)  # before the pool forks, so its workers have it
    with pytest.raises(OSError, match="No space left"):
        KeptBuilds(root, jobs=2).build()
    time.sleep(1.5)  # longer than the pool's remaining chunks take: anything written late is there now
    assert [path.name for path in root.iterdir() if path.name.startswith(".output")] == []
    assert not (root / "output").exists()
