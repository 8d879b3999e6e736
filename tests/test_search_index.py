"""The built Pagefind index: what is in it, what never is, its facets and the query dictionary."""

from __future__ import annotations

import gzip
import json
from datetime import date

import pytest

from conftest import ROOT, make_project, run_mkdocs_build
from search_support import CODES, DRAFT_CANARY, EMBARGO_CANARY, LIVE_CANARY, build_search_site
from xxgk.project import load_project
from xxgk.search.pagefind_files import IndexedWord, fragments, indexed_words
from xxgk.search.terms import dictionary, encode, shard_of


@pytest.fixture(scope="module")
def search_site(tmp_path_factory):
    return build_search_site(tmp_path_factory.mktemp("search"))[1]


@pytest.fixture(scope="module")
def records(search_site):
    return {f["url"]: f for f in fragments(search_site / "pagefind")}


@pytest.fixture(scope="module")
def words(search_site):
    return {w.word: w for w in indexed_words(search_site / "pagefind")}


def _every_byte(bundle):
    """Every Pagefind file, decompressed where it is compressed."""
    for path in bundle.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            yield path, gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data


def test_unpublished_entries_are_never_indexed(search_site, words):
    bundle = search_site / "pagefind"
    assert LIVE_CANARY in words  # the check below can find a canary when there is one
    for canary in (DRAFT_CANARY, EMBARGO_CANARY):
        assert canary not in words
        for path, data in _every_byte(bundle):
            assert canary.encode() not in data, path
    assert not (search_site / "catalog" / "qzf" / "2024" / "00001").exists()
    assert not (search_site / "catalog" / "qzf" / "2099" / "00001").exists()


def test_only_pages_marked_for_search_are_indexed(records):
    urls = set(records)
    assert {"/catalog/swj/2024/00001/", "/catalog/swj/2024/00002/", "/catalog/czj/2024/00001/",
            "/catalog/czj/2023/00001/", "/catalog/jyj/2024/00001/", "/catalog/fgj/2024/00001/",
            "/catalog/scjgj/2022/00001/", "/opt-in/"} <= urls
    # Listing pages, the home page, the search page and pages without search_index are not.
    for url in ("/", "/catalog/", "/catalog/swj/", "/catalog/swj/2024/", "/catalog/by-year/2024/",
                "/search/", "/unlisted/", "/404.html", "/sitemap/"):
        assert url not in urls
    # The generated pages that answer a citizen's question are (issue 22).
    assert {"/apply/", "/apply/form/", "/guide/", "/regulations/", "/contact/"} <= urls
    assert all(u.startswith(("/catalog/", "/opt-in/", "/guide/", "/reports/", "/apply/", "/regulations/", "/contact/"))
               for u in urls), urls


def test_answer_pages_are_plain_text_results(records):
    # Searchable as text, outside the facets and the group of guides.
    for url in ("/apply/", "/guide/", "/contact/"):
        assert records[url]["filters"] == {}, url
    assert "依申请公开" in records["/apply/"]["meta"]["title"]


def test_entry_record_has_facets_metadata_and_only_the_article(records):
    record = records["/catalog/swj/2024/00001/"]
    assert record["filters"] == {"发布机构": ["示例区商务局"], "信息类别": ["政策文件"],
                                 "主题分类": ["商贸、海关、旅游·对外经贸合作"], "年份": ["2024"]}
    meta = record["meta"]
    assert meta["title"] == "示例区商务局关于印发《示例区促进外商投资若干措施》的通知"
    assert (meta["索引号"], meta["发布机构"], meta["发布日期"], meta["文号"]) == (
        "770010036/2024-00001", "示例区商务局", "2024-03-05", "示商发〔2024〕3号")
    content = record["content"].replace("\u200b", "")
    assert "对外资总部企业给予租金补贴" in content
    # Header, navigation, footer, the metadata table's labels and the related list stay out.
    for outside in ("站内搜索", "政府信息公开目录", "主办", "成文日期", "返回", "相关信息", "政策解读"):
        assert outside not in content, outside


def test_page_opting_in_by_front_matter(records):
    record = records["/opt-in/"]
    assert record["filters"] == {"发布机构": ["示例区人民政府"], "信息类别": ["工作报告"], "年份": ["2024"]}
    assert record["meta"]["发布日期"] == "2024-01-20"
    assert "在线提交申请表" in record["content"].replace("\u200b", "")


def test_guides_are_indexed_as_their_organisations_guide(records):
    guides = {url: r for url, r in records.items() if url.startswith("/guide/") and url != "/guide/"}
    assert set(guides) == {f"/guide/{org}/" for org in CODES}  # one per organisation, not the list of guides
    record = guides["/guide/czj/"]
    # xxgkgroup: a small filter of their own, for the search to show the guides as one result.
    assert record["filters"] == {"发布机构": ["示例区财政局"], "信息类别": ["公开指南"], "xxgkgroup": ["公开指南"]}
    assert record["meta"]["title"] == "示例区财政局政府信息公开指南"
    content = record["content"].replace("\u200b", "")
    assert "受理机构" in content and "信息处理费" in content
    assert not any("xxgkgroup" in r["filters"] for url, r in records.items() if not url.startswith("/guide/"))
    for outside in ("主办", "返回顶部"):  # footer and page chrome stay out
        assert outside not in content, outside


def test_sort_by_publication_date_is_in_the_index(search_site):
    meta = next((search_site / "pagefind").glob("pagefind.*.pf_meta"))
    assert "发布日期".encode() in gzip.decompress(meta.read_bytes())


def test_pages_carry_marks_for_searching_without_words(words, records):
    # Browsing a facet searches these instead of nothing, which would fetch the whole index.
    assert words["xxgkpage"].pages == len(records)


def test_hidden_names_and_keywords_follow_a_mark_at_the_end(records):
    # The search's excerpts stop at the mark, so they never end in these words; still searchable.
    content = records["/catalog/swj/2024/00001/"]["content"].replace("\u200b", "")
    text, _, hidden = content.rpartition("xxgkterms")
    assert text and "示例区商务局" in hidden and "区商务局" in hidden
    assert "标记" in records["/catalog/czj/2024/00001/"]["meta"]


def test_identifiers_are_indexed_whole(words):
    # The worker looks 索引号 and 文号 up as one word each: Pagefind keeps metadata values whole.
    assert "770010036202400001" in words
    assert "示商发20243号" in words
    assert "示市监处罚20227号" in words


def test_query_dictionary_holds_the_index_words(search_site, words):
    bundle = search_site / "pagefind"
    manifest = json.loads((bundle / "xxgk-terms.json").read_text())
    shards = {}
    for number in range(manifest["shards"]):
        shards.update(json.loads((bundle / "xxgk-terms" / f"{manifest['version']}-{number}.json").read_text()))
    assert "商" in [w[:-1] for w in shards["营"].split(" ")]  # 营商, from 优化营商环境
    assert "资" in [w[:-1] for w in shards["投"].split(" ")]  # 投资, from 外商投资
    for first in shards:
        assert shard_of(first, manifest["shards"]) in range(manifest["shards"])
    # Whole titles (metadata) are not dictionary words: a query split into them would miss text.
    assert all(len(s) <= 8 for text in shards.values() for s in text.split(" "))
    assert manifest["pages"] == len(list((bundle / "fragment").glob("*.pf_fragment")))


def test_dictionary_encoding():
    found = dictionary([
        IndexedWord("营商", 20, True), IndexedWord("营", 1, True), IndexedWord("示例", 10, True),
        IndexedWord("示例区商务局关于印发", 1, False), IndexedWord("2024", 9, True), IndexedWord("营业", 3, True),
    ])
    assert found == {"示": {"示例": 10}, "营": {"营": 1, "营业": 3, "营商": 20}}
    assert encode("营", found["营"]) == "_a 业b 商e"  # 1 page, 2-3 pages, 16-31 pages
    assert encode("示", found["示"]) == "例d"


def test_demo_site_indexes_every_published_entry(demo_site):
    project = load_project(ROOT, date.today())
    urls = {f["url"] for f in fragments(demo_site / "pagefind")}
    published = {"/" + e.url for e in project.published()}
    assert published and published <= urls
    assert "/" not in urls and "/catalog/" not in urls


def test_material_search_plugin_is_refused(tmp_path):
    root = make_project(tmp_path)
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("  - xxgk-search", "  - search\n  - xxgk-search"), encoding="utf-8")
    result = run_mkdocs_build(root, tmp_path / "site")
    assert result.returncode != 0
    assert "全文检索由 xxgk-search 提供" in result.stderr


def test_unknown_search_index_key_fails_a_strict_build(tmp_path):
    root = make_project(tmp_path)
    (root / "docs" / "bad.md").write_text("---\nsearch_index: {发布单位: qzf}\n---\n\n# 页\n", encoding="utf-8")
    result = run_mkdocs_build(root, tmp_path / "site")
    assert result.returncode != 0
    assert "bad.md" in result.stderr and "发布单位" in result.stderr


def test_mkdocs_serve_has_search_too(tmp_path):
    import os
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    from search_support import ENTRIES

    root = make_project(tmp_path, ENTRIES)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--no-livereload", "-a", f"127.0.0.1:{port}",
                               "-f", str(root / "mkdocs.yml")], cwd=root, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.time() + 120
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/pagefind/xxgk-terms.json", timeout=5) as r:
                    manifest = json.loads(r.read())
                break
            except OSError:
                assert server.poll() is None and time.time() < deadline, server.stderr.read()[-3000:] if server.poll() is not None else "timeout"
                time.sleep(0.5)
        # the entries, a guide per org and the five pages that answer questions (依申请公开 …)
        assert manifest["pages"] == 7 + len(CODES) + 5 and manifest["words"] > 0
        assert manifest["citizen"]["phrases"]["年报"] == ["年度报告"]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/pagefind/pagefind.js", timeout=5) as r:
            assert r.status == 200
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_a_report_is_found_by_its_title_not_its_tables(demo_site):
    # The tables' rows are the format's, the same in every report: out of the index, so a report no
    # longer answers 投诉, 收费, 复议 …; its narrative stays, lightly weighted, its title weighs most.
    report = {f["url"]: f for f in fragments(demo_site / "pagefind")}["/reports/fgj/2025/"]
    text = report["content"].replace("\u200b", "")
    html = (demo_site / "reports" / "fgj" / "2025" / "index.html").read_text(encoding="utf-8")
    assert "举报投诉" in html and "举报投诉" not in text  # a row label of 表三
    assert "存在的主要问题" in text and "2025年政府信息公开工作年度报告" in text
    assert '<h1 data-pagefind-weight="10">' in html and 'data-pagefind-weight="0.1"' in html


def test_spelling_words_are_the_portals_compounds(demo_site):
    # Loaded by the worker only when a query finds little, to correct one mistyped character.
    bundle = demo_site / "pagefind"
    manifest = json.loads((bundle / "xxgk-terms.json").read_text())
    words = json.loads((bundle / "xxgk-terms" / f"{manifest['version']}-spell.json").read_text()).split(" ")
    assert {"行政复议", "依申请公开", "政府信息公开"} <= set(words)
    assert all(3 <= len(w) <= 6 for w in words)
    # Never a compound that starts or ends with a particle word (的|通知, 个|工作).
    assert not {"的通知", "个工作", "的主要"} & set(words)
    assert "中华人民共和" in words  # 共和 is a word, not the particle 和
    assert words.index("行政复议") < len(words) // 2  # on many pages: early in the list
