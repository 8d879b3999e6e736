"""The scans of written pages beside the build (xxgk.pagework): the same verdicts, taken in the
order the pages were written, whoever examined them; a worker lost halfway costs only time."""

import os
import signal

import pytest

from xxgk import pagecache, pagework, safety, workers

MOBILE = "13812345678"


def _pages(count: int) -> list[str]:
    """Pages as the build writes them: some show a mobile number that markup split in the source,
    some have a heading without content (the built-page check's)."""
    pages = []
    for i in range(count):
        main = f"<h1>第{i}页</h1><p>正文{i}。</p>"
        if i % 7 == 3:
            main += f"<p>联系电话{MOBILE[:3]}<b>{MOBILE[3:]}</b></p>"
        if i % 5 == 1:
            main += "<h2>一、</h2><h2>二、</h2><p>内容</p>"
        pages.append(f"<html><head><title>第{i}页</title></head><body><main>{main}</main></body></html>")
    return pages


def _stores(tmp_path, count: int) -> list[pagecache.ToStore]:
    folder = str(tmp_path / "cache")
    return [pagecache.ToStore(folder, f"{i:064x}", None) if i % 2 else pagecache.ToStore(folder, None, f"v{i:063x}")
            for i in range(count)]


def _run(tmp_path, count: int, kill_after: int | None = None) -> tuple[list, pagework.PageWork]:
    taken: list = []
    work = pagework.PageWork(count, lambda context, found: taken.append((context, found)), safety.RULES)
    pages, stores = _pages(count), _stores(tmp_path, count)
    for i, (output, to_store) in enumerate(zip(pages, stores)):
        if i == kill_after:
            for process in list(work._pool._processes.values()):
                os.kill(process.pid, signal.SIGKILL)
        work.submit(i, output, f"p/{i}/index.html", to_store)
    work.finish()
    return taken, work


def _expected(tmp_path, count: int) -> list:
    inline = tmp_path / "inline"
    return [(i, pagework.examine(output, f"p/{i}/index.html", safety.RULES, to_store))
            for i, (output, to_store) in enumerate(zip(_pages(count), _stores(inline, count)))]


@pytest.fixture
def parallel(monkeypatch):
    if workers.cores() < 2:
        pytest.skip("one core: the pages are examined in the build's process")
    monkeypatch.setattr(pagework, "BATCH", 3)


def test_verdicts_are_taken_in_the_order_pages_were_written_whoever_examined_them(tmp_path, parallel, monkeypatch):
    monkeypatch.setattr(pagework, "PARALLEL_FROM", 10)
    count = 100
    work_started = pagework.PageWork(count, lambda *_: None, safety.RULES)
    assert work_started._pool is not None  # a worker examines pages of a build this large
    work_started.finish()
    taken, _ = _run(tmp_path, count)
    expected = _expected(tmp_path, count)
    assert [context for context, _ in taken] == list(range(count))
    assert [found.scan for _, found in taken] == [found.scan for _, found in expected]
    assert [found.check for _, found in taken] == [found.check for _, found in expected]
    assert [found.sums for _, found in taken] == [found.sums for _, found in expected]
    assert any(found.scan == [["手机号码", MOBILE]] for _, found in taken)  # the split number, whole
    assert any("下没有内容" in " ".join(found.check) for _, found in taken)
    # Every page stored as the build stores it: an entry page's HTML, another page's verdicts.
    cache = tmp_path / "cache"
    assert len(list((cache / pagecache.KIND).glob("*" + pagecache.HTML))) == count // 2
    assert len(list((cache / pagecache.VERDICTS).iterdir())) == count // 2


def test_a_worker_lost_halfway_costs_only_time(tmp_path, parallel, monkeypatch):
    monkeypatch.setattr(pagework, "PARALLEL_FROM", 10)
    count = 60
    taken, work = _run(tmp_path, count, kill_after=30)
    expected = _expected(tmp_path, count)
    assert [context for context, _ in taken] == list(range(count))
    assert [(found.scan, found.check, found.sums) for _, found in taken] == \
           [(found.scan, found.check, found.sums) for _, found in expected]
    assert work._pool is None


def test_a_small_build_examines_its_pages_in_its_own_process_at_once(tmp_path):
    taken: list = []
    work = pagework.PageWork(pagework.PARALLEL_FROM - 1, lambda context, found: taken.append(context), safety.RULES)
    assert work._pool is None
    output, to_store = _pages(1)[0], _stores(tmp_path, 1)[0]
    work.submit("页面", output, "p/index.html", to_store)
    assert taken == ["页面"]  # taken when submitted: `mkdocs serve` re-renders one page and reports at once
    work.finish()
