"""The memory of loading a project (issue 24, point 5): what every build job, shard or merge, pays
before any page is rendered: reading the entries (or the entry cache), the checks, the catalog.

Runs `load_project` of a project in a child process and samples the resident memory of that
process and its children (the reading workers) every 50 ms from /proc, as bench/build_benchmark.py
does for a build. `--cold` removes the project's entry cache (.cache/xxgk/entries) first; otherwise
the cache the previous load left is used. With `--tracemalloc` the child also prints the 15 largest
allocation sites still alive after the load (tracing slows the load about twofold).

    .venv/bin/python bench/load_memory.py /tmp/mem-100k --cold
    .venv/bin/python bench/load_memory.py /tmp/mem-100k          # warm: the cache the cold load wrote
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from build_benchmark import ENV, _tree_rss, mb  # noqa: E402

CHILD = r'''
import gc, resource, sys, time, tracemalloc
from pathlib import Path
from xxgk.project import load_project
trace = sys.argv[2] == "1"
if trace:
    tracemalloc.start(6)
start = time.perf_counter()
project = load_project(Path(sys.argv[1]))
took = time.perf_counter() - start
gc.collect()
with open("/proc/self/status") as f:
    rss = next(int(line.split()[1]) for line in f if line.startswith("VmRSS")) * 1024
print(f"entries {len(project.catalog.entries)}, problems {len(project.problems)}, load {took:.1f} s, "
      f"RSS after the load {rss / 2**20:,.0f} MB, own peak {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB")
if trace:
    current, peak = tracemalloc.get_traced_memory()
    print(f"traced: {current / 2**20:,.0f} MB alive after the load, {peak / 2**20:,.0f} MB at its peak")
    for stat in tracemalloc.take_snapshot().statistics("lineno")[:15]:
        print(f"  {stat.size / 2**20:8,.1f} MB {stat.count:>9,}  {stat.traceback[0]}")
'''


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("project", type=Path)
    parser.add_argument("--cold", action="store_true", help="remove the entry cache first")
    parser.add_argument("--tracemalloc", action="store_true")
    args = parser.parse_args()
    if args.cold:
        shutil.rmtree(args.project / ".cache" / "xxgk" / "entries", ignore_errors=True)
    cmd = [sys.executable, "-c", CHILD, str(args.project.resolve()), "1" if args.tracemalloc else "0"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = subprocess.Popen(cmd, env=ENV, stdout=subprocess.PIPE, text=True, start_new_session=True)
    start, peak, peak_at = time.perf_counter(), 0, 0.0
    while proc.poll() is None:
        rss = _tree_rss(proc.pid)
        if rss > peak:
            peak, peak_at = rss, time.perf_counter() - start
        time.sleep(0.05)
    out = proc.stdout.read()
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)  # the load and its reading workers
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    print(out, end="")
    print(f"{'cold' if args.cold else 'warm'} load of {args.project}: {wall:.1f} s ({cpu:.1f} s of processor time, "
          f"load average {os.getloadavg()[0]:.1f}), "
          f"peak of the process tree {mb(peak)} at {peak_at:.1f} s")
    if proc.returncode:
        sys.exit(proc.returncode)


if __name__ == "__main__":
    main()
