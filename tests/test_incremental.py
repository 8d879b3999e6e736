"""Incremental builds (xxgk.pagecache): with the build cache of earlier builds, the site is byte for
byte the one a full build makes, after every kind of change, and unchanged entry pages come from
the cache."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import shutil
from pathlib import Path

import cbor2

from conftest import ROOT, run_mkdocs_build

SKIP = {".git", ".venv", "site", "tests", "bench", ".cache", ".pytest_cache", ".hypothesis", "__pycache__",
        "node_modules"}


def _project(tmp_path: Path) -> Path:
    """A copy of this repository's project (the demo), with the installed node_modules."""
    root = tmp_path / "project"
    shutil.copytree(ROOT, root, symlinks=True, ignore=lambda folder, names: [n for n in names if n in SKIP])
    if (ROOT / "node_modules").is_dir():
        (root / "node_modules").symlink_to(ROOT / "node_modules")
    return root


def build(root: Path, site: Path, fresh: bool = True) -> int:
    """Build (over the last site unless `fresh`); the number of entry pages taken from the cache."""
    if fresh:
        shutil.rmtree(site, ignore_errors=True)
    result = run_mkdocs_build(root, site)
    assert result.returncode == 0, result.stderr[-3000:]
    found = re.search(r"构建缓存：(\d+) 个条目页面", result.stderr)
    return int(found.group(1)) if found else 0


def full_build(root: Path, site: Path) -> None:
    """A build without any cache; the project's own cache is left as it was."""
    cache, aside = root / ".cache", root.parent / "cache-aside"
    cache.rename(aside)
    try:
        assert build(root, site) == 0
    finally:
        shutil.rmtree(cache, ignore_errors=True)
        aside.rename(cache)


def files(site: Path, digests: bool = False) -> dict[str, object]:
    """Every file's bytes by path (`digests`: their SHA-256 instead, for a site too large to hold).
    Pagefind writes its filters (and the files naming them) in an order of its own that differs between
    two full builds of the same site: those are compared by content."""
    out: dict[str, object] = {}
    for path in sorted(site.rglob("*")):
        if not path.is_file():
            continue
        name, data = path.relative_to(site).as_posix(), path.read_bytes()
        if name.endswith(".pf_filter"):
            value = _pagefind(data)
            out[f"pagefind filter {value[0]}"] = {v: pages for v, pages in value[1]}
        elif name.endswith(".pf_meta"):
            meta = _pagefind(data)
            meta[3] = sorted(filter_name for filter_name, _ in meta[3])  # [name, file hash] in any order
            out["pagefind meta"] = meta
        elif name in ("pagefind/pagefind-entry.json", "pagefind/xxgk-terms.json"):
            value = json.loads(data)
            for language in value.get("languages", {}).values():
                language.pop("hash")  # the hash of the meta file above
            out[name] = value
        else:
            out[name] = hashlib.sha256(data).hexdigest() if digests else data
    return out


def _pagefind(data: bytes):
    return cbor2.loads(gzip.decompress(data)[len(b"pagefind_dcd"):])


def assert_same_site(incremental: Path, full: Path) -> None:
    a, b = files(incremental), files(full)
    assert sorted(a) == sorted(b)
    different = [name for name in a if a[name] != b[name]]
    assert different == []


def assert_reused(root: Path, incremental: Path, full: Path) -> None:
    """The pages from the cache are links to the cache's files, readable as the full build's copies;
    the site before is kept in the cache for the next build to reuse its folders."""
    from xxgk.buildcache import cache_dir
    page = "catalog/czj/2020/00001/index.html"
    linked, copied = (incremental / page).stat(), (full / page).stat()
    assert linked.st_nlink >= 2 and linked.st_mode == copied.st_mode
    assert (cache_dir(root) / "previous-site" / page).is_file()


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_incremental_build_is_the_full_build_after_every_kind_of_change(tmp_path):
    root = _project(tmp_path)
    catalog = root / "docs" / "catalog"
    incremental, full = tmp_path / "site-incremental", tmp_path / "site-full"
    entries = len([p for p in catalog.rglob("*.md") if p.name != "index.md"])

    assert build(root, incremental, fresh=False) == 0  # the first build fills the cache
    # its entry pages are links to the cache's files, as pages from the cache are: the next build keeps them
    first = incremental / "catalog/swj/2024/00002/index.html"
    assert first.stat().st_nlink >= 2 and any(os.path.samefile(first, p) for p in (root / ".cache/xxgk/pages").glob("*.html"))

    # A body and a title (front matter) edited: those pages, the listings and the page that lists the
    # retitled entry as related (qzf/2024/00003) change; the rest comes from the cache.
    edit(catalog / "swj/2024/00001.md", "\n---\n", "\n---\n\n新增的一段正文。\n")
    edit(catalog / "qzf/2024/00002.md", "\n标题: ", "\n标题: （修订）")
    hits = build(root, incremental, fresh=False)
    assert 0 < hits <= entries - 3
    full_build(root, full)
    assert_same_site(incremental, full)
    assert "新增的一段正文。" in (incremental / "catalog/swj/2024/00001/index.html").read_text(encoding="utf-8")
    assert "（修订）" in (incremental / "catalog/qzf/2024/00003/index.html").read_text(encoding="utf-8")

    # An entry added, one deleted, one renamed (moved to a new number).
    shutil.copy(catalog / "swj/2024/00002.md", catalog / "swj/2024/00009.md")
    edit(catalog / "swj/2024/00009.md", "/2024-00002", "/2024-00009")
    edit(catalog / "swj/2024/00009.md", "\n标题: ", "\n标题: 新增：")
    (catalog / "swj/2023/00002.md").unlink()
    (catalog / "swj/2021/00003.md").rename(catalog / "swj/2021/00008.md")
    assert 0 < build(root, incremental, fresh=False) < entries
    full_build(root, full)
    assert_same_site(incremental, full)
    assert_reused(root, incremental, full)

    # The site changed by hand: a page written over in place (which writes through to the cache's file
    # it links to), a page replaced, a file added. Nothing of it survives the next builds, the second
    # of which reuses the changed site's folder.
    written, replaced = incremental / "catalog/swj/2024/00002/index.html", incremental / "catalog/swj/2022/00001/index.html"
    assert written.stat().st_nlink >= 2 and replaced.stat().st_nlink >= 2  # both from the cache
    with written.open("r+b") as out:
        out.write(b"<!-- changed by hand -->")
    replaced.unlink()
    replaced.write_text("改过的网页", encoding="utf-8")
    (incremental / "catalog/swj/stray.html").write_text("多余的文件", encoding="utf-8")
    (incremental / "catalog/stray").mkdir()
    folder = (incremental / "catalog/czj/2020/00001").stat().st_ino
    for _ in range(2):
        assert 0 < build(root, incremental, fresh=False) < entries
        assert_same_site(incremental, full)
    assert_reused(root, incremental, full)
    assert (incremental / "catalog/czj/2020/00001").stat().st_ino == folder  # the changed site's folder, reused

    # An organisation renamed (data/orgs.yml) and a template overridden: every page is rendered again.
    edit(root / "data/orgs.yml", "示例区商务局", "示例区商务和投资促进局")
    (root / "overrides" / "entry.html").write_text(
        (ROOT / "src/xxgk/templates/entry.html").read_text(encoding="utf-8").replace(
            '<h1>{{ entry.title }}</h1>', '<h1 class="xxgk-title">{{ entry.title }}</h1>'), encoding="utf-8")
    assert build(root, incremental, fresh=False) == 0
    full_build(root, full)
    assert_same_site(incremental, full)
    assert not (incremental / "catalog/stray").exists()
    assert 'class="xxgk-title"' in (incremental / "catalog/swj/2024/00001/index.html").read_text(encoding="utf-8")


def test_an_entry_page_from_the_cache_brings_the_verdicts_of_the_page_scans(tmp_path):
    """The checks of built pages (xxgk.pagecheck, the personal-data scan) are not run again on a page
    from the cache: it brings what they found when it was rendered, so a page with a fault fails every
    build, and the other pages' verdicts come from the cache too."""
    from conftest import front_matter, make_project, run_xxgk
    from xxgk import pagecache, safety
    from xxgk.buildcache import cache_dir

    faulty = front_matter(索引号="770010036/2024-00002").replace(
        "正文内容。", "**请注意：本页内容\n\n## 一、\n\n## 二、\n\n内容。")
    root = make_project(tmp_path, {"swj/2024/00001.md": front_matter(), "swj/2024/00002.md": faulty})
    # A hand-written page is rendered in every build; its verdicts are kept by the hash of its HTML.
    (root / "docs/about.md").write_text("# 关于\n\n**请注意：本页内容\n\n内容。\n", encoding="utf-8")
    assert run_xxgk(root, "check").returncode == 0  # nothing a source check can see
    messages = []
    for attempt in range(2):
        result = run_mkdocs_build(root, tmp_path / "site")
        assert result.returncode == 1 and "Traceback" not in result.stderr
        found = [line for line in result.stderr.splitlines() if "/index.html 中出现" in line or "的标题" in line]
        assert len(found) == 3 and "未转换的 Markdown 符号“**”" in found[0], result.stderr[-3000:]
        assert "docs/about.md 网页 about/index.html" in "\n".join(found)
        messages.append(found)
    assert messages[0] == messages[1]
    # Both builds stored the same pages (the second took them from the cache): the entry pages and the
    # other pages; those of the nav, whose Page the nav holds, have their verdicts kept by their HTML.
    assert len(list((cache_dir(root) / pagecache.KIND).iterdir())) > 10
    assert len(list((cache_dir(root) / pagecache.VERDICTS).iterdir())) >= 5

    # A stored page's scan findings are its raw findings: what other entries' waivers allow is decided anew.
    cache = pagecache.PageCache(root, "site")
    key = cache.key("catalog/a/", {}, {})
    assert cache.fetch(key) is None
    cache.missed("catalog/a.md", key)
    assert cache.scanned_before("catalog/a.md", "<html>页面</html>") is None  # an entry page rendered now: scanned
    to_store = cache.to_store("catalog/a.md")
    sums = pagecache.write(to_store, "<html>页面</html>", [["手机号码", "13812345678"]], ["的标题“一、”下没有内容"])
    assert Path(cache.stored(to_store, sums)).read_bytes() == "<html>页面</html>".encode()
    again = pagecache.PageCache(root, "site")
    stored = again.fetch(again.key("catalog/a/", {}, {}))
    assert stored == pagecache.Stored("<html>页面</html>".encode(), [["手机号码", "13812345678"]],
                                      ["的标题“一、”下没有内容"], stored.path,
                                      hashlib.sha256("<html>页面</html>".encode()).hexdigest())
    assert stored.text == "<html>页面</html>"
    assert Path(stored.path).read_bytes() == "<html>页面</html>".encode()
    assert again.to_store("catalog/a.md") is None
    assert safety.Finding("手机号码", "13812345678", 0).masked == "138****5678"

    # A damaged stored page is rendered again and stored over.
    for path in (cache_dir(root) / pagecache.KIND).iterdir():
        path.write_bytes(path.read_bytes()[:-3])
    assert again.fetch(key) is None


def test_a_build_that_indexes_the_same_pages_takes_the_last_search_index(tmp_path):
    """A build whose pages hand Pagefind exactly what the last build handed it (a scheduled rebuild,
    a change outside the indexed content) takes the last bundle from the build cache instead of having
    Pagefind write it again: the same bytes. A changed page, or a damaged cache entry, writes it anew."""
    from conftest import front_matter, make_project
    from xxgk.buildcache import cache_dir
    from xxgk.search.indexer import CACHE_KIND

    root = make_project(tmp_path, {"swj/2024/00001.md": front_matter()})
    reused = "取用上次的索引"

    def build_index(site: Path) -> tuple[bool, dict[str, bytes]]:
        result = run_mkdocs_build(root, site)
        assert result.returncode == 0, result.stderr[-3000:]
        bundle = site / "pagefind"
        return reused in result.stderr, {p.relative_to(bundle).as_posix(): p.read_bytes()
                                         for p in sorted(bundle.rglob("*")) if p.is_file()}

    first_reused, first = build_index(tmp_path / "site1")
    assert not first_reused and any(name.startswith("fragment/") for name in first)
    again_reused, again = build_index(tmp_path / "site2")
    assert again_reused and again == first
    assert len(list((cache_dir(root) / CACHE_KIND).iterdir())) == 1

    # Outside the indexed content (the footer's text): the same index, from the cache.
    edit(root / "data/portal.yml", "\n网站信息:\n", "\n网站信息:\n")  # the file rewritten, the pages the same
    assert build_index(tmp_path / "site3") == (True, first)

    # The citizens' words changed (data/search-words.yml): the pages are the same, the query dictionary is not.
    words = root / "data/search-words.yml"
    edit(words, "\n  年报: 年度报告", "\n  年报全文: 年度报告\n  年报: 年度报告")
    reworded_reused, reworded = build_index(tmp_path / "site3b")
    assert not reworded_reused and "年报全文" in reworded["xxgk-terms.json"].decode("unicode_escape")
    assert {n for n in reworded if n.startswith("fragment/")} == {n for n in first if n.startswith("fragment/")}
    assert build_index(tmp_path / "site3c") == (True, reworded)

    # A body changed: Pagefind writes the index, which finds the new word; one bundle stays in the cache.
    entry = root / "docs/catalog/swj/2024/00001.md"
    entry.write_text(entry.read_text(encoding="utf-8") + "\n新增的一段正文：夜间集市。\n", encoding="utf-8")
    changed_reused, changed = build_index(tmp_path / "site4")
    assert not changed_reused and changed != first
    assert len(list((cache_dir(root) / CACHE_KIND).iterdir())) == 1

    # A damaged cache entry is not used: the index is written again, and the build succeeds.
    (stored,) = (cache_dir(root) / CACHE_KIND).iterdir()
    stored.write_bytes(stored.read_bytes()[:-100] + b"x" * 100)
    damaged_reused, rebuilt = build_index(tmp_path / "site5")
    fragments = {name for name in changed if name.startswith("fragment/")}  # Pagefind orders filters its own way
    assert not damaged_reused and fragments == {name for name in rebuilt if name.startswith("fragment/")}


def test_pages_from_the_cache_are_written_without_mkdocs_and_links_to_them_resolve(tmp_path):
    """A cached page never goes through MkDocs' pass over pages (at 10,000 entries that pass was most of
    a one-entry rebuild): entry pages, listings, reports and hand-written pages are written from the
    cache. A hand-written page's Markdown link to a cached entry still resolves in a strict build; a
    link that leads nowhere warns in every build, never only in the first."""
    import os
    import subprocess
    import sys

    from conftest import front_matter, make_project

    root = make_project(tmp_path, {"swj/2024/00001.md": front_matter(), "swj/2024/00002.md": front_matter(
        索引号="770010036/2024-00002", 标题="第二条通知")})
    (root / "docs/about.md").write_text("# 关于\n\n见[第一条通知](catalog/swj/2024/00001.md)。\n", encoding="utf-8")
    site = tmp_path / "site"

    def built(*options: str) -> tuple[str, dict[str, bytes]]:
        shutil.rmtree(site, ignore_errors=True)
        result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--verbose", *options, "-d", str(site)],
                                cwd=root, env=dict(os.environ, NO_MKDOCS_2_WARNING="1"), capture_output=True, text=True)
        assert result.returncode == 0, result.stderr[-3000:]
        return result.stderr, {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}

    first, before = built("--strict")
    assert "Building page catalog/swj/2024/00001.md" in first and "Building page catalog/swj/index.md" in first
    second, after = built("--strict")
    assert re.search(r"构建缓存：2 个条目页面、\d+ 个其他页面", second)
    rendered = re.findall(r"Building page (\S+)", second)
    assert "catalog/swj/2024/00001.md" not in rendered and "catalog/swj/index.md" not in rendered
    assert "about.md" not in rendered and len(rendered) <= 10  # the pages of the nav only
    assert after == before
    about = after["about/index.html"].decode("utf-8")
    assert 'href="../catalog/swj/2024/00001/">第一条通知</a>' in about

    # A link to a page that does not exist: MkDocs warns, and a non-strict build goes on. The page is
    # not kept, so the next build warns again (a strict one would fail again).
    (root / "docs/about.md").write_text("# 关于\n\n见[旧通知](catalog/swj/2024/00009.md)。\n", encoding="utf-8")
    for _ in range(2):
        warned, _ = built()
        assert "catalog/swj/2024/00009.md" in warned and "not found among documentation files" in warned
        assert "Building page about.md" in warned


def test_generated_pages_and_files_follow_exactly_what_they_show(tmp_path):
    """Listings, feeds, open data, the sitemap, the report pages' tables and charts and the reports'
    JSON, CSV and Word files come from the
    cache of fragments (xxgk.fragments) only while their inputs are the same: a change that only they
    show, a site's override of their templates and damaged entries give the full build's site."""
    from xxgk.buildcache import cache_dir
    root = _project(tmp_path)
    catalog = root / "docs" / "catalog"
    incremental, full = tmp_path / "site-incremental", tmp_path / "site-full"
    build(root, incremental, fresh=False)  # fills the cache
    fragments = cache_dir(root)
    kinds = ("listings", "report-pages", "report-downloads", "opendata", "feeds", "sitemap", "mandatory", "dashboard")
    assert all(any((fragments / kind).iterdir()) for kind in kinds)

    # A number of a report's table (its page, its JSON, CSV and Word files show it) and an entry's title
    # (its page, the listings, the feeds and the open data show it).
    edit(root / "data/reports/swj/2022.yml", "行政许可: {本年处理决定数量: 139}", "行政许可: {本年处理决定数量: 140}")
    edit(catalog / "czj/2023/00001.md", "\n标题: ", "\n标题: 更名后的")
    downloads = [incremental / "reports/swj/2022" / name for name in ("swj-2022.json", "swj-2022-table2.csv", "swj-2022.docx")]
    before = [path.read_bytes() for path in downloads]
    build(root, incremental, fresh=False)
    full_build(root, full)
    assert_same_site(incremental, full)
    assert all(path.read_bytes() != old for path, old in zip(downloads, before))
    assert "行政许可</th><td colspan=\"3\">140</td>" in (incremental / "reports/swj/2022/index.html").read_text(encoding="utf-8")
    assert "更名后的" in (incremental / "catalog/czj/index.html").read_text(encoding="utf-8")
    assert "更名后的" in (incremental / "feeds/czj.xml").read_text(encoding="utf-8")
    assert "更名后的" in (incremental / "opendata/catalog.json").read_text(encoding="utf-8")

    # The site overrides a listing's row and a report's table (xxgk.templating): rendered anew.
    partials = root / "overrides/xxgk/partials"
    partials.mkdir(parents=True)
    for name, old, new in (("catalog-row.html", 'class="xxgk-index"', 'class="xxgk-index xxgk-own"'),
                           ("report-table.html", 'class="xxgk-table-wrap"', 'class="xxgk-table-wrap xxgk-own"')):
        text = (ROOT / "src/xxgk/templates/xxgk/partials" / name).read_text(encoding="utf-8")
        assert old in text
        (partials / name).write_text(text.replace(old, new), encoding="utf-8")
    build(root, incremental, fresh=False)
    full_build(root, full)
    assert_same_site(incremental, full)
    for page in ("catalog/by-year/2023/index.html", "reports/swj/2022/index.html"):
        assert "xxgk-own" in (incremental / page).read_text(encoding="utf-8")

    # Templates are compiled once into the cache (xxgk.templating): an override edited in place is
    # compiled again.
    assert any((fragments / "templates").iterdir())
    edit(partials / "catalog-row.html", "xxgk-own", "xxgk-own-again")
    build(root, incremental, fresh=False)
    full_build(root, full)
    assert_same_site(incremental, full)
    assert "xxgk-own-again" in (incremental / "catalog/by-year/2023/index.html").read_text(encoding="utf-8")

    # Every stored fragment damaged: each is made again, the site is the same.
    for kind in kinds:
        for stored in (fragments / kind).iterdir():
            stored.write_bytes(stored.read_bytes()[:40] + b"damaged")
    build(root, incremental, fresh=False)
    assert_same_site(incremental, full)


def test_a_fragment_is_keyed_by_the_type_of_its_inputs_and_a_damaged_one_is_made_again(tmp_path):
    from xxgk.fragments import Fragments
    made = []

    def make(value):
        made.append(value)
        return f"<p>{value}</p>"
    fragments = Fragments(tmp_path, "test")
    for value in (1, "1", True, 1.0, (1,), [1], 1):
        assert fragments.made("p", value, lambda: make(value)) == f"<p>{value}</p>"
    assert made == [1, "1", True, 1.0, (1,), [1]]  # the last 1 came from the cache
    assert fragments.made("other", 1, lambda: "x") == "x"  # another name, another fragment
    assert fragments.made("b", 1, lambda: b"\x00bytes") == b"\x00bytes"
    assert Fragments(tmp_path, "test").made("b", 1, lambda: b"new") == b"\x00bytes"
    for stored in (tmp_path / ".cache/xxgk/test").iterdir():
        stored.write_bytes(stored.read_bytes()[:-1])
    assert Fragments(tmp_path, "test").made("p", 1, lambda: "again") == "again"
    (tmp_path / "overrides").mkdir()
    (tmp_path / "overrides/x.html").write_text("x", encoding="utf-8")
    assert Fragments(tmp_path, "test").made("p", 1, lambda: "other templates") == "other templates"


def test_the_pages_sums_come_from_one_bundle_and_every_check_still_holds(tmp_path):
    """A build that went through keeps its pages' sums (HTML digest, verdicts) in one bundle, read once
    by the next build instead of one entry a page. The HTML is still checked against it page by page; a
    damaged bundle, or one without the page, leaves the page's own entry to decide; a page stored by a
    build that logged warnings is in no bundle; shard jobs' bundles, merged, are all read."""
    from xxgk import pagecache
    from xxgk.buildcache import cache_dir

    root = tmp_path
    html = {name: f"<html>{name}</html>" for name in ("a", "b", "c")}

    def store(cache, name, check=()):
        key = cache.key(f"catalog/{name}/", {}, {})
        cache.missed(f"{name}.md", key)
        to_store = cache.to_store(f"{name}.md")
        cache.stored(to_store, pagecache.write(to_store, html[name], [["手机号码", "13812345678"]] if name == "a" else [],
                                               list(check)))
        return key

    first = pagecache.PageCache(root, "site")
    keys = {name: store(first, name, ["的标题下没有内容"] if name == "b" else []) for name in ("a", "b")}
    first.prune()
    bundles = cache_dir(root) / pagecache.SUMS
    assert len(list(bundles.iterdir())) == 1
    entries = cache_dir(root) / pagecache.KIND
    for key in keys.values():  # the pages' own entries are not read when the bundle has them
        (entries / key).rename(tmp_path / key)
    second = pagecache.PageCache(root, "site")
    a, b = second.fetch(keys["a"]), second.fetch(keys["b"])
    assert (a.html, a.scan, a.check) == (html["a"].encode(), [["手机号码", "13812345678"]], [])
    assert (b.html, b.scan, b.check) == (html["b"].encode(), [], ["的标题下没有内容"])
    assert second.fetch(second.key("catalog/c/", {}, {})) is None
    for key in keys.values():
        (tmp_path / key).rename(entries / key)

    # A site file written over in place (through its link) is rendered again, bundle or not.
    (entries / (keys["a"] + pagecache.HTML)).write_bytes(b"<html>hand edited</html>")
    assert pagecache.PageCache(root, "site").fetch(keys["a"]) is None
    (entries / (keys["a"] + pagecache.HTML)).write_bytes(html["a"].encode())
    # A damaged bundle is not trusted: the pages' own entries decide.
    bundle = next(bundles.iterdir())
    bundle.write_bytes(bundle.read_bytes()[:-2] + b"[]")
    again = pagecache.PageCache(root, "site")
    assert again.fetch(keys["b"]).check == ["的标题下没有内容"]
    (entries / keys["b"]).unlink()
    assert pagecache.PageCache(root, "site").fetch(keys["b"]) is None

    # A build that logged warnings: its stored pages are in no bundle (nor in the cache).
    warned = pagecache.PageCache(root, "site")
    assert warned.fetch(keys["a"]) is not None
    keys["c"] = store(warned, "c")
    warned.forget()
    warned.prune()
    assert len(list(bundles.iterdir())) == 1 and not bundle.exists()  # the damaged one is gone
    after = pagecache.PageCache(root, "site")
    assert after.fetch(keys["c"]) is None and after.fetch(keys["a"]) is not None
    assert set(after._bundled()) == {keys["a"]}

    # Two shard jobs' bundles in one cache (xxgk.shards.merge_caches): both are read.
    shard = pagecache.PageCache(root, "site")
    keys["c"] = store(shard, "c")
    shard._write_bundle()
    assert len(list(bundles.iterdir())) == 2
    for key in (keys["a"], keys["c"]):
        (entries / key).unlink()
    merged = pagecache.PageCache(root, "site")
    assert merged.fetch(keys["a"]).scan == [["手机号码", "13812345678"]]
    assert merged.fetch(keys["c"]).html == html["c"].encode()


def test_a_page_written_from_the_cache_keeps_every_path_and_address_mkdocs_gave_it(tmp_path):
    """_Written.of takes a page's File as MkDocs worked it out, without working it out again: the same
    as _Written(page), whose paths and address are those of the page, and no Page."""
    from mkdocs.structure.files import File

    from xxgk.mkdocs_plugin import _Written

    for name, directory_urls in (("catalog/swj/2024/00001.md", True), ("about.md", False), ("index.md", True),
                                 ("规章/第一号.md", True)):
        page = File(name, str(tmp_path / "docs"), str(tmp_path / "site"), directory_urls)
        page.page = object()  # as MkDocs' Page leaves it
        for fresh in (True, False):
            if not fresh:
                page.url, page.abs_dest_path  # worked out before, as in a build
            made, taken = _Written(page), _Written.of(page)
            for what in ("src_uri", "src_path", "dest_uri", "url", "abs_dest_path", "abs_src_path", "name",
                         "inclusion", "edit_uri", "generated_by", "page", "use_directory_urls"):
                assert getattr(taken, what) == getattr(made, what), (name, what)
            assert taken.page is None and not taken.is_documentation_page() and not taken.is_static_page()
            assert taken.url == page.url and taken.abs_dest_path == page.abs_dest_path


def test_the_entry_pages_folders_are_made_beside_the_build_and_a_failed_maker_leaves_them_to_the_build(tmp_path, monkeypatch):
    """Folders of entry pages (one each, with directory URLs) are made by a process beside the build
    (xxgk.mkdocs_plugin._make_entry_folders); if it fails, none is taken as made: each page makes its own."""
    from mkdocs.structure.files import File

    from xxgk import mkdocs_plugin

    building = tmp_path / "site.building"
    plugin = mkdocs_plugin.XxgkPlugin()
    plugin._building, plugin._spare, plugin.shard = building, tmp_path / "no-spare", None
    files = [File(f"catalog/swj/2024/{n:05d}.md", str(tmp_path / "docs"), str(building), True) for n in range(1, 301)]
    plugin._folders_aside = plugin._make_entry_folders(files)
    made = plugin._entry_folders_made()
    assert made == {str(building / f"catalog/swj/2024/{n:05d}") for n in range(1, 301)}
    assert all(os.path.isdir(folder) for folder in made)

    shutil.rmtree(building)
    monkeypatch.setattr(mkdocs_plugin, "_MAKE_FOLDERS", "raise SystemExit(1)")
    plugin._folders_aside = plugin._make_entry_folders(files)
    assert plugin._entry_folders_made() == set()

    (tmp_path / "no-spare").mkdir()  # the previous site's folders are there to reuse: nothing is made
    assert plugin._make_entry_folders(files) is None
