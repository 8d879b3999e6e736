"""One Pagefind bundle from the bundles of a site's parts.

Pagefind builds its index from every page at once, in memory, and has no incremental mode. The
site's pages are therefore indexed in parts (search.indexer: a few hundred pages each, grouped by
organisation), each part a bundle of its own that the build cache keeps, and merged here into the
one bundle the browser loads. Pagefind scores a page from that page's own positions and the site's
totals (pages holding the word, page count, mean word count); the merged files hold the same data a
single index of the same pages holds, so a query finds and ranks the same pages.

Pages are numbered part after part, so a part's page numbers only move by the part's offset: in the
word index (page numbers stored as differences) only each part's first page of a word changes. A part
therefore keeps each word's pages as the encoded bytes Pagefind wrote (`Part.words`), and the merge
joins bytes: it never decodes a position, and costs little more than writing the files.
"""

from __future__ import annotations

import functools
import hashlib
import heapq
import io
import json
import operator
import os
import re
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import cbor2

from .pagefind_files import FormatError, IndexedWord, packed, read_cbor, read_fragment, signed, unpacked

ENTRY = "pagefind-entry.json"
# Pagefind's own chunk size: an index file is closed once its words hold this many positions and
# pages. The browser loads the chunks of a query's words; the first query's size depends on it.
CHUNK_UNITS = 20000
STREAM_BUFFER = 1 << 15  # read ahead in each part's words while the merge walks them all at once
_INT = re.compile(r"[+-]?\d+\Z")
_FLOAT = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\Z")
# A word of a part: [word, pages holding it, its first page number, its last, size in CHUNK_UNITS,
# IN_TEXT | IN_META, the first page's positions (encoded), the other pages (encoded), variants (encoded)]
WORD, COUNT, FIRST, LAST, UNITS, FLAGS, FIRST_REST, REST, VARIANTS = range(9)
IN_TEXT, IN_META = 1, 2


class SortError(ValueError):
    """A template writes data-pagefind-sort in a form whose value we cannot read as Pagefind does."""


@dataclass
class Part:
    """A part's index, as Pagefind wrote it for the part's pages alone."""
    version: str  # Pagefind's
    entry: dict  # its pagefind-entry.json
    urls: list[str]  # its pages, in its page order
    sorts: list[dict[str, str]]  # each page's sort values (data-pagefind-sort), as the pages say
    pages: list[list]  # [fragment name, word count], in page order
    names: list[str]  # its metadata names; a metadata position names its field by its place here
    filters: dict[str, dict[str, list[int]]]  # filter -> value -> page numbers
    own_sorts: dict[str, list[int]]  # Pagefind's order of the pages for each sort
    # Its words (see WORD ... VARIANTS, in word order), each a CBOR item, one after another: the merge
    # walks every part's words at once, decoding one word at a time (as Python lists, 100,000 pages'
    # words took 1.2 GB).
    words: bytes
    fragments: dict[str, bytes]  # fragment name -> the file Pagefind wrote

    def dump(self) -> bytes:
        return cbor2.dumps([self.version, self.entry, self.urls, self.sorts, self.pages, self.names, self.filters,
                            self.own_sorts, self.words, self.fragments])

    @classmethod
    def load(cls, data: bytes) -> Part:
        try:
            part = cls(*cbor2.loads(data))
        except (ValueError, TypeError, EOFError, cbor2.CBORDecodeError) as exc:
            raise FormatError("unreadable stored part") from exc
        if not isinstance(part.words, bytes):  # stored by an earlier layout
            raise FormatError("unreadable stored part")
        return part


def read_part(files: dict[str, bytes], sorts_by_url: dict[str, dict[str, str]]) -> Part:
    """The part in the files Pagefind made for its pages (path in the bundle -> bytes);
    `sorts_by_url`: its pages' sort values."""
    metas = [name for name in files if name.startswith("pagefind.") and name.endswith(".pf_meta")]
    if len(metas) != 1:
        raise FormatError(f"expected one pagefind.*.pf_meta, found {len(metas)}")
    meta = read_cbor(files[metas[0]], metas[0])

    def file(name: str) -> bytes:
        if name not in files:
            raise FormatError(f"{name} missing from Pagefind's files")
        return files[name]

    fragments = {name: file(f"fragment/{name}.pf_fragment") for name, _ in meta[1]}
    urls = [read_fragment(fragments[name], name)["url"] for name, _ in meta[1]]
    if sorted(urls) != sorted(sorts_by_url):
        raise FormatError("Pagefind indexed other pages than it was given")
    filters = {}
    for _, name in meta[3]:
        filter_name, values = read_cbor(file(f"filter/{name}.pf_filter"), name)
        filters[filter_name] = {value: pages for value, pages in values}
    words = b"".join(cbor2.dumps(word) for _, _, name in meta[2] for word in _chunk_words(file(f"index/{name}.pf_index"), name))
    entry = json.loads(file(ENTRY))
    return Part(meta[0], entry, urls, [sorts_by_url[url] for url in urls], meta[1], meta[5], filters,
                {key: pages for key, pages in meta[4]}, words, fragments)


# One page of a word in an index chunk, as Pagefind encodes it: [page number, [positions], [metadata
# positions]], all numbers. Matched on the bytes, so a part's words are read without decoding every
# position (cbor2 would build some ten million Python objects for 10,000 pages).
_NUMBER = rb"(?:[\x00-\x17\x20-\x37]|[\x18\x38].|[\x19\x39]..|[\x1a\x3a]....)"
_ARRAY = rb"(?:[\x80-\x97]|\x98.|\x99..|\x9a....)"
_PAGES = re.compile(rb"(?:\x83" + _NUMBER + _ARRAY + _NUMBER + rb"*" + _ARRAY + _NUMBER + rb"*)*", re.S)
_ONE_PAGE = re.compile(rb"\x83(" + _NUMBER + rb")(" + _ARRAY + rb")" + _NUMBER + rb"*(" + _ARRAY + rb")" + _NUMBER + rb"*",
                       re.S)  # groups: page number, head of positions, head of metadata positions


def _value(head: bytes) -> int:
    """The number a CBOR head of major type 0 (number) or 4 (array) carries."""
    low = head[0] & 0x1F
    return low if low < 24 else int.from_bytes(head[1:], "big")


def _chunk_words(file: bytes, where: str) -> list[list]:
    data = unpacked(file, where)
    if data[:1] != b"\x81":
        raise FormatError(f"{where}: unexpected index layout")
    count, at = _read_head(data, 1, 4)
    words = []
    for _ in range(count):
        try:
            word, at = _read_word(data, at)
        except (ValueError, IndexError):  # a layout the byte reading does not know: decode it
            return [_word(*item) for item in read_cbor(file, where)[0]]
        words.append(word)
    if at != len(data):
        raise FormatError(f"{where}: unexpected index layout")
    return words


def _read_head(data: bytes, at: int, major: int) -> tuple[int, int]:
    """The value of the CBOR head of major type `major` at `at`, and where its content starts."""
    first = data[at]
    if first >> 5 != major:
        raise ValueError(f"major type {first >> 5} at {at}")
    low = first & 0x1F
    if low < 24:
        return low, at + 1
    size = {24: 1, 25: 2, 26: 4, 27: 8}[low]
    return int.from_bytes(data[at + 1:at + 1 + size], "big"), at + 1 + size


def _read_word(data: bytes, at: int) -> tuple[list, int]:
    if data[at] != 0x83:
        raise ValueError("not a word")
    length, at = _read_head(data, at + 1, 3)
    word = data[at:at + length].decode()
    count, start = _read_head(data, at + length, 4)
    end = _PAGES.match(data, start).end()
    first_end = _ONE_PAGE.match(data, start).end()
    pages = _ONE_PAGE.findall(data, start, end)
    if len(pages) != count or data[end] != 0x80:  # variants: Pagefind writes none for Chinese
        raise ValueError("unexpected pages")
    value = _value
    flags = (IN_TEXT if any(text != b"\x80" for _, text, _ in pages) else 0) | \
        (IN_META if any(meta != b"\x80" for _, _, meta in pages) else 0)
    units = count + sum(value(text) + value(meta) for _, text, meta in pages)
    first = value(pages[0][0])
    return [word, count, first, sum(value(number) for number, _, _ in pages), units, flags,
            data[start + 1 + len(pages[0][0]):first_end], data[first_end:end], b"\x80"], end + 1


def _word(word: str, pages: list, variants: list) -> list:
    first = pages[0]
    first_rest = cbor2.dumps(first)[1 + len(cbor2.dumps(first[0])):]  # after the array head and page number
    rest = cbor2.dumps(pages[1:])[len(_head(4, len(pages) - 1)):]  # the pages without their array head
    flags = (IN_TEXT if any(page[1] for page in pages) else 0) | (IN_META if any(page[2] for page in pages) else 0)
    return [word, len(pages), first[0], sum(page[0] for page in pages),
            sum(len(page[1]) + len(page[2]) + 1 for page in pages), flags, first_rest, rest, cbor2.dumps(variants)]


@functools.lru_cache(maxsize=1 << 16)  # the same small numbers, hundreds of thousands of times a merge
def _head(major: int, value: int) -> bytes:
    """A CBOR item head: major type 0 (number), 3 (text) or 4 (array) with its value or length."""
    if value < 24:
        return bytes([major << 5 | value])
    for code, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if value < 1 << (8 * size):
            return bytes([major << 5 | code]) + value.to_bytes(size, "big")
    raise ValueError(value)


def merge(parts: Iterable[Part], out: Path, language: str, place=None, pack=None, joined=None) -> list[IndexedWord]:
    """Write the merged bundle's data files (pages, words, filters, sorts) into `out`, which must not
    hold any; returns its words (for the query dictionary). The static files come from `copy_static`.
    `parts` may be read one by one as they are taken: each part's page fragments are written and its
    words moved to a temporary file at once, so the merge holds only the parts' page lists, filters
    and sort values (a merge of 100,000 pages held 0.8 GB of parts before). `place`: see _Fragments.
    `pack(path, encoded)`: writes an index chunk's file from its CBOR (by default compressed now; the
    indexer takes a chunk of the same bytes compressed by an earlier merge from the build cache).
    `joined`: (a BuildCache, each part's key): the words of each run of GROUP_PARTS parts are joined
    first and kept in the cache by the keys of those parts, so that a merge after one page changed
    joins again one run and then the runs, about half the words of joining all parts at once."""
    with tempfile.TemporaryFile() as spill:
        held, pages, places = [], [], []
        fragments = _Fragments(out / "fragment", place)
        for part in parts:
            if len(part.pages) != len(part.urls):
                raise FormatError(f"part of {part.urls[:1]}: {len(part.pages)} pages indexed, {len(part.urls)} expected")
            if held and part.version != held[0].version:
                raise FormatError(f"parts written by different Pagefind versions: {sorted({held[0].version, part.version})}")
            pages.extend(fragments.write(part))
            places.append((spill.tell(), len(part.words)))
            spill.write(part.words)
            part.words = b""
            held.append(part)
        if not held:
            raise ValueError("nothing to merge")
        spill.flush()
        offsets = [sum(len(part.pages) for part in held[:i]) for i in range(len(held))]
        names = sorted({name for part in held for name in part.names})
        streams = [_stream(part, _Region(spill.fileno(), *place), i, names) for i, (part, place) in enumerate(zip(held, places))]
        if joined is not None and len(held) > GROUP_PARTS:
            streams, offsets_joined = _joined_runs(streams, offsets, names, spill, *joined)
        else:
            offsets_joined = offsets
        chunks, words = _write_words(streams, offsets_joined, out / "index", language, pack or pack_chunk)
        filters = _write_filters(held, offsets, out / "filter", language)
        sorts = _sorts(held, offsets)
    data = packed([held[0].version, pages, chunks, filters, sorts, names])
    meta_hash = f"{language}_{hashlib.sha1(data).hexdigest()[:len(language) + 8]}"
    (out / f"pagefind.{meta_hash}.pf_meta").write_bytes(data)
    entry = dict(held[0].entry)
    details = dict(next(iter((entry.get("languages") or {None: {}}).values())))
    details.update(hash=meta_hash, page_count=len(pages))
    entry["languages"] = {language: details}
    (out / ENTRY).write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return words


def write_fragments(parts: Iterable[Part], out: Path, place=None) -> list[list]:
    """The parts' page fragments into out/fragment/; returns the merged list of pages [fragment name,
    word count]. Each part's fragments are let go once written. `place`: see _Fragments."""
    fragments = _Fragments(out / "fragment", place)
    return [page for part in parts for page in fragments.write(part)]


def _write_file(path: Path, data: bytes, digest: bytes) -> None:
    path.write_bytes(data)


class _Fragments:
    """A merged bundle's fragment folder, written part after part. `place(path, data, digest)` puts
    each file (`digest`: the SHA-256 of `data`) in place; by default it writes it."""

    def __init__(self, folder: Path, place=None) -> None:
        folder.mkdir(parents=True)
        self._folder = folder
        self._place = place or _write_file
        self._written: dict[str, bytes] = {}  # fragment name -> digest of its file

    def write(self, part: Part) -> list[list]:
        """The part's fragments into the folder (then let go); its pages [fragment name, word count]."""
        renamed = {}
        for name, data in part.fragments.items():
            digest = hashlib.sha256(data).digest()
            target, number = name, 0
            # Pagefind names a fragment by 7 characters of its hash; two parts may name two pages alike.
            while target in self._written and self._written[target] != digest:
                number += 1
                target = f"{name}-{number}"
            if target not in self._written:
                self._place(self._folder / f"{target}.pf_fragment", data, digest)
                self._written[target] = digest
            renamed[name] = target
        part.fragments = {}
        return [[renamed[name], count] for name, count in part.pages]


class _Region(io.RawIOBase):
    """`length` bytes of an open file from `offset`, read with pread: each part's words are read
    from the one temporary file, however many parts are open at once."""

    def __init__(self, fd: int, offset: int, length: int) -> None:
        self._fd, self._at, self._end = fd, offset, offset + length

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        size = min(len(buffer), self._end - self._at)
        if size <= 0:
            return 0
        data = os.pread(self._fd, size, self._at)
        buffer[:len(data)] = data
        self._at += len(data)
        return len(data)


def is_static(name: str) -> bool:
    """A bundle's file that is the same for every index (scripts, styles, WebAssembly)."""
    return "/" not in name and name != ENTRY and not name.endswith(".pf_meta")


def _renumbered(word: list, places: dict[int, int]) -> list:
    """The word with its metadata positions' field numbers moved to the merged list's."""
    pages = [[word[FIRST], *cbor2.loads(b"\x82" + word[FIRST_REST])]]
    pages += cbor2.loads(_head(4, word[COUNT] - 1) + word[REST])
    for page in pages:
        page[2] = [places[x] if x < 0 else x for x in page[2]]
    first = pages[0]
    return [*word[:FIRST_REST], cbor2.dumps(first)[1 + len(cbor2.dumps(first[0])):],
            cbor2.dumps(pages[1:])[len(_head(4, len(pages) - 1)):], word[VARIANTS]]


def _words(words: _Region) -> Iterator[list]:
    """The words stored one after another in `words`, decoded one at a time."""
    stored = io.BufferedReader(words, STREAM_BUFFER)
    decoder = cbor2.CBORDecoder(stored)
    while stored.peek(1):
        yield decoder.decode()


def _stream(part: Part, words: _Region, index: int, names: list[str]) -> Iterator[tuple[str, int, list]]:
    places = {-(i + 1): -(names.index(name) + 1) for i, name in enumerate(part.names)}
    moved = any(old != new for old, new in places.items())
    for word in _words(words):
        if moved and word[FLAGS] & IN_META:
            word = _renumbered(word, places)
        yield word[WORD], index, word


GROUP_PARTS = 6  # parts whose words are joined into one run first (see merge)
RUNS_KIND = "search-words"  # the build cache's joined runs of parts' words


def _joined_runs(streams, offsets, names, spill, cache, keys) -> tuple[list, list[int]]:
    """The parts' words as runs of GROUP_PARTS parts, each joined into words in a part's form (page
    numbers from the run's first page; metadata positions in the merged list's numbering), from the
    build cache when the run's parts are the same. Each run goes to the end of `spill` (the file the
    parts' words are read from) and is read from there: no run is held in memory. Returns the runs'
    streams and first pages."""
    runs, starts = [], []
    for number, first in enumerate(range(0, len(streams), GROUP_PARTS)):
        members = range(first, min(first + GROUP_PARTS, len(streams)))
        # the parts' keys hold the code (ours and Pagefind's) and their pages
        key = hashlib.sha256(json.dumps([names, [keys[i] for i in members]]).encode()).hexdigest()
        start = spill.seek(0, os.SEEK_END)
        stored = cache.open(RUNS_KIND, key)
        if stored is not None:
            with stored:
                shutil.copyfileobj(stored, spill)
            for i in members:
                streams[i].close()  # not read: its words are in the run
        else:
            local = {i: offsets[i] - offsets[first] for i in members}
            for word in _run(heapq.merge(*(streams[i] for i in members)), local):
                spill.write(cbor2.dumps(word))
        length = spill.tell() - start
        spill.flush()
        if stored is None:
            cache.put_stream(RUNS_KIND, key, lambda out: shutil.copyfileobj(_Region(spill.fileno(), start, length), out))
        runs.append(_run_stream(_Region(spill.fileno(), start, length), number))
        starts.append(offsets[first])
    return runs, starts


def _run_stream(words: _Region, number: int) -> Iterator[tuple[str, int, list]]:
    return ((word[WORD], number, word) for word in _words(words))


def _run(merged, local: dict[int, int]) -> Iterator[list]:
    """The words of several parts (heapq.merge of their streams) joined as one part's: `local`, each
    part's first page within the run. What _join_words writes of a run's word is then what it writes
    of the parts' words, byte for byte."""
    group: list[tuple[int, list]] = []
    for word, index, item in merged:
        if group and group[0][1][WORD] != word:
            yield _joined(group, local)
            group = []
        group.append((index, item))
    if group:
        yield _joined(group, local)


def _joined(group: list[tuple[int, list]], local: dict[int, int]) -> list:
    index, first = group[0]
    rest, variants, last = [first[REST]], first[VARIANTS], local[index] + first[LAST]
    for index, item in group[1:]:
        if item[VARIANTS] != variants:
            raise FormatError(f"word {first[WORD]!r}: variants differ between parts")
        rest += (b"\x83", _head(0, local[index] + item[FIRST] - last), item[FIRST_REST], item[REST])
        last = local[index] + item[LAST]
    return [first[WORD], sum(item[COUNT] for _, item in group), local[group[0][0]] + first[FIRST], last,
            sum(item[UNITS] for _, item in group), functools.reduce(operator.or_, (item[FLAGS] for _, item in group)),
            first[FIRST_REST], b"".join(rest), variants]


def _write_words(streams, offsets, folder: Path, language: str, pack):
    folder.mkdir()
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as compressing:  # zlib works outside the GIL
        return _join_words(streams, offsets, folder, language, compressing, pack)


def pack_chunk(path: Path, encoded: bytes) -> None:
    """An index chunk's file, as Pagefind writes it."""
    path.write_bytes(signed(encoded))


def _join_words(streams, offsets, folder: Path, language: str, compressing: ThreadPoolExecutor, pack):
    """`streams`: each source's words in word order, as (word, source's number, word as a part holds it);
    `offsets`: the number of pages before each source's first."""
    chunks: list[list[str]] = []
    written: set[str] = set()
    words: list[IndexedWord] = []
    chunk: list[bytes] = []
    first_word = last_word = ""
    units = 0
    pending = []

    def close_chunk() -> None:
        nonlocal chunk, units
        encoded = _head(4, 1) + _head(4, len(chunk)) + b"".join(chunk)
        name = _unique_name(language, hashlib.sha1(encoded).hexdigest(), written)
        pending.append(compressing.submit(pack, folder / f"{name}.pf_index", encoded))
        chunks.append([first_word, last_word, name])
        chunk, units = [], 0

    group: list[tuple[int, list]] = []

    def close_word() -> None:
        nonlocal units, first_word, last_word
        word, variants = group[0][1][WORD], group[0][1][VARIANTS]
        entries: list[bytes] = []
        count = size = flags = last = 0
        for index, item in group:  # one pass: each word's pages at 10,000 pages, 28,000 words a merge
            if item[VARIANTS] != variants:
                raise FormatError(f"word {word!r}: variants differ between parts")
            entries += (b"\x83", _head(0, offsets[index] + item[FIRST] - last), item[FIRST_REST], item[REST])
            last = offsets[index] + item[LAST]
            count += item[COUNT]
            size += item[UNITS]
            flags |= item[FLAGS]
        encoded = word.encode()
        if not chunk:
            first_word = word
        last_word = word
        chunk.append(b"".join((_head(4, 3), _head(3, len(encoded)), encoded, _head(4, count), *entries, variants)))
        units += size
        words.append(IndexedWord(word, count, bool(flags & IN_TEXT)))
        if units >= CHUNK_UNITS:
            close_chunk()

    for word, index, item in heapq.merge(*streams):
        if group and group[0][1][WORD] != word:
            close_word()
            group = []
        group.append((index, item))
    if group:
        close_word()
    if chunk:
        close_chunk()
    for before, after in zip(chunks, chunks[1:]):  # the shortest prefixes that still tell them apart
        before[1], after[0] = _prefixes(before[1], after[0])
    for future in pending:
        future.result()
    return chunks, words


def _prefixes(end: str, start: str) -> tuple[str, str]:
    common = 0
    for a, b in zip(end, start):
        if a != b:
            break
        common += 1
    return end[:common + 1], start[:common + 1]


def _write_filters(parts, offsets, folder: Path, language: str) -> list[list[str]]:
    folder.mkdir()
    merged: dict[str, dict[str, list[int]]] = {}
    for part, offset in zip(parts, offsets):
        for filter_name, values in part.filters.items():
            found = merged.setdefault(filter_name, {})
            for value, numbers in values.items():
                found.setdefault(value, []).extend(offset + n for n in numbers)
    listed, written = [], set()
    for filter_name in sorted(merged):
        values = [[value, sorted(numbers)] for value, numbers in sorted(merged[filter_name].items())]
        data = packed([filter_name, values])
        name = _unique_name(language, hashlib.sha1(data).hexdigest(), written)
        (folder / f"{name}.pf_filter").write_bytes(data)
        listed.append([filter_name, name])
    return listed


def _number(value: str) -> float | None:
    if _INT.match(value) and -2**31 <= int(value) < 2**31:
        return int(value)
    if _FLOAT.match(value):
        return float(value)
    return None


def _ordered(values: list[tuple[str, int]]) -> list[int]:
    """Page numbers by value, as Pagefind orders them: as numbers when every value is one,
    otherwise as text; equal values keep page order."""
    numbers = [_number(value) for value, _ in values]
    if all(n is not None for n in numbers):
        keyed = zip(numbers, (n for _, n in values))
    else:
        keyed = ((value, n) for value, n in values)
    return [n for _, n in sorted(keyed, key=lambda item: item[0])]


def _sorts(parts, offsets) -> list[list]:
    keys = sorted({key for part in parts for values in part.sorts for key in values})
    sorts = []
    for key in keys:
        values = [(page[key], offset + i) for part, offset in zip(parts, offsets)
                  for i, page in enumerate(part.sorts) if key in page]
        sorts.append([key, _ordered(values)])
    # The values come from our reading of the pages; each part's own order, made by Pagefind,
    # must agree with it, or the merged order would not be the one Pagefind makes.
    for part in parts:
        own = part.own_sorts
        for key in set(own) | {key for values in part.sorts for key in values}:
            ours = _ordered([(page[key], i) for i, page in enumerate(part.sorts) if key in page])
            if sorted(ours) != sorted(own.get(key, [])) or (ours != own.get(key) and _same_type(part, key, parts)):
                shown = "、".join(part.urls[:3]) + ("等" if len(part.urls) > 3 else "")
                raise SortError(f"页面 {shown} 的排序字段“{key}”读不准：模板中 data-pagefind-sort 元素的值应直接写在"
                                "元素内（不嵌套其他标签），或写成“字段名:值”。")
    return sorts


def _same_type(part: Part, key: str, parts: list[Part]) -> bool:
    """True when the part orders `key` the way the whole site does (both as numbers or both as text)."""
    def numeric(pages) -> bool:
        return all(_number(page[key]) is not None for page in pages if key in page)
    return numeric(part.sorts) == all(numeric(p.sorts) for p in parts)


def _unique_name(language: str, digest: str, written: set[str]) -> str:
    length = 7
    while f"{language}_{digest[:length]}" in written and length < len(digest):
        length += 1
    name = f"{language}_{digest[:length]}"
    written.add(name)
    return name
