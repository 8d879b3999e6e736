"""Reading and writing the files of a Pagefind bundle: its metadata, word index, filters and fragments.

Pagefind stores them as gzip with a "pagefind_dcd" signature, then CBOR (index, filters,
metadata) or JSON (fragments). We read them to build the query dictionary from the words
Pagefind really indexed, to merge the bundles of a site's parts into one (search.merge), and so
tests can check what a built index contains.
The layout is Pagefind's internal format: pyproject pins the Pagefind version.

- `pagefind.<hash>.pf_meta`: [version, pages [[fragment hash, word count]], index chunks
  [[first word, last word, hash]], filters [[name, hash]], sorts [[name, [page numbers]]], meta names]
- `index/<hash>.pf_index`: [[[word, [[page number, content positions, metadata positions]], variants]]],
  page numbers as differences from the previous one, words in code point order
- `filter/<hash>.pf_filter`: [name, [[value, [page numbers]]]]
- `fragment/<hash>.pf_fragment`: JSON {url, content, word_count, filters, meta, anchors}
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


def unpacked(path: Path | bytes, where: str = "") -> bytes:
    """The encoded content of a Pagefind file (after its signature): the file at `path`, or its bytes
    (`where` names it in errors)."""
    where = where or str(path)
    try:
        data = gzip.decompress(path if isinstance(path, bytes) else path.read_bytes())
    except (OSError, EOFError) as exc:
        raise FormatError(f"{where}: unreadable Pagefind file") from exc
    if not data.startswith(SIGNATURE):
        raise FormatError(f"{where}: missing Pagefind signature")
    return data[len(SIGNATURE):]


def read_cbor(path: Path | bytes, where: str = ""):
    """The decoded content of an index, filter or metadata file (its path, or its bytes)."""
    data = unpacked(path, where)
    try:
        return cbor2.loads(data)
    except (EOFError, ValueError, cbor2.CBORDecodeError) as exc:
        raise FormatError(f"{where or path}: unreadable Pagefind file") from exc


def packed(value) -> bytes:
    """`value` as Pagefind stores it: CBOR after the signature, gzipped."""
    return signed(cbor2.dumps(value))


def signed(encoded: bytes) -> bytes:
    """Encoded CBOR as Pagefind stores it (no timestamp: the same index is the same bytes)."""
    return gzip.compress(SIGNATURE + encoded, compresslevel=6, mtime=0)


def read_fragment(path: Path | bytes, where: str = "") -> dict:
    return json.loads(unpacked(path, where))


def meta_file(bundle: Path) -> Path:
    found = sorted(bundle.glob("pagefind.*.pf_meta"))
    if len(found) != 1:
        raise FormatError(f"{bundle}: expected one pagefind.*.pf_meta, found {len(found)}")
    return found[0]


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
        data = unpacked(chunk)
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
        yield read_fragment(path)
