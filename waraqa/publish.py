"""Where a build's files go, and how the new site takes the output folder's place: the write step of the pipeline.

Three writers, one interface. A check writes nothing. A build with the output folder's twin at hand
stages its new files side by side, moves them into the twin, and swaps the twin in (twin.py). A build
without one (the first, or one without a cache) writes a whole new tree beside the output folder and
swaps that in. Either way, nothing reaches the output folder until every page rendered, every link
resolved and the search index was made.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from .output import differing, mark, new_tree_beside, publish, remove_leftovers, remove_tree, tidy_beside
from .records import FileRecord, content_digest, stamp_of
from .twin import clone, held_build, set_held_build, sync

TWIN = "twin"


class Writer:
    """Takes the files a build makes; puts the new site in place once the build has succeeded."""

    def write(self, site_file: str, data: bytes) -> None:
        """Keep the bytes of one new or changed file (in a worker of the pool, too)."""

    def read(self, site_file: str) -> bytes:
        """Return the bytes the new site has at `site_file`: written by this build, or kept from the last."""
        raise NotImplementedError

    @property
    def index_folder(self) -> Path | None:
        """Return a new folder for the search index to be written into, or None when nothing is written."""
        return None

    def finish(self, files: Mapping[str, tuple[bytes, bytes]], index_files: list[str]) -> dict[str, FileRecord]:
        """Put the new site in place; return a record of each of its files.

        `files` maps each file of the site to its digest and plan key; `index_files` are the files of the
        search index written this build (under the index folder), to be added to the site.
        """
        return {}

    def discard(self) -> None:
        """Leave the output folder as it was and remove what the build wrote elsewhere."""


class CheckWriter(Writer):
    """Writes nothing: a check renders every page and checks every link, and that is all."""


class TreeWriter(Writer):
    """Writes the whole new site into a new folder beside the output folder, then swaps that in."""

    def __init__(self, output: Path):
        """Make the new folder, beside `output` so that the swap is a rename on one file system."""
        self.output = output
        self.tree = new_tree_beside(output)
        self.old: Path | None = None
        self._made: set[str] = set()

    def write(self, site_file: str, data: bytes) -> None:
        """Write one file into the new tree, making its folders."""
        target = os.path.join(self.tree, site_file)
        folder = os.path.dirname(target)
        if folder not in self._made:
            os.makedirs(folder, exist_ok=True)
            self._made.add(folder)
        with open(target, "wb") as file:
            file.write(data)

    def read(self, site_file: str) -> bytes:
        """Return a file of the new tree."""
        with open(os.path.join(self.tree, site_file), "rb") as file:
            return file.read()

    @property
    def index_folder(self) -> Path:
        """Return where the index goes: its place in the new tree."""
        return self.tree / "pagefind"

    def finish(self, files: Mapping[str, tuple[bytes, bytes]], index_files: list[str]) -> dict[str, FileRecord]:
        """Swap the new tree in; the previous site, if any, is deleted once the new one is in place."""
        records = _records(self.tree, files, index_files)
        self.old = publish(self.tree, self.output)
        if self.old is not None:
            remove_tree(self.old)
        return records

    def discard(self) -> None:
        """Delete the new tree."""
        remove_tree(self.tree)


class TwinWriter(Writer):
    """Stages changed files side by side, moves them into the twin, and swaps the twin in."""

    def __init__(
        self, output: Path, home: Path, twin: Mapping[str, bytes] | None, previous: Mapping[str, FileRecord] | None
    ):
        """Stage beside the twin in `home`.

        `twin` is what the twin holds (None: not known), `previous` what the output folder holds (None: not
        known, when every file is made again).
        """
        self.output = output
        self.home = home
        self.twin = home / TWIN
        self.have = twin
        self.previous = previous
        self.staging = home / f"staged-{os.getpid()}"
        remove_leftovers(home, "staged-*")
        remove_tree(self.staging)
        mark(self.staging)
        self.after: dict[str, bytes] | None = None
        self.known = previous or {}

    def _staged(self, site_file: str) -> str:
        """Return where `site_file` is staged: side by side, under a name of fixed length."""
        # Arabic path parts joined into one name could pass the file system's limit.
        return os.path.join(self.staging, hashlib.blake2b(site_file.encode("utf-8"), digest_size=16).hexdigest())

    def write(self, site_file: str, data: bytes) -> None:
        """Stage one new or changed file."""
        with open(self._staged(site_file), "wb") as file:
            file.write(data)

    def read(self, site_file: str) -> bytes:
        """Return a file of the new site: staged by this build, or the output folder's."""
        for path in (self._staged(site_file), os.path.join(self.output, site_file)):
            try:
                with open(path, "rb") as file:
                    return file.read()
            except FileNotFoundError:
                continue
        raise FileNotFoundError(site_file)

    @property
    def index_folder(self) -> Path:
        """Return where a new index is written: a folder of the staging area."""
        return self.staging / "pagefind"

    def finish(self, files: Mapping[str, tuple[bytes, bytes]], index_files: list[str]) -> dict[str, FileRecord]:
        """Bring the twin to the new site, swap it in; the previous site becomes the twin.

        What the twin then holds is the previous site's files (`after`): the next build, or tidy(), brings
        it up to date.
        """
        wanted = {name: digest for name, (digest, _) in files.items()}
        for site_file in index_files:
            wanted[site_file] = _digest_of(self.staging / site_file)

        def source(site_file: str) -> tuple[str, bool]:
            """Return where the bytes of `site_file` are: staged by this build, or in the output folder."""
            if site_file in index_files:
                return str(self.staging / site_file), True
            staged = self._staged(site_file)
            if os.path.exists(staged):
                return staged, True
            return os.path.join(self.output, site_file), False  # the output folder's file has these bytes

        set_held_build(self.home, None)
        placed = sync(self.twin, self.have, wanted, source)
        records = {}
        have = self.have or {}
        for name, digest in wanted.items():
            old = self.known.get(name)
            # A file the twin already had is a hard link to the output folder's: the same stamp.
            if name in placed:
                stamp = placed[name]
            elif old is not None and old.digest == digest and have.get(name) == digest:
                stamp = old.stamp
            else:
                stamp = stamp_of(self.twin / name)
            records[name] = FileRecord(digest, stamp, files[name][1] if name in files else b"")
        old_site = publish(self.twin, self.output)
        if old_site is not None and self.previous is not None:
            self.after = {name: record.digest for name, record in self.previous.items()}
        remove_tree(self.staging)
        return records

    def discard(self) -> None:
        """Delete the staged files; the twin was not touched unless finish() began."""
        remove_tree(self.staging)


def _records(tree: Path, files: Mapping[str, tuple[bytes, bytes]], index_files: list[str]) -> dict[str, FileRecord]:
    """Return the record of every file of the finished `tree`: digest, stamp, plan key."""
    base = str(tree)
    records = {name: FileRecord(digest, stamp_of(os.path.join(base, name)), key) for name, (digest, key) in files.items()}
    for site_file in index_files:
        path = os.path.join(base, site_file)
        records[site_file] = FileRecord(_digest_of(Path(path)), stamp_of(path), b"")
    return records


def _digest_of(path: Path) -> bytes:
    """Return the content digest of the file at `path`."""
    return content_digest(path.read_bytes())


def tidy_twin(
    home: Path, output: Path, have: Mapping[str, bytes] | None, files: Mapping[str, FileRecord], build: int,
    progress: Callable[[int], None] | None = None,
) -> None:
    """Make the twin in `home` hold the site in `output` (`files`, made by build `build`) and say so.

    `have` is what the twin holds now (None: not known). A missing twin is made afresh. `progress` is
    told of the files linked, now and then.
    """
    set_held_build(home, None)
    twin = home / TWIN
    if twin.is_dir():
        sync(twin, have, files, lambda site_file: (os.path.join(output, site_file), False), progress)
    elif clone(output, files, twin, progress) is None:
        return
    set_held_build(home, build)


def restore(home: Path, output: Path, files: Mapping[str, FileRecord], build: int) -> bool:
    """Put back the site of build `build` (`files`) from its twin, in place of a missing or changed output folder.

    The twin itself takes the output folder's place; what was there (if anything) becomes the twin, whose
    contents are then not known. False when the twin does not hold that build, or a file of it changed since.
    """
    twin = home / TWIN
    if held_build(home) != build or differing(twin, files):
        return False
    tidy_beside(output)
    set_held_build(home, None)
    publish(twin, output)
    return True


@dataclass
class Lock:
    """Keeps a second build of the same output folder waiting until the first is done with its twin."""

    home: Path
    _file: int = -1

    def __enter__(self) -> Lock:
        """Wait for the output folder's lock, and hold it."""
        self.home.mkdir(parents=True, exist_ok=True)
        self._file = os.open(self.home / "lock", os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o644)
        fcntl.flock(self._file, fcntl.LOCK_EX)
        return self

    def __exit__(self, *exc: object) -> None:
        """Let the next build in."""
        os.close(self._file)
