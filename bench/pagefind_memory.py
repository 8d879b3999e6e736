"""Pagefind's memory alone: a built site's pages fed to Pagefind's service (marked content only, as
`xxgk.search.indexer` hands them over, but as one index of the whole site), then its index written;
Pagefind's RSS sampled every 0.1 s and its processor time read before it ends (issue 24, point 5).

    .venv/bin/python bench/pagefind_memory.py SITE [--limit 3000] [--build-only] [--language en]
    _RJEM_MALLOC_CONF=narenas:1,tcache:false .venv/bin/python bench/pagefind_memory.py SITE

The allocator setting of the environment (jemalloc's `_RJEM_MALLOC_CONF`; an empty value = jemalloc's
defaults) replaces the one the indexer gives Pagefind. `--build-only` sends `BuildIndex` (one build of the
index) instead of `WriteFiles` (which builds it twice in Pagefind 1.x's service, then writes it).
`--language en` indexes the same pages without Chinese word segmentation: what the segmentation costs
of Pagefind's processor time (the floor of a build with the index, issue 24).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from xxgk.search import indexer  # noqa: E402


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Pagefind 单独的内存：把已构建网站的页面交给它的服务，再写索引")
    parser.add_argument("site", type=Path)
    parser.add_argument("--limit", type=int, default=0, help="只交前 N 个页面")
    parser.add_argument("--build-only", action="store_true", help="只建索引（BuildIndex），不写文件")
    parser.add_argument("--language", default="zh", help="Pagefind 的 force_language，默认 zh（en：不做中文分词）")
    args = parser.parse_args(argv)

    site = args.site.resolve()
    # One index of every page, as the build made it before the index was built in parts
    # (xxgk.search.indexer): Pagefind's own memory for a whole site.
    service = indexer.PagefindService()
    index_id = service.request({"type": "NewIndex", "config": {"force_language": args.language}}).result()["index_id"]
    pid = service._process.pid
    added = []
    samples: list[tuple[float, int]] = []
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            try:
                rss = int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")
            except OSError:
                return
            samples.append((time.time(), rss))
            time.sleep(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    start, pages = time.time(), 0
    for path in sorted(site.rglob("*.html")):
        if path.is_relative_to(site / indexer.BUNDLE):
            continue
        rel = path.relative_to(site).as_posix()
        url = rel[:-len("index.html")] if rel.endswith("index.html") else rel
        html = path.read_text(encoding="utf-8")
        marked = indexer._MARKED.search(html)
        if marked:
            added.append(service.request({"type": "AddFile", "index_id": index_id, "url": "/" + url,
                                          "file_contents": indexer._SHELL + html[marked.start():]}))
            pages += 1
        if args.limit and pages >= args.limit:
            break
    for future in added:
        future.result()
    parsed = time.time()
    after_parsing = samples[-1][1]
    with tempfile.TemporaryDirectory(prefix="pagefind-memory-") as out:
        request = {"type": "BuildIndex", "index_id": index_id} if args.build_only else \
            {"type": "WriteFiles", "index_id": index_id, "output_path": out}
        service.request(request).result()
        written = time.time()
        time.sleep(0.3)
        done.set()
        sampler.join()
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        cpu = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        service.close()
    peak_at, peak = max(samples, key=lambda s: s[1])
    setting = os.environ.get("_RJEM_MALLOC_CONF", indexer._ALLOCATOR["_RJEM_MALLOC_CONF"])
    print(f"_RJEM_MALLOC_CONF={setting!r} {'BuildIndex' if args.build_only else 'WriteFiles'}, {args.language}: {pages} pages, "
          f"fed in {parsed - start:.1f} s, index in {written - parsed:.1f} s; Pagefind RSS after parsing "
          f"{after_parsing / 2**20:,.0f} MB, peak {peak / 2**20:,.0f} MB ({peak_at - parsed:.1f} s after parsing), "
          f"processor time {cpu:.1f} s ({cpu / max(pages, 1) * 1000:.2f} ms a page)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
