"""The output folder is, at every instant, exactly the previous build or the new one, and nothing outside the site is touched.

Builds are killed at random moments, swaps are cut between their two renames, and links are planted in
the cache and the output folder; each time the output folder must be one whole site, no folder of
Waraqa's may be left inside it, and nothing outside the site and its cache may change.
"""

from __future__ import annotations

import errno
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.sitekit import GOOD_SHEET, REPO, build, make_site, snapshot
from waraqa import output as output_module
from waraqa.cache import CACHE_FOLDER
from waraqa.cli import main

SHEETS = {f"s{number:02d}.md": GOOD_SHEET.replace("قمة تجريبية", f"قمة رقم {number}") for number in range(12)}


def edit_title(root: Path, number: int) -> None:
    """Give the first sheet a new title, as an editor's save does."""
    path = root / "content" / "s00.md"
    text = path.read_text(encoding="utf-8").splitlines()
    text[1] = f"title: عنوان معدل {number}"
    path.write_text("\n".join(text) + "\n", encoding="utf-8")


def fresh_build(root: Path, scratch: Path) -> dict[str, bytes]:
    """Return the files a build from nothing makes of the site in `root` as it is now."""
    copy = scratch / "fresh"
    subprocess.run(["rm", "-rf", str(copy)], check=True)
    copy.mkdir(parents=True)
    for name in ("content", "templates", "waraqa.toml"):
        subprocess.run(["cp", "-r", str(root / name), str(copy / name)], check=True)
    assert main(["build", "--source", str(copy), "--no-cache", "-q"]) == 0
    return snapshot(copy / "output")


def leftovers_inside(output: Path) -> list[str]:
    """Return the names of Waraqa's own folders found inside the output folder: there must never be any."""
    return [path.name for path in output.rglob("*") if ".tmp-" in path.name or ".old-" in path.name or "staged-" in path.name]


def test_kill_9_at_any_moment_of_an_incremental_build_leaves_one_whole_site(tmp_path):
    """22 edits, each build killed at a random moment: output/ is the previous site or the new one, never a mix.

    The search index is on, so a kill can land while Pagefind indexes, while files move into the twin, at the
    swap, or while the previous site becomes the twin. The next build after each kill is right.
    """
    root = make_site(tmp_path / "site", SHEETS)
    assert build(root) == 0
    rng = random.Random(16)
    command = [sys.executable, str(REPO / "build.py"), "--source", str(root), "-q"]
    # Kills land anywhere from the start to just past the end of an edit's build, however fast this machine is.
    edit_title(root, 99)
    started = time.perf_counter()
    subprocess.run(command, check=True)
    lasts = time.perf_counter() - started
    outcomes = {"old": 0, "new": 0}
    for number in range(22):
        before = snapshot(root / "output")
        edit_title(root, number)
        expected = fresh_build(root, tmp_path)
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.05, lasts * 1.1))
        process.send_signal(signal.SIGKILL)
        process.wait()
        now = snapshot(root / "output")
        assert now in (before, expected), f"kill {number}: output/ is neither the previous site nor the new one"
        outcomes["old" if now == before else "new"] += 1
        assert leftovers_inside(root / "output") == []
        assert build(root) == 0
        assert snapshot(root / "output") == expected, f"kill {number}: the next build is wrong"
        assert sorted(p.name for p in root.iterdir()) == [".waraqa-cache", "content", "output", "templates", "waraqa.toml"]
    assert outcomes["old"] and outcomes["new"], f"the kills all landed on one side: {outcomes}"


def test_a_build_killed_between_the_two_renames_of_a_swap_puts_the_old_site_back(tmp_path, monkeypatch):
    """On a file system that cannot swap two folders in one step, the old site set aside comes back, whole.

    The kill is made by hand: the old site renamed aside by a build that no longer runs, and no output folder.
    """
    root = make_site(tmp_path / "site", SHEETS)
    assert build(root) == 0
    old = snapshot(root / "output")
    aside = root / ".output.old-999999999"
    os.rename(root / "output", aside)
    edit_title(root, 1)
    monkeypatch.setattr(output_module, "_exchange", unsupported_exchange)
    assert build(root) == 0
    assert snapshot(root / "output") == fresh_build(root, tmp_path)
    assert not aside.exists()
    # The old site was put back before the build, then replaced by the new one: it was never deleted first.
    assert old != snapshot(root / "output")


def test_without_a_one_step_swap_a_failed_second_rename_puts_the_old_site_back(tmp_path, monkeypatch):
    """Where folders cannot be swapped in one step, a second rename that fails leaves the old site in place."""
    root = make_site(tmp_path / "site", SHEETS)
    assert build(root) == 0
    before = snapshot(root / "output")
    monkeypatch.setattr(output_module, "_exchange", unsupported_exchange)
    renames = []
    real_rename = os.rename

    def second_fails(source, target):
        """Fail the rename that would put the new site in place."""
        renames.append(Path(target).name)
        if len(renames) == 2:
            raise OSError(errno.EIO, "Input/output error")
        real_rename(source, target)

    monkeypatch.setattr(output_module.os, "rename", second_fails)
    edit_title(root, 2)
    assert build(root) == 1
    monkeypatch.undo()
    assert snapshot(root / "output") == before
    assert leftovers_inside(root / "output") == []


def unsupported_exchange(first: Path, second: Path) -> None:
    """Fail as renameat2 does on a file system that cannot swap folders."""
    raise OSError(errno.EINVAL, "Invalid argument")


def test_a_symlinked_cache_is_refused_and_the_folder_it_points_to_is_left_alone(tmp_path, capsys):
    """.waraqa-cache as a link to another folder: the build refuses it, and that folder keeps every file."""
    root = make_site(tmp_path / "site", SHEETS)
    elsewhere = outside_folder(tmp_path)
    (root / CACHE_FOLDER).symlink_to(elsewhere)
    before = snapshot(elsewhere)
    assert build(root) == 1
    assert "the build cache is a symbolic link" in capsys.readouterr().err
    assert snapshot(elsewhere) == before


@pytest.mark.parametrize("inside", ["trees", "trees/HOME", "trees/HOME/twin", "trees/OTHER"])
def test_links_inside_the_cache_are_never_followed(tmp_path, inside):
    """A link where the cache keeps twins points at someone's folder: builds go on and that folder is untouched.

    HOME is the folder of this output's twin, OTHER a twin's folder the cache would drop as unused.
    """
    root = make_site(tmp_path / "site", SHEETS)
    assert build(root) == 0
    trees = root / CACHE_FOLDER / "trees"
    (home,) = list(trees.iterdir())
    elsewhere = outside_folder(tmp_path)
    (elsewhere / "twin").mkdir()
    (elsewhere / "twin" / "kept.html").write_text("someone's", encoding="utf-8")
    before = snapshot(elsewhere)
    link = root / CACHE_FOLDER / inside.replace("HOME", home.name).replace("OTHER", "0123456789abcdef")
    subprocess.run(["rm", "-rf", str(link)], check=True)
    link.symlink_to(elsewhere)
    for number in range(3):
        edit_title(root, number)
        assert build(root) == 0
        shutil_free_check(root, tmp_path)
    assert snapshot(elsewhere) == before


def shutil_free_check(root: Path, scratch: Path) -> None:
    """Check that the output folder is what a build from nothing makes."""
    assert snapshot(root / "output") == fresh_build(root, scratch)


def test_a_link_planted_in_the_output_folder_is_never_followed(tmp_path):
    """output/people made a link to another folder: the next builds neither write nor delete anything there."""
    sheets = {name: text.replace("---\n\n", "delegations:\n  - side: روسيا\n    members:\n      - name: سيرغي لافروف\n"
                                 "        role: وزير الخارجية\n---\n\n", 1) for name, text in SHEETS.items()}
    root = make_site(tmp_path / "site", sheets)
    assert build(root) == 0
    elsewhere = outside_folder(tmp_path)
    subprocess.run(["rm", "-rf", str(root / "output" / "people")], check=True)
    (root / "output" / "people").symlink_to(elsewhere)
    before = snapshot(elsewhere)
    for number in range(3):
        edit_title(root, number)
        assert build(root) == 0
        shutil_free_check(root, tmp_path)
    assert snapshot(elsewhere) == before


def outside_folder(tmp_path: Path) -> Path:
    """Return a folder outside the site with someone's files in it, sub-folders included."""
    folder = tmp_path / "someone-else"
    (folder / "photos").mkdir(parents=True)
    (folder / "photos" / "a.jpg").write_bytes(b"\xff\xd8 not ours")
    (folder / "notes.txt").write_text("not ours", encoding="utf-8")
    return folder


def test_check_writes_nothing_anywhere(tmp_path):
    """`check` on a built site changes no file, folder or time in the site, its cache included; on a new site it makes none."""
    root = make_site(tmp_path / "site", SHEETS)
    assert build(root) == 0
    edit_title(root, 3)
    before = every_entry(tmp_path)
    assert main(["check", "--source", str(root), "-q"]) == 0
    assert every_entry(tmp_path) == before
    new = make_site(tmp_path / "new", SHEETS)
    before = every_entry(new)
    assert main(["check", "--source", str(new), "-q"]) == 0
    assert every_entry(new) == before


def every_entry(folder: Path) -> dict[str, tuple[int, int]]:
    """Return every file and folder under `folder` with its size and modification time."""
    found = {}
    for path in [folder, *folder.rglob("*")]:
        info = path.lstat()
        found[path.relative_to(folder).as_posix()] = (info.st_size if path.is_file() else 0, info.st_mtime_ns)
    return found


def test_a_full_disk_while_writing_leaves_the_output_folder_as_it_was(tmp_path, monkeypatch, capsys):
    """ENOSPC while the new files are written, in a full build and in an incremental one: exit 1, a message, no change."""
    root = make_site(tmp_path / "site", SHEETS)
    assert build(root) == 0
    before = snapshot(root / "output")
    real_open = open

    def full_disk(file, mode="r", *args, **kwargs):
        """Fail every write of a page, as a full disk does."""
        if mode == "wb" and Path(file).is_relative_to(root):
            raise OSError(errno.ENOSPC, "No space left on device", str(file))
        return real_open(file, mode, *args, **kwargs)

    monkeypatch.setattr("builtins.open", full_disk)
    edit_title(root, 4)
    assert build(root) == 1
    assert "No space left on device" in capsys.readouterr().err
    assert snapshot(root / "output") == before
    (root / "waraqa.toml").write_text('title = "عنوان جديد"\n', encoding="utf-8")  # a full build
    assert build(root) == 1
    monkeypatch.undo()
    assert snapshot(root / "output") == before
    assert sorted(p.name for p in root.iterdir()) == [".waraqa-cache", "content", "output", "templates", "waraqa.toml"]
