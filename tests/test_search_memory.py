"""Memory of the search index (issue 24, point 5): Pagefind's allocator setting and the memory our
process gives back before Pagefind builds its index. Neither may change the index."""

from __future__ import annotations

import ctypes
import sys
from pathlib import Path

import pytest

from xxgk.search import indexer

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")

PAGE = ('<!DOCTYPE html><html lang="zh"><head><title>{title}</title></head><body><main data-pagefind-body>'
        '<h1>{title}</h1><p data-pagefind-filter="发布机构">{org}</p><p>{text}</p></main></body></html>')
PAGES = [
    ("catalog/a/", "关于做好冬季供暖保障工作的通知", "示例区住房和城乡建设局", "各街道办事处：为保障居民冬季供暖，现将有关事项通知如下。"),
    ("catalog/b/", "示例区2025年政府信息公开工作年度报告", "示例区人民政府办公室", "本报告依据《中华人民共和国政府信息公开条例》编制。"),
    ("catalog/c/", "关于公布城乡低保标准的通知", "示例区民政局", "自2026年1月1日起，城乡居民最低生活保障标准调整为每人每月1000元。"),
]


def _environ(pid: int) -> dict[str, str]:
    raw = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
    return dict(item.decode().split("=", 1) for item in raw if b"=" in item)


def _index(site: Path, monkeypatch) -> dict[str, bytes]:
    environ: dict[str, str] = {}
    started = indexer.PagefindService.__init__

    def seen(service):  # the environment of the Pagefind process the index starts
        started(service)
        environ.update(_environ(service._process.pid))

    monkeypatch.setattr(indexer.PagefindService, "__init__", seen)
    index = indexer.SiteIndex()
    try:
        for url, title, org, text in PAGES:
            assert index.add(url, PAGE.format(title=title, org=org, text=text))
        summary = index.write(site)
    finally:
        index.close()
    assert environ
    assert summary.pages == len(PAGES)
    bundle = site / indexer.BUNDLE
    return environ, {p.relative_to(bundle).as_posix(): p.read_bytes() for p in sorted(bundle.rglob("*"))
                     if p.is_file() and p.suffix != ".pf_filter" and p.name != "pagefind-entry.json"
                     and not p.name.endswith(".pf_meta")}


def test_pagefind_runs_with_the_lean_allocator_and_writes_the_same_index(tmp_path, monkeypatch):
    monkeypatch.delenv("_RJEM_MALLOC_CONF", raising=False)
    environ, lean = _index(tmp_path / "lean", monkeypatch)
    assert environ["_RJEM_MALLOC_CONF"] == "narenas:1,dirty_decay_ms:0,muzzy_decay_ms:0"
    # jemalloc's own defaults (an empty setting): the index, words and fragments, is the same
    monkeypatch.setenv("_RJEM_MALLOC_CONF", "")
    environ, default = _index(tmp_path / "default", monkeypatch)
    assert environ["_RJEM_MALLOC_CONF"] == ""
    assert sorted(lean) == sorted(default)
    assert [name for name in lean if lean[name] != default[name]] == []
    assert any(name.startswith("index/") for name in lean) and any(name.startswith("fragment/") for name in lean)


def test_a_setting_of_the_users_own_wins(tmp_path, monkeypatch):
    monkeypatch.setenv("_RJEM_MALLOC_CONF", "narenas:2")
    environ, _ = _index(tmp_path / "site", monkeypatch)
    assert environ["_RJEM_MALLOC_CONF"] == "narenas:2"


def _rss() -> int:
    return int(Path("/proc/self/statm").read_text().split()[1]) * 4096


def test_release_memory_gives_freed_memory_back():
    try:
        ctypes.CDLL(None).malloc_trim
    except AttributeError:
        pytest.skip("not glibc")
    # 150 MB of 1.5 KB blocks (glibc's, not Python's small-object arenas), every 64th kept: the freed
    # space lies between kept blocks, so glibc cannot shrink its heap by itself.
    blocks = [bytes(1500) for _ in range(100_000)]
    kept = blocks[::64]
    del blocks
    before = _rss()
    indexer.release_memory()
    after = _rss()
    assert before - after > 60 * 2**20, (before, after)
    assert len(kept) == 1563
