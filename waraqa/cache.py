"""The build cache: parsed sheets and the last build's record, in one SQLite file that is always safe to delete.

A damaged, foreign or locked cache is never an error: it reads as empty and is rebuilt.
SQLite gives two builds running at once a consistent file without any locking of our own.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import pickle
import sqlite3
import stat
from pathlib import Path
from typing import Any

from .errors import Problem, WaraqaError

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


class CacheError(WaraqaError):
    """The cache folder or its file is something Waraqa must not write into: a link, a device, a folder."""


def cache_folder(root: Path) -> Path:
    """Return the site's cache folder after refusing one that is a symbolic link or not a folder at all.

    Everything the cache holds is written and deleted by Waraqa; through a link, that would be another folder.
    """
    folder = root / CACHE_FOLDER
    try:
        info = os.lstat(folder)
    except FileNotFoundError:
        return folder
    if stat.S_ISLNK(info.st_mode):
        raise CacheError([Problem(CACHE_FOLDER, 0, "", "the build cache is a symbolic link; Waraqa keeps its cache in a "
                                  "real folder of the site: remove the link (the cache is rebuilt)")])
    if not stat.S_ISDIR(info.st_mode):
        raise CacheError([Problem(CACHE_FOLDER, 0, "", "the build cache must be a folder, but this is a file; delete it "
                                  "(the cache is rebuilt)")])
    return folder


def _refuse_odd_file(path: Path) -> None:
    """Refuse a cache file that is not a regular file (a folder, a FIFO, a link): opening it could hang or harm."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return
    if not stat.S_ISREG(info.st_mode):
        shown = f"{CACHE_FOLDER}/{path.name}"
        raise CacheError([Problem(shown, 0, "", "the build cache's database must be a plain file; delete it "
                                  "(the cache is rebuilt)")])


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

    def __init__(self, folder: Path, writable: bool = True):
        """Open (or create) the cache in `folder`; a cache that is not `writable` is read and never changed.

        A connection belongs to the process that opened it: a forked worker opens its own on first use.
        """
        self.folder = folder
        self.path = folder / _FILE
        self.writable = writable
        _refuse_odd_file(self.path)
        for name in (f"{_FILE}-wal", f"{_FILE}-shm"):
            _refuse_odd_file(folder / name)
        self._pid = os.getpid()
        self._db: sqlite3.Connection | None = self._open() if writable else self._open_to_read()

    @property
    def db(self) -> sqlite3.Connection | None:
        """Return this process's connection to the cache, opening one in a forked worker."""
        if self._pid != os.getpid():
            self._pid = os.getpid()
            self._db = self._open() if self.writable else self._open_to_read()
        return self._db

    def _open_to_read(self) -> sqlite3.Connection | None:
        """Return a connection that reads the cache file without writing anything, not even a lock; None if absent."""
        if not self.path.is_file() or not _looks_like_sqlite(self.path):
            return None
        try:
            db = sqlite3.connect(f"{self.path.as_uri()}?mode=ro&immutable=1", uri=True)
            row = db.execute("SELECT value FROM meta WHERE name = 'format'").fetchone()
            if row is None or row[0] != f"{_FORMAT}:{code_digest()}":
                db.close()
                return None
            return db
        except sqlite3.DatabaseError as error:
            log.debug("cache %s unreadable (%s)", self.path, error)
            return None

    def _open(self) -> sqlite3.Connection | None:
        """Return a connection to a usable cache file, recreating it once if it is damaged or foreign."""
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
        db = self.db
        if db is None:
            return None
        try:
            row = db.execute("SELECT value FROM entries WHERE key = ?", (key,)).fetchone()
            return pickle.loads(row[0]) if row else None
        except Exception as error:  # noqa: BLE001 - a damaged entry is a miss, whatever unpickling raised
            log.debug("cache entry %s unreadable: %s", key[:12], error)
            return None

    def put_many(self, items: list[tuple[str, Any]]) -> None:
        """Store every (key, value) pair in one transaction; a failure only costs the cache."""
        db = self.db
        if db is None or not items or not self.writable:
            return
        # Pickled one by one as SQLite takes them: a big state is never held twice in memory.
        rows = ((key, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)) for key, value in items)
        try:
            with db:
                db.execute("BEGIN")
                db.executemany("INSERT OR REPLACE INTO entries VALUES (?, ?)", rows)
        except sqlite3.DatabaseError as error:
            log.debug("cache not written: %s", error)

    def prune(self, prefix: str, keep: set[str]) -> None:
        """Delete the entries whose keys start with `prefix`, except those in `keep`; a failure only costs space."""
        db = self.db
        if db is None or not self.writable:
            return
        try:
            stored = [key for (key,) in db.execute("SELECT key FROM entries WHERE substr(key, 1, ?) = ?", (len(prefix), prefix))]
        except sqlite3.DatabaseError as error:
            log.debug("cache not pruned: %s", error)
            return
        self.delete_many([key for key in stored if key not in keep])

    def delete_many(self, keys: list[str]) -> None:
        """Delete the entries under `keys`, in one transaction; a failure only costs space."""
        db = self.db
        if db is None or not keys or not self.writable:
            return
        try:
            with db:
                db.execute("BEGIN")
                db.executemany("DELETE FROM entries WHERE key = ?", [(key,) for key in keys])
        except sqlite3.DatabaseError as error:
            log.debug("cache entries not deleted: %s", error)

    def put(self, key: str, value: Any) -> None:
        """Store one value."""
        self.put_many([(key, value)])

    def close(self) -> None:
        """Close the file."""
        if self._db is not None and self._pid == os.getpid():
            self._db.close()
        self._db = None
