"""Keep the last build's files as hard links in the cache, so a deleted output folder comes back without rendering.

Waraqa never changes a file of the output folder in place: every write makes a new file and renames it
over the old one. A hard link taken when a file is written therefore keeps that file's bytes after the
output folder has moved on or been deleted, and costs no disk space while both names exist. Entries are
named by the digest of their bytes; one whose size or time has changed since (someone edited the output
file in place, through the shared link) is checked by its digest before it is used.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path

from .buildstate import OTHER_OUTPUTS_KEPT
from .cache import digest
from .output import MARKER, mark_output
from .sheets import Stamp, page_digest, stamp_of

_STORE = "pages"


class PageStore:
    """The hard-linked copies of one output folder's files, by digest of their bytes."""

    def __init__(self, cache_folder: Path, output: Path):
        """Use the store of `output` inside `cache_folder`; each output folder has its own."""
        self.folder = cache_folder / _STORE / digest(str(output))[:16]
        self.output = output

    def reset(self) -> None:
        """Empty the store, before a full build links in all its new files; drop the stores of folders long unused."""
        shutil.rmtree(self.folder, ignore_errors=True)
        others = []
        for folder in self.folder.parent.glob("*") if self.folder.parent.is_dir() else []:
            with contextlib.suppress(OSError):
                others.append((folder.stat().st_mtime_ns, folder))
        for _, folder in sorted(others, reverse=True)[OTHER_OUTPUTS_KEPT:]:
            shutil.rmtree(folder, ignore_errors=True)

    def keep(self, files: dict[str, tuple[str, Stamp]]) -> None:
        """Link every file of `files` (site path -> digest, stamp) into the store, unless it holds those bytes."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            os.utime(self.folder)  # marks the store as in use, for reset()
        except OSError:
            return
        output = str(self.output)
        folder = str(self.folder)
        for site_file, (sha, _) in files.items():
            try:
                os.link(os.path.join(output, site_file), os.path.join(folder, sha))
            except FileExistsError:
                continue
            except OSError:
                return  # no hard links here (another file system, or none at all): the store stays unused

    def restore(self, files: dict[str, tuple[str, Stamp]]) -> int | None:
        """Bring back every file of `files` missing from the output folder; return how many, or None if one can't.

        None also when a file is there but not as recorded: that folder needs a full build. The stamps in
        `files` are updated to those of the restored files.
        """
        output = str(self.output)
        folder = str(self.folder)
        missing = []
        for site_file, (sha, stamp) in files.items():
            try:
                if stamp_of(os.path.join(output, site_file)) != stamp:
                    return None
            except FileNotFoundError:
                entry = os.path.join(folder, sha)
                if not _holds(entry, sha, stamp):
                    return None
                missing.append((site_file, entry))
            except OSError:
                return None
        try:
            if missing or not os.path.isfile(os.path.join(output, MARKER)):
                mark_output(self.output)
            made = set()
            for site_file, entry in missing:
                target = os.path.join(output, site_file)
                parent = os.path.dirname(target)
                if parent not in made:
                    os.makedirs(parent, exist_ok=True)
                    made.add(parent)
                os.link(entry, target)
                files[site_file] = (files[site_file][0], stamp_of(target))
        except OSError:
            return None  # the files restored so far are the recorded ones; the full build replaces them all
        return len(missing)

    def prune(self, files: dict[str, tuple[str, Stamp]]) -> None:
        """Delete every entry that no file of `files` has, so the store holds one build's files at most."""
        wanted = {sha for sha, _ in files.values()}
        try:
            names = os.listdir(self.folder)
        except OSError:
            return
        for name in names:
            if name not in wanted:
                try:
                    os.unlink(os.path.join(self.folder, name))
                except OSError:
                    continue


def _holds(entry: str, sha: str, stamp: Stamp) -> bool:
    """Tell whether the store entry `entry` exists and still holds the bytes whose digest is `sha`."""
    try:
        if stamp_of(entry) == stamp:
            return True
        with open(entry, "rb") as file:
            return page_digest(file.read()) == sha
    except OSError:
        return False
