"""Benchmark guard (issue 24): did this commit make the build slower against bare mkdocs-material?

    make bench-guard                                  # or: .venv/bin/python bench/guard.py
    .venv/bin/python bench/guard.py --no-store        # a look, nothing written to the history
    .venv/bin/python bench/guard.py --hook FILE --no-store   # check the guard itself (bench/README.md)

Generates a 2,000-entry portal with its 240 annual reports and registers (generate_portal.py, scale
shape, seed 20241) and builds it, with the search index and the reports' Word downloads (no build
cache: a fresh project), between two builds of bare mkdocs-material on the same entries
(build_benchmark.py's bare build): bare, ours, bare. The ratio is ours / the mean of the two bare
builds, in wall-clock time and in processor time (user + system of the build and its children, the
Pagefind binary included). Our build writes the time of its phases (XXGK_PHASES,
src/xxgk/phases.py); the guard prints each one's share of our build.

The figures are appended to bench/guard-history.jsonl (commit, date, figures) and compared with
the last record of the same size: exit 1 when the processor-time ratio grew by more than 20 %
(--tolerance). On a shared host the wall-clock ratio of the same code moved by 25 % between runs,
the processor-time ratio by 4 %; the wall-clock ratio is printed, and judged instead with --wall. A
failing run is not stored unless --accept is given (a slowdown that was decided on).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from build_benchmark import BIN, ENV, ROOT, bare_project, mb, run_measured  # noqa: E402
from generate_portal import ORG_COUNT, SCALE_YEARS, generate  # noqa: E402

HISTORY = ROOT / "bench" / "guard-history.jsonl"
PHASES = [("reading", "读取项目"), ("checks", "检查"), ("rendering", "渲染页面"),
          ("downloads", "年报下载文件"), ("search", "检索索引"), ("writing", "写出文件")]
CODE = ["src", "overrides", "mkdocs.yml", "pyproject.toml", "data", "docs", "macros"]  # what the build runs


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def build(project: Path, site: Path, timeout: float, env: dict | None = None) -> dict:
    shutil.rmtree(site, ignore_errors=True)
    cpu = children_cpu()
    cmd = [str(BIN / "mkdocs"), "build", "-q", "-f", str(project / "mkdocs.yml"), "-d", str(site)]
    wall, peak = run_measured(cmd, project, timeout, env)
    return {"wall": round(wall, 2), "cpu": round(children_cpu() - cpu, 2), "peak_mb": round(peak / 2**20)}


def commit() -> str:
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run(["git", "status", "--porcelain", "--", *CODE], cwd=ROOT, capture_output=True, text=True).stdout
    return head + ("-dirty" if dirty.strip() else "") if head else "unknown"


def last_record(history: Path, entries: int) -> dict | None:
    if not history.exists():
        return None
    found = None
    for line in history.read_text(encoding="utf-8").splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if record.get("entries") == entries:
            found = record
    return found


def add_hook(project: Path, hook: Path) -> None:
    """An MkDocs hook in the generated project's mkdocs.yml (never in ours): to plant a slowdown."""
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + f"\nhooks:\n  - {hook.resolve()}\n", encoding="utf-8")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="构建速度守卫：本项目构建与裸 mkdocs-material 之比，与上次记录比较")
    parser.add_argument("--entries", type=int, default=2000, help="生成的条目数（默认 2000）")
    parser.add_argument("--tolerance", type=float, default=0.20, help="允许比值增长的比例（默认 0.20）")
    parser.add_argument("--history", type=Path, default=HISTORY)
    parser.add_argument("--no-store", action="store_true", help="只比较，不写入历史记录")
    parser.add_argument("--accept", action="store_true", help="超出容差也写入历史（确认接受的变慢）")
    parser.add_argument("--wall", action="store_true", help="按墙钟时间之比判断（默认按处理器时间之比）")
    parser.add_argument("--hook", type=Path, help="给生成的项目加一个 MkDocs hook（检验守卫本身，例如人为变慢）")
    parser.add_argument("--keep", type=Path, help="生成的项目放在此目录并保留")
    parser.add_argument("--timeout", type=float, default=1800)
    args = parser.parse_args(argv)

    work = args.keep or Path(tempfile.mkdtemp(prefix="xxgk-guard-"))
    try:
        shutil.rmtree(work / "project", ignore_errors=True)
        shutil.rmtree(work / "bare", ignore_errors=True)
        project = generate(work / "project", args.entries, orgs=ORG_COUNT, years=SCALE_YEARS)
        bare = bare_project(project, work / "bare")
        if args.hook:
            add_hook(project, args.hook)
        phases_file = work / "phases.json"
        load_before = os.getloadavg()[0]
        bare1 = build(bare, work / "site-bare", args.timeout)
        print(f"bare mkdocs-material  {bare1['wall']:7.1f} s", flush=True)
        ours = build(project, work / "site-ours", args.timeout, dict(ENV, XXGK_PHASES=str(phases_file)))
        print(f"ours                  {ours['wall']:7.1f} s", flush=True)
        bare2 = build(bare, work / "site-bare", args.timeout)
        print(f"bare mkdocs-material  {bare2['wall']:7.1f} s", flush=True)
        phases = json.loads(phases_file.read_text(encoding="utf-8"))
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)

    bare_wall = (bare1["wall"] + bare2["wall"]) / 2
    bare_cpu = (bare1["cpu"] + bare2["cpu"]) / 2
    record = {
        "commit": commit(), "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "entries": args.entries, "ratio": round(ours["wall"] / bare_wall, 3),
        "cpu_ratio": round(ours["cpu"] / bare_cpu, 3), "ours": ours, "bare": [bare1, bare2],
        "phases": phases, "hook": str(args.hook) if args.hook else None,
        "load": [round(load_before, 2), round(os.getloadavg()[0], 2)],  # 1-minute load average, before and after
    }
    print(f"\nN = {args.entries}: ours {ours['wall']:.1f} s / bare {bare_wall:.1f} s = {record['ratio']:.2f} "
          f"(processor time {ours['cpu']:.1f} / {bare_cpu:.1f} s = {record['cpu_ratio']:.2f}); "
          f"peak ours {mb(ours['peak_mb'] * 2**20)}; load average {record['load'][0]:.1f} before, "
          f"{record['load'][1]:.1f} after (on a busy machine bare's processor time grows too: store a reference "
          "only from a quiet run)")
    print("our build by phase:")
    for key, label in PHASES:
        seconds = phases.get(key, 0.0)
        print(f"  {label:<8} {key:<10} {seconds:7.1f} s  {seconds / ours['wall'] * 100:5.1f} %")
    rest = ours["wall"] - sum(phases.values())
    print(f"  {'启动':<8} {'startup':<10} {rest:7.1f} s  {rest / ours['wall'] * 100:5.1f} %  (Python, MkDocs, configuration)")

    last = last_record(args.history, args.entries)
    failed = False
    if last is None:
        print(f"no earlier record for N = {args.entries} in {args.history.name}: this run becomes the reference")
    else:
        judged = "ratio" if args.wall else "cpu_ratio"
        for key, label in (("cpu_ratio", "processor-time ratio"), ("ratio", "wall-clock ratio")):
            growth = record[key] / last[key] - 1
            print(f"last record {last['commit']} ({last['date'][:10]}): {label} {last[key]:.2f}; now {record[key]:.2f} "
                  f"({growth * 100:+.0f} %" + (f", limit +{args.tolerance * 100:.0f} %)" if key == judged else ")"))
            failed = failed or (key == judged and growth > args.tolerance)
    if failed:
        print(f"FAILED: our build grew by more than {args.tolerance * 100:.0f} % against bare mkdocs-material. "
              "Find the phase that grew (above) before merging; `--accept` records a slowdown that was decided on.")
    if not args.no_store and (not failed or args.accept):
        with args.history.open("a", encoding="utf-8") as out:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
        print(f"stored in {args.history.relative_to(ROOT) if args.history.is_relative_to(ROOT) else args.history}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
