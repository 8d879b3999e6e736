"""`xxgk new`: a new catalog entry with the next free 索引号, written without clobbering."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from .catalog import CATALOG_DIR, POLICY
from .numbering import next_index_no
from .project import Project
from .yamlio import comment, scalar, write_atomic


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
