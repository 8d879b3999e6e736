"""索引号: one sequence per organisation and year for everything that carries one, and one check.

Catalog entries (docs/catalog/) and annual reports (data/reports/<org>/<year>.yml: a report is the
catalog's entry for itself, xxgk.reports.listing) share the sequence “机构代码/年份-流水号”. Every
command that hands out a number (`xxgk new`, `assign`, `import`, `report new`, and `assign` in the
web editor's CI job) asks next_index_no under xxgk.lock.writer_lock, which reads the files as they
are on disk then. check_unique reads the numbers of both kinds of document.

Functions that take `project` expect a loaded xxgk.project.Project (root, ref, catalog, reports,
today); this module sits below project.py, so it does not import it.
"""

from __future__ import annotations

import os
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .catalog import CATALOG_DIR
from .problems import ERROR, Problem, Problems
from .reports.model import REPORTS_DIR
from .yamlio import write_atomic

# An 索引号 line of front matter or of a report's YAML: top level, value unquoted or quoted.
INDEX_LINE = re.compile(r"^索引号[ \t]*:[ \t]*['\"]?([^'\"\s#]+)", re.M)
_KEY_LINE = re.compile(r"^索引号[ \t]*:")
_EMPTY = {"null", "Null", "NULL", "~"}  # YAML's ways of writing nothing
HEAD_CHARS = 4000  # an entry's front matter, where its 索引号 is
REPORT_CHARS = 1_000_000  # a report's YAML is read whole, up to this much


@dataclass(frozen=True)
class Numbered:
    """A document that carries an 索引号, as the check sees it."""
    index_no: str
    file: str  # relative to the project root
    line: int
    draft: bool
    published: date | None

    def seniority(self) -> tuple:
        """Smaller keeps its number: published before draft, then the earlier 发布日期, then the file."""
        return (self.draft, self.published or date.max, self.file)


def documents(catalog, reports) -> list[Numbered]:
    """Every catalog entry and annual report that has an 索引号."""
    found = [Numbered(e.index_no, e.file, e.line("索引号"), e.draft, e.published)
             for e in catalog.entries if e.index_no]
    found += [Numbered(r.index_no, r.file, r.lines.get(("索引号",), 1), r.draft, r.published)
              for r in reports if r.index_no]
    return found


def renumber_hint(file: str) -> str:
    return f"xxgk assign --renumber-taken {file}"


def check_unique(found: list[Numbered], problems: Problems) -> None:
    """An 索引号 names one document in the whole portal. Of two documents with the same number the
    message goes to the one to renumber: a draft rather than a published one, else the newer."""
    by_number: dict[str, list[Numbered]] = defaultdict(list)
    for doc in found:
        by_number[doc.index_no].append(doc)
    for number, docs in by_number.items():
        if len(docs) < 2:
            continue
        keep, *others = sorted(docs, key=Numbered.seniority)
        kept = "已发布" if not keep.draft else "草稿"
        for doc in others:
            this = "本草稿" if doc.draft else ("发布较晚的本文件" if not keep.draft else "本文件")
            problem = Problem(ERROR, doc.file, doc.line, "索引号",
                              f"“{number}”与 {keep.file}（{kept}）的索引号重复；索引号在全站必须唯一。请为{this}重新编号："
                              f"运行 {renumber_hint(doc.file)}，{keep.file} 保持原号。")
            problems.append(problem.in_draft() if doc.draft else problem)


# --- handing out numbers ------------------------------------------------------------------------

def _numbers_in(path: str, limit: int) -> str | None:
    try:
        with open(path, encoding="utf-8-sig", errors="replace") as handle:
            match = INDEX_LINE.search(handle.read(limit))
    except OSError:
        return None
    return match.group(1) if match and match.group(1) not in _EMPTY else None


# path -> ((inode, mtime, size), 索引号 or None): a command that numbers many files (import of a
# folder, assign in CI) reads each file once, and after that only the files that changed.
_read_cache: dict[str, tuple[tuple, str | None]] = {}


def _number_of(path: str, limit: int) -> str | None:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    key = (stat.st_ino, stat.st_mtime_ns, stat.st_size)
    cached = _read_cache.get(path)
    if cached is None or cached[0] != key:
        cached = _read_cache[path] = (key, _numbers_in(path, limit))
    return cached[1]


def numbers_on_disk(root: Path) -> dict[str, set[str]]:
    """索引号 -> files (relative to the root) holding it, as the files are on disk now: another xxgk
    command may have written since the project was loaded, so the loaded project alone cannot say."""
    base = os.path.join(str(root), "")
    sources = [(os.path.join(folder, name), HEAD_CHARS) for folder, _, names in os.walk(root / "docs" / CATALOG_DIR)
               for name in names if name.endswith(".md")]  # os.walk and strings: 10,000 files in a blink
    sources += [(str(p), REPORT_CHARS) for p in (root / REPORTS_DIR).glob("*/*.yml")]
    found: dict[str, set[str]] = defaultdict(set)
    for path, limit in sources:
        number = _number_of(path, limit)
        if number:
            found[number].add(path[len(base):].replace(os.sep, "/"))
    return found


def taken_numbers(project) -> dict[str, set[str]]:
    """What the loaded project holds, and what the disk holds now."""
    found = numbers_on_disk(project.root)
    for doc in documents(project.catalog, project.reports):
        found[doc.index_no].add(doc.file)
    return found


def next_index_no(project, org_id: str, year: int) -> tuple[str, int]:
    """The next free 索引号 of the org and year, after every entry and report that has one.
    Call it under xxgk.lock.writer_lock."""
    org = project.ref.orgs[org_id]
    prefix = f"{org.code}/{year}-"
    used = [int(no[len(prefix):]) for no in taken_numbers(project)
            if no.startswith(prefix) and no[len(prefix):].isdigit()]
    folder = project.docs / CATALOG_DIR / org_id / str(year)
    used += [int(p.stem) for p in folder.glob("*.md") if p.stem.isdigit()]  # a file of that name, numbered or not
    serial = max(used, default=0) + 1
    return f"{prefix}{serial:05d}", serial


def report_year(report_year_: int, today: date) -> int:
    """The year of a report's 索引号 before its 发布日期 is known: it is published the year after
    the one it reports on, or now when that is later."""
    return max(report_year_ + 1, today.year)


def taken_elsewhere(project, number: str, file: str) -> list[str]:
    """Other files that hold `number`."""
    return sorted(taken_numbers(project).get(number, set()) - {file})


@dataclass
class Assigned:
    old: str  # the file as it was named, relative to the root
    new: str  # the file now (renamed after its serial, for an entry)
    index_no: str
    replaced: str | None = None  # the number it had, taken by another file


def _set_index_line(path: Path, number: str, at_top: bool) -> None:
    """Write `索引号: number` in place of the file's 索引号 line, or add one. An entry's line is in its
    front matter (`at_top`), a report's at the top level of its YAML."""
    lines = path.read_text(encoding="utf-8-sig").splitlines(keepends=True)
    if at_top:
        end = next(i for i, line in enumerate(lines[1:], 1) if line.strip() in ("---", "..."))
        where = next((i for i in range(1, end) if _KEY_LINE.match(lines[i])), None)
    else:
        where = next((i for i, line in enumerate(lines) if _KEY_LINE.match(line)), None)
    if where is not None:
        lines[where] = f"索引号: {number}\n"
    elif at_top:
        lines.insert(1, f"索引号: {number}\n")
    else:  # after 发布日期, or else after the comments that open the file
        date_line = next((i + 1 for i, line in enumerate(lines) if line.startswith("发布日期:")), None)
        first = date_line or next((i for i, line in enumerate(lines) if line.strip() and not line.startswith("#")),
                                  len(lines))
        lines.insert(first, f"索引号: {number}\n")
    write_atomic(path, "".join(lines), overwrite=True)


def assign_entry(project, entry, renumber_taken: bool = False) -> Assigned | None:
    """Give an entry without 索引号 the next free one of its org and 发布日期 year (or today's), and
    name its file after the serial (docs/catalog/swj/2025/草稿.md -> 00012.md), so that its address
    matches its 索引号. With `renumber_taken`, an entry whose 索引号 another file also holds gets a new
    one too (the web editor's CI job: an entry that a merge request adds was never published), and
    one whose number is its own is left alone (None). Call it under xxgk.lock.writer_lock."""
    path = project.root / entry.file
    current = _numbers_in(str(path), HEAD_CHARS)  # another xxgk assign may have given it one since loading
    replaced = None
    if current:
        if not renumber_taken:
            raise ValueError(f"{entry.file} 已有索引号 {current}，索引号一经生成不得更改。")
        if not taken_elsewhere(project, current, entry.file):
            return None
        replaced = current
    year = (entry.published or project.today).year
    index_no, serial = next_index_no(project, entry.org, year)
    target = path.with_name(f"{serial:05d}.md")
    if target != path and os.path.lexists(target):
        raise ValueError(f"无法改名：{target.relative_to(project.root).as_posix()} 已存在，未做任何改动。"
                         "请把该条目移到其发布年度的文件夹后重试。")
    _set_index_line(path, index_no, at_top=True)
    entry.index_no = index_no  # later assignments in the same run see it
    old = entry.file
    if target != path:
        os.link(path, target)  # never replaces a file (FileExistsError); the old name goes only after
        os.unlink(path)
        entry.file = target.relative_to(project.root).as_posix()
    return Assigned(old, entry.file, index_no, replaced)


def assign_report(project, report, renumber_taken: bool = False) -> Assigned | None:
    """Give an annual report (data/reports/<org>/<year>.yml) without 索引号 the next free one of its
    org and 发布日期 year (report_year before the date is known). `renumber_taken` as for entries."""
    path = project.root / report.file
    current = _numbers_in(str(path), REPORT_CHARS)
    replaced = None
    if current:
        if not renumber_taken:
            raise ValueError(f"{report.file} 已有索引号 {current}，索引号一经生成不得更改。")
        if not taken_elsewhere(project, current, report.file):
            return None
        replaced = current
    year = report.published.year if report.published else report_year(report.year, project.today)
    index_no, _ = next_index_no(project, report.org, year)
    _set_index_line(path, index_no, at_top=False)
    report.index_no = index_no
    return Assigned(report.file, report.file, index_no, replaced)
