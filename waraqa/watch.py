"""Watch the preview's sources: poll them often, rebuild after a save, and tell livereload what to reload.

livereload polls every 800 ms; an editor who saves and looks expects the page within a blink. A large
site takes longer to look over, so the look over every file slows down to stay under 5% of one core,
while the files saved lately, which are the ones an editor saves again, are looked at on every tick.

This subclasses livereload's Watcher and uses some of its private members (`_tasks`, `_changes`,
`filepath`) and LiveReloadHandler's `waiters`: pyproject.toml pins livereload's minor version for that.
"""

from __future__ import annotations

import contextlib
import os
import time
import zlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from livereload.handlers import LiveReloadHandler
from livereload.watcher import Watcher
from tornado import ioloop

if TYPE_CHECKING:
    from .serve import Preview

FASTEST_POLL_MS = 50
SLOWEST_POLL_MS = 500
HOT_FILES = 16
_RECENT_NS = 2_000_000_000


class SourceWatcher(Watcher):
    """Polls the site's sources often and rebuilds the preview before livereload tells browsers to reload."""

    def __init__(self, preview: Preview):
        """Take the first snapshot now, so that a save during the first build is not lost."""
        super().__init__()
        self.preview = preview
        # livereload watches the working folder when no task is registered; ours are the preview's sources.
        self._tasks: dict[str, dict[str, Any]] = {"sources": {"func": None, "delay": None, "ignore": None, "mtimes": {}}}
        self.timer: ioloop.PeriodicCallback | None = None
        self.snapshot = self.scan()
        # Files saved lately, newest last, and when the next look over every file is due.
        self.hot: dict[str, None] = {}
        self.next_scan = time.monotonic()
        # The reload of a build that no browser heard: it was made while none was connected.
        self.unheard: str | None = None

    def scan(self) -> dict[str, tuple[int, ...]]:
        """Return the modification time and size of every source file: sheets, templates, static files, settings."""
        found: dict[str, tuple[int, ...]] = {}
        for source in self.preview.sources:
            if source.is_file():
                status = source.stat()
                found[str(source)] = (status.st_mtime_ns, status.st_size)
            elif source.is_dir():
                _scan_folder(str(source), found)
        return _with_recent_bytes(found)

    def look_at_hot(self) -> dict[str, tuple[int, ...]]:
        """Return the snapshot with the files saved lately looked at again (a removed one left out)."""
        found = dict(self.snapshot)
        for name in self.hot:
            try:
                status = os.stat(name)
            except OSError:
                found.pop(name, None)
                continue
            found[name] = (status.st_mtime_ns, status.st_size)
        return _with_recent_bytes(found, names=self.hot)

    def start(self, callback) -> bool:
        """Poll faster than livereload's 800 ms; True tells livereload not to start a poll of its own."""
        self.timer = ioloop.PeriodicCallback(callback, FASTEST_POLL_MS)
        self.timer.start()
        return True

    def examine(self) -> tuple[str | None, float | None]:
        """Rebuild if any source changed since the last look; return what livereload should reload, or None."""
        if self._changes:
            return self._changes.pop()
        if self.unheard is not None and LiveReloadHandler.waiters:
            self.filepath, self.unheard = self.unheard, None
            return self.filepath, None
        looked = time.monotonic()
        if looked >= self.next_scan:
            current = self.scan()
            spent_ms = (time.monotonic() - looked) * 1000
            self.next_scan = looked + min(SLOWEST_POLL_MS, max(FASTEST_POLL_MS, spent_ms * 20)) / 1000
        else:
            current = self.look_at_hot()
        changed_names = {name for name in current.keys() | self.snapshot.keys() if _differs(current.get(name), self.snapshot.get(name))}
        changed = {Path(name) for name in changed_names}
        self.snapshot = current
        for name in sorted(changed_names):
            self.hot.pop(name, None)
            self.hot[name] = None
        while len(self.hot) > HOT_FILES:
            del self.hot[next(iter(self.hot))]
        if not changed:
            self.preview.when_idle()
            return None, None
        was_broken = bool(self.preview.problems)
        sources = list(self.preview.sources)
        built = self.preview.rebuild(changed)
        if self.preview.sources != sources:
            self.snapshot = self.scan()
        # The build has been written by now, so the reload shows it; a style-only change is swapped in place.
        styles_only = built and not was_broken and all(path.suffix == ".css" for path in changed)
        filepath = str(min(changed)) if styles_only else "*"
        if not LiveReloadHandler.waiters:
            # No browser listens right now: livereload would drop this reload, and a page that loaded before
            # this build but connected after (one reloading for the last save) would never show it.
            self.unheard = "*" if self.unheard else filepath
            return None, None
        self.unheard = None
        self.filepath = filepath
        return self.filepath, None


def _with_recent_bytes(found: dict[str, tuple[int, ...]], names=None) -> dict[str, tuple[int, ...]]:
    """Add to each stamp of `found` (or of its `names`) saved in the last two seconds a checksum of the bytes.

    Two saves within one tick of the file system's clock, same size, look alike by stamp; a file saved
    that recently is told apart by its bytes too, so that no save is lost.
    """
    recent = time.time_ns() - _RECENT_NS
    for name in found if names is None else [name for name in names if name in found]:
        stamp = found[name]
        if stamp[0] > recent:
            with contextlib.suppress(OSError):
                found[name] = (*stamp[:2], zlib.crc32(Path(name).read_bytes()))
    return found


def _differs(now: tuple[int, ...] | None, before: tuple[int, ...] | None) -> bool:
    """Tell whether a file was added, removed or saved: by time and size, and by bytes when both looks read them."""
    if now is None or before is None:
        return now is not before
    return now[:2] != before[:2] or (len(now) == len(before) == 3 and now[2] != before[2])


def _scan_folder(folder: str, found: dict[str, tuple[int, ...]]) -> None:
    """Add every file under `folder` to `found`, skipping hidden folders and editors' swap and backup files."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        # Editors' swap, lock and backup files change while typing; they are not saves.
        if entry.name.startswith((".", "#")) or entry.name.endswith("~"):
            continue
        try:
            if entry.is_dir():
                _scan_folder(entry.path, found)
            elif entry.is_file():
                status = entry.stat()
                found[entry.path] = (status.st_mtime_ns, status.st_size)
        except OSError:
            continue  # removed between listing and looking: the next scan sees it gone
