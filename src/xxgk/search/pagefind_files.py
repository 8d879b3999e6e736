"""Reading the files Pagefind writes: its word index and page fragments.

Pagefind stores them as gzip with a "pagefind_dcd" signature, then CBOR (index, filters,
metadata) or JSON (fragments). We read them to build the query dictionary from the words
Pagefind really indexed, and so tests can check what a built index contains.
The layout is Pagefind's internal format: pyproject pins the Pagefind version.
"""

from __future__ import annotations

import gc
import gzip
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import cbor2

SIGNATURE = b"pagefind_dcd"


class FormatError(ValueError):
    """A file does not have the layout this module expects (another Pagefind version?)."""


def _unpack(path: Path) -> bytes:
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(SIGNATURE):
        raise FormatError(f"{path}: missing Pagefind signature")
    return data[len(SIGNATURE):]


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
        data = _unpack(chunk)
        # Millions of small lists, none in a cycle: inside a build, each garbage collection
        # would walk the whole site held in memory for nothing (4 s of 5 at 3,000 pages).
        enabled = gc.isenabled()
        gc.disable()
        try:
            # Each page entry: [page number, content positions, metadata positions].
            words = [IndexedWord(word, len(pages), any(page[1] for page in pages))
                     for word, pages, *_ in cbor2.loads(data)[0]]
        except (TypeError, ValueError, IndexError) as exc:
            raise FormatError(f"{chunk}: unexpected index layout") from exc
        finally:
            if enabled:
                gc.enable()
        yield from words


def fragments(bundle: Path) -> Iterator[dict]:
    """The stored page records (url, content, meta, filters) of a Pagefind bundle."""
    for path in sorted((bundle / "fragment").glob("*.pf_fragment")):
        yield json.loads(_unpack(path))
