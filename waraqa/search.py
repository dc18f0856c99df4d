"""Index the site's searchable pages with Pagefind, so the published site can be searched with no server.

Pagefind stems Arabic and folds tashkeel, hamza and alef forms and Arabic-Indic digits, where Lunr's
Arabic support drops words such as زيارة and مليون as stop words. What gets indexed is decided by
attributes in the templates: `data-pagefind-body` on the sheet's article, `data-pagefind-ignore` on
repeated labels, `data-pagefind-filter` for tags and sides, `data-pagefind-meta` for the date.

A big site's index is split into shards by a hash of each page's path, so that an edit re-indexes only
the shard of the page it changed: Pagefind has no incremental mode, and indexing 10,000 sheets took most
of a minute. The search page merges the shards in the browser (Pagefind's mergeIndex). Shard 0 is the
whole bundle at pagefind/ (the script and its WebAssembly); the others, at pagefind/shards/N/, hold only
their index files. A small site has one shard, and the bundle is Pagefind's own layout.

We run the binary that the PyPI package `pagefind[bin]` ships in its service mode (`pagefind --service`)
and hand it each page's HTML ourselves, in the order of the pages' paths. Pagefind's own walk of a folder
numbers pages in the order the file system lists them, which differs between ext4 and tmpfs, so the
same site gave different indexes; given in path order, it gives the same bytes everywhere. Pagefind's
Python API speaks the same protocol, but waits 100 ms before reading each answer (three minutes for
1,000 pages); this client reads each answer as soon as Pagefind writes it.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import logging
import math
import os
import shutil
import subprocess
import threading
import time
from collections.abc import Callable, Collection, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from .pagefind_files import SearchError, stabilize_filters

log = logging.getLogger("waraqa")

BUNDLE_FOLDER = "pagefind"
# Every page is Arabic; forcing the language keeps a Latin-heavy page from getting an index of its own.
LANGUAGE = "ar"
# Pagefind indexes hundreds of pages a second; ten minutes means it hangs, not that the site is big.
TIMEOUT_SECONDS = 600
# Pagefind's ready-made interfaces; static/search.js talks to pagefind.js itself, so these would only be
# 420 KB more to publish.
UNUSED_FILES = (
    "pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
    "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js",
)  # fmt: skip
INSTALL_HINT = "install it with: pip install 'pagefind[bin]' (or set search = false in waraqa.toml)"
# Pages per shard, about: re-indexing this many takes a second or two, and a site of 10,000 sheets has 32
# shards, which the search page merges with 64 small requests when it opens and one a shard per word.
SHARD_PAGES = 512
MAX_SHARDS = 64
SHARDS_FOLDER = "shards"
# What only the first shard, which the browser loads as the script, needs.
SHARED_FILES = ("pagefind.js", "pagefind-worker.js")

__all__ = ["BUNDLE_FOLDER", "SearchError", "SearchReport", "index_pages", "index_shards", "pagefind_executable"]


@dataclass(frozen=True)
class SearchReport:
    """What indexing did, for the build summary: how many pages are searchable, in how many shards, and how long."""

    pages: int
    seconds: float
    shards: int = 1
    of: int = 1


def shard_count(pages: int) -> int:
    """Return how many shards an index of `pages` pages has: a power of two, so that it changes only when the site doubles."""
    if pages <= SHARD_PAGES:
        return 1
    return min(MAX_SHARDS, 2 ** math.ceil(math.log2(pages / SHARD_PAGES)))


def shard_of(site_file: str, count: int) -> int:
    """Return the shard of the page `site_file` in an index of `count` shards: by a hash of its path, which never moves."""
    digest = hashlib.blake2b(site_file.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "little") % count


def shard_folder(number: int) -> str:
    """Return the folder of shard `number` inside the bundle, as a path prefix ('' for the first)."""
    return "" if number == 0 else f"{SHARDS_FOLDER}/{number}/"


def shard_of_file(name: str) -> int:
    """Return the shard that the bundle's file `name` (a path inside it) belongs to."""
    if name.startswith(f"{SHARDS_FOLDER}/"):
        return int(name.split("/", 2)[1])
    return 0


def index_shards(
    pages: Sequence[str], read: Callable[[str], str], bundle: Path, count: int, due: Collection[int], jobs: int,
    progress: Callable[[int], None] | None = None,
) -> SearchReport:
    """Index the searchable `pages` (site files; `read` gives each one's HTML) of the `due` shards into `bundle`.

    Shards are indexed side by side, `jobs` Pagefind processes at a time. `progress` counts each page
    twice: once read by Pagefind, once more when its shard is written.
    """
    started = time.perf_counter()
    shards: dict[int, list[str]] = {number: [] for number in due}
    for name in sorted(pages):
        number = shard_of(name, count)
        if number in shards:
            shards[number].append(name)

    def index_one(number: int) -> int:
        """Index one shard into its folder; return how many pages it holds."""
        folder = bundle / shard_folder(number)
        report = index_pages(((name, read(name)) for name in shards[number]), folder, progress)
        if progress:
            progress(len(shards[number]))  # Pagefind's own indexing, after reading them, takes about as long
        if number != 0:
            for name in (*SHARED_FILES, *(path.name for path in folder.glob("wasm.*"))):
                (folder / name).unlink(missing_ok=True)
        return report.pages

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as threads:
        indexed = sum(threads.map(index_one, sorted(shards)))
    return SearchReport(pages=indexed, seconds=time.perf_counter() - started, shards=len(shards), of=count)


def pagefind_executable() -> Path:
    """Return the Pagefind binary: $PAGEFIND_BINARY_PATH, else the one `pagefind[bin]` ships, else one on PATH."""
    named = os.environ.get("PAGEFIND_BINARY_PATH")
    if named:
        if not Path(named).is_file():
            raise SearchError(f"PAGEFIND_BINARY_PATH names {named}, which is not a file")
        return Path(named)
    try:
        import pagefind_bin  # noqa: PLC0415 - optional until search is used

        return Path(pagefind_bin.get_executable())
    except (ImportError, FileNotFoundError):
        pass
    found = shutil.which("pagefind")
    if found:
        return Path(found)
    raise SearchError(f"search needs Pagefind, which is not installed; {INSTALL_HINT}")


def url_of(site_file: str) -> str:
    """Return the address Pagefind gives a page's result, as its own walk would: from the site's root."""
    return "/" + site_file.removesuffix("index.html")


def index_pages(
    pages: Iterable[tuple[str, str]], bundle: Path, progress: Callable[[int], None] | None = None
) -> SearchReport:
    """Index `pages` ((site file, HTML) in the order given) into the new folder `bundle`; raise SearchError.

    `progress` is told of each page Pagefind has read.
    """
    started = time.perf_counter()
    executable = pagefind_executable()
    try:
        service = subprocess.Popen(
            [str(executable), "--service"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
    except OSError as error:
        raise SearchError(f"cannot run Pagefind ({executable}): {error.strerror or error}; {INSTALL_HINT}") from None
    client = _Client(service)
    watchdog = threading.Timer(TIMEOUT_SECONDS, client.give_up)
    watchdog.start()
    try:
        index = client.ask({"type": "NewIndex", "config": {"force_language": LANGUAGE}})["index_id"]
        count = client.add_all(({"type": "AddFile", "index_id": index, "url": url_of(name), "file_contents": html}
                                for name, html in pages), progress)
        # The files come back in the answer and are written here: Pagefind's own WriteFiles answers before
        # its writes are done, and a file was found cut short when the service ended right after.
        written = client.ask({"type": "GetFiles", "index_id": index})["files"] if count else []
    finally:
        watchdog.cancel()
        client.close()
    if client.timed_out:
        raise SearchError(f"Pagefind did not finish indexing within {TIMEOUT_SECONDS} s")
    if not count:
        bundle.mkdir(parents=True, exist_ok=True)
        return SearchReport(pages=0, seconds=time.perf_counter() - started)
    try:
        for file in written:
            name = file["path"]
            if name in UNUSED_FILES:
                continue
            if name.startswith("/") or ".." in name.split("/"):
                raise SearchError(f"Pagefind named a file outside its folder: {name!r}")
            target = bundle / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(base64.b64decode(file["content"]))
        stabilize_filters(bundle)
        pages_indexed = _page_count(bundle)
    except (EOFError, ValueError, KeyError, IndexError, TypeError) as error:
        raise SearchError(f"Pagefind made an index that Waraqa cannot read: {error}") from None
    return SearchReport(pages=pages_indexed, seconds=time.perf_counter() - started)


def _page_count(bundle: Path) -> int:
    """Return how many pages the index in `bundle` holds, from Pagefind's own entry file."""
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    return sum(int(language["page_count"]) for language in entry["languages"].values())


class _Client:
    """Talks to one `pagefind --service` process: base64 JSON messages, each ended by a comma, both ways."""

    def __init__(self, service: subprocess.Popen[bytes]):
        """Start reading the service's messages to the terminal, so its pipe never fills up."""
        self.service = service
        self.timed_out = False
        self._next_id = 0
        self._unread = b""
        self._errors: list[bytes] = []
        self._stderr = threading.Thread(target=self._drain, args=(service.stderr,), daemon=True)
        self._stderr.start()

    def ask(self, payload: dict[str, Any]) -> dict[str, Any]:
        """Send one request and return its answer."""
        self._send(payload)
        self._flush()
        return self._answer()

    def add_all(self, requests: Iterable[dict[str, Any]], progress: Callable[[int], None] | None = None) -> int:
        """Send every request while reading the answers as they come; return how many were sent."""
        sent = [0]
        failure: list[BaseException] = []

        def write() -> None:
            """Send the requests one after the other, then flush."""
            try:
                for request in requests:
                    self._send(request)
                    sent[0] += 1
                self._flush()
            except BaseException as error:  # noqa: BLE001 - reported by the reading side
                failure.append(error)
            finally:
                sent.append(-1)  # done

        writer = threading.Thread(target=write, daemon=True)
        writer.start()
        answered = 0
        while sent[-1] != -1 or answered < sent[0]:
            if answered < sent[0]:
                self._answer()
                answered += 1
                if progress:
                    progress(1)
            else:
                time.sleep(0.001)
        writer.join()
        if failure:
            error = failure[0]
            if isinstance(error, OSError):
                self._fail()
            raise error
        return answered

    def _send(self, payload: dict[str, Any]) -> None:
        """Write one request to the service."""
        self._next_id += 1
        message = json.dumps({"message_id": self._next_id, "payload": payload}, ensure_ascii=False)
        assert self.service.stdin is not None
        try:
            self.service.stdin.write(base64.b64encode(message.encode("utf-8")) + b",")
        except OSError:
            self._fail()

    def _flush(self) -> None:
        """Make sure the service has every request written so far."""
        assert self.service.stdin is not None
        try:
            self.service.stdin.flush()
        except OSError:
            self._fail()

    def _answer(self) -> dict[str, Any]:
        """Return the payload of the service's next answer; raise SearchError for an error or an ended service."""
        stdout = self.service.stdout
        assert isinstance(stdout, io.BufferedReader)
        while b"," not in self._unread:
            chunk = stdout.read1(1 << 16)
            if not chunk:
                self._fail()
            self._unread += chunk
        message, self._unread = self._unread.split(b",", 1)
        payload = json.loads(base64.b64decode(message))["payload"]
        if payload.get("type") == "Error":
            raise SearchError(f"Pagefind could not index the site: {payload.get('message', 'unknown error')}")
        return dict(payload)

    def _fail(self) -> None:
        """Raise the error of a service that stopped answering, with what it printed."""
        self.service.kill()
        code = self.service.wait()
        self._stderr.join(timeout=5)
        printed = b"".join(self._errors).decode("utf-8", "replace")
        messages = "\n".join(dict.fromkeys(line.rstrip() for line in printed.splitlines() if line.strip()))
        if self.timed_out:
            raise SearchError(f"Pagefind did not finish indexing within {TIMEOUT_SECONDS} s")
        raise SearchError(f"Pagefind failed to index the site (exit code {code}):\n{messages}".rstrip())

    def _drain(self, stream: IO[bytes] | None) -> None:
        """Keep what the service prints on its error stream, for the message if it fails."""
        if stream is not None:
            for line in stream:
                self._errors.append(line)

    def give_up(self) -> None:
        """Stop a service that has run past the time limit."""
        self.timed_out = True
        self.service.kill()

    def close(self) -> None:
        """End the service: it ends at the end of its input, once every file it was asked to write is written."""
        for stream in (self.service.stdin, self.service.stdout):
            try:
                if stream is not None:
                    stream.close()
            except OSError:
                pass
        try:
            self.service.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.service.kill()
            self.service.wait()
