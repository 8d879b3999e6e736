"""用语检查 benchmark (issue 23): planted wrong forms found, false findings on clean content.

    .venv/bin/python bench/wording_benchmark.py                # planted cases, the demo, a 10,000-entry portal
    .venv/bin/python bench/wording_benchmark.py --skip-large   # without the generated portal

bench/wording/cases.yml holds the planted cases (植入: a wrong form in a title, a body, a summary or a
table, some split by a line break, a full-width space or Markdown emphasis) and clean look-alikes
(正确: right forms, old names used on purpose, old names in documents written before the change).
They were written before the check was run on them. Each case becomes one catalog entry of a
throw-away copy of this project, checked by the real `load_project`; a planted case counts as found
when a 用语 finding at its file names its form; any 用语 finding on a clean case, on the demo or on the
generated portal is a false finding (errors and warnings counted apart).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from collections import Counter
from datetime import date
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from xxgk.project import load_project  # noqa: E402

TODAY = date(2026, 12, 6)
COPIED = ["mkdocs.yml", "data", "overrides", "macros", "docs/index.md", "docs/assets"]
MARK = "用语“"


def entry(case: dict, serial: int) -> str:
    where, text = case["位置"], case["文本"]
    title = text if where == "标题" else f"示例区商务局工作动态（第{serial}期）"
    summary = f"\n内容概述: {json.dumps(text, ensure_ascii=False)}" if where == "内容概述" else ""
    body = text if where in ("正文", "表格") else "正文内容。"
    day = case["成文日期"]
    return (f"---\n索引号: 770010036/{str(day)[:4]}-{serial:05d}\n标题: {json.dumps(title, ensure_ascii=False)}\n"
            f"发布机构: swj\n成文日期: {day}\n发布日期: {day}\n主题分类: 商贸、海关、旅游\\国内贸易\n"
            f"信息类别: 部门动态{summary}\n保密审查:\n  业务科室: {{审查人: 甲, 日期: {day}}}\n"
            f"  信息发布人: {{审查人: 乙, 日期: {day}}}\n  分管领导: {{审查人: 丙, 日期: {day}}}\n---\n\n{body}\n")


def findings(project) -> list:
    return [p for p in project.problems if MARK in p.message]


def run_cases(cases: dict) -> tuple[int, int, list[str], list[str]]:
    with tempfile.TemporaryDirectory(prefix="xxgk-wording-") as tmp:
        root = Path(tmp)
        for name in COPIED:
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            if (ROOT / name).is_dir():
                shutil.copytree(ROOT / name, root / name, ignore=shutil.ignore_patterns("reports", "register"))
            else:
                shutil.copy2(ROOT / name, root / name)
        files = {}
        for serial, case in enumerate(cases["植入"] + cases["正确"], 1):
            path = root / "docs/catalog/swj" / str(case["成文日期"])[:4] / f"{serial:05d}.md"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(entry(case, serial), encoding="utf-8")
            files[path.relative_to(root).as_posix()] = case
        found = findings(load_project(root, TODAY))
    by_file: dict[str, list] = {}
    for problem in found:
        by_file.setdefault(problem.file, []).append(problem)
    missed, false = [], []
    hit = 0
    for file, case in files.items():
        said = by_file.get(file, [])
        if "应找到" in case:
            if any(f"{MARK}{case['应找到']}”" in p.message for p in said):
                hit += 1
            else:
                missed.append(f"{case['位置']} {case['成文日期']} {case['文本']!r}: {[p.message[:40] for p in said]}")
        false += [f"{case['位置']} {case['成文日期']} {case['文本']!r}: {p}" for p in said if "应找到" not in case]
    return hit, len(cases["植入"]), missed, false


def false_findings(root: Path, label: str) -> None:
    started = time.perf_counter()
    project = load_project(root, TODAY)
    elapsed = time.perf_counter() - started
    found = findings(project)
    errors = sum(p.is_error for p in found)
    print(f"{label}: {len(project.catalog.entries)} 个条目，{len(project.reports)} 份年度报告；"
          f"用语错误 {errors} 条，警告 {len(found) - errors} 条（检查共 {elapsed:.1f} 秒）")
    forms = Counter(p.message.split("”", 1)[0].removeprefix(MARK) for p in found)
    for form, count in forms.most_common():
        print(f"    “{form}” {count} 条，例如 {next(p for p in found if p.message.startswith(MARK + form + '”'))}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="用语检查基准")
    parser.add_argument("--skip-large", action="store_true", help="不生成 10,000 条目的门户")
    args = parser.parse_args(argv)
    cases = yaml.safe_load((ROOT / "bench/wording/cases.yml").read_text(encoding="utf-8"))
    hit, total, missed, false = run_cases(cases)
    print(f"植入的错误写法：找到 {hit}/{total}（{hit / total:.0%}）")
    for line in missed:
        print(f"    漏报 {line}")
    print(f"形似的正确写法：{len(cases['正确'])} 例，误报 {len(false)} 条")
    for line in false:
        print(f"    误报 {line}")
    false_findings(ROOT, "示例门户")
    if not args.skip_large:
        from generate_portal import generate
        with tempfile.TemporaryDirectory(prefix="xxgk-wording-large-") as tmp:
            generate(Path(tmp) / "portal", 10000)
            false_findings(Path(tmp) / "portal", "生成的 10,000 条目门户")
    return 0 if hit == total and not false else 1


if __name__ == "__main__":
    sys.exit(main())
