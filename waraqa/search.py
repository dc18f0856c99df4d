"""Index a built site with Pagefind, so that the published pages can be searched in the browser with no server.

Pagefind stems Arabic and folds tashkeel, hamza and alef forms and Arabic-Indic digits, where Lunr's
Arabic support drops words such as زيارة and مليون as stop words. We run the binary that the PyPI package
`pagefind[bin]` ships (no Node needed) rather than its asyncio Python API: one synchronous process, its
exit code and its messages are all a build needs, and nothing of the page text has to pass through Python.

What gets indexed is decided by attributes in the templates: `data-pagefind-body` on the sheet's article
(so only sheet pages are indexed, and only their content), `data-pagefind-ignore` on repeated labels,
`data-pagefind-filter` for tags and sides, `data-pagefind-meta` for the date shown in results.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
import os
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from .errors import WaraqaError

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


class SearchError(WaraqaError):
    """The search index could not be made: Pagefind is missing, or it failed on the built site."""


@dataclass(frozen=True)
class SearchReport:
    """What indexing did, for the build summary: how many pages are searchable and how long it took."""

    pages: int
    seconds: float


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


def index_site(output: Path) -> SearchReport:
    """Index the built site in `output` into `output/pagefind/`, replacing any index there; raise SearchError."""
    started = time.perf_counter()
    executable = pagefind_executable()
    bundle = output / BUNDLE_FOLDER
    html_inside = next(bundle.rglob("*.html"), None) if bundle.is_dir() else None
    if html_inside is not None:
        raise SearchError(
            f"{BUNDLE_FOLDER}/ is where the search index goes, but the site has a page there "
            f"({html_inside.relative_to(output).as_posix()}); rename the sheet whose slug is {BUNDLE_FOLDER!r}"
        )
    # Index into a folder of its own, then swap it in: a failed run leaves the previous index whole.
    fresh = output / f".{BUNDLE_FOLDER}.tmp-{os.getpid()}"
    shutil.rmtree(fresh, ignore_errors=True)
    command = [
        str(executable),
        "--site", str(output),
        "--output-path", str(fresh),
        "--force-language", LANGUAGE,
        "--quiet",
    ]  # fmt: skip
    log.debug("Indexing for search: %s", " ".join(command))
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, encoding="utf-8", errors="replace", timeout=TIMEOUT_SECONDS, check=False
        )
    except subprocess.TimeoutExpired:
        shutil.rmtree(fresh, ignore_errors=True)
        raise SearchError(f"Pagefind did not finish indexing {output} within {TIMEOUT_SECONDS} s") from None
    except OSError as error:
        raise SearchError(f"cannot run Pagefind ({executable}): {error.strerror or error}; {INSTALL_HINT}") from None
    # Pagefind prints its errors on both streams; say each line once.
    messages = "\n".join(dict.fromkeys(line.rstrip() for line in (done.stdout + done.stderr).splitlines() if line.strip()))
    if done.returncode != 0 or not (fresh / "pagefind-entry.json").is_file():
        shutil.rmtree(fresh, ignore_errors=True)
        raise SearchError(f"Pagefind failed to index {output} (exit code {done.returncode}):\n{messages}".rstrip())
    for line in messages.splitlines():
        log.debug("pagefind: %s", line)
    try:
        pages = _page_count(fresh)
        _stabilize_filters(fresh)
        for name in UNUSED_FILES:
            (fresh / name).unlink(missing_ok=True)
    except (OSError, EOFError, ValueError, KeyError, IndexError, TypeError) as error:
        shutil.rmtree(fresh, ignore_errors=True)
        raise SearchError(f"Pagefind wrote an index that Waraqa cannot read: {error}") from None
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    _swap_in(fresh, bundle)
    return SearchReport(pages=pages, seconds=time.perf_counter() - started)


def _page_count(bundle: Path) -> int:
    """Return how many pages the index in `bundle` holds, from Pagefind's own entry file."""
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    return sum(int(language["page_count"]) for language in entry["languages"].values())


def _swap_in(fresh: Path, bundle: Path) -> None:
    """Put the new index where the old one was, then delete the old one."""
    if not bundle.exists():
        os.rename(fresh, bundle)
        return
    old = bundle.with_name(f".{bundle.name}.old-{os.getpid()}")
    shutil.rmtree(old, ignore_errors=True)
    os.rename(bundle, old)
    os.rename(fresh, bundle)
    shutil.rmtree(old, ignore_errors=True)


# --- Byte-for-byte repeatable filters -------------------------------------------------------------------
# Pagefind 1.5 writes the filters, and each filter's values, in hash-map order, which changes from run to
# run (Pagefind issue #638: "other files will still change, such as the filter/metadata indexes"). Every
# file is named by a hash of its content, so the filter files, the metadata file that names them and
# pagefind-entry.json that names that would differ between two builds of the same site. We sort them and
# write the files again the way Pagefind writes them: gzip of "pagefind_dcd" + CBOR, named by the SHA-1 of
# the CBOR in hex without zero padding (7 characters for chunks, 10 for the metadata). Reading and writing
# back an untouched file gives its bytes and its name exactly, which the tests check.

_CHUNK_HEADER = b"pagefind_dcd"


def _stabilize_filters(bundle: Path) -> None:
    """Rewrite the filter files of the index in `bundle` with sorted values; rename them and what names them."""
    entry_path = bundle / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    for language, info in entry["languages"].items():
        meta_path = bundle / f"pagefind.{info['hash']}.pf_meta"
        meta = _read_chunk(meta_path)
        if not (isinstance(meta, list) and len(meta) > 3 and all(_is_pair(item) for item in meta[3])):
            log.warning("the search index of this Pagefind version may differ from build to build")
            return
        for item in meta[3]:
            old = bundle / "filter" / f"{item[1]}.pf_filter"
            name, values = _read_chunk(old)
            values.sort(key=lambda value: value[0])
            item[1] = _write_chunk(bundle / "filter", [name, values], language, 7, ".pf_filter", old)
        meta[3].sort()
        info["hash"] = _write_chunk(bundle, meta, language, 10, ".pf_meta", meta_path, prefix="pagefind.")
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def _is_pair(item: object) -> bool:
    """Tell whether `item` is a [filter name, chunk name] pair of Pagefind's metadata."""
    return isinstance(item, list) and len(item) == 2 and all(isinstance(part, str) for part in item)


def _read_chunk(path: Path) -> object:
    """Return the value stored in one of Pagefind's gzipped CBOR files."""
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(_CHUNK_HEADER):
        raise SearchError(f"Pagefind wrote {path.name} in a form Waraqa does not know")
    value, end = _cbor_decode(data, len(_CHUNK_HEADER))
    if end != len(data):
        raise SearchError(f"Pagefind wrote {path.name} in a form Waraqa does not know")
    return value


def _write_chunk(folder: Path, value: object, language: str, digits: int, suffix: str, old: Path, prefix: str = "") -> str:
    """Write `value` as Pagefind would, named by its hash, in place of the file `old`; return the new name."""
    body = _cbor_encode(value)
    digest = "".join(f"{byte:x}" for byte in hashlib.sha1(body).digest())[:digits]
    name = f"{language}_{digest}"
    old.unlink()
    (folder / f"{prefix}{name}{suffix}").write_bytes(gzip.compress(_CHUNK_HEADER + body, compresslevel=9, mtime=0))
    return name


def _cbor_decode(data: bytes, pos: int) -> tuple[object, int]:
    """Return the CBOR value at `pos` of `data` and where it ends: the integers, strings, arrays and maps Pagefind uses."""
    major, info = data[pos] >> 5, data[pos] & 31
    pos += 1
    if info < 24:
        argument = info
    elif info <= 27:
        size = 1 << (info - 24)
        argument = int.from_bytes(data[pos : pos + size], "big")
        pos += size
    else:
        raise SearchError(f"Pagefind wrote CBOR that Waraqa does not read (byte {data[pos - 1]:#04x})")
    if major == 0:
        return argument, pos
    if major == 1:
        return -1 - argument, pos
    if major == 2:
        return data[pos : pos + argument], pos + argument
    if major == 3:
        return data[pos : pos + argument].decode("utf-8"), pos + argument
    if major in (4, 5):
        items = []
        for _ in range(argument * (major - 3)):
            item, pos = _cbor_decode(data, pos)
            items.append(item)
        return (items if major == 4 else dict(zip(items[::2], items[1::2], strict=True))), pos
    raise SearchError(f"Pagefind wrote CBOR that Waraqa does not read (major type {major})")


def _cbor_encode(value: object) -> bytes:
    """Return `value` in CBOR with the shortest heads, as Pagefind writes it."""
    if isinstance(value, bool) or value is None:
        raise SearchError(f"cannot write {value!r} into a Pagefind file")
    if isinstance(value, int):
        return _cbor_head(0, value) if value >= 0 else _cbor_head(1, -1 - value)
    if isinstance(value, bytes):
        return _cbor_head(2, len(value)) + value
    if isinstance(value, str):
        encoded = value.encode("utf-8")
        return _cbor_head(3, len(encoded)) + encoded
    if isinstance(value, list):
        return _cbor_head(4, len(value)) + b"".join(_cbor_encode(item) for item in value)
    if isinstance(value, dict):
        return _cbor_head(5, len(value)) + b"".join(_cbor_encode(k) + _cbor_encode(v) for k, v in value.items())
    raise SearchError(f"cannot write {type(value).__name__} into a Pagefind file")


def _cbor_head(major: int, argument: int) -> bytes:
    """Return a CBOR item head: the major type and its argument in as few bytes as it fits."""
    if argument < 24:
        return bytes([major << 5 | argument])
    for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if argument < 1 << (8 * size):
            return bytes([major << 5 | info]) + argument.to_bytes(size, "big")
    raise SearchError(f"cannot write the number {argument} into a Pagefind file")
