"""The sharded build (xxgk.shards) on one machine, job by job as CI runs it; time and peak memory of each.

    .venv/bin/python bench/sharded_build.py --count 10000 --shards 4 --whole
    .venv/bin/python bench/sharded_build.py --project . --whole          # the demo with its data/shards.yml

A portal of `--count` entries is generated (bench/generate_portal.py, the scale shape: 40 orgs, 6 years,
reports) and its organisations are dealt round-robin into `--shards` shards (data/shards.yml written into
the copy); with `--project` an existing project and its own data/shards.yml are used. Then, one after
another, as the CI jobs would run (each job starts with an empty build cache):

    shard NAME  `xxgk build --shard NAME`: that shard's entry pages into .cache/xxgk, kept as the job's artifact;
    merge       `xxgk build --merge-shards <the shards' caches>`: the whole portal and its one search index;
    whole       (--whole) `xxgk build` without any cache, for comparison.

Peak memory is the largest sum of RSS over the job's process tree (Python and the Pagefind binary), polled
every 50 ms (bench/build_benchmark.run_measured). The merged and the whole site are compared file by file
(tests/test_incremental.files: Pagefind's filter files by content) when --whole is given.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "src"))

from build_benchmark import BIN, ENV, _tree_rss, mb  # noqa: E402
from generate_portal import ORG_COUNT, SCALE_YEARS, generate  # noqa: E402

from xxgk import shards  # noqa: E402
from xxgk.buildcache import CACHE_DIR  # noqa: E402
from xxgk.reference import load_reference  # noqa: E402
from xxgk.problems import Problems  # noqa: E402


def write_shards(project: Path, count: int) -> None:
    """data/shards.yml: the organisations of data/orgs.yml dealt round-robin into `count` shards."""
    orgs = list(load_reference(project, Problems()).orgs)
    groups = [orgs[i::count] for i in range(count)]
    lines = ["分片:"] + [f"  - 名称: s{i + 1:02d}\n    机构: [{', '.join(g)}]" for i, g in enumerate(groups) if g]
    (project / shards.FILE).write_text("\n".join(lines) + "\n", encoding="utf-8")


def run_measured(cmd: list[str], cwd: Path, timeout: float, log: Path) -> tuple[float, int]:
    """build_benchmark.run_measured with the job's log in a file: a big portal's warnings fill a pipe."""
    start = time.perf_counter()
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, cwd=cwd, env=ENV, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        peak = 0
        while proc.poll() is None:
            peak = max(peak, _tree_rss(proc.pid))
            if time.perf_counter() - start > timeout:
                os.killpg(proc.pid, 9)
                raise TimeoutError(f"{cmd[0]} 超过 {timeout} 秒")
            time.sleep(0.05)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} 失败，见 {log}：{log.read_text(errors='replace')[-2000:]}")
    return time.perf_counter() - start, peak


def xxgk(project: Path, *args: str) -> list[str]:
    return [str(BIN / "python"), "-m", "xxgk.cli", "--root", str(project), "build", *args]


def run_sharded(project: Path, work: Path, timeout: float, whole: bool, today: str | None = None) -> dict:
    """Each shard job, the merge job and (whole=True) a whole build; {job: (seconds, peak bytes)}."""
    cache = project / CACHE_DIR
    dated = ["--today", today] if today else []
    names = list(shards.load(project, load_reference(project, Problems()).orgs))
    figures: dict[str, tuple[float, int]] = {}
    caches = []
    for name in names:
        shutil.rmtree(cache, ignore_errors=True)  # a CI job starts from the checkout
        figures[f"shard {name}"] = run_measured(xxgk(project, "--shard", name, *dated), project, timeout, work / f"log-{name}.txt")
        kept = work / "caches" / name
        shutil.rmtree(kept, ignore_errors=True)
        kept.parent.mkdir(parents=True, exist_ok=True)
        cache.rename(kept)  # the job's artifact
        caches.append(str(kept))
        print(f"shard {name}: {figures[f'shard {name}'][0]:.1f} s, peak {mb(figures[f'shard {name}'][1])}", flush=True)
    shutil.rmtree(cache, ignore_errors=True)
    figures["merge"] = run_measured(xxgk(project, "--site", str(work / "site-merged"), *dated, "--merge-shards", *caches),
                                    project, timeout, work / "log-merge.txt")
    print(f"merge: {figures['merge'][0]:.1f} s, peak {mb(figures['merge'][1])}", flush=True)
    if whole:
        shutil.rmtree(cache, ignore_errors=True)
        figures["whole"] = run_measured(xxgk(project, "--site", str(work / "site-whole"), *dated), project, timeout,
                                        work / "log-whole.txt")
        print(f"whole: {figures['whole'][0]:.1f} s, peak {mb(figures['whole'][1])}", flush=True)
    return figures


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="在一台机器上按 CI 作业的顺序运行分片构建，测量每个作业的时间和内存峰值")
    parser.add_argument("--count", type=int, default=10000, help="生成的条目数，默认 10000")
    parser.add_argument("--shards", type=int, default=4, help="分片数（生成的门户），默认 4")
    parser.add_argument("--project", type=Path, default=None, help="用已有项目及其 data/shards.yml，不生成门户")
    parser.add_argument("--whole", action="store_true", help="也做一次不分片的完整构建，并逐个文件比较两个网站")
    parser.add_argument("--timeout", type=float, default=7200, help="每个作业的时限（秒）")
    parser.add_argument("--out", type=Path, default=None, help="工作目录（默认新建临时目录）")
    args = parser.parse_args(argv)
    work = args.out or Path(tempfile.mkdtemp(prefix="xxgk-sharded-"))
    if args.project:
        project = work / "project"
        shutil.copytree(args.project, project, symlinks=True,
                        ignore=lambda folder, names: [n for n in names if n in (".git", ".venv", "site", ".cache")])
        label = f"{project} ({shards.FILE})"
    elif (work / "project" / "mkdocs.yml").exists():  # --out of an earlier run: its generated portal again
        project = work / "project"
        write_shards(project, args.shards)
        label = f"N = {args.count}, {args.shards} shards"
    else:
        project = generate(work / "project", args.count, orgs=ORG_COUNT, years=SCALE_YEARS)
        write_shards(project, args.shards)
        label = f"N = {args.count}, {args.shards} shards"
    figures = run_sharded(project, work, args.timeout, args.whole)
    print(f"\n{label}\n| job | seconds | peak memory |\n|---|---:|---:|")
    for job, (seconds, peak) in figures.items():
        print(f"| {job} | {seconds:.1f} | {mb(peak)} |")
    shard_jobs = [v for k, v in figures.items() if k.startswith("shard ")]
    print(f"| shards: longest job | {max(s for s, _ in shard_jobs):.1f} | {mb(max(p for _, p in shard_jobs))} |")
    print(f"| critical path (longest shard + merge) | {max(s for s, _ in shard_jobs) + figures['merge'][0]:.1f} | |")
    if args.whole:
        sys.path.insert(0, str(ROOT / "tests"))
        from test_incremental import files

        merged, whole = files(work / "site-merged", digests=True), files(work / "site-whole", digests=True)
        different = sorted(set(merged) ^ set(whole)) + [n for n in merged if n in whole and merged[n] != whole[n]]
        print(f"\nmerged site vs whole site: {len(merged)} files, {len(different)} different"
              + (f": {different[:10]}" if different else ""))
    print(f"work folder: {work}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
