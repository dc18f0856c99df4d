"""Pagefind's index files: read and write its gzipped CBOR chunks, and make its filters repeatable.

Pagefind 1.5 writes the filters, and each filter's values, in hash-map order, which changes from run to
run (Pagefind issue #638: "other files will still change, such as the filter/metadata indexes"). Every
file is named by a hash of its content, so the filter files, the metadata file that names them and
pagefind-entry.json that names that would differ between two builds of the same site. We sort them and
write the files again the way Pagefind writes them: gzip of "pagefind_dcd" + CBOR, named by the SHA-1 of
the CBOR in hex without zero padding (7 characters for chunks, 10 for the metadata). Reading and writing
back an untouched file gives its bytes and its name exactly, which the tests check.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
from pathlib import Path

from .errors import WaraqaError

log = logging.getLogger("waraqa")


class SearchError(WaraqaError):
    """The search index could not be made: Pagefind is missing, or it failed on the built site."""


_CHUNK_HEADER = b"pagefind_dcd"


def stabilize_filters(bundle: Path) -> None:
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
            chunk = _read_chunk(old)
            if not (isinstance(chunk, list) and len(chunk) == 2 and isinstance(chunk[1], list)):
                raise SearchError(f"Pagefind wrote {old.name} in a form Waraqa does not know")
            name, values = chunk
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
    value, end = cbor_decode(data, len(_CHUNK_HEADER))
    if end != len(data):
        raise SearchError(f"Pagefind wrote {path.name} in a form Waraqa does not know")
    return value


def _write_chunk(folder: Path, value: object, language: str, digits: int, suffix: str, old: Path, prefix: str = "") -> str:
    """Write `value` as Pagefind would, named by its hash, in place of the file `old`; return the new name."""
    body = cbor_encode(value)
    digest = "".join(f"{byte:x}" for byte in hashlib.sha1(body).digest())[:digits]
    name = f"{language}_{digest}"
    old.unlink()
    (folder / f"{prefix}{name}{suffix}").write_bytes(gzip.compress(_CHUNK_HEADER + body, compresslevel=9, mtime=0))
    return name


def cbor_decode(data: bytes, pos: int) -> tuple[object, int]:
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
            item, pos = cbor_decode(data, pos)
            items.append(item)
        return (items if major == 4 else dict(zip(items[::2], items[1::2], strict=True))), pos
    raise SearchError(f"Pagefind wrote CBOR that Waraqa does not read (major type {major})")


def cbor_encode(value: object) -> bytes:
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
        return _cbor_head(4, len(value)) + b"".join(cbor_encode(item) for item in value)
    if isinstance(value, dict):
        return _cbor_head(5, len(value)) + b"".join(cbor_encode(k) + cbor_encode(v) for k, v in value.items())
    raise SearchError(f"cannot write {type(value).__name__} into a Pagefind file")


def _cbor_head(major: int, argument: int) -> bytes:
    """Return a CBOR item head: the major type and its argument in as few bytes as it fits."""
    if argument < 24:
        return bytes([major << 5 | argument])
    for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if argument < 1 << (8 * size):
            return bytes([major << 5 | info]) + argument.to_bytes(size, "big")
    raise SearchError(f"cannot write the number {argument} into a Pagefind file")
