"""The reading phase of a build (issue 24): `load_project` of an existing project, with the caches of
.cache/xxgk that the builds before left, against another checkout of the package on a copy of it.

    .venv/bin/python bench/load_benchmark.py /tmp/x-10k                              # this checkout only
    .venv/bin/python bench/load_benchmark.py /tmp/x-10k --other /tmp/main-src /tmp/x-10k-copy --runs 3

`--other SRC ROOT`: the package in SRC (a folder holding xxgk/, e.g. `git archive main src | tar -x`)
timed on ROOT, a copy of the project of its own (each checkout's code digest keys its own caches, so
the two never share one). Runs alternate between the two, each in a fresh process, first one
untimed load each (it fills the caches after a code change). Each run is timed twice: with nothing
changed, then with a sentence appended to the body of one entry (a different one each run, the same
on both sides), the one-entry commit. Wall and processor seconds of this process (reading in worker
processes, done only for changed entries, is not in the latter).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

_TIMED = """
import json, sys, time
from pathlib import Path
from xxgk.project import load_project
wall, cpu = time.perf_counter(), time.process_time()
project = load_project(Path(sys.argv[1]))
print(json.dumps([time.perf_counter() - wall, time.process_time() - cpu, len(project.problems)]))
"""


def _load(root: Path, src: str | None) -> tuple[float, float, int]:
    env = dict(os.environ)
    if src:
        env["PYTHONPATH"] = src
    done = subprocess.run([sys.executable, "-c", _TIMED, str(root)], env=env, check=True, capture_output=True, text=True)
    return tuple(json.loads(done.stdout.strip().splitlines()[-1]))


def _append(root: Path, src_uri: str, run: int) -> None:
    path = root / "docs" / src_uri
    text = path.read_text(encoding="utf-8") + f"\n测量增量读取时新增的第 {run} 句话。\n"
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("root", type=Path)
    parser.add_argument("--other", nargs=2, metavar=("SRC", "ROOT"))
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    sides = [("this", None, args.root)]
    if args.other:
        sides.append(("other", args.other[0], Path(args.other[1])))
    catalog = args.root / "docs/catalog"
    entries = sorted(p.relative_to(args.root / "docs").as_posix() for p in catalog.glob("*/*/*.md") if p.name != "index.md")
    for _, src, root in sides:
        _load(root, src)  # fills the caches after a code change
    figures: dict[tuple[str, str], list] = {}
    for run in range(args.runs):
        for name, src, root in sides:
            figures.setdefault((name, "nothing changed"), []).append(_load(root, src))
            _append(root, entries[run % len(entries)], run)
            figures.setdefault((name, "one entry changed"), []).append(_load(root, src))
    print(f"load_project on {args.root}" + (f" and {args.other[1]} ({args.other[0]})" if args.other else ""))
    print(f"load average {os.getloadavg()[0]:.2f}")
    for (name, case), found in figures.items():
        walls, cpus = sorted(f[0] for f in found), sorted(f[1] for f in found)
        print(f"{name:6} {case:18} median wall {walls[len(walls) // 2]:6.2f} s  processor {cpus[len(cpus) // 2]:6.2f} s"
              f"  ({len(found)} runs, {found[0][2]} problems)")


if __name__ == "__main__":
    main()
