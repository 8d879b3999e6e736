"""Writing the site's Pagefind index in parts, each kept in the build cache, merged into one bundle.

Pagefind has no incremental mode: it builds one index from every page, in memory (≈ 0.2 MB a page).
So the pages are indexed in parts of a few hundred (an organisation's entry pages, split by a hash of
the URL; the other pages likewise), each part a Pagefind bundle stored in the build cache under the
hash of its pages, and the bundles are merged into the one the browser loads (search.merge). A build
re-indexes only the parts whose pages changed; Pagefind's memory is one part's; a shard job
(xxgk.shards) indexes its organisations' parts and the merge job finds them in the cache.

The pages handed over while MkDocs writes the site wait in a temporary file; a page written from the
page cache (xxgk.pagecache) is not copied: the index knows it by its HTML's digest (what it takes from
a page is kept in the build cache by that digest) and reads its content from the page cache's file
only if its part is made again. The parts are made after an organisation's last page or the site's.
We speak Pagefind's service protocol ourselves (a request is base64 JSON followed by a comma, so is
an answer): the `pagefind` package's asyncio client reads one answer per 0.1 s.
"""

from __future__ import annotations

import base64
import ctypes
import gc
import hashlib
import html as html_text
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import zlib
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import cbor2

from ..buildcache import BuildCache, code_digest
from .merge import RUNS_KIND, Part, is_static, merge, pack_chunk, read_part, write_fragments
from .pagefind_files import FormatError, unpacked
from .terms import SPELL_KIND, TermsSummary, read_summary, write_dictionary

BUNDLE = "pagefind"  # the folder Pagefind's JavaScript expects at the site root
# A page is indexed when an element carries data-pagefind-body (our templates mark only content).
_MARKED = re.compile(r"<[a-z][^>]*\sdata-pagefind-body[\s=>]")
_MARKED_BYTES = re.compile(_MARKED.pattern.encode())
_SHELL = '<!DOCTYPE html><html lang="zh"><head><meta charset="utf-8"></head><body>'
_SHELL_BYTES = _SHELL.encode()
# What the build cache (xxgk.buildcache) keeps, by the hash of everything it is made from:
CACHE_KIND = "search"  # the last merged bundle with its query dictionary, less the page fragments
PART_KIND = "search-part"  # each part's bundle, by the hash of its pages
STATIC_KIND = "search-static"  # Pagefind's scripts and WebAssembly, by its version
# What the index took from each page of the last build (where its marked content starts, the digest of
# what Pagefind is handed, its sort values), by the SHA-256 of the page's HTML: one entry, by the code.
PAGES_KIND = "search-pages"
# The merged bundle's page fragments as plain files named by their SHA-256, linked into the site when
# the bundle is the last one (checked before every use, as pages are: a site's file written over in
# place is the cache's file too).
FRAGMENT_KIND = "search-fragment"
CHUNK_KIND = "search-chunk"  # the merged index's chunks as written (gzip), by the SHA-256 of their CBOR
# and of what compresses them: another zlib may compress the same bytes otherwise, and the site must be
# byte for byte what a build without cache writes
_PACKING = f"{sys.version}\0{zlib.ZLIB_RUNTIME_VERSION}\0".encode()
# Pages per part, about: small enough that an edit re-indexes little and Pagefind's memory stays
# low (≈ 0.2 MB a page), large enough that the merge has few parts to join. At 10,000 pages an
# edit waited 0.9 s for Pagefind to index its part of 256 pages; parts of 64 made the one-entry
# build 0.5-0.8 s shorter but the full build 10 % longer (bench/README.md, 2026-12-07).
PART_PAGES = 128
PAGEFIND_PROCESSES = min(4, os.cpu_count() or 1)  # parts indexed at once
_SORT = re.compile(r'<[a-z][^>]*?\sdata-pagefind-sort="([^"]*)"[^>]*>([^<]*)')
# Pagefind's binary allocates through jemalloc (prefixed `_RJEM_`). Building the index it holds every
# page's words twice; with one arena and freed pages returned at once its peak is 9-16 % lower at
# 10,000 pages, for the same processor time (bench/README.md, "Memory (issue 24)"). A setting of the
# user's own wins.
_ALLOCATOR = {"_RJEM_MALLOC_CONF": "narenas:1,dirty_decay_ms:0,muzzy_decay_ms:0"}


@dataclass
class IndexSummary:
    pages: int  # pages in the index (those rendered with data-pagefind-body)
    terms: TermsSummary
    reused: bool = False  # the merged bundle of an earlier build with the same pages, from the build cache
    indexed: int = 0  # pages Pagefind indexed in this build (the others' parts came from the cache)


def require_extended() -> Path:
    """Chinese segmentation exists only in Pagefind's extended binary; returns its path."""
    try:
        from pagefind_bin_extended import get_executable
    except ImportError as exc:
        raise RuntimeError("需要 Pagefind 扩展版（含中文分词）：pip install 'pagefind[extended]'") from exc
    return Path(get_executable())


def release_memory() -> None:
    """Give the memory this process freed back to the system (glibc keeps it otherwise): about 80 MB
    at 10,000 pages, in 0.3 s."""
    gc.collect()
    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: nothing to trim
        pass


class PagefindService:
    """One Pagefind indexing process; requests return futures answered by a reader thread."""

    def __init__(self) -> None:
        self._log = tempfile.TemporaryFile()  # the binary's own messages, shown if it fails
        self._process = subprocess.Popen([str(require_extended()), "--service"], stdin=subprocess.PIPE,
                                         stdout=subprocess.PIPE, stderr=self._log, env={**_ALLOCATOR, **os.environ})
        self._answers: dict[int, Future] = {}
        self._lock = threading.Lock()
        self._next_id = 0
        self._reader = threading.Thread(target=self._read, name="pagefind-answers", daemon=True)
        self._reader.start()

    def request(self, payload: dict) -> Future:
        future: Future = Future()
        with self._lock:
            self._next_id += 1
            self._answers[self._next_id] = future
            message = json.dumps({"message_id": self._next_id, "payload": payload}, ensure_ascii=False)
        try:
            self._process.stdin.write(base64.b64encode(message.encode()) + b",")
            self._process.stdin.flush()
        except (BrokenPipeError, ValueError):
            future.set_exception(RuntimeError(f"Pagefind 进程已退出：{self._messages()}"))
        return future

    def _read(self) -> None:
        pending = b""
        while chunk := self._process.stdout.read1(1 << 16):
            *answers, pending = (pending + chunk).split(b",")
            for raw in answers:
                self._answer(json.loads(base64.b64decode(raw)))
        with self._lock:  # the process ended: nothing more will be answered
            for future in self._answers.values():
                if not future.done():
                    future.set_exception(RuntimeError(f"Pagefind 进程意外退出：{self._messages()}"))

    def _answer(self, answer: dict) -> None:
        payload = answer.get("payload") or {}
        message_id = answer.get("message_id")
        if message_id is None and payload.get("original_message"):
            message_id = json.loads(payload["original_message"]).get("message_id")
        with self._lock:
            future = self._answers.pop(message_id, None)
        if future is None:
            return
        if payload.get("type") == "Error":
            future.set_exception(RuntimeError(payload.get("message", "Pagefind 报错")))
        else:
            future.set_result(payload)

    def _messages(self) -> str:
        self._log.seek(0)
        return self._log.read()[-2000:].decode("utf-8", "replace").strip()

    def close(self) -> None:
        if self._process.poll() is None:
            self._process.stdin.close()
            self._process.terminate()
            self._process.wait()
        self._reader.join()
        self._log.close()


@dataclass(frozen=True)
class _Page:
    url: str
    group: str  # the organisation of an entry page; "" for every other page
    digest: str  # SHA-256 of what Pagefind is handed: _SHELL, then the page from its marked element on
    offset: int  # where the marked content is in `source`
    length: int
    sorts: dict[str, str]
    source: str | None = None  # the page cache's file of the page; None: the temporary file


# What the index takes from a page: where its marked content starts (in its UTF-8 bytes), the SHA-256
# of what Pagefind is handed, its sort values; None for a page that marks nothing.
_Facts = tuple[int, bytes, dict] | None
_UNKNOWN = object()


_IN_CACHE: Future = Future()  # a part found in the build cache, read when the merge takes it
_IN_CACHE.set_result(None)


@dataclass(frozen=True)
class _PartPlan:
    name: str  # "<group>.<bucket>", in the order the merged index numbers its pages
    pages: tuple[_Page, ...]  # by URL
    key: str  # the hash of everything Pagefind makes the part from


class SiteIndex:
    """A site's search index, fed page by page while MkDocs writes the site."""

    def __init__(self, language: str = "zh", cache: BuildCache | None = None) -> None:
        """`cache`: where the parts and the last merged bundle are kept (none: every part is made)."""
        require_extended()
        self._language = language
        self._cache = cache
        self._held = tempfile.TemporaryFile()  # the marked content of each page rendered now, until the parts are made
        self._size = 0
        self._known: dict | None = None  # the facts of the last build's pages, by their HTML's digest (PAGES_KIND)
        self._seen: dict[bytes, _Facts] = {}  # those of this build's pages, stored for the next
        self._plans: dict[str, tuple[int, list[_PartPlan]]] = {}  # a group's plans, by its number of pages
        self._placed: dict[str, bytes] = {}  # the merged bundle's fragment files -> their SHA-256
        self._fresh_static: dict[str, bytes] | None = None  # Pagefind's static files, from a part made now
        self._fresh_keys: set[str] = set()  # parts Pagefind made in this build
        self._expected: dict[str, int] = {}
        self._groups: dict[str, list[_Page]] = {}
        self._made: dict[str, Future] = {}  # part key -> the part being made, or None: in the build cache
        # Pagefind indexes one part at a time and its Python side waits: several processes, one per
        # core, each holding one part (its memory is a part's, not the site's).
        self._pool = ThreadPoolExecutor(max_workers=PAGEFIND_PROCESSES, thread_name_prefix="pagefind")
        self._local = threading.local()
        self._services: list[PagefindService] = []
        self._lock = threading.Lock()

    def expect(self, sizes: dict[str, int]) -> None:
        """How many pages each group will have (an organisation's published entries): a group's parts
        are made as soon as its last page arrives, while MkDocs writes the rest of the site. A group
        that ends up with another number of pages is made after the last page, as any other."""
        self._expected = dict(sizes)

    def add(self, url: str, html: str, group: str = "") -> bool:
        """Index the page at site-relative `url` if it marks content for search; True if it does.
        `group`: the organisation whose part the page belongs to (entry pages)."""
        data = html.encode()
        facts = _facts(data)
        if self._cache is not None:  # the next build may take the page from the page cache
            self._seen[hashlib.sha256(data).digest()] = None if facts is None else [*facts]
        if facts is None:
            return False
        offset, digest, sorts = facts
        self._held.write(memoryview(data)[offset:])
        self._append(_Page("/" + url.lstrip("/"), group, digest.hex(), self._size, len(data) - offset, sorts))
        self._size += len(data) - offset
        return True

    def add_stored(self, url: str, html: bytes, digest: str, path: str, group: str = "") -> bool:
        """`add` for a page taken from the page cache: `html` as stored in the file `path`, `digest` its
        SHA-256 (hex, checked by the page cache). What the index takes from it is found by the digest
        when an earlier build saw the same HTML; its content is read from `path` only if its part is
        made again (and checked then)."""
        key = bytes.fromhex(digest)
        facts = self._known_facts(key, len(html))
        if facts is _UNKNOWN:
            facts = _facts(html)
        self._seen[key] = None if facts is None else [*facts]  # as stored (CBOR arrays read back as lists)
        if facts is None:
            return False
        offset, content, sorts = facts
        self._append(_Page("/" + url.lstrip("/"), group, content.hex(), offset, len(html) - offset, sorts, path))
        return True

    def _known_facts(self, key: bytes, size: int):
        """The facts stored for the HTML of digest `key` and `size` bytes, or _UNKNOWN (never seen, or
        not as this code stores them: found again from the page)."""
        if self._known is None:
            self._known = {}
            stored = self._cache.get(PAGES_KIND, self._static_key()) if self._cache is not None else None
            try:
                known = cbor2.loads(stored) if stored is not None else {}
            except (ValueError, TypeError, EOFError, cbor2.CBORDecodeError):
                known = {}
            if isinstance(known, dict):
                self._known = known
        facts = self._known.get(key, _UNKNOWN)
        if facts is None or facts is _UNKNOWN:
            return facts
        if isinstance(facts, list) and len(facts) == 3:
            offset, content, sorts = facts
            if isinstance(offset, int) and 0 <= offset <= size and isinstance(content, bytes) and len(content) == 32 \
                    and isinstance(sorts, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in sorts.items()):
                return offset, content, sorts
        return _UNKNOWN

    def _append(self, page: _Page) -> None:
        group = page.group
        members = self._groups.setdefault(group, [])
        members.append(page)
        if group and len(members) == self._expected.get(group):
            self._held.flush()
            for plan in self._group_plans(group, members):
                self._make(plan)

    def write(self, site: Path, orgs: dict[str, tuple[str, str, str]] | None = None,
              grouped: dict[str, str] | None = None, citizen: dict | None = None) -> IndexSummary:
        """Write the index and its query dictionary into site/pagefind/, replacing any earlier one.
        `orgs`: what readers type for an organisation -> (its name as the 发布机构 facet holds it, its 标识,
        its short name); `grouped`, `citizen`: see terms.write_dictionary."""
        bundle = site.resolve() / BUNDLE
        if bundle.exists():  # `mkdocs serve` and --dirty builds reuse the folder: no stale pages
            shutil.rmtree(bundle)
        plans = self._plan()
        whole = hashlib.sha256(self._code().encode())
        for plan in plans:
            whole.update(f"{plan.key}\0".encode())
        # the pages, then what the query dictionary is made of
        whole.update(json.dumps([orgs, grouped, citizen], ensure_ascii=False, sort_keys=True).encode())
        key = whole.hexdigest()
        stored = self._cache.get(CACHE_KIND, key) if self._cache is not None else None
        # The last merged bundle, less its page fragments (linked from the build cache, or else written
        # from the parts): a scheduled rebuild, or a change outside the indexed content, writes the same
        # index without merging.
        fragments = _unpack(stored, bundle) if stored is not None and plans else None
        reused = fragments is not None
        if reused:
            self._ensure(plans)
            if not self._link_fragments(fragments, bundle / "fragment"):
                shutil.rmtree(bundle / "fragment", ignore_errors=True)
                write_fragments(self._loaded(plans), bundle, self._place_fragment)
            terms = read_summary(bundle)
        else:
            if bundle.exists():
                shutil.rmtree(bundle)
            if plans:
                self._ensure(plans)
                _write(bundle, self._static())
                joined = (self._cache, [plan.key for plan in plans]) if self._cache is not None else None
                words = merge(self._loaded(plans), bundle, self._language, self._place_fragment, self._pack_chunk, joined)
                pages = sum(len(plan.pages) for plan in plans)  # Pagefind indexed each plan's pages (read_part)
            else:  # no page to index: Pagefind's empty bundle
                _write(bundle, _files(None, self._language))
                words, pages = [], 0
            release_memory()
            terms = write_dictionary(bundle, words, pages, orgs or {}, grouped, citizen, self._cache)
            if self._cache is not None:
                self._cache.put(CACHE_KIND, key, _pack(bundle, "fragment", self._placed))
        if self._cache is not None:
            self._store_facts()
            # only what this build used is kept (the spelling words by a build that made the dictionary)
            for kind in (CACHE_KIND, PART_KIND, STATIC_KIND, FRAGMENT_KIND, PAGES_KIND) + (() if reused else (SPELL_KIND, CHUNK_KIND, RUNS_KIND)):
                self._cache.prune(kind)
        pages = sum(1 for name in os.listdir(bundle / "fragment") if name.endswith(".pf_fragment"))
        indexed = sum(len(plan.pages) for plan in plans if plan.key in self._fresh_keys)
        return IndexSummary(pages, terms, reused, indexed)

    def write_parts(self, groups) -> int:
        """A shard job: index the parts of `groups` (its organisations) into the build cache, for the
        merge job to find; the number of pages in them."""
        plans = [plan for plan in self._plan() if plan.pages[0].group in groups]
        self._ensure(plans)
        self._static()  # the merge job may find every part here and index nothing
        if self._cache is not None:
            self._store_facts()
            self._cache.prune(STATIC_KIND)
            self._cache.prune(PART_KIND)  # the job's cache (its artifact) holds this shard's parts only
        return sum(len(plan.pages) for plan in plans)

    def _store_facts(self) -> None:
        """What the index took from this build's pages, for the next build (add_stored)."""
        key = self._static_key()
        if self._seen == self._known:
            self._cache.keep(PAGES_KIND, key)
        else:
            self._cache.put(PAGES_KIND, key, cbor2.dumps(self._seen))

    def _pack_chunk(self, path: Path, encoded: bytes) -> None:
        """An index chunk of the merge (merge.pack_chunk): most chunks are the same bytes as in the last
        merge (a chunk holds about 80 words; one page changed changes few), and compressing them all
        again was a third of a one-entry build's merge. A stored chunk is used only when it unpacks to
        exactly these bytes; the site's file is a link to it (or a copy). Run by the merge's threads."""
        if self._cache is None:
            pack_chunk(path, encoded)
            return
        stored = self._cache.file(CHUNK_KIND, hashlib.sha256(_PACKING + encoded).hexdigest())
        try:
            with open(stored, "rb") as found:
                same = unpacked(found.read(), stored.name) == encoded
        except (OSError, FormatError):
            same = False
        if same and _link(stored, path):
            return
        pack_chunk(path, encoded)
        if not same:
            self._keep(CHUNK_KIND, stored, path)

    def _place_fragment(self, path: Path, data: bytes, digest: bytes) -> None:
        """A page fragment of the merged bundle into its place (merge._Fragments): a link to the build
        cache's file of the same bytes, or written and then kept in the cache (a link to it). One after
        the other: threads doing it took longer, contending for the GIL."""
        self._placed[path.name] = digest
        if self._cache is None:
            path.write_bytes(data)
            return
        self._put_fragment(path, data, self._cache.file(FRAGMENT_KIND, digest.hex()))

    def _put_fragment(self, path: Path, data: bytes, stored: Path) -> None:
        """See _place_fragment; `stored`: the cache's file for these bytes."""
        try:
            with open(stored, "rb") as found:
                same = found.read() == data
        except OSError:
            same = False
        if same and _link(stored, path):
            return
        path.write_bytes(data)
        if not same:
            self._keep(FRAGMENT_KIND, stored, path)

    def _keep(self, kind: str, stored: Path, path: Path) -> None:
        """The site's file `path`, just written, kept as the cache's file `stored` (of kind `kind`): a
        link to it, or a copy when there cannot be one. Safe from the merge's threads."""
        try:
            stored.parent.mkdir(parents=True, exist_ok=True)
            temporary = stored.with_name(f".tmp-{os.getpid()}-{threading.get_ident()}-{stored.name}")
            os.link(path, temporary)
            os.replace(temporary, stored)
        except OSError:  # the cache on another disk, or not writable: a copy, or nothing
            self._cache.put_file(kind, stored.name, path.read_bytes())

    def _link_fragments(self, fragments: list, folder: Path) -> bool:
        """The last merged bundle's page fragments (file name, SHA-256) into `folder`, from the build
        cache, each checked first; False if one is missing or damaged (then removed). One after the
        other, as pages from the page cache are (threads contended for the GIL)."""
        folder.mkdir(parents=True, exist_ok=True)
        stored_folder = str(self._cache.folder / FRAGMENT_KIND)
        for name, digest in fragments:
            self._cache.keep(FRAGMENT_KIND, digest.hex())
        for name, digest in fragments:
            stored = os.path.join(stored_folder, digest.hex())
            try:
                with open(stored, "rb") as found:
                    data = found.read()
            except OSError:
                return False
            if hashlib.sha256(data).digest() != digest:
                self._cache.remove(FRAGMENT_KIND, digest.hex())  # made again by the merge's writing
                return False
            path = os.path.join(folder, name)
            try:
                os.link(stored, path)
            except OSError:  # the cache on another disk, or no links: a copy
                with open(path, "wb") as out:
                    out.write(data)
        return True

    def close(self) -> None:
        self._stop_workers()
        self._held.close()

    def _stop_workers(self) -> None:
        """Pagefind's processes end (their memory goes before the merge)."""
        self._pool.shutdown(wait=True, cancel_futures=True)
        for service in self._services:
            service.close()
        self._services.clear()

    def _static_key(self) -> str:
        return hashlib.sha256(self._code().encode()).hexdigest()

    def _code(self) -> str:
        return f"{code_digest(('pagefind_bin_extended',))}\0{self._language}"

    def _plan(self) -> list[_PartPlan]:
        return [plan for group in sorted(self._groups) for plan in self._group_plans(group, self._groups[group])]

    def _group_plans(self, group: str, pages: list[_Page]) -> list[_PartPlan]:
        """A group's parts: its pages split into 2^k buckets of at most about PART_PAGES pages by a hash
        of the URL, so adding or removing a page changes one part (until the group doubles). Made once
        for a group's pages (a group only grows: its size tells its pages)."""
        made = self._plans.get(group)
        if made is not None and made[0] == len(pages) and pages is self._groups.get(group):
            return made[1]
        plans = self._split(group, pages)
        if pages is self._groups.get(group):
            self._plans[group] = (len(pages), plans)
        return plans

    def _split(self, group: str, pages: list[_Page]) -> list[_PartPlan]:
        buckets = 1 << max(0, math.ceil(math.log2(len(pages) / PART_PAGES))) if len(pages) > PART_PAGES else 1
        split: dict[int, list[_Page]] = {}
        for page in pages:
            split.setdefault(int(hashlib.sha1(page.url.encode()).hexdigest()[:8], 16) % buckets, []).append(page)
        plans = []
        code = self._code()
        for bucket in sorted(split):
            members = tuple(sorted(split[bucket], key=lambda page: page.url))
            name = f"{group or '~'}.{bucket}"
            digest = hashlib.sha256(f"{code}\0{name}\0".encode())
            for page in members:
                digest.update(f"{page.url}\0{page.digest}\0".encode())
            plans.append(_PartPlan(name, members, digest.hexdigest()))
        return plans

    def _content(self, page: _Page) -> str:
        """What Pagefind is handed for the page (safe from several threads: pread)."""
        if page.source is None:
            return _SHELL + os.pread(self._held.fileno(), page.length, page.offset).decode()
        try:
            with open(page.source, "rb") as stored:
                content = _SHELL_BYTES + os.pread(stored.fileno(), page.length, page.offset)
        except OSError as exc:
            raise RuntimeError(f"无法读取构建缓存中的页面文件 {page.source}（{exc.strerror}）。请重新运行构建。") from None
        if hashlib.sha256(content).hexdigest() != page.digest:
            raise RuntimeError(f"构建缓存中的页面文件 {page.source} 在构建过程中被改动（页面 {page.url}）。"
                               "请重新运行构建：改动过的页面会重新生成。")
        return content.decode()

    def _ensure(self, plans: list[_PartPlan]) -> None:
        """Every part made or found in the build cache; then Pagefind's processes end (their memory
        goes before the merge)."""
        self._held.flush()
        for plan in plans:
            self._make(plan)
        for plan in plans:
            self._made[plan.key].result()  # the first failure raises here
        self._stop_workers()

    def _loaded(self, plans: list[_PartPlan]) -> Iterator[Part]:
        """The parts, one at a time, in the order of `plans` (after `_ensure`). A part in the build cache
        is read only now and let go by the merge once taken in: 100,000 pages' parts held at once
        were 0.8 GB. One found missing or damaged now is indexed again."""
        for plan in plans:
            part = self._made[plan.key].result()
            if part is None:
                part = self._stored(plan.key)
            if part is None:
                self._fresh_keys.add(plan.key)
                part = self._index_part(plan, own_process=True)
            yield part

    def _stored(self, key: str) -> Part | None:
        stored = self._cache.get(PART_KIND, key) if self._cache is not None else None
        try:
            return Part.load(stored) if stored is not None else None
        except FormatError:
            return None  # made again and stored over

    def _make(self, plan: _PartPlan) -> None:
        """Start making the part, unless it is under way or in the build cache (read when merged)."""
        if plan.key in self._made:
            return
        if self._cache is not None and self._cache.holds(PART_KIND, plan.key):
            self._made[plan.key] = _IN_CACHE
            return
        self._fresh_keys.add(plan.key)
        self._made[plan.key] = self._pool.submit(self._index_part, plan)

    def _service(self) -> PagefindService:
        """This worker thread's Pagefind process."""
        service = getattr(self._local, "service", None)
        if service is None:
            service = self._local.service = PagefindService()
            with self._lock:
                self._services.append(service)
        return service

    def _index_part(self, plan: _PartPlan, own_process: bool = False) -> Part | None:
        """The part Pagefind makes of the plan's pages; None once it is in the build cache (read back
        when merged: a build holds no part until then). `own_process`: not in a worker thread."""
        service = None if own_process else self._service()
        files = _files(service, self._language, [(page.url, self._content(page)) for page in plan.pages])
        part = read_part(files, {page.url: page.sorts for page in plan.pages})
        if self._fresh_static is None:
            self._fresh_static = {name: data for name, data in files.items() if is_static(name)}
        stored = self._cache is not None and self._cache.put(PART_KIND, plan.key, part.dump())
        return None if stored and not own_process else part

    def _static(self) -> dict[str, bytes]:
        """Pagefind's scripts, styles and WebAssembly (the same for every index): name -> bytes."""
        key = self._static_key()
        stored = self._cache.get(STATIC_KIND, key) if self._cache is not None else None
        if stored is not None:
            try:
                return dict(cbor2.loads(stored))
            except (ValueError, TypeError, EOFError, cbor2.CBORDecodeError):
                pass  # made again and stored over
        # every part came from the cache: an empty index brings the files
        static = self._fresh_static
        if static is None:
            static = {name: data for name, data in _files(None, self._language).items() if is_static(name)}
        if self._cache is not None:
            self._cache.put(STATIC_KIND, key, cbor2.dumps(static))
        return static


def _files(service: PagefindService | None, language: str, pages=()) -> dict[str, bytes]:
    """The bundle Pagefind makes of `pages` ((url, html) pairs): its path -> bytes. Asked for in memory
    (GetFiles), not written: Pagefind answers WriteFiles before its last writes reach the disk.
    `service`: the process to use (None: one started for this alone)."""
    own = service is None
    service = PagefindService() if own else service
    try:
        # One language for the whole site, so one index serves every page.
        index_id = service.request({"type": "NewIndex", "config": {"force_language": language}}).result()["index_id"]
        added = [service.request({"type": "AddFile", "index_id": index_id, "url": url, "file_contents": html})
                 for url, html in pages]
        for future in added:
            future.result()  # the first page Pagefind refused raises here
        answer = service.request({"type": "GetFiles", "index_id": index_id}).result()
        service.request({"type": "DeleteIndex", "index_id": index_id})  # its memory goes now
    finally:
        if own:
            service.close()
    return {item["path"]: base64.b64decode(item["content"]) for item in answer["files"]}


def _write(bundle: Path, files: dict[str, bytes]) -> None:
    for name, data in files.items():
        path = bundle / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def _facts(html: bytes) -> _Facts:
    """What the index takes from a page's HTML (UTF-8): see _Facts. Pagefind reads nothing before the
    marked element; leaving out the theme's header and navigation (two thirds of an entry page) saves
    it about 40 % of its indexing time."""
    start = _search_from(html, b"data-pagefind-body")
    marked = _MARKED_BYTES.search(html, start) if start >= 0 else None
    if not marked:
        return None
    offset = marked.start()
    digest = hashlib.sha256(_SHELL_BYTES)
    digest.update(memoryview(html)[offset:])
    return offset, digest.digest(), sort_values(html[offset:].decode())


def _search_from(html: str | bytes, attribute: str | bytes) -> int:
    """Where a regular expression for a tag holding `attribute` may first match: after the last ">"
    before the attribute's name first appears (no match can start earlier); -1 if it never does.
    str.find walks a 20 KB page many times faster than the expression would."""
    at = html.find(attribute)
    return -1 if at < 0 else html.rfind(b">" if isinstance(html, bytes) else ">", 0, at) + 1


def sort_values(content: str) -> dict[str, str]:
    """The page's data-pagefind-sort values, as Pagefind reads them: the element's text, or the value
    written after the name ("发布日期:2026-12-06"). The merge checks them against Pagefind's order."""
    values = {}
    start = _search_from(content, "data-pagefind-sort=")
    for match in _SORT.finditer(content, start) if start >= 0 else ():
        for item in html_text.unescape(match.group(1)).split(","):
            name, colon, value = item.partition(":")
            values[name.strip()] = value.strip() if colon else html_text.unescape(match.group(2)).strip()
    return values


# A stored bundle's file names: a file or one folder deep, no way out of the bundle.
_STORED_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*(/[A-Za-z0-9_][A-Za-z0-9_.-]*)?\Z")


def _pack(bundle: Path, leave_out: str, fragments: dict[str, bytes]) -> bytes:
    """The bundle's files but those of its folder `leave_out` (not walked: ten thousand fragments),
    and the names and digests of its `fragments`."""
    files = {}
    for top, folders, names in os.walk(bundle):
        if top == str(bundle):
            folders[:] = [folder for folder in folders if folder != leave_out]
        for name in names:
            path = os.path.join(top, name)
            with open(path, "rb") as file:
                files[Path(path).relative_to(bundle).as_posix()] = file.read()
    return cbor2.dumps([dict(sorted(files.items())), sorted([name, digest] for name, digest in fragments.items())])


def _unpack(data: bytes, bundle: Path) -> list | None:
    """The stored bundle into `bundle`, returning its fragments' [file name, SHA-256]; None (and
    nothing left behind) if it cannot be read."""
    try:
        files, fragments = cbor2.loads(data)
        if not isinstance(files, dict) or not all(isinstance(name, str) and _STORED_NAME.match(name)
                                                  and isinstance(value, bytes) for name, value in files.items()):
            return None
        if not isinstance(fragments, list) or not all(
                isinstance(item, list) and len(item) == 2 and isinstance(item[0], str) and _STORED_NAME.match(item[0])
                and "/" not in item[0] and isinstance(item[1], bytes) and len(item[1]) == 32 for item in fragments):
            return None
        _write(bundle, files)
        return fragments
    except (ValueError, TypeError, EOFError, OSError, cbor2.CBORDecodeError):
        shutil.rmtree(bundle, ignore_errors=True)
        return None


def _link(source: Path, path: Path) -> bool:
    """A hard link at `path` to `source`; False if there cannot be one (another disk, no links)."""
    try:
        os.link(source, path)
        return True
    except OSError:
        return False
