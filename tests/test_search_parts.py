"""The search index built in parts and merged (issue 24): the merged bundle holds exactly what one
Pagefind index of the same pages holds, an edit re-indexes one part, and the cache changes nothing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from xxgk.buildcache import BuildCache
from xxgk.search import indexer, merge
from xxgk.search.pagefind_files import meta_file, read_cbor

ENTRY_URL = re.compile(r"catalog/([^/]+)/")


def _pages(site: Path) -> list[tuple[str, str, str]]:
    """(url, html, group) of every page of a built site, as the search plugin hands them over."""
    pages = []
    for path in sorted(site.rglob("index.html")):
        url = path.parent.relative_to(site).as_posix() + "/"
        url = "" if url == "./" else url
        found = ENTRY_URL.match(url)
        pages.append((url, path.read_text(encoding="utf-8"), found.group(1) if found else ""))
    return pages


def _build(pages, site: Path, cache: BuildCache | None = None, requests: list | None = None):
    index = indexer.SiteIndex(cache=cache)
    try:
        for url, html, group in pages:
            index.add(url, html, group)
        plans = index._plan()
        summary = index.write(site)
    finally:
        index.close()
    return summary, plans


def _decoded(bundle: Path) -> dict:
    meta = read_cbor(meta_file(bundle))
    words = [word for _, _, name in meta[2] for word in read_cbor(bundle / "index" / f"{name}.pf_index")[0]]
    filters = {}
    for _, name in meta[3]:
        filter_name, values = read_cbor(bundle / "filter" / f"{name}.pf_filter")
        filters[filter_name] = {value: sorted(pages) for value, pages in values}
    return {"version": meta[0], "pages": meta[1], "words": words, "filters": filters, "sorts": meta[4],
            "names": meta[5], "chunks": meta[2]}


def _files(bundle: Path) -> dict[str, bytes]:
    return {p.relative_to(bundle).as_posix(): p.read_bytes() for p in sorted(bundle.rglob("*")) if p.is_file()}


@pytest.fixture
def small_parts(monkeypatch):
    monkeypatch.setattr(indexer, "PART_PAGES", 8)  # the demo's 138 pages in about 20 parts


_decoding_word = merge._word


def test_merged_parts_hold_what_one_pagefind_index_of_the_same_pages_holds(demo_site, tmp_path, small_parts,
                                                                            monkeypatch):
    pages = _pages(demo_site)
    summary, plans = _build(pages, tmp_path / "parts")
    assert len(plans) > 10 and len({plan.pages[0].group for plan in plans}) > 5
    merged = _decoded(tmp_path / "parts" / indexer.BUNDLE)
    assert summary.pages == len(merged["pages"]) > 100

    # Pagefind itself, one index, the pages handed over in the merged index's order
    html = {"/" + url.lstrip("/"): text for url, text, _ in pages}
    whole = tmp_path / "whole"
    ordered = [(page.url, indexer._SHELL + html[page.url][indexer._MARKED.search(html[page.url]).start():])
               for plan in plans for page in plan.pages]
    indexer._write(whole, indexer._files(None, "zh", ordered))
    single = _decoded(whole)
    for field in ("version", "pages", "words", "filters", "sorts", "names"):
        assert merged[field] == single[field], field
    assert sorted(p.name for p in (tmp_path / "parts" / indexer.BUNDLE / "fragment").iterdir()) == \
        sorted(p.name for p in (whole / "fragment").iterdir())
    # every word is found in the chunk whose range the browser looks it up by
    chunks = merged["chunks"]
    assert len(chunks) > 1
    position = 0
    for first, last, name in chunks:
        for word, *_ in read_cbor(tmp_path / "parts" / indexer.BUNDLE / "index" / f"{name}.pf_index")[0]:
            assert first <= word[:len(first)] and word[:len(last)] <= last, (word, first, last)
            position += 1
    assert position == len(merged["words"])
    # a part's words are read from the bytes (no decoding of positions), as the decoder reads them
    monkeypatch.setattr(merge, "_word", None)  # the decoding fallback would fail
    for _, _, name in chunks:
        path = tmp_path / "parts" / indexer.BUNDLE / "index" / f"{name}.pf_index"
        assert merge._chunk_words(path.read_bytes(), name) == [_decoding_word(*item) for item in read_cbor(path)[0]]


def test_an_edit_reindexes_one_part_and_gives_the_bundle_of_a_build_without_cache(demo_site, tmp_path, small_parts,
                                                                                    monkeypatch):
    pages = _pages(demo_site)
    cache = BuildCache(tmp_path / "cache")
    _build(pages, tmp_path / "first", cache)

    edited = [(url, html.replace("部门预算", "部门预算调整") if url == "catalog/czj/2019/00001/" else html, group)
              for url, html, group in pages]
    assert edited != pages
    indexed: list[str] = []
    original = indexer.PagefindService.request

    def counting(self, payload):
        if payload.get("type") == "AddFile":
            indexed.append(payload["url"])
        return original(self, payload)

    monkeypatch.setattr(indexer.PagefindService, "request", counting)
    _, plans = _build(edited, tmp_path / "cached", cache)
    part = next(plan for plan in plans if any(page.url == "/catalog/czj/2019/00001/" for page in plan.pages))
    assert sorted(indexed) == sorted(page.url for page in part.pages)
    assert 0 < len(indexed) <= 8

    indexed.clear()
    _build(edited, tmp_path / "fresh")
    assert len(indexed) == sum(1 for _, html, _ in pages if indexer._MARKED.search(html))
    cached, fresh = _files(tmp_path / "cached" / indexer.BUNDLE), _files(tmp_path / "fresh" / indexer.BUNDLE)
    assert sorted(cached) == sorted(fresh)
    assert [name for name in cached if cached[name] != fresh[name]] == []

    # nothing changed: the merged bundle itself comes from the cache, no page goes to Pagefind
    indexed.clear()
    summary, _ = _build(edited, tmp_path / "again", cache)
    assert summary.reused and indexed == []
    again = _files(tmp_path / "again" / indexer.BUNDLE)
    assert [name for name in again if again[name] != fresh.get(name)] == []
    # and the parts stay in the cache for the next edit
    edited = [(url, html.replace("</article>", "<p>补充说明。</p></article>", 1) if url == "catalog/fgj/2019/00001/"
               else html, group) for url, html, group in edited]
    _build(edited, tmp_path / "later", cache)
    assert 0 < len(indexed) <= 8



def test_a_build_holds_no_part_until_the_merge_and_a_part_damaged_in_the_cache_is_made_again(demo_site, tmp_path,
                                                                                            small_parts):
    pages = _pages(demo_site)
    cache = BuildCache(tmp_path / "cache")
    _build(pages, tmp_path / "fresh")
    fresh = _files(tmp_path / "fresh" / indexer.BUNDLE)

    # A build with a cache: parts made now are stored and let go; none is held until the merge reads it.
    index = indexer.SiteIndex(cache=cache)
    try:
        for url, html, group in pages:
            index.add(url, html, group)
        plans = index._plan()
        index._ensure(plans)
        assert len(plans) > 10 and all(index._made[plan.key].result() is None for plan in plans)
        index.write(tmp_path / "first")
    finally:
        index.close()
    first = _files(tmp_path / "first" / indexer.BUNDLE)
    assert sorted(first) == sorted(fresh) and [name for name in first if first[name] != fresh[name]] == []

    # One stored part damaged on disk. Nothing changed: the merged bundle and its fragments come from
    # the cache, no part is read. Merged anew: found there, unreadable, indexed again. Same bundle.
    stored = cache.folder / indexer.PART_KIND / plans[3].key
    stored.write_bytes(stored.read_bytes()[:-10] + b"0123456789")
    for kind in ("again", "merged"):
        if kind == "merged":
            for path in (cache.folder / indexer.CACHE_KIND).iterdir():
                path.unlink()
        summary, _ = _build(pages, tmp_path / kind, cache)
        assert summary.reused == (kind == "again")
        assert summary.indexed == (0 if kind == "again" else len(plans[3].pages))
        built = _files(tmp_path / kind / indexer.BUNDLE)
        assert sorted(built) == sorted(fresh) and [name for name in built if built[name] != fresh[name]] == []
    assert merge.Part.load(cache.get(indexer.PART_KIND, plans[3].key)).urls  # stored over


def test_the_fragments_of_the_last_bundle_are_links_to_checked_files_of_the_cache(demo_site, tmp_path, small_parts):
    pages = _pages(demo_site)
    _build(pages, tmp_path / "fresh")
    fresh = _files(tmp_path / "fresh" / indexer.BUNDLE)
    cache = BuildCache(tmp_path / "cache")
    _build(pages, tmp_path / "first", cache)
    summary, _ = _build(pages, tmp_path / "again", cache)
    assert summary.reused and summary.indexed == 0
    fragments = sorted((tmp_path / "again" / indexer.BUNDLE / "fragment").iterdir())
    assert len(fragments) == summary.pages and all(path.stat().st_nlink >= 3 for path in fragments)  # first, again, cache
    from xxgk.search import terms
    assert len(list((cache.folder / terms.SPELL_KIND).iterdir())) == 1  # kept for the next merge

    # A site's fragment written over in place (the cache's file too): found damaged, the fragments are
    # written from the parts, and the cache's file is made anew.
    damaged = fragments[5]
    damaged.write_bytes(b"written over")
    for site in ("mended", "linked"):
        summary, _ = _build(pages, tmp_path / site, cache)
        assert summary.reused and summary.indexed == 0
        built = _files(tmp_path / site / indexer.BUNDLE)
        assert sorted(built) == sorted(fresh) and [name for name in built if built[name] != fresh[name]] == []
    assert damaged.read_bytes() == b"written over"  # the old site's file is left alone
    assert (tmp_path / "linked" / indexer.BUNDLE / "fragment" / damaged.name).stat().st_nlink == 3  # mended, linked, cache

def test_index_chunks_of_an_earlier_merge_are_used_only_when_they_unpack_to_the_same_bytes(demo_site, tmp_path,
                                                                                           small_parts, monkeypatch):
    import gzip

    from xxgk.search.pagefind_files import SIGNATURE, unpacked
    monkeypatch.setattr(merge, "CHUNK_UNITS", 1000)  # the demo's words in about 70 chunks, as a large site's
    pages = _pages(demo_site)
    cache = BuildCache(tmp_path / "cache")
    _build(pages, tmp_path / "first", cache)
    # One page changed: a merge, most of whose chunks hold the same words as the first's
    def added(html: str) -> str:  # a new word after the others: their places in the page stay
        end = html.rindex("。")
        return html[:end] + "，龘" + html[end:]
    target = next(url for url, html, group in pages if group and "data-pagefind-body" in html)  # an entry page
    changed = [(url, added(html) if url == target else html, group) for url, html, group in pages]
    _build(changed, tmp_path / "fresh")
    fresh = _files(tmp_path / "fresh" / indexer.BUNDLE)
    summary, _ = _build(changed, tmp_path / "second", cache)
    assert not summary.reused
    assert _files(tmp_path / "second" / indexer.BUNDLE) == fresh
    chunks = sorted((tmp_path / "second" / indexer.BUNDLE / "index").iterdir())
    linked = [path for path in chunks if path.stat().st_nlink == 2]  # second, cache
    assert len(chunks) > 3 and 0 < len(linked) < len(chunks)

    # A stored chunk that unpacks to other bytes (written over in place, or planted) is not used, and the
    # chunk is compressed and stored anew
    stored = sorted((cache.folder / indexer.CHUNK_KIND).iterdir())
    for path in stored:
        path.unlink()
        path.write_bytes(gzip.compress(SIGNATURE + b"\x82\x01\x80", mtime=0))
    again = [(url, html.replace("，龘", "，龖"), group) for url, html, group in changed]
    _build(again, tmp_path / "fresh-again")
    cache = BuildCache(tmp_path / "cache")  # as the next build finds it
    _build(again, tmp_path / "third", cache)
    assert _files(tmp_path / "third" / indexer.BUNDLE) == _files(tmp_path / "fresh-again" / indexer.BUNDLE)
    assert all(unpacked(path) != b"\x82\x01\x80" for path in (cache.folder / indexer.CHUNK_KIND).iterdir())


def test_a_sort_value_the_merge_cannot_read_as_pagefind_does_stops_with_a_chinese_message(tmp_path):
    page = ('<!DOCTYPE html><html lang="zh"><body><main data-pagefind-body><h1>{t}</h1><p>{t}的正文。</p>'
            '{sort}</main></body></html>')
    pages = [("a/", page.format(t="甲", sort='<span data-pagefind-sort="日期"><b>2026-01-02</b></span>'), ""),
             ("b/", page.format(t="乙", sort='<span data-pagefind-sort="日期">2026-01-01</span>'), "")]
    with pytest.raises(merge.SortError, match="排序字段“日期”"):
        _build(pages, tmp_path / "site")
    fine = [(url, html.replace("<b>", "").replace("</b>", ""), group) for url, html, group in pages]
    summary, _ = _build(fine, tmp_path / "fine")
    assert summary.pages == 2
    assert _decoded(tmp_path / "fine" / indexer.BUNDLE)["sorts"] == [["日期", [1, 0]]]


def test_two_pages_whose_fragments_pagefind_names_alike_in_two_parts_both_stay(tmp_path):
    page = '<html><body><main data-pagefind-body><h1>{t}</h1><p>{t}的正文。</p></main></body></html>'
    parts = []
    for url, title in (("/a/", "关于供暖的通知"), ("/b/", "关于低保标准的通知")):
        files = indexer._files(None, "zh", [(url, page.format(t=title))])
        parts.append(merge.read_part(files, {url: {}}))
    # Pagefind names a fragment by 7 characters of its hash: make the second part's name the first's
    first, second = parts[0].pages[0][0], parts[1].pages[0][0]
    parts[1].fragments = {first: parts[1].fragments[second]}
    parts[1].pages = [[first, parts[1].pages[0][1]]]
    out = tmp_path / "bundle"
    merge.merge(parts, out, "zh")
    meta = read_cbor(meta_file(out))
    names = [name for name, _ in meta[1]]
    assert len(set(names)) == 2 and names[0] == first
    from xxgk.search.pagefind_files import read_fragment
    assert [read_fragment(out / "fragment" / f"{name}.pf_fragment")["url"] for name in names] == ["/a/", "/b/"]


def test_an_organisations_parts_are_made_while_the_rest_of_the_site_is_written(demo_site, tmp_path, small_parts):
    pages = _pages(demo_site)
    sizes: dict[str, int] = {}
    for _, html, group in pages:
        if group and indexer._MARKED.search(html):
            sizes[group] = sizes.get(group, 0) + 1
    index = indexer.SiteIndex()
    try:
        index.expect(sizes)
        last = max(i for i, (_, html, group) in enumerate(pages) if group == "czj" and indexer._MARKED.search(html))
        for url, html, group in pages[:last + 1]:
            index.add(url, html, group)
        started = set(index._made)  # the organisation's parts are under way before its last page was written
        assert started and {plan.key for plan in index._group_plans("czj", index._groups["czj"])} <= started
        for url, html, group in pages[last + 1:]:
            index.add(url, html, group)
        summary = index.write(tmp_path / "early")
    finally:
        index.close()
    _build(pages, tmp_path / "late")  # no sizes expected: every part made after the last page
    early, late = _files(tmp_path / "early" / indexer.BUNDLE), _files(tmp_path / "late" / indexer.BUNDLE)
    assert summary.indexed == summary.pages and [name for name in early if early[name] != late.get(name)] == []
    assert sorted(early) == sorted(late)


def test_an_index_file_of_an_unknown_layout_stops_the_build_saying_which_pagefind_to_install():
    from xxgk.search import plugin
    from xxgk.search.pagefind_files import FormatError

    message = str(plugin._failed(FormatError("index/zh_1234567.pf_index: unexpected index layout")))
    assert "全文检索索引生成失败" in message and "pyproject.toml" in message and "make build" in message
    sort = str(plugin._failed(merge.SortError("页面 /a/ 的排序字段“日期”读不准")))
    assert "排序字段“日期”" in sort and "pyproject.toml" not in sort


def test_pages_from_the_page_cache_give_the_bundle_of_pages_handed_over_as_text(demo_site, tmp_path, small_parts):
    """A page written from the page cache is handed over as its file and digest (add_stored): what the
    index takes from it comes from the last build's record by that digest, or from the page; its
    content is read from the file only when its part is made again."""
    import hashlib

    pages = _pages(demo_site)
    _build(pages, tmp_path / "fresh")
    fresh = _files(tmp_path / "fresh" / indexer.BUNDLE)
    stored_pages = tmp_path / "pages"
    stored_pages.mkdir()

    def stored(url: str, html: str) -> tuple[bytes, str, Path]:
        data = html.encode()
        digest = hashlib.sha256(data).hexdigest()
        path = stored_pages / digest
        path.write_bytes(data)
        return data, digest, path

    def build_stored(site: Path, cache: BuildCache, rendered=(), edit=None):
        """Every page from the page cache but `rendered` (handed over as text), `edit` applied first."""
        index = indexer.SiteIndex(cache=cache)
        try:
            for url, html, group in pages:
                html = edit(url, html) if edit else html
                if url in rendered:
                    index.add(url, html, group)
                else:
                    index.add_stored(url, *stored(url, html), group)
            return index.write(site), index
        finally:
            index.close()

    def same(site: Path) -> None:
        built = _files(site / indexer.BUNDLE)
        assert sorted(built) == sorted(fresh) and [name for name in built if built[name] != fresh[name]] == []

    # No record yet: the facts are read from the pages, every part is made from their files.
    cache = BuildCache(tmp_path / "cache")
    summary, _ = build_stored(tmp_path / "first", cache)
    assert summary.indexed == summary.pages
    same(tmp_path / "first")
    assert len(list((cache.folder / indexer.PAGES_KIND).iterdir())) == 1

    # Every part in the cache, the facts recorded: no page is read from its file, nothing indexed.
    for path in (cache.folder / indexer.CACHE_KIND).iterdir():
        path.unlink()  # merged anew, from the stored parts
    original_facts = indexer._facts
    indexer._facts = None  # would fail if asked
    try:
        summary, index = build_stored(tmp_path / "recorded", cache)
    finally:
        indexer._facts = original_facts
    assert summary.indexed == 0 and not summary.reused
    same(tmp_path / "recorded")

    # One page rendered now (handed over as text) with an edit: its part is made of it and of its
    # partners' files; the result is a build without cache of the same pages.
    target = "catalog/czj/2019/00001/"

    def edit(url, html):
        return html.replace("部门预算", "部门预算调整") if url == target else html
    summary, _ = build_stored(tmp_path / "edited", cache, rendered={target}, edit=edit)
    assert 0 < summary.indexed <= 8
    _build([(url, edit(url, html), group) for url, html, group in pages], tmp_path / "edited-fresh")
    edited, expected = _files(tmp_path / "edited" / indexer.BUNDLE), _files(tmp_path / "edited-fresh" / indexer.BUNDLE)
    assert sorted(edited) == sorted(expected) and [name for name in edited if edited[name] != expected[name]] == []

    # A page's file changed after the page cache checked it, when its part must be made: the build stops.
    for kind in (indexer.CACHE_KIND, indexer.PART_KIND):
        for path in (cache.folder / kind).iterdir():
            path.unlink()
    index = indexer.SiteIndex(cache=cache)
    try:
        for url, html, group in pages:
            index.add_stored(url, *stored(url, html), group)
        html = next(html for _, html, group in reversed(pages) if indexer._MARKED.search(html) and "</article>" in html)
        (stored_pages / hashlib.sha256(html.encode()).hexdigest()).write_bytes(
            html.replace("</article>", "<p>改动</p></article>", 1).encode())
        with pytest.raises(RuntimeError, match="在构建过程中被改动"):
            index.write(tmp_path / "tampered")
    finally:
        index.close()


def test_the_spelling_words_come_from_the_cache_while_the_pages_they_are_read_from_are_the_same(demo_site, tmp_path,
                                                                                                monkeypatch):
    import shutil

    from xxgk.search import terms

    bundle = tmp_path / "bundle"
    shutil.copytree(demo_site / indexer.BUNDLE, bundle)
    expected = terms.spelling_words(bundle)
    assert len(expected) > 50
    cache = BuildCache(tmp_path / "cache")
    assert terms.spelling_words(bundle, cache) == expected
    made = terms._spelling_words
    monkeypatch.setattr(terms, "_spelling_words", None)  # would fail if asked
    assert terms.spelling_words(bundle, cache) == expected
    # a damaged entry is made again
    (stored,) = (cache.folder / terms.SPELL_KIND).iterdir()
    stored.write_bytes(stored.read_bytes()[:-5] + b"xxxxx")
    monkeypatch.setattr(terms, "_spelling_words", made)
    assert terms.spelling_words(bundle, cache) == expected
    # a page read for them changed: made again
    first = sorted((bundle / "fragment").iterdir())[0]
    first.unlink()
    assert terms.spelling_words(bundle, cache) == terms.spelling_words(bundle) != expected
