"""The official tables as HTML, exactly as the format declares them.

Spans come from the trees; every cell prints a number (a blank or missing one prints 0);
headers are <th> with scope (a spanning header covers the rows or columns it spans).
Every label and value is escaped: formats and reports are data, not markup.
"""

from __future__ import annotations

from html import escape

from .formats import BlockTable, GridTable, Node
from .model import Report, format_number


def _attrs(**values) -> str:
    return "".join(f' {k}="{escape(str(v))}"' for k, v in values.items() if v not in (None, 1))


def _th(label: str, scope: str, **spans) -> str:
    return f"<th scope=\"{scope}\"{_attrs(**spans)}>{escape(label)}</th>"


def _td(text: str, **attrs) -> str:
    return f"<td{_attrs(**attrs)}>{escape(text)}</td>"


def _wrap(name: str, caption: str, kind: str, body: str) -> str:
    # One line: Markdown passes a one-line HTML block through untouched.
    return (f'<div class="xxgk-table-wrap"><table class="xxgk-report-table xxgk-{kind}" '
            f'data-table="{escape(name)}" aria-label="{escape(caption)}">{body}</table></div>')


def block_table_html(table: BlockTable, report: Report, caption: str) -> str:
    body = []
    for block in table.blocks:
        rows = [f"<tr>{_th(block.caption, 'rowgroup', colspan=table.width)}</tr>",
                "<tr>" + _th(table.row_header, "col")
                + "".join(_th(c.label, "col", colspan=c.span) for c in block.columns) + "</tr>"]
        for row in block.rows:
            cells = "".join(_td(report.cell_text(table.name, (block.caption, row, c.label), c), colspan=c.span)
                            for c in block.columns)
            rows.append(f"<tr>{_th(row, 'row')}{cells}</tr>")
        body.append("<tbody>" + "".join(rows) + "</tbody>")
    return _wrap(table.name, caption, "blocks", "".join(body))


def _count(node: Node) -> int:
    return sum(_count(c) for c in node.children) if node.children else 1


def grid_table_html(table: GridTable, report: Report, caption: str) -> str:
    depth, label_cols = table.header_depth, table.label_depth
    head: list[list[str]] = [[] for _ in range(depth)]
    if label_cols:
        head[0].append(_td(table.corner or "", rowspan=depth, colspan=label_cols, **{"class": "xxgk-corner"}))

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
        body.append("<tr>" + "".join(cells) + "</tr>")
    thead = "".join("<tr>" + "".join(cells) + "</tr>" for cells in head)
    return _wrap(table.name, caption, "grid", f"<thead>{thead}</thead><tbody>{''.join(body)}</tbody>")


def table_html(report: Report, name: str, caption: str) -> str:
    table = report.format.tables[name]
    if isinstance(table, BlockTable):
        return block_table_html(table, report, caption)
    return grid_table_html(table, report, caption)


def report_markdown(report: Report, keep=lambda html: html) -> str:
    """The page body in the official order: narrative sections as written, tables inserted.
    `keep` may replace each table's HTML by a placeholder (xxgk.portal.markup.RawHtml)."""
    parts = []
    narrative = report.narrative
    if narrative and narrative.preamble:
        parts.append(narrative.preamble)
    for section in report.format.sections:
        parts.append(f"## {section.title}")
        if section.table:
            parts.append(keep(table_html(report, section.table, section.title)))
            explained = any(r.explainable and r.table == section.table for r in report.format.rules)
            if explained and report.carry_note:
                parts.append(f'<p class="xxgk-note">注：{escape(report.carry_note)}</p>')
        else:
            found = narrative.section(section.title) if narrative else None
            parts.append(found.body if found and found.body else "无。")
    return "\n\n".join(parts) + "\n"
