"""One Pagefind bundle from the bundles of a site's parts.

Pagefind builds its index from every page at once, in memory, and has no incremental mode. The
site's pages are therefore indexed in parts (search.indexer: a few hundred pages each, grouped by
organisation), each part a bundle of its own that the build cache keeps, and merged here into the
one bundle the browser loads. Pagefind scores a page from that page's own positions and the site's
totals (pages holding the word, page count, mean word count); the merged files hold the same data a
single index of the same pages holds, so a query finds and ranks the same pages.

Pages are numbered part after part, so a part's page numbers only move by the part's offset: in the
word index (page numbers stored as differences) only each part's first page of a word changes. The
merge holds one index chunk per part at a time: its memory does not grow with the site.
"""

from __future__ import annotations

import hashlib
import heapq
import json
import os
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .pagefind_files import FormatError, meta_file, packed, read_cbor

ENTRY = "pagefind-entry.json"
DATA = ("fragment", "index", "filter")  # folders of a bundle that belong to its pages
# Pagefind's own chunk size: an index file is closed once its words hold this many positions and
# pages. The browser loads the chunks of a query's words; the first query's size depends on it.
CHUNK_UNITS = 20000
_INT = re.compile(r"[+-]?\d+\Z")
_FLOAT = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\Z")


class SortError(ValueError):
    """A template writes data-pagefind-sort in a form whose value we cannot read as Pagefind does."""


@dataclass(frozen=True)
class Part:
    folder: Path  # the bundle Pagefind wrote for this part's pages
    urls: tuple[str, ...]  # its pages, in its own page order
    sorts: tuple[dict[str, str], ...]  # each page's sort values (data-pagefind-sort), as the pages say


def merge(parts: list[Part], out: Path, language: str) -> int:
    """Write the merged bundle's data files (pages, words, filters, sorts) into `out`, which must not
    hold any; returns the number of pages. The static files come from `copy_static`."""
    if not parts:
        raise ValueError("nothing to merge")
    metas = [read_cbor(meta_file(part.folder)) for part in parts]
    versions = {meta[0] for meta in metas}
    if len(versions) != 1:
        raise FormatError(f"parts written by different Pagefind versions: {sorted(versions)}")
    offsets, pages = [], []
    fragments = out / "fragment"
    fragments.mkdir(parents=True)
    for part, meta in zip(parts, metas):
        if len(meta[1]) != len(part.urls):
            raise FormatError(f"{part.folder}: {len(meta[1])} pages in the index, {len(part.urls)} expected")
        offsets.append(len(pages))
        pages.extend(meta[1])
        for name, _ in meta[1]:
            target = fragments / f"{name}.pf_fragment"
            if not target.exists():  # two identical pages share one fragment, as in Pagefind
                _link(part.folder / "fragment" / target.name, target)
    chunks = _write_words(parts, metas, offsets, out / "index", language)
    filters = _write_filters(parts, metas, offsets, out / "filter", language)
    sorts = _sorts(parts, metas, offsets)
    names = sorted({name for meta in metas for name in meta[5]})
    data = packed([metas[0][0], pages, chunks, filters, sorts, names])
    meta_hash = f"{language}_{hashlib.sha1(data).hexdigest()[:len(language) + 8]}"
    (out / f"pagefind.{meta_hash}.pf_meta").write_bytes(data)
    _write_entry(parts[0].folder, out, language, meta_hash, len(pages))
    return len(pages)


def copy_static(bundle: Path, out: Path) -> None:
    """Pagefind's scripts, styles and WebAssembly from a bundle it wrote (they do not depend on the
    pages), into `out`."""
    for path in bundle.iterdir():
        if path.name in DATA or path.name == ENTRY or path.name.endswith(".pf_meta"):
            continue
        if path.is_file():
            shutil.copyfile(path, out / path.name)


def is_static(name: str) -> bool:
    """A bundle's top-level file that is the same for every index (scripts, styles, WebAssembly)."""
    return "/" not in name and name != ENTRY and not name.endswith(".pf_meta")


def _link(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def _words(part: Path, meta, index: int, names: list[str]) -> Iterator[tuple[str, int, list]]:
    """The part's words in order. A metadata position list names its field by the field's place in
    the index's list of metadata names, as -(place + 1): renumbered to the merged list's places."""
    places = {-(i + 1): -(names.index(name) + 1) for i, name in enumerate(meta[5])}
    moved = any(old != new for old, new in places.items())
    for _, _, name in meta[2]:
        for word in read_cbor(part / "index" / f"{name}.pf_index")[0]:
            if moved:
                for page in word[1]:
                    if page[2]:
                        page[2] = [places[x] if x < 0 else x for x in page[2]]
            yield word[0], index, word


def _write_words(parts, metas, offsets, folder: Path, language: str) -> list[list[str]]:
    folder.mkdir()
    names = sorted({name for meta in metas for name in meta[5]})
    streams = [_words(part.folder, meta, i, names) for i, (part, meta) in enumerate(zip(parts, metas))]
    chunks: list[list[str]] = []
    written: set[str] = set()
    chunk: list[list] = []
    units = 0

    def close_chunk() -> None:
        nonlocal chunk, units
        data = packed([chunk])
        name = _unique_name(language, hashlib.sha1(data).hexdigest(), written)
        (folder / f"{name}.pf_index").write_bytes(data)
        chunks.append([chunk[0][0], chunk[-1][0], name])
        chunk, units = [], 0

    current: list | None = None
    last = 0  # the merged page number of the current word's last page
    for word, index, entry in heapq.merge(*streams):
        if current is None or current[0] != word:
            if current is not None:
                chunk.append(current)
                if units >= CHUNK_UNITS:
                    close_chunk()
            current, last = [word, [], entry[2]], 0
        elif entry[2] and entry[2] != current[2]:
            raise FormatError(f"word {word!r}: variants differ between parts")
        postings = entry[1]
        first = postings[0]
        start = offsets[index] + first[0]
        current[1].append([start - last, first[1], first[2]])
        current[1].extend(postings[1:])
        last = offsets[index] + sum(page[0] for page in postings)
        units += sum(len(page[1]) + len(page[2]) + 1 for page in postings)
    if current is not None:
        chunk.append(current)
    if chunk:
        close_chunk()
    for before, after in zip(chunks, chunks[1:]):  # the shortest prefixes that still tell them apart
        before[1], after[0] = _prefixes(before[1], after[0])
    return chunks


def _prefixes(end: str, start: str) -> tuple[str, str]:
    common = 0
    for a, b in zip(end, start):
        if a != b:
            break
        common += 1
    return end[:common + 1], start[:common + 1]


def _write_filters(parts, metas, offsets, folder: Path, language: str) -> list[list[str]]:
    folder.mkdir()
    merged: dict[str, dict[str, list[int]]] = {}
    for part, meta, offset in zip(parts, metas, offsets):
        for name, file in meta[3]:
            filter_name, values = read_cbor(part.folder / "filter" / f"{file}.pf_filter")
            found = merged.setdefault(filter_name, {})
            for value, numbers in values:
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


def _sorts(parts, metas, offsets) -> list[list]:
    keys = sorted({key for part in parts for values in part.sorts for key in values})
    sorts = []
    for key in keys:
        values = [(page[key], offset + i) for part, offset in zip(parts, offsets)
                  for i, page in enumerate(part.sorts) if key in page]
        sorts.append([key, _ordered(values)])
    # The values come from our reading of the pages; each part's own order, made by Pagefind,
    # must agree with it, or the merged order would not be the one Pagefind makes.
    for part, meta in zip(parts, metas):
        own = {key: numbers for key, numbers in meta[4]}
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


def _write_entry(part: Path, out: Path, language: str, meta_hash: str, pages: int) -> None:
    entry = json.loads((part / ENTRY).read_text(encoding="utf-8"))
    languages = entry.get("languages") or {}
    if len(languages) != 1:
        raise FormatError(f"{part}: expected one language in {ENTRY}")
    details = next(iter(languages.values()))
    details.update(hash=meta_hash, page_count=pages)
    entry["languages"] = {language: details}
    (out / ENTRY).write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
