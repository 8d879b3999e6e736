"""Reading the files Pagefind writes: its word index and page fragments.

Pagefind stores them as gzip with a "pagefind_dcd" signature, then CBOR (index, filters,
metadata) or JSON (fragments). We read them to build the query dictionary from the words
Pagefind really indexed, and so tests can check what a built index contains.
The layout is Pagefind's internal format: pyproject pins the Pagefind version.
"""

from __future__ import annotations

import gzip
import json
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

SIGNATURE = b"pagefind_dcd"


class FormatError(ValueError):
    """A file does not have the layout this module expects (another Pagefind version?)."""


def _unpack(path: Path) -> bytes:
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(SIGNATURE):
        raise FormatError(f"{path}: missing Pagefind signature")
    return data[len(SIGNATURE):]


def _cbor(data: bytes, pos: int = 0):
    """Decode one CBOR item (the subset Pagefind writes); returns (value, next position)."""
    head = data[pos]
    pos += 1
    major, info = head >> 5, head & 31
    if info < 24:
        arg = info
    elif info in (24, 25, 26, 27):
        size = 1 << (info - 24)
        arg = int.from_bytes(data[pos:pos + size], "big")
        pos += size
    else:
        raise FormatError(f"unsupported CBOR length code {info}")
    if major == 0:
        return arg, pos
    if major == 1:
        return -1 - arg, pos
    if major == 2:
        return data[pos:pos + arg], pos + arg
    if major == 3:
        return data[pos:pos + arg].decode("utf-8"), pos + arg
    if major in (4, 5):
        items = []
        for _ in range(arg * (2 if major == 5 else 1)):
            item, pos = _cbor(data, pos)
            items.append(item)
        return (items if major == 4 else dict(zip(items[::2], items[1::2]))), pos
    if major == 6:
        return _cbor(data, pos)
    if major == 7:
        if info == 25:
            return struct.unpack(">e", data[pos - 2:pos])[0], pos
        if info in (26, 27):
            return struct.unpack(">f" if info == 26 else ">d", data[pos - (4 if info == 26 else 8):pos])[0], pos
        return {20: False, 21: True, 22: None}.get(arg), pos
    raise FormatError(f"unsupported CBOR major type {major}")


@dataclass(frozen=True)
class IndexedWord:
    word: str
    pages: int  # how many pages hold it
    in_content: bool  # False when it only comes from metadata (a title or a meta value, kept whole)


def indexed_words(bundle: Path) -> Iterator[IndexedWord]:
    """Every word of every index chunk in a Pagefind bundle folder."""
    chunks = sorted((bundle / "index").glob("*.pf_index"))
    if not chunks:
        raise FormatError(f"{bundle}: no index chunks")
    for chunk in chunks:
        value, _ = _cbor(_unpack(chunk))
        try:
            for word, pages, *_ in value[0]:
                # Each page entry: [page number, content positions, metadata positions].
                yield IndexedWord(word, len(pages), any(page[1] for page in pages))
        except (TypeError, ValueError, IndexError) as exc:
            raise FormatError(f"{chunk}: unexpected index layout") from exc


def fragments(bundle: Path) -> Iterator[dict]:
    """The stored page records (url, content, meta, filters) of a Pagefind bundle."""
    for path in sorted((bundle / "fragment").glob("*.pf_fragment")):
        yield json.loads(_unpack(path))
