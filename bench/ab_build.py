"""Build time of two revisions side by side, on the same generated portal, builds alternating.

    .venv/bin/python bench/ab_build.py 0fca7f2 HEAD                  # 10,000 entries, 3 builds each
    .venv/bin/python bench/ab_build.py 0fca7f2 HEAD --size 1000 --runs 5

For a change that must not slow the build (issue 17: markup moved into templates, within 5 %).
Each revision is checked out into a temporary worktree, generates its portal there (same seed,
so the same entries; bench/generate_portal.py in the scale shape) and builds it with its own code
(PYTHONPATH), A then B then A …, so that load from anything else on the machine falls on both.
Every build is a full one: the build cache and the site of the run before are removed first.
Prints each build, the medians of wall-clock and processor time (user + system, of the build and
its children) and peak memory, and the ratios B/A. On a shared host the processor time is the
steadier figure.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from build_benchmark import ENV, mb, run_measured  # noqa: E402

BIN = Path(sys.executable).parent


def checkout(rev: str, work: Path) -> Path:
    tree = work / f"tree-{rev}"
    subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", str(tree), rev], check=True)
    return tree


def generate(tree: Path, size: int, out: Path) -> Path:
    # This checkout's generator for both revisions: the same entries, whatever the generator was then.
    shutil.copy(ROOT / "bench/generate_portal.py", tree / "bench/generate_portal.py")
    subprocess.run([sys.executable, str(tree / "bench/generate_portal.py"), "--count", str(size), "--scale",
                    "--out", str(out)], check=True, env=dict(ENV, PYTHONPATH=str(tree / "src")), stdout=subprocess.DEVNULL)
    return out / "project"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="两个版本在同一生成门户上的构建时间，交替构建，取中位数")
    parser.add_argument("a", help="基准版本（git 提交）")
    parser.add_argument("b", help="对比版本（git 提交）")
    parser.add_argument("--size", type=int, default=10000, help="目录条目数，默认 10000")
    parser.add_argument("--runs", type=int, default=3, help="每个版本的构建次数，默认 3")
    parser.add_argument("--timeout", type=float, default=1800)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="xxgk-ab-") as temp:
        work = Path(temp)
        trees = {rev: checkout(rev, work) for rev in (args.a, args.b)}
        try:
            projects = {rev: generate(tree, args.size, work / f"portal-{rev}") for rev, tree in trees.items()}
            walls: dict[str, list[float]] = {rev: [] for rev in trees}
            cpus: dict[str, list[float]] = {rev: [] for rev in trees}  # user + system: what a busy host's
            # other guests cannot stretch, unlike the wall clock (seen here: the same build 73 s and 127 s)
            peaks: dict[str, int] = {rev: 0 for rev in trees}
            for run in range(args.runs):
                for rev, tree in trees.items():
                    project, site = projects[rev], work / f"site-{rev}"
                    # full builds: no build cache or earlier site of the last run (xxgk.buildcache)
                    shutil.rmtree(project / ".cache", ignore_errors=True)
                    shutil.rmtree(site, ignore_errors=True)
                    ENV["PYTHONPATH"] = str(tree / "src")
                    phases = work / f"phases-{rev}.json"  # the build's time by phase (xxgk.phases)
                    before = resource.getrusage(resource.RUSAGE_CHILDREN)
                    wall, peak = run_measured([str(BIN / "mkdocs"), "build", "-q", "-f", str(project / "mkdocs.yml"),
                                               "-d", str(site)], project, args.timeout, dict(ENV, XXGK_PHASES=str(phases)))
                    after = resource.getrusage(resource.RUSAGE_CHILDREN)
                    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
                    walls[rev].append(wall)
                    cpus[rev].append(cpu)
                    peaks[rev] = max(peaks[rev], peak)
                    print(f"第 {run + 1} 次 {rev}：{wall:.1f} 秒，处理器时间 {cpu:.1f} 秒，内存峰值 {mb(peak)}", flush=True)
                    if phases.exists():
                        print("    " + ", ".join(f"{name} {seconds:.1f} s" for name, seconds in
                                                 json.loads(phases.read_text(encoding="utf-8")).items()), flush=True)
            medians = {rev: statistics.median(w) for rev, w in walls.items()}
            cpu_medians = {rev: statistics.median(c) for rev, c in cpus.items()}
            for rev in trees:
                print(f"{rev}：中位数 {medians[rev]:.1f} 秒（{', '.join(f'{w:.1f}' for w in walls[rev])}），"
                      f"处理器时间中位数 {cpu_medians[rev]:.1f} 秒（{', '.join(f'{c:.1f}' for c in cpus[rev])}），"
                      f"内存峰值 {mb(peaks[rev])}")
            print(f"{args.size} 个条目：{args.b} / {args.a} = {medians[args.b] / medians[args.a]:.3f}（墙钟时间），"
                  f"{cpu_medians[args.b] / cpu_medians[args.a]:.3f}（处理器时间）")
        finally:
            for tree in trees.values():
                subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)], check=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
