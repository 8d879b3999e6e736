"""Writing the Pagefind index while MkDocs writes the site.

Pages are handed to Pagefind's indexing service (its binary run with `--service`) as MkDocs
renders them, so the binary indexes on another core while the build goes on; after the build
only the index files are left to write. We speak the service's protocol ourselves (a request is
base64 JSON followed by a comma, so is an answer): the `pagefind` package's asyncio client reads
one answer per 0.1 s, which would take 1,000 s for 10,000 pages fed one by one.
"""

from __future__ import annotations

import base64
import ctypes
import gc
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import tarfile
import tempfile
import threading
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path

from ..buildcache import BuildCache, code_digest
from .pagefind_files import indexed_words
from .terms import TermsSummary, read_summary, write_dictionary

BUNDLE = "pagefind"  # the folder Pagefind's JavaScript expects at the site root
# A page is indexed when an element carries data-pagefind-body (our templates mark only content).
_MARKED = re.compile(r"<[a-z][^>]*\sdata-pagefind-body[\s=>]")
_SHELL = '<!DOCTYPE html><html lang="zh"><head><meta charset="utf-8"></head><body>'
# The build cache keeps the last bundle by the hash of everything handed to Pagefind (xxgk.buildcache).
CACHE_KIND = "search"
# Pagefind's binary allocates through jemalloc (prefixed `_RJEM_`). Building the index it holds every
# page's words twice; with one arena and freed pages returned at once its peak is 9-16 % lower at
# 10,000 pages, for the same processor time (bench/README.md, "Memory (issue 24)"). A setting of the
# user's own wins.
_ALLOCATOR = {"_RJEM_MALLOC_CONF": "narenas:1,dirty_decay_ms:0,muzzy_decay_ms:0"}


@dataclass
class IndexSummary:
    pages: int  # pages in the index (those rendered with data-pagefind-body)
    terms: TermsSummary
    reused: bool = False  # the bundle of an earlier build with the same pages, from the build cache


def require_extended() -> Path:
    """Chinese segmentation exists only in Pagefind's extended binary; returns its path."""
    try:
        from pagefind_bin_extended import get_executable
    except ImportError as exc:
        raise RuntimeError("需要 Pagefind 扩展版（含中文分词）：pip install 'pagefind[extended]'") from exc
    return Path(get_executable())


def release_memory() -> None:
    """Give the memory this process freed back to the system (glibc keeps it otherwise): about 80 MB
    at 10,000 pages, in 0.3 s, while Pagefind builds its index beside us."""
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


class SiteIndex:
    """A site's search index, fed page by page: `add` returns at once, `write` waits for all."""

    def __init__(self, language: str = "zh", cache: BuildCache | None = None) -> None:
        """`cache`: where the last bundle is kept; a build that hands Pagefind exactly the pages of an
        earlier build takes that build's bundle instead of having Pagefind write it again."""
        self._cache = cache
        self._inputs = hashlib.sha256(f"{code_digest(('pagefind_bin_extended',))}\0{language}\0".encode())
        self._service = PagefindService()
        # One language for the whole site, so one index serves every page.
        answer = self._service.request({"type": "NewIndex", "config": {"force_language": language}}).result()
        self._index_id = answer["index_id"]
        self._added: list[Future] = []

    def add(self, url: str, html: str) -> bool:
        """Index the page at site-relative `url` if it marks content for search; True if it does."""
        marked = _MARKED.search(html)
        if not marked:
            return False
        # Pagefind reads nothing before the marked element; leaving out the theme's header and
        # navigation (two thirds of an entry page) saves it about 40 % of its indexing time.
        content = _SHELL + html[marked.start():]
        self._inputs.update(f"{url}\0{len(content)}\0{content}\0".encode())
        self._added.append(self._service.request({"type": "AddFile", "index_id": self._index_id,
                                                  "url": "/" + url.lstrip("/"), "file_contents": content}))
        return True

    def write(self, site: Path, orgs: dict[str, tuple[str, str, str]] | None = None,
              grouped: dict[str, str] | None = None, citizen: dict | None = None) -> IndexSummary:
        """Write the index and its query dictionary into site/pagefind/, replacing any earlier one.
        `orgs`: what readers type for an organisation -> (its name as the 发布机构 facet holds it, its 标识,
        its short name); `grouped`, `citizen`: see terms.write_dictionary."""
        bundle = site.resolve() / BUNDLE
        if bundle.exists():  # `mkdocs serve` and --dirty builds reuse the folder: no stale pages
            shutil.rmtree(bundle)
        inputs = self._inputs.copy()  # the pages, then what the query dictionary is made of
        inputs.update(json.dumps([orgs, grouped, citizen], ensure_ascii=False, sort_keys=True).encode())
        key = inputs.hexdigest()
        stored = self._cache.get(CACHE_KIND, key) if self._cache is not None else None
        reused = stored is not None and _unpack(stored, bundle)
        if reused:
            self.close()  # Pagefind's work is not needed
            terms = read_summary(bundle)
        else:
            for future in self._added:
                future.result()  # the first page Pagefind refused raises here
            release_memory()  # Pagefind's peak comes now, while this process waits
            self._service.request({"type": "WriteFiles", "index_id": self._index_id,
                                   "output_path": str(bundle)}).result()
            self.close()  # Pagefind's memory goes before the dictionary is made and the bundle cached
            pages = sum(1 for _ in (bundle / "fragment").glob("*.pf_fragment"))
            terms = write_dictionary(bundle, indexed_words(bundle) if pages else [], pages, orgs or {}, grouped,
                                     citizen)
            if self._cache is not None:
                self._cache.put(CACHE_KIND, key, _pack(bundle))
        if self._cache is not None:
            self._cache.prune(CACHE_KIND)  # one bundle is kept: the last one
        pages = sum(1 for _ in (bundle / "fragment").glob("*.pf_fragment"))
        return IndexSummary(pages, terms, reused)

    def close(self) -> None:
        self._service.close()


def _pack(bundle: Path) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as archive:
        for path in sorted(bundle.rglob("*")):
            archive.add(path, arcname=path.relative_to(bundle).as_posix(), recursive=False)
    return buffer.getvalue()


def _unpack(data: bytes, bundle: Path) -> bool:
    """The stored bundle into `bundle`; False (and nothing left behind) if it cannot be read."""
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r") as archive:
            archive.extractall(bundle, filter="data")  # regular files and folders inside the bundle only
        return True
    except (tarfile.TarError, OSError):
        shutil.rmtree(bundle, ignore_errors=True)
        return False

