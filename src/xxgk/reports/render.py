"""The official tables as HTML, exactly as the format declares them.

Spans come from the trees; every cell prints a number (a blank or missing one prints 0);
headers are <th> with scope (a spanning header covers the rows or columns it spans).
Here the cells are laid out; templates/xxgk/partials/report-table.html writes them, escaping every
label and value: formats and reports are data, not markup.
"""

from __future__ import annotations

import functools
from pathlib import Path

from ..fragments import Fragments
from ..templating import render

from .formats import BlockTable, GridTable, Node
from .model import Report, format_number


def _th(label: str, scope: str, colspan: int = 1, rowspan: int = 1) -> dict:
    return {"tag": "th", "text": label, "scope": scope, "colspan": colspan, "rowspan": rowspan, "cls": None}


def _td(text: str, colspan: int = 1, rowspan: int = 1, cls: str | None = None) -> dict:
    return {"tag": "td", "text": text, "scope": None, "colspan": colspan, "rowspan": rowspan, "cls": cls}


def block_table(table: BlockTable, report: Report) -> tuple[list, list]:
    """(head rows, bodies): a block table has one tbody per block, each with its caption and columns."""
    bodies = []
    for block in table.blocks:
        rows = [[_th(block.caption, "rowgroup", colspan=table.width)],
                [_th(table.row_header, "col")] + [_th(c.label, "col", colspan=c.span) for c in block.columns]]
        for row in block.rows:
            rows.append([_th(row, "row")] + [_td(report.cell_text(table.name, (block.caption, row, c.label), c),
                                                 colspan=c.span) for c in block.columns])
        bodies.append(rows)
    return [], bodies


def _count(node: Node) -> int:
    return sum(_count(c) for c in node.children) if node.children else 1


def grid_table(table: GridTable, report: Report) -> tuple[list, list]:
    """(head rows, bodies): the column tree as header rows, the row tree as spanning row headers."""
    depth, label_cols = table.header_depth, table.label_depth
    head: list[list[dict]] = [[] for _ in range(depth)]
    if label_cols:
        head[0].append(_td(table.corner or "", rowspan=depth, colspan=label_cols, cls="xxgk-corner"))

    def columns(nodes, level):
        for node in nodes:
            leaf = not node.children
            head[level].append(_th(node.label, "col", colspan=_count(node), rowspan=depth - level if leaf else 1))
            columns(node.children, level + 1)
    columns(table.col_tree, 0)

    first_rows: dict[tuple, int] = {}  # label path of a row group -> how many rows it spans
    for row in table.rows:
        for n in range(1, len(row.path)):
            first_rows[row.path[:n]] = first_rows.get(row.path[:n], 0) + 1
    values = report.values[table.name]
    body, opened = [], set()
    for r, row in enumerate(table.rows):
        cells = []
        for n in range(1, len(row.path)):
            group = row.path[:n]
            if group not in opened:
                opened.add(group)
                cells.append(_th(group[-1], "row", rowspan=first_rows[group]))
        if row.path:
            cells.append(_th(row.label, "row", colspan=label_cols - len(row.path) + 1))
        cells += [_td(format_number(v)) for v in values[r]]
        body.append(cells)
    return head, [body]


def table_html(report: Report, name: str, caption: str, root: Path | None = None,
               fragments: Fragments | None = None, made_of: str | None = None) -> str:
    """`fragments`: where a table rendered before with the same cells is found (xxgk.fragments);
    `made_of`: what the report is made of (ReportSet.made_of), by which the table is found without
    laying out its cells."""
    if fragments is not None and made_of is not None:
        return fragments.made(f"report table {name}", [made_of, caption],
                              lambda: table_html(report, name, caption, root))
    table = report.format.tables[name]
    kind, build = ("blocks", block_table) if isinstance(table, BlockTable) else ("grid", grid_table)
    head, bodies = build(table, report)
    make = fragments.render if fragments is not None else functools.partial(render, root)
    return make("xxgk/partials/report-table.html", base="", head=head, bodies=bodies,
                t={"name": name, "caption": caption, "kind": kind})


def report_markdown(report: Report, keep=lambda html: html, root: Path | None = None,
                    fragments: Fragments | None = None, made_of: str | None = None) -> str:
    """The page body in the official order: narrative sections as written, tables inserted.
    `keep` may replace each table's HTML by a placeholder (xxgk.portal.markup.RawHtml); `root`: the
    project, whose overrides/ may restyle the tables; `fragments`: the tables rendered before (the
    project's, xxgk.fragments); `made_of`: see table_html."""
    make = fragments.render if fragments is not None else functools.partial(render, root)
    parts = []
    narrative = report.narrative
    if narrative and narrative.preamble:
        parts.append(narrative.preamble)
    for section in report.format.sections:
        parts.append(f"## {section.title}")
        if section.table:
            parts.append(keep(table_html(report, section.table, section.title, root, fragments, made_of)))
            explained = any(r.explainable and r.table == section.table for r in report.format.rules)
            if explained and report.carry_note:
                parts.append(make("xxgk/partials/report-note.html", base="", note=report.carry_note))
        else:
            found = narrative.section(section.title) if narrative else None
            parts.append(found.body if found and found.body else "无。")
    return "\n\n".join(parts) + "\n"
