"""The scans of the pages a build renders, and their storing in the build cache, beside the build.

Each page MkDocs renders is read as the visitor receives it: the personal-data scan (xxgk.rendered),
the built-page check (xxgk.pagecheck), then stored with their verdicts (xxgk.pagecache). At 10,000
entries that is two thirds of a page's cost after its template, and MkDocs renders on one core. So a
large build hands each written page to worker processes on the other cores, and takes their verdicts
back in the order the pages were written: the messages, and which page stops the build, are those of
the same work done in order here. A small build, `mkdocs serve`, and a host without processes do it
here. A worker lost halfway (killed, out of memory) costs only time: its pages are examined here.
"""

from __future__ import annotations

import collections
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass

from . import pagecache, pagecheck, rendered, safety, workers

PARALLEL_FROM = 200  # pages to render (3.5 ms each at N = 10,000); below this, starting a worker costs more than it saves
WORKERS_AT_MOST = 3
BATCH = 32  # pages sent to a worker at a time: one message, not 32 (the pool's threads share this process's core)
IN_FLIGHT = 4  # batches sent and not taken back, at most: what waits in the pipes stays small
# A page larger than this (a listing of thousands of entries) is examined here: parsing it takes memory in
# proportion (the 100,000-entry merge job's worker grew to 358 MB), which this process needs for it anyway.
LARGE_PAGE = 256 * 1024


@dataclass(frozen=True)
class Examined:
    scan: list  # the personal-data scan's raw findings, [kind, value] pairs (the allowed values not yet taken out)
    check: list[str]  # the built-page check's messages
    sums: list | None  # an entry page's, as stored (pagecache.write)


def examine(output: str, page: str, rules: safety.Rules, to_store: pagecache.ToStore) -> Examined:
    """One written page (`page`: its path in the site): scanned, checked and stored."""
    scan = [[f.kind, f.value] for f in rendered.page_findings(output, rules)]
    written = output.encode("utf-8", errors="xmlcharrefreplace")  # as MkDocs writes it
    check = [f.message for f in pagecheck.check_html(written, page)]
    return Examined(scan, check, pagecache.write(to_store, output, scan, check))


def _examine_all(rules: safety.Rules, tasks: list[tuple]) -> list[Examined]:
    return [examine(output, page, rules, to_store) for output, page, to_store in tasks]


class PageWork:
    """`submit` each page as it is written; `take(context, Examined)` is called in this process, in
    the order of submission, by `submit` or by `finish`."""

    def __init__(self, pages: int, take, rules: safety.Rules, parallel: bool = True):
        self._take, self._rules = take, rules
        self._batch: list[tuple] = []  # (context, task) not yet examined
        self._waiting: collections.deque[_Batch] = collections.deque()  # examined or being examined, in order
        count = min(workers.cores() - 1, WORKERS_AT_MOST) if parallel and pages >= PARALLEL_FROM else 0
        # Spawned, not forked from this large process: each of its pages that it writes to afterwards
        # would be copied (at N = 10,000: 71.8 s instead of 77.4 s, 11 s of system time instead of 15-19),
        # and the workers would count its memory as theirs. Not waited for: they start on the other
        # cores while this one renders.
        self._pool: ProcessPoolExecutor | None = workers.start(count, ready=False, fork=False)

    def submit(self, context, output: str, page: str, to_store: pagecache.ToStore) -> None:
        if self._pool is None and not self._waiting:
            self._take(context, examine(output, page, self._rules, to_store))
            return
        if len(output) > LARGE_PAGE:
            self._send()
            self._batch.append((context, (output, page, to_store)))
            self._send(here=True)
            return
        self._batch.append((context, (output, page, to_store)))
        if len(self._batch) >= BATCH:
            self._send()

    def _send(self, here: bool = False) -> None:
        """The batch goes to a worker; when they are all behind (their cores are shared with Pagefind),
        or `here`, it is examined here instead: this process never idles while pages wait."""
        if not self._batch:
            return
        contexts, tasks = [context for context, _ in self._batch], [task for _, task in self._batch]
        self._batch = []
        sent = None
        if not here and self._pool is not None and sum(not b.results.done() for b in self._waiting if b.tasks) < IN_FLIGHT:
            try:
                sent = self._pool.submit(_examine_all, self._rules, tasks)
            except RuntimeError:  # the pool broke (BrokenProcessPool is one) or was shut down
                self._stop()
        if sent is None:
            done = Future()
            done.set_result(_examine_all(self._rules, tasks))
            self._waiting.append(_Batch(contexts, None, done))  # no copy of the pages kept
        else:
            self._waiting.append(_Batch(contexts, tasks, sent))
        while self._waiting and self._waiting[0].results.done():
            self._next()

    def _next(self) -> None:
        batch = self._waiting.popleft()
        try:
            results = batch.results.result()
        except Exception:  # noqa: BLE001 — a worker lost, or a fault: examined here, where a fault shows whole
            self._stop()
            results = _examine_all(self._rules, batch.tasks)
        for context, one in zip(batch.contexts, results):
            self._take(context, one)

    def finish(self) -> None:
        """Every page submitted is taken; the workers end."""
        self._send()
        while self._waiting:
            self._next()
        self._stop()

    def abort(self) -> None:
        """The build failed: nothing more is taken, the workers end."""
        self._batch.clear()
        self._waiting.clear()
        self._stop()

    def _stop(self) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)


@dataclass
class _Batch:
    contexts: list
    tasks: list[tuple] | None  # the pages, while a worker examines them (examined here if it is lost)
    results: Future  # list[Examined]
