"""法定主动公开内容: the fifteen items of 条例第二十条, each with the published entries that
fulfil it (an entry's 第二十条 field) — by organisation at a glance, then item by item.
An item without any entry is shown as such, never hidden.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..catalog import Entry
from . import urls
from .guide import entry_table
from .markup import heading, link, page, table, text

if TYPE_CHECKING:
    from ..project import Project


def anchor(number: int) -> str:
    return f"item-{number}"


def fulfilled(project: Project) -> dict[str, list[Entry]]:
    """Published entries by item （一）…（十五）, in the order of data/vocab.yml, newest first."""
    found: dict[str, list[Entry]] = {item: [] for item in project.ref.article20}
    for entry in project.published():
        for item in entry.article20:
            found[item].append(entry)
    return found


def page_markdown(project: Project) -> str:
    base = urls.MANDATORY
    items = fulfilled(project)
    orgs = list(project.ref.orgs.values())
    rows = []
    for number, (item, entries) in enumerate(items.items(), 1):
        counts = [sum(1 for e in entries if e.org == o.id) for o in orgs]
        total = (f'<td data-sort="{len(entries)}">{link(f"{len(entries)} 条", f"{base}#{anchor(number)}", base)}</td>'
                 if entries else '<td class="xxgk-missing" data-sort="0">暂无</td>')
        rows.append([text(item), text(project.ref.article20[item]),
                     *(str(n) if n else '<td class="xxgk-zero">0</td>' for n in counts), total])
    summary = table(["项", "内容", *(text(o.short_name) for o in orgs), "合计"], rows,
                    cls="xxgk-plain xxgk-article20", label="第二十条各项已公开信息数量", row_headers=True)
    empty = [item for item, entries in items.items() if not entries]
    blocks = [
        "<p>《中华人民共和国政府信息公开条例》第二十条规定行政机关应当主动公开的十五项政府信息。"
        "下表列出每一项已公开的信息数量（按发布机构），其后逐项列出这些信息；没有公开信息的项目标明“暂无”。</p>",
        f'<p class="xxgk-note">{len(items) - len(empty)} 项已有公开信息'
        + (f"，{len(empty)} 项暂无：{text('、'.join(empty))}" if empty else "") + "。</p>",
        summary,
    ]
    for number, (item, entries) in enumerate(items.items(), 1):
        blocks.append(heading(2, f"{item}{project.ref.article20[item]}", anchor(number)))
        blocks.append(entry_table(project, entries, base, f"第二十条{item}已公开信息") if entries
                      else '<p class="xxgk-empty">暂无已公开的信息。</p>')
    return page("法定主动公开内容", blocks, hide=("navigation",))


def pages(project: Project) -> dict[str, str]:
    return {urls.src(urls.MANDATORY): page_markdown(project)}
