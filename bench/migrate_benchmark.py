"""xxgk migrate: field accuracy on the real pages of tests/data/migrate/ against the hand-made truth file,
and the speed of a whole run on a generated mirror of many pages.

    python bench/migrate_benchmark.py               # accuracy, then 10,000 pages
    python bench/migrate_benchmark.py --pages 2000  # a smaller speed run

Accuracy: for every page of truth.yml, every field the page displays is compared with what migrate reads
(dates compared as dates). A field is right, missing (left empty: listed to the editor) or wrong (a
different value: the worst case, never allowed). Speed: the fixture article pages repeated with changed
numbers, addresses and titles (one in ten a copy of the list page), migrated by the real `run` into a
throw-away copy of the project; the read is split over the CPU cores.
"""
from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
import time
from collections import Counter
from io import StringIO
from pathlib import Path, PurePosixPath

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))

from conftest import make_project  # noqa: E402
from xxgk.migrate import FIELDS, load_layouts, parse_date, read_page, run, split_keywords  # noqa: E402
from xxgk.project import load_project  # noqa: E402

DATA = ROOT / "tests" / "data" / "migrate"
SITE = DATA / "mirror"


def _same(field: str, read: str, truth) -> bool:
    if field in ("成文日期", "发布日期"):
        return parse_date(read) is not None and parse_date(read) == parse_date(str(truth))
    if field == "关键词":
        return set(split_keywords(read)) == set(truth if isinstance(truth, list) else split_keywords(str(truth)))
    return read == str(truth)


def _score(page, fields: dict) -> tuple[Counter, list]:
    """(right / missing / wrong counts, problems) of one article page against its transcription."""
    score, problems = Counter(), []
    for field, value in fields.items():
        if field == "原网址":
            got = page.url
        elif field == "附件":
            got = [label for label, _ in page.attachments] + list(page.missing)
        else:
            got = (page.values.get(field) or ("", ""))[0]
        if not got:  # left empty and listed to the editor
            score["missing"] += 1
            problems.append(f"{field} 未读出（应为“{value}”）")
        elif (got == value) if field == "附件" else _same(field, got, value):
            score["right"] += 1
        else:
            score["wrong"] += 1
            problems.append(f"{field} 读成“{got}”，应为“{value}”")
    for field in FIELDS:  # a value the page does not display is wrong too: nothing may be invented
        got = (page.values.get(field) or ("", ""))[0]
        if field not in fields and got:
            score["wrong"] += 1
            problems.append(f"{field} 页面上没有显示，却读成“{got}”")
    return score, problems


def accuracy() -> bool:
    truth = yaml.safe_load((DATA / "truth.yml").read_text(encoding="utf-8"))
    layouts = load_layouts(ROOT)
    portals: dict = {}  # host -> Counter of pages, all_right, right, missing, wrong; and the layouts seen
    skipped_wrong = 0
    print("字段准确率（tests/data/migrate/truth.yml，人工抄写）")
    for rel, fields in truth.items():
        page = read_page(SITE, rel, layouts)
        if "跳过" in fields:
            ok = bool(page.skip)
            print(f"  {rel}：{'跳过，正确' if ok else '错误：当成了文章页'}")
            skipped_wrong += not ok
            continue
        score, problems = _score(page, fields)
        host = rel.split("/")[0]
        tally, seen = portals.setdefault(host, (Counter(), set()))
        tally.update(score)
        tally["pages"] += 1
        tally["all_right"] += not problems
        seen.add(page.layout or "无")
        print(f"  {rel}：{'全部正确' if not problems else '；'.join(problems)}（版式：{page.layout}）")
    total = Counter()
    print("\n  | 门户 | 版式 | 文章页 | 所有显示的字段都读对 | 字段正确 | 未读出 | 读错 |")
    print("  |---|---|---|---|---|---|---|")
    for host, (tally, seen) in sorted(portals.items(), key=lambda item: -item[1][0]["pages"]):
        total.update(tally)
        print(f"  | {host} | {'、'.join(sorted(seen))} | {tally['pages']} | {tally['all_right']} | "
              f"{tally['right']} | {tally['missing']} | {tally['wrong']} |")
    share = total["all_right"] / total["pages"] if total["pages"] else 0
    print(f"  | 合计 | | {total['pages']} | {total['all_right']}（{share:.0%}） | {total['right']} | "
          f"{total['missing']} | {total['wrong']} |")
    print(f"  非文章页当成文章页的：{skipped_wrong}")
    return total["wrong"] == 0 and skipped_wrong == 0 and share >= 0.98


def generate(folder: Path, pages: int) -> None:
    """`pages` pages: the real article pages with new numbers, addresses and titles (taken from truth.yml,
    so every fixture page takes part, whatever its layout); every tenth a list page."""
    truth = yaml.safe_load((DATA / "truth.yml").read_text(encoding="utf-8"))
    articles = [(PurePosixPath(rel), fields) for rel, fields in truth.items() if "跳过" not in fields]
    texts = [(rel, fields, (SITE / rel).read_text(encoding="utf-8")) for rel, fields in articles]
    listing = (SITE / "hdzfxxgk.hd.gov.cn" / "index.html").read_text(encoding="utf-8")
    for number in range(pages):
        if number % 10 == 9:
            target = folder / "www.pingtan.gov.cn" / "lists" / f"{number}" / "index.html"
            text = listing
        else:
            rel, fields, text = texts[number % len(texts)]
            new_name = f"{rel.stem}-{number}{rel.suffix}"
            text = text.replace(rel.name, new_name)  # the address in <meta name="Url">
            text = text.replace(fields["标题"], f"{fields['标题']}（第{number}号）")
            if "索引号" in fields:
                old = fields["索引号"]
                text = text.replace(old, f"{old[:-5]}{number % 100000:05d}")
            mark = f"<p>本页编号 {number}。</p>"  # the body differs too, so no page is a duplicate of another
            text = re.sub(r"(</p>)(?![\s\S]*</p>)", rf"\1{mark}", text, count=1)
            target = folder / rel.parent / new_name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")


def speed(pages: int) -> None:
    with tempfile.TemporaryDirectory(prefix="migrate-bench-") as tmp:
        tmp = Path(tmp)
        folder = tmp / "mirror"
        started = time.perf_counter()
        generate(folder, pages)
        print(f"\n速度：生成 {pages} 个网页用时 {time.perf_counter() - started:.1f} 秒；CPU {os.cpu_count()} 核")
        root = make_project(tmp)  # tests/conftest.py: the real configuration, data and theme, no entries
        project = load_project(root)
        report = StringIO()
        started = time.perf_counter()
        status = run(project, folder, out=report)
        elapsed = time.perf_counter() - started
        table = report.getvalue()
        table = table[table.index("迁移结果"):] if "迁移结果" in table else table
        written = len(list((root / "docs" / "catalog").rglob("*.md")))
        print(f"  xxgk migrate（读取、编号、写入、对应表和跳转表）用时 {elapsed:.1f} 秒，"
              f"每秒 {pages / elapsed:.0f} 页；返回 {status}；写入 {written} 个条目文件")
        print("  " + table.strip().replace("\n", "\n  "))
        started = time.perf_counter()
        run(load_project(root), folder, out=StringIO())
        print(f"  再次运行（没有新页面）用时 {time.perf_counter() - started:.1f} 秒")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=10_000)
    args = parser.parse_args()
    good = accuracy()
    speed(args.pages)
    return 0 if good else 1


if __name__ == "__main__":
    sys.exit(main())
