"""`xxgk new`: a new catalog entry with the next free 索引号, written without clobbering."""

from __future__ import annotations

import os
import re
from datetime import date
from pathlib import Path

from .catalog import CATALOG_DIR, POLICY
from .project import Project
from .yamlio import comment, scalar, write_atomic


_INDEX_LINE = re.compile(r"^索引号[ \t]*:[ \t]*['\"]?([^'\"\s#]+)", re.M)


def _index_nos_on_disk(catalog: Path):
    """索引号 of every entry file as it is on disk now: another xxgk command may have written
    since the project was loaded, so the loaded catalog alone cannot say what is free."""
    for path in catalog.rglob("*.md"):
        try:
            with path.open(encoding="utf-8-sig", errors="replace") as handle:
                head = handle.read(4000)  # the front matter is at the top
        except OSError:
            continue
        match = _INDEX_LINE.search(head)
        if match:
            yield match.group(1)


def next_index_no(project: Project, org_id: str, year: int) -> tuple[str, int]:
    """The next free 索引号 of the org and year. Call it under xxgk.lock.writer_lock."""
    org = project.ref.orgs[org_id]
    prefix = f"{org.code}/{year}-"
    taken = {e.index_no for e in project.catalog.entries if e.index_no}
    taken.update(_index_nos_on_disk(project.docs / CATALOG_DIR))
    used = [int(no[len(prefix):]) for no in taken if no.startswith(prefix) and no[len(prefix):].isdigit()]
    folder = project.docs / CATALOG_DIR / org_id / str(year)
    used += [int(p.stem) for p in folder.glob("*.md") if p.stem.isdigit()]
    serial = max(used, default=0) + 1
    return f"{prefix}{serial:05d}", serial


def new_entry(project: Project, org_id: str, title: str, category: str, topic: str | None,
              today: date) -> Path:
    """Write docs/catalog/<org>/<year>/<serial>.md and return its path. Without `topic`, 主题分类
    stays empty with a pointer to the choices: a guess would be published unnoticed."""
    index_no, serial = next_index_no(project, org_id, today.year)
    path = project.docs / CATALOG_DIR / org_id / str(today.year) / f"{serial:05d}.md"
    roles = "\n".join(f"  {scalar(role)}: {{审查人: , 日期: }}" for role in project.ref.review_roles)
    topic_line = (f"主题分类: {scalar(topic)}\n" if topic else
                  "# 主题分类：从 data/vocab.yml 的“主题分类”中选一项，照原样填写（含反斜杠“\\”）。\n主题分类:\n")
    validity = (f"# 有效性：{comment('、'.join(project.ref.validity))}之一。\n有效性: 有效\n" if category == POLICY else "")
    text = f"""---
索引号: {index_no}
标题: {scalar(title)}
发布机构: {scalar(org_id)}
成文日期: {today.isoformat()}
发布日期: {today.isoformat()}
文号:
{topic_line}信息类别: {scalar(category)}
{validity}关键词: []
内容概述:
# 保密审查：三个环节都填写审查人和日期后，删除下面的“草稿: true”即可发布。
保密审查:
{roles}
草稿: true
---

在此撰写正文。
"""
    write_atomic(path, text, overwrite=False)
    return path


def assign_index_no(project: Project, entry) -> tuple[str, Path]:
    """Give an entry without 索引号 the next free one of its org and 发布日期 year (or today's), and
    name its file after the serial (docs/catalog/swj/2025/草稿.md -> 00012.md), so that its address
    matches its 索引号. Returns the 索引号 and the file's path. Call it under xxgk.lock.writer_lock."""
    if entry.index_no:
        raise ValueError(f"{entry.file} 已有索引号 {entry.index_no}，索引号一经生成不得更改。")
    year = (entry.published or project.today).year
    index_no, serial = next_index_no(project, entry.org, year)
    path = project.root / entry.file
    target = path.with_name(f"{serial:05d}.md")
    if target != path and os.path.lexists(target):
        raise ValueError(f"无法改名：{target.relative_to(project.root).as_posix()} 已存在，未做任何改动。"
                         "请把该条目移到其发布年度的文件夹后重试。")
    lines = path.read_text(encoding="utf-8-sig").splitlines(keepends=True)
    end = next(i for i, line in enumerate(lines[1:], 1) if line.strip() in ("---", "..."))
    blank = next((i for i in range(1, end) if lines[i].split(":")[0].strip() == "索引号"), None)
    given = _INDEX_LINE.match(lines[blank]) if blank is not None else None
    if given:  # another xxgk assign gave it one since the project was loaded
        raise ValueError(f"{entry.file} 已有索引号 {given.group(1)}，索引号一经生成不得更改。")
    if blank is not None:  # an empty 索引号: line from the scaffold
        lines[blank] = f"索引号: {index_no}\n"
    else:
        lines.insert(1, f"索引号: {index_no}\n")
    write_atomic(path, "".join(lines), overwrite=True)
    entry.index_no = index_no  # later assignments in the same run see it
    if target != path:
        os.link(path, target)  # never replaces a file (FileExistsError); the old name goes only after
        os.unlink(path)
        entry.file = target.relative_to(project.root).as_posix()
    return index_no, target
