"""Search-quality and payload benchmark for the portal's Pagefind search.

    .venv/bin/python bench/search_quality.py              # demo quality + payload, 10,000-entry payload
    .venv/bin/python bench/search_quality.py --skip-large # without the 10,000-entry portal (≈4 min)

Quality: every query of bench/search_queries.yml runs in Chromium against the freshly built demo
site, twice: through Pagefind's stock query path (the browser's ICU segmentation, what Pagefind's
own UI does) and through our search worker (query segmented against the index's words). For the
first five results:
    P@5 = relevant results among them / results among them (0 when there are none)
    R@5 = relevant results among them / min(5, number of expected pages)
each averaged over the queries.

Payload: the bytes the browser downloads from the moment a reader focuses the header box and
types a query until the results show, on a fresh cache; the page itself is loaded before.
Measured as sent by a plain static server, and with gzip on text files as web servers usually do
(Pagefind's own index files are gzip already); the target applies to the latter. For comparison,
also opening the search page with a query (results plus facet counts).
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from xxgk.project import load_project  # noqa: E402
from xxgk.search.devserver import launch_chromium, serve  # noqa: E402

QUERIES = ROOT / "bench" / "search_queries.yml"
INDEX_NO = re.compile(r"^[0-9A-Z]{9}/\d{4}-\d{5}$")
TARGET = 0.95
PAYLOAD_TARGET = 300 * 1024
# The first is also opened on the search page. Kinds: two words, a long query, an identifier,
# an organisation, a word inside a compound.
PAYLOAD_QUERIES = ["营商环境", "优化营商环境三年行动方案", "770010052/2024-00002", "示例区教育局", "双减"]

# Our engine: the portal's own worker, driven directly (the UI shows the same results).
OURS = """async ([query, limit]) => {
  if (!window.__xxgk) {
    const worker = new Worker(new URL('assets/xxgk-search-worker.js', document.baseURI), {type: 'module'});
    let next = 0;
    window.__xxgk = (type, payload) => new Promise((resolve, reject) => {
      const id = ++next;
      const listen = (e) => { if (e.data.id !== id) return; worker.removeEventListener('message', listen);
        e.data.ok ? resolve(e.data.result) : reject(new Error(e.data.error)); };
      worker.addEventListener('message', listen);
      worker.postMessage({id, type, payload});
    });
    await window.__xxgk('init', {root: new URL('./', document.baseURI).href});
  }
  const found = await window.__xxgk('search', {query, limit});
  const shown = found.terms.map(w => found.phrases.some(p => p.includes(w)) ? w + '+' : w);
  return {urls: found.results.map(r => r.url), terms: shown, total: found.total};
}"""
# Pagefind as shipped: the query goes in as typed; Pagefind segments it with Intl.Segmenter.
STOCK = """async ([query, limit]) => {
  const pagefind = await import(new URL('pagefind/pagefind.js', document.baseURI).href);
  const found = await pagefind.search(query);
  const data = await Promise.all(found.results.slice(0, limit).map(r => r.data()));
  return {urls: data.map(d => d.url), terms: [], total: found.results.length};
}"""


@dataclass
class Query:
    text: str
    kind: str
    expected: set[str]  # the pages about it: each must be in the first five (recall)
    phrases: list[str]  # a page holding all of these also counts as a fair result (precision)
    note: str = ""
    acceptable: set[str] = field(default_factory=set)


@dataclass
class Scored:
    query: Query
    urls: list[str]
    terms: list[str] = field(default_factory=list)

    @property
    def hits(self) -> int:
        return sum(1 for u in self.urls[:5] if u in self.query.expected)

    @property
    def fair(self) -> int:
        return sum(1 for u in self.urls[:5] if u in self.query.expected or u in self.query.acceptable)

    @property
    def precision(self) -> float:
        shown = len(self.urls[:5])
        return self.fair / shown if shown else 0.0

    @property
    def recall(self) -> float:
        return self.hits / min(5, len(self.query.expected))


def load_queries(project) -> list[Query]:
    published = project.published()
    by_index = {e.index_no: e for e in published}
    queries = []
    for item in yaml.safe_load(QUERIES.read_text(encoding="utf-8")):
        expected = {"/" + e.url for e in published if e.org == item.get("发布机构")}
        for target in item.get("应命中", []):
            target = str(target)
            if INDEX_NO.match(target):
                if target not in by_index:
                    raise SystemExit(f"基准查询“{item['查询']}”：找不到已发布的索引号 {target}")
                expected.add("/" + by_index[target].url)
            else:
                expected.add("/" + target.strip("/") + "/")
        if not expected:
            raise SystemExit(f"基准查询“{item['查询']}”没有应命中的页面")
        phrases = [str(p) for p in item.get("短语", [item["查询"]])]
        queries.append(Query(str(item["查询"]), item.get("类型", ""), expected, phrases, item.get("说明", "")))
    return queries


def _plain(text: str) -> str:
    return re.sub(r"\s+", "", text.replace("\u200b", "")).lower()


def add_acceptable(queries: list[Query], site: Path) -> None:
    """Pages whose indexed text holds every phrase of a query: fair results, though not the
    ones it is about (a budget that lists 社会信用体系建设经费 for 社会信用体系建设)."""
    from xxgk.search.pagefind_files import fragments

    texts = {f["url"]: _plain(f["meta"].get("title", "") + f["content"]) for f in fragments(site / "pagefind")}
    for query in queries:
        wanted = [_plain(p) for p in query.phrases]
        query.acceptable = {url for url, text in texts.items() if all(p in text for p in wanted)}


def build_demo(site: Path) -> None:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(site)],
                            cwd=ROOT, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"示例站点构建失败：\n{result.stderr[-3000:]}")


def run_queries(site: Path, queries: list[Query], script: str) -> list[Scored]:
    from playwright.sync_api import sync_playwright

    scored = []
    with serve(site) as base, sync_playwright() as p:
        browser = launch_chromium(p)
        page = browser.new_page()
        page.goto(base + "404.html")  # any page of the site: <html lang="zh">
        for query in queries:
            found = page.evaluate(script, [query.text, 5])
            scored.append(Scored(query, found["urls"], found["terms"]))
        browser.close()
    return scored


def first_query_bytes(site: Path, query: str, compress: bool, on_search_page: bool = False):
    """(bytes, requests, bytes by kind) for a first query typed into the header box, or with
    `on_search_page` for opening /search/?q=… (results and facets) after the home page."""
    from urllib.parse import quote

    from playwright.sync_api import sync_playwright

    with serve(site, compress=compress) as base, sync_playwright() as p:
        browser = launch_chromium(p)
        context = browser.new_context(viewport={"width": 1280, "height": 900})  # fresh cache
        page = context.new_page()
        page.goto(base, wait_until="networkidle")
        finished = []
        page.on("requestfinished", lambda request: finished.append(request))
        if on_search_page:
            page.goto(f"{base}search/?q={quote(query)}")
            page.wait_for_selector("[data-xxgk-results] .xxgk-result", timeout=60000)
            page.wait_for_selector("[data-xxgk-facets] details", timeout=60000)
        else:
            box = page.locator('form[data-xxgk-search="header"] input[name="q"]')
            box.click()
            box.fill(query)
            page.wait_for_selector('form[data-xxgk-search="header"] .xxgk-result, .xxgk-search__note',
                                   timeout=30000)
        page.wait_for_load_state("networkidle")
        time.sleep(0.3)
        total, kinds = 0, {}
        for request in finished:
            sizes = request.sizes()
            body = sizes["responseBodySize"]
            if not body and request.response():  # Chromium reports no size for a worker's own script
                body = int(request.response().header_value("content-length") or 0)
            size = body + sizes["responseHeadersSize"]
            total += size
            kind = _kind(request.url)
            kinds[kind] = kinds.get(kind, 0) + size
        count = len(finished)
        browser.close()
    return total, count, kinds


def _kind(url: str) -> str:
    path = url.split("?")[0]
    for marker, kind in (("/index/", "索引分块"), ("/fragment/", "结果片段"), ("/filter/", "筛选数据"),
                         (".pf_meta", "页面元数据"), ("wasm.", "WebAssembly"), ("pagefind.js", "pagefind.js"),
                         ("xxgk-terms", "查询词典"), ("xxgk-search", "本站检索脚本")):
        if marker in path:
            return kind
    return "其他"


def report_quality(before: list[Scored], after: list[Scored]) -> tuple[float, float]:
    print(f"\n检索质量（{len(after)} 条查询；每条取前 5 条结果）")
    print(f"{'查询':<24}{'类型':<10}{'Pagefind 原生 P@5/R@5':>20}{'本站 P@5/R@5':>16}  本站分词")
    for old, new in zip(before, after):
        q = new.query
        print(f"{_pad(q.text, 24)}{_pad(q.kind, 10)}{old.precision:>12.2f} / {old.recall:.2f}"
              f"{new.precision:>10.2f} / {new.recall:.2f}  {'|'.join(new.terms)}")
        missed = [u for u in sorted(q.expected) if u not in new.urls[:5]] if new.recall < 1 else []
        if missed or new.precision < 1:
            print(f"{'':34}前5: {' '.join(new.urls[:5]) or '（无结果）'}")
            if missed:
                print(f"{'':34}漏检: {' '.join(missed)}")
    p_old = sum(s.precision for s in before) / len(before)
    r_old = sum(s.recall for s in before) / len(before)
    p_new = sum(s.precision for s in after) / len(after)
    r_new = sum(s.recall for s in after) / len(after)
    print(f"\n总体  Pagefind 原生查询分词：P@5 = {p_old:.3f}  R@5 = {r_old:.3f}")
    print(f"总体  本站查询处理（按索引词典分词）：P@5 = {p_new:.3f}  R@5 = {r_new:.3f}"
          f"  （目标 ≥ {TARGET}：{'达到' if min(p_new, r_new) >= TARGET else '未达到'}）")
    return p_new, r_new


def _pad(text: str, width: int) -> str:
    # CJK characters take two columns in a terminal.
    used = sum(2 if ord(ch) > 0x2e80 else 1 for ch in text)
    return text + " " * max(1, width - used)


def report_payload(label: str, site: Path) -> tuple[int, int]:
    worst = worst_gz = 0
    pages = sum(1 for _ in (site / "pagefind" / "fragment").glob("*.pf_fragment"))
    print(f"\n首次查询下载量：{label}（索引 {pages} 个页面）")
    for query in PAYLOAD_QUERIES:
        for compress in (False, True):
            total, count, kinds = first_query_bytes(site, query, compress)
            if compress:
                worst_gz = max(worst_gz, total)
            else:
                worst = max(worst, total)
            detail = "，".join(f"{k} {v / 1024:.1f}" for k, v in sorted(kinds.items(), key=lambda kv: -kv[1]))
            print(f"  “{query}” {'gzip 文本' if compress else '不压缩  '}：{total / 1024:6.1f} KB，{count} 个请求"
                  f"（{detail}）")
    print(f"  页头搜索框首次查询最大：不压缩 {worst / 1024:.1f} KB，gzip 文本 {worst_gz / 1024:.1f} KB"
          f"（目标 ≤ {PAYLOAD_TARGET // 1024} KB）")
    for compress in (False, True):
        total, count, kinds = first_query_bytes(site, PAYLOAD_QUERIES[0], compress, on_search_page=True)
        detail = "，".join(f"{k} {v / 1024:.1f}" for k, v in sorted(kinds.items(), key=lambda kv: -kv[1]))
        print(f"  对照：从首页打开搜索页“{PAYLOAD_QUERIES[0]}”（含分面计数）{'gzip 文本' if compress else '不压缩  '}："
              f"{total / 1024:6.1f} KB，{count} 个请求（{detail}）")
    return worst, worst_gz


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="站内检索质量与下载量基准")
    parser.add_argument("--skip-large", action="store_true", help="不生成 10000 条目的门户")
    parser.add_argument("--large-site", type=Path, help="复用已构建的大型门户站点目录（generate_portal.py --build 的 site）")
    parser.add_argument("--count", type=int, default=10000, help="大型门户的条目数")
    args = parser.parse_args(argv)

    project = load_project(ROOT, date.today())
    queries = load_queries(project)
    with tempfile.TemporaryDirectory(prefix="xxgk-bench-") as tmp:
        site = Path(tmp) / "site"
        build_demo(site)
        add_acceptable(queries, site)
        before = run_queries(site, queries, STOCK)
        after = run_queries(site, queries, OURS)
        p, r = report_quality(before, after)
        sizes = {"示例门户": report_payload("示例门户", site)}
        if args.large_site:
            sizes["大型门户"] = report_payload(f"复用的大型门户 {args.large_site}", args.large_site)
        elif not args.skip_large:
            from generate_portal import build, generate

            started = time.time()
            project_dir = generate(Path(tmp) / "large", args.count)
            build(project_dir, Path(tmp) / "large-site")
            print(f"\n已生成并构建 {args.count} 条目的门户（{time.time() - started:.0f} 秒）")
            sizes[f"{args.count} 条目门户"] = report_payload(f"{args.count} 条目的生成门户", Path(tmp) / "large-site")
    print("\n汇总")
    print(f"  P@5 = {p:.3f}，R@5 = {r:.3f}（目标 ≥ {TARGET}）")
    for label, (raw, gz) in sizes.items():
        print(f"  {label}首次查询下载量（最大）：gzip 文本 {gz / 1024:.1f} KB，不压缩 {raw / 1024:.1f} KB"
              f"（目标 ≤ {PAYLOAD_TARGET // 1024} KB，按服务器压缩文本文件计）")
    ok = min(p, r) >= TARGET and all(gz <= PAYLOAD_TARGET for _, gz in sizes.values())
    print(f"  {'全部达到目标' if ok else '未全部达到目标'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
