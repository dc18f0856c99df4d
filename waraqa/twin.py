"""The output folder's twin: a second copy of the site, made of hard links, where the next build is assembled.

Swapping whole folders makes every build atomic, but a build that changed one sheet cannot afford to
make a second tree of a big site each time: on 10,000 sheets that is 17,000 folders and 27,000 files.
So each output folder keeps a twin in the cache, on the same file system: the same files under the
same names, as hard links, which cost no space. A build moves its new files into the twin, removes
what went away, and swaps the twin with the output folder; the folder that was the output is then
brought up to date the same way, with links to the new files, and is the next build's twin.

Only Waraqa writes into a twin, and only through sync(): it checks each folder on the way to a file
with lstat, so a symbolic link inside a twin (or inside an output folder that became one) is removed,
never followed. `twin.json` beside the twin says which build it holds; a twin being changed holds none.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import stat
from collections.abc import Callable, Mapping
from pathlib import Path

from .output import MARKER, mark, real_folder, remove_tree
from .records import FileRecord, Stamp, stamp_of

_STATUS = "twin.json"
_LINKING = ".waraqa-link"


def twin_home(output: Path, cache: Path | None) -> Path | None:
    """Return the folder of `output`'s twin and staging: in the cache when it shares a file system with `output`.

    None without a cache: every build is then a full one into a new folder.
    """
    if cache is None:
        return None
    name = hashlib.blake2b(str(output).encode("utf-8"), digest_size=8).hexdigest()
    try:
        same = os.stat(cache).st_dev == os.stat(output.parent).st_dev
    except OSError:
        same = False
    if not same:
        return _real_folders(output.parent, f".{output.name}.waraqa")
    return _real_folders(cache, "trees", name)


def _real_folders(base: Path, *names: str) -> Path:
    """Return the twin's home, each folder on the way a real one, and no link or file where the twin goes."""
    path = real_folder(base, *names)
    twin = path / "twin"
    if twin.is_symlink() or (twin.exists() and not twin.is_dir()):
        twin.unlink()
    return path


def held_build(home: Path) -> int | None:
    """Return the id of the build whose files the twin in `home` holds, or None when it holds no known build."""
    try:
        found = json.loads((home / _STATUS).read_text(encoding="utf-8"))
        return int(found["build"]) if (home / "twin").is_dir() else None
    except (OSError, ValueError, KeyError, TypeError):
        return None


def set_held_build(home: Path, build: int | None) -> None:
    """Record which build the twin holds; None before it is changed, so a build killed meanwhile trusts it no more."""
    if build is None:
        with contextlib.suppress(FileNotFoundError):
            (home / _STATUS).unlink()
        return
    fresh = home / f"{_STATUS}.{os.getpid()}"
    fresh.write_text(json.dumps({"build": build}), encoding="utf-8")
    os.replace(fresh, home / _STATUS)


def sync(
    tree: Path,
    have: Mapping[str, bytes] | None,
    want: Mapping[str, FileRecord] | Mapping[str, bytes],
    source: Callable[[str], tuple[str, bool]],
    progress: Callable[[int], None] | None = None,
) -> dict[str, Stamp]:
    """Make `tree` hold `want` (site file -> digest) where it holds `have`; return the stamps of the files it placed.

    `source(site_file)` names where a missing or changed file's bytes are, and whether to move them there
    (a staged file) or to hard-link them (a file of another tree, which keeps it). With `have` None (what
    the tree holds is not known) every file is placed and every other file of the tree removed: its
    folders are kept, which on a big site is most of the cost of a new tree.
    """
    mark(tree)
    checked: set[str] = set()
    placed: dict[str, Stamp] = {}
    base = str(tree)
    known = have or {}
    for site_file, wanted in want.items():
        digest = wanted.digest if isinstance(wanted, FileRecord) else wanted
        if have is not None and known.get(site_file) == digest:
            continue
        target = os.path.join(base, site_file)
        _make_parents(base, site_file, checked)
        path, move = source(site_file)
        if move:
            os.replace(path, target)
        else:
            linking = os.path.join(os.path.dirname(target), _LINKING)
            with contextlib.suppress(FileNotFoundError):
                os.unlink(linking)
            os.link(path, linking)
            os.replace(linking, target)
        placed[site_file] = stamp_of(target)
        if progress and len(placed) % 256 == 0:
            progress(256)
    for site_file in sorted((set(known) if have is not None else _files_of(base)) - set(want), reverse=True):
        _remove(base, site_file, checked)
    return placed


def _files_of(base: str) -> set[str]:
    """Return every file of the tree `base` (links included, as files), by its site path; Waraqa's marker excepted."""
    found: set[str] = set()
    folders = [""]
    while folders:
        folder = folders.pop()
        with os.scandir(os.path.join(base, folder)) as entries:
            for entry in entries:
                name = f"{folder}/{entry.name}" if folder else entry.name
                if entry.is_dir(follow_symlinks=False):
                    folders.append(name)
                elif name != MARKER:
                    found.add(name)
    return found


def _make_parents(base: str, site_file: str, checked: set[str]) -> None:
    """Make sure every folder on the way to `site_file` in the tree `base` is a real folder, making missing ones."""
    parts = site_file.split("/")[:-1]
    for depth in range(1, len(parts) + 1):
        folder = "/".join(parts[:depth])
        if folder in checked:
            continue
        path = os.path.join(base, folder)
        try:
            if not stat.S_ISDIR(os.lstat(path).st_mode):
                os.unlink(path)  # a file or a link where a folder belongs: removed, never followed
                os.mkdir(path)
        except FileNotFoundError:
            os.mkdir(path)
        checked.add(folder)


def _remove(base: str, site_file: str, checked: set[str]) -> None:
    """Delete `site_file` from the tree `base`, and the folders it leaves empty; a link on the way is removed itself."""
    parts = site_file.split("/")
    for depth in range(1, len(parts)):
        folder = "/".join(parts[:depth])
        if folder in checked:
            continue
        path = os.path.join(base, folder)
        try:
            if not stat.S_ISDIR(os.lstat(path).st_mode):
                os.unlink(path)
                return
        except FileNotFoundError:
            return
        checked.add(folder)
    with contextlib.suppress(FileNotFoundError):
        os.unlink(os.path.join(base, site_file))
    for depth in range(len(parts) - 1, 0, -1):
        try:
            os.rmdir(os.path.join(base, *parts[:depth]))
        except OSError:
            break
        checked.discard("/".join(parts[:depth]))


def clone(
    source: Path, files: Mapping[str, FileRecord], target: Path, progress: Callable[[int], None] | None = None
) -> dict[str, Stamp] | None:
    """Make `target` a new tree of hard links to the `files` of `source`; None if one is missing or has changed."""
    remove_tree(target)
    try:
        placed = sync(target, {}, files, lambda site_file: (os.path.join(source, site_file), False), progress)
    except OSError:
        remove_tree(target)
        return None
    if any(placed[name] != record.stamp for name, record in files.items()):
        remove_tree(target)
        return None
    return placed
