"""Who holds a build's memory, and when (issue 24, point 5).

Builds a project (`mkdocs build`, cold: the project's `.cache/xxgk` is removed first unless `--warm`) and
samples the resident memory of every process of the build's tree separately (our MkDocs process, the
Pagefind `--service` binary, reading workers) from /proc every `--interval` seconds. A throw-away MkDocs
hook, added to a copy of the project's mkdocs.yml (`mkdocs-memprof.yml`, never the portal's own file), notes
the time of the build's events (configuration, files, nav, pages every 1,000, post-build before and after the
plugins), so each peak can be placed in a phase.

    .venv/bin/python bench/generate_portal.py --count 10000 --scale --out /tmp/p10k
    .venv/bin/python bench/memory_profile.py /tmp/p10k/project [--tracemalloc] [--series FILE]

With `--tracemalloc` the hook traces the Python side's allocations and prints the 25 largest sites at the
moment our process's traced memory peaked (tracing slows the build about twofold: use it for the Python
side's shares, not for times).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

BIN = Path(sys.executable).parent
PAGE = os.sysconf("SC_PAGE_SIZE")
CONFIG = "mkdocs-memprof.yml"

HOOK = r'''
import json, os, time, tracemalloc
from mkdocs.plugins import event_priority

_OUT = os.environ["XXGK_MEMPROF_EVENTS"]
_TRACE = os.environ.get("XXGK_MEMPROF_TRACE")
_pages = 0
_peak = [0, None]


def _note(event):
    with open(_OUT, "a", encoding="utf-8") as f:
        f.write(json.dumps({"t": time.time(), "event": event}) + "\n")


def _snapshot_if_peak():
    if not _TRACE:
        return
    current, _ = tracemalloc.get_traced_memory()
    if current > _peak[0] * 1.02:
        _peak[0] = current
        _peak[1] = tracemalloc.take_snapshot()


@event_priority(100)
def on_config(config):
    if _TRACE and not tracemalloc.is_tracing():
        tracemalloc.start(8)
    _note("config")


@event_priority(-100)
def on_files(files, config):
    _note("files")


@event_priority(-100)
def on_nav(nav, config, files):
    _note("nav")


@event_priority(-100)
def on_post_page(output, page, config):
    global _pages
    _pages += 1
    if _pages == 1 or _pages % 1000 == 0:
        _note(f"page {_pages}")
        _snapshot_if_peak()
    return output


@event_priority(100)
def on_post_build(config):
    _note(f"post_build start ({_pages} pages)")
    _snapshot_if_peak()


def on_shutdown():
    _note("shutdown")
    if _TRACE and _peak[1] is not None:
        stats = _peak[1].statistics("traceback")
        with open(_TRACE, "w", encoding="utf-8") as f:
            f.write(f"traced peak sampled: {_peak[0] / 2**20:.1f} MB\n")
            for stat in stats[:25]:
                f.write(f"{stat.size / 2**20:8.1f} MB {stat.count:9d} blocks\n")
                for line in stat.traceback.format()[-8:]:
                    f.write("    " + line + "\n")
'''


def processes(root: int) -> dict[int, tuple[str, int]]:
    """pid -> (command name, RSS bytes) for root and all its descendants."""
    children: dict[int, list[int]] = {}
    info: dict[int, tuple[str, int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as f:
                raw = f.read()
            name = raw[raw.index(b"(") + 1:raw.rindex(b")")].decode(errors="replace")
            fields = raw.rsplit(b")", 1)[1].split()
            pid = int(entry.name)
            children.setdefault(int(fields[1]), []).append(pid)
            info[pid] = (name, int(fields[21]) * PAGE)
        except (OSError, IndexError, ValueError):
            continue
    tree, todo = {}, [root]
    while todo:
        pid = todo.pop()
        if pid in info:
            tree[pid] = info[pid]
        todo.extend(children.get(pid, []))
    return tree


def mb(n: float) -> str:
    return f"{n / 2**20:,.0f} MB"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="构建内存：逐进程采样常驻内存，按构建阶段标注")
    parser.add_argument("project", type=Path)
    parser.add_argument("--site", type=Path, help="输出目录（默认 <project>/../site-memprof）")
    parser.add_argument("--interval", type=float, default=0.2)
    parser.add_argument("--warm", action="store_true", help="保留 .cache/xxgk（默认先删除：冷构建）")
    parser.add_argument("--tracemalloc", action="store_true", help="跟踪 Python 一侧的分配，报告峰值时的前 25 处")
    parser.add_argument("--series", type=Path, help="把采样序列写成 JSON 行")
    parser.add_argument("--hook", type=Path, action="append", default=[], help="再加一个 MkDocs hook（试验用）")
    parser.add_argument("--timeout", type=float, default=3600)
    args = parser.parse_args(argv)

    project = args.project.resolve()
    site = (args.site or project.parent / "site-memprof").resolve()
    work = project.parent / "memprof"
    work.mkdir(exist_ok=True)
    hook, events, trace = work / "memprof_hook.py", work / "events.jsonl", work / "tracemalloc.txt"
    hook.write_text(HOOK, encoding="utf-8")
    for stale in (events, trace):
        stale.unlink(missing_ok=True)
    text = (project / "mkdocs.yml").read_text(encoding="utf-8")
    hooks = "".join(f"  - {h}\n" for h in [hook, *(h.resolve() for h in args.hook)])
    (project / CONFIG).write_text(text + f"\nhooks:\n{hooks}", encoding="utf-8")
    if not args.warm:
        shutil.rmtree(project / ".cache" / "xxgk", ignore_errors=True)
    if site.exists():
        shutil.rmtree(site)

    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", XXGK_MEMPROF_EVENTS=str(events),
               XXGK_PHASES=str(work / "phases.json"))
    if args.tracemalloc:
        env["XXGK_MEMPROF_TRACE"] = str(trace)
    cmd = [str(BIN / "mkdocs"), "build", "-q", "-f", str(project / CONFIG), "-d", str(site)]
    start = time.time()
    proc = subprocess.Popen(cmd, cwd=project, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            start_new_session=True)
    samples = []  # (seconds, {label: rss}, total)
    names: dict[int, str] = {}
    try:
        while proc.poll() is None:
            tree = processes(proc.pid)
            by_label: dict[str, int] = {}
            for pid, (name, rss) in tree.items():
                label = "mkdocs (ours)" if pid == proc.pid else f"{name}[{pid}]"
                names[pid] = label
                by_label[label] = rss
            samples.append((time.time() - start, by_label, sum(by_label.values())))
            if time.time() - start > args.timeout:
                os.killpg(proc.pid, 9)
                raise TimeoutError("build timed out")
            time.sleep(args.interval)
    finally:
        err = proc.stderr.read() if proc.stderr else b""
        proc.wait()
    wall = time.time() - start
    if proc.returncode != 0:
        print(err.decode(errors="replace")[-3000:], file=sys.stderr)
        return 1

    marks = [json.loads(line) for line in events.read_text(encoding="utf-8").splitlines()]
    for mark in marks:
        mark["s"] = mark["t"] - start

    def phase_at(s: float) -> str:
        current = "start"
        for mark in marks:
            if mark["s"] <= s:
                current = mark["event"]
        return current

    print(f"project {project}, {wall:.1f} s wall, {len(samples)} samples every {args.interval} s")
    print("events: " + "; ".join(f"{m['event']} {m['s']:.1f} s" for m in marks))
    labels = sorted({label for _, by, _ in samples for label in by})
    print(f"{'process':32} {'peak RSS':>10} {'at':>8}  after event")
    for label in labels:
        at, peak = max(((s, by.get(label, 0)) for s, by, _ in samples), key=lambda x: x[1])
        print(f"{label:32} {mb(peak):>10} {at:7.1f}s  {phase_at(at)}")
    at, by, total = max(samples, key=lambda x: x[2])
    print(f"{'tree (sum)':32} {mb(total):>10} {at:7.1f}s  {phase_at(at)}  = "
          + " + ".join(f"{label} {mb(rss)}" for label, rss in sorted(by.items(), key=lambda x: -x[1]) if rss > 2**24))
    print("RSS at each event (tree; largest processes):")
    for mark in marks:
        near = min(samples, key=lambda x: abs(x[0] - mark["s"]))
        print(f"  {mark['s']:7.1f}s {mark['event']:28} tree {mb(near[2]):>9}  "
              + ", ".join(f"{label} {mb(rss)}" for label, rss in sorted(near[1].items(), key=lambda x: -x[1])
                          if rss > 2**24))
    if (work / "phases.json").exists():
        print("phases (s): " + (work / "phases.json").read_text(encoding="utf-8"))
    if args.series:
        with args.series.open("w", encoding="utf-8") as f:
            for s, by, total in samples:
                f.write(json.dumps({"s": round(s, 2), "total": total, **by}) + "\n")
    if args.tracemalloc and trace.exists():
        print(trace.read_text(encoding="utf-8"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
