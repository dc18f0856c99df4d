"""The build cache: parsed sheets and the last build's record, in one SQLite file that is always safe to delete.

A damaged, foreign or locked cache is never an error: it reads as empty and is rebuilt.
SQLite gives two builds running at once a consistent file without any locking of our own.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import pickle
import sqlite3
from pathlib import Path
from typing import Any

log = logging.getLogger("waraqa")

CACHE_FOLDER = ".waraqa-cache"
_FILE = "build.sqlite"
_FORMAT = "waraqa-cache-3"


def digest(*parts: bytes | str) -> str:
    """Return a SHA-256 hex digest of `parts`, each length-prefixed so that no two sequences collide."""
    hasher = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        hasher.update(len(data).to_bytes(8, "little"))
        hasher.update(data)
    return hasher.hexdigest()


@functools.lru_cache(maxsize=1)
def code_digest() -> str:
    """Return a digest of Waraqa's own source files.

    The cache holds pickled objects of Waraqa's classes: a cache written by other code (another version, or
    an edited checkout) must read as empty, never as records of the wrong shape.
    """
    package = Path(__file__).resolve().parent
    return digest(*(part for path in sorted(package.glob("*.py")) for part in (path.name, path.read_bytes())))


def _looks_like_sqlite(path: Path) -> bool:
    """Tell whether `path` is absent or starts like an SQLite database, so that damage is caught before locking."""
    try:
        with path.open("rb") as file:
            return file.read(16) == b"SQLite format 3\x00"
    except FileNotFoundError:
        return True
    except OSError:
        return False


def _remove_cache_files(path: Path) -> None:
    """Delete the cache database and its journal files."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _ignore_in_git(folder: Path) -> None:
    """Make the cache folder ignore itself in git, as pytest's and mypy's caches do, in any checkout."""
    marker = folder / ".gitignore"
    if not marker.exists():
        marker.write_text("# Waraqa's build cache: safe to delete, never to commit.\n*\n", encoding="utf-8")


class BuildCache:
    """Key-value storage of pickled build results; every failure is a cache miss."""

    def __init__(self, folder: Path | None):
        """Open (or create) the cache in `folder`; None means a build without a cache."""
        self.folder = folder
        self.path = folder / _FILE if folder else None
        self._db: sqlite3.Connection | None = None
        if self.path is not None:
            self._db = self._open()

    def _open(self) -> sqlite3.Connection | None:
        """Return a connection to a usable cache file, recreating it once if it is damaged or foreign."""
        assert self.path is not None
        if not _looks_like_sqlite(self.path):
            _remove_cache_files(self.path)
        for attempt in (1, 2):
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                _ignore_in_git(self.path.parent)
                # Writes are short; a lock held longer than this is a damaged file, not a busy one.
                db = sqlite3.connect(self.path, timeout=5, isolation_level=None)
                db.execute("PRAGMA journal_mode=WAL")
                db.execute("PRAGMA synchronous=OFF")
                db.execute("CREATE TABLE IF NOT EXISTS entries (key TEXT PRIMARY KEY, value BLOB NOT NULL)")
                db.execute("CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)")
                fmt = f"{_FORMAT}:{code_digest()}"
                row = db.execute("SELECT value FROM meta WHERE name = 'format'").fetchone()
                if row is None:
                    db.execute("INSERT OR REPLACE INTO meta VALUES ('format', ?)", (fmt,))
                elif row[0] != fmt:
                    db.execute("DELETE FROM entries")
                    db.execute("UPDATE meta SET value = ? WHERE name = 'format'", (fmt,))
                return db
            except (sqlite3.DatabaseError, OSError) as error:
                log.debug("cache %s unusable (%s); starting a new one", self.path, error)
                if attempt == 1:
                    _remove_cache_files(self.path)
        return None

    def get(self, key: str) -> Any | None:
        """Return the value stored under `key`, or None when absent or unreadable."""
        if self._db is None:
            return None
        try:
            row = self._db.execute("SELECT value FROM entries WHERE key = ?", (key,)).fetchone()
            return pickle.loads(row[0]) if row else None
        except Exception as error:  # noqa: BLE001 - a damaged entry is a miss, whatever unpickling raised
            log.debug("cache entry %s unreadable: %s", key[:12], error)
            return None

    def put_many(self, items: list[tuple[str, Any]]) -> None:
        """Store every (key, value) pair in one transaction; a failure only costs the cache."""
        if self._db is None or not items:
            return
        # Pickled one by one as SQLite takes them: a big state is never held twice in memory.
        rows = ((key, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)) for key, value in items)
        try:
            with self._db:
                self._db.execute("BEGIN")
                self._db.executemany("INSERT OR REPLACE INTO entries VALUES (?, ?)", rows)
        except sqlite3.DatabaseError as error:
            log.debug("cache not written: %s", error)

    def prune(self, prefix: str, keep: set[str]) -> None:
        """Delete the entries whose keys start with `prefix`, except those in `keep`; a failure only costs space."""
        if self._db is None:
            return
        try:
            stored = [key for (key,) in self._db.execute("SELECT key FROM entries WHERE substr(key, 1, ?) = ?", (len(prefix), prefix))]
        except sqlite3.DatabaseError as error:
            log.debug("cache not pruned: %s", error)
            return
        self.delete_many([key for key in stored if key not in keep])

    def delete_many(self, keys: list[str]) -> None:
        """Delete the entries under `keys`, in one transaction; a failure only costs space."""
        if self._db is None or not keys:
            return
        try:
            with self._db:
                self._db.execute("BEGIN")
                self._db.executemany("DELETE FROM entries WHERE key = ?", [(key,) for key in keys])
        except sqlite3.DatabaseError as error:
            log.debug("cache entries not deleted: %s", error)

    def put(self, key: str, value: Any) -> None:
        """Store one value."""
        self.put_many([(key, value)])

    def close(self) -> None:
        """Close the file."""
        if self._db is not None:
            self._db.close()
            self._db = None
