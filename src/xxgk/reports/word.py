"""A report as a Word document in the official layout: title, sections 一–六 in order, and tables
二、三、四 with their cells merged as the format declares them (python-docx), on A4.

The layout (which cell spans which rows and columns) follows from the format's trees exactly as
the HTML tables of render.py do; every value is the report's settled value, a blank printing 0.
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
import re
import zipfile
from xml.sax.saxutils import escape
from datetime import datetime
from pathlib import Path
from typing import NamedTuple

from ..buildcache import BuildCache
from .formats import BlockTable, GridTable, Node
from .model import Report, format_number

FONT = "宋体"  # the body font of official documents; Word substitutes where it is missing


class Placed(NamedTuple):  # a tuple: 20,000 of them per report set, made twice (layout, plan)
    row: int
    col: int
    rowspan: int
    colspan: int
    text: str
    header: bool


def _count(node: Node) -> int:
    return sum(_count(c) for c in node.children) if node.children else 1


def block_layout(table: BlockTable, report: Report) -> tuple[int, int, list[Placed]]:
    cells, r = [], 0
    for block in table.blocks:
        cells.append(Placed(r, 0, 1, table.width, block.caption, True))
        c = 1
        cells.append(Placed(r + 1, 0, 1, 1, table.row_header, True))
        for column in block.columns:
            cells.append(Placed(r + 1, c, 1, column.span, column.label, True))
            c += column.span
        r += 2
        for row in block.rows:
            cells.append(Placed(r, 0, 1, 1, row, True))
            c = 1
            for column in block.columns:
                text = report.cell_text(table.name, (block.caption, row, column.label), column)
                cells.append(Placed(r, c, 1, column.span, text, False))
                c += column.span
            r += 1
    return r, table.width, cells


def grid_layout(table: GridTable, report: Report) -> tuple[int, int, list[Placed]]:
    depth, labels = table.header_depth, table.label_depth
    cells: list[Placed] = []
    if labels:
        cells.append(Placed(0, 0, depth, labels, table.corner or "", True))

    def columns(nodes, level: int, start: int) -> None:
        for node in nodes:
            leaf = not node.children
            cells.append(Placed(level, start, depth - level if leaf else 1, _count(node), node.label, True))
            columns(node.children, level + 1, start)
            start += _count(node)
    columns(table.col_tree, 0, labels)

    spans: dict[tuple, int] = {}
    for row in table.rows:
        for n in range(1, len(row.path)):
            spans[row.path[:n]] = spans.get(row.path[:n], 0) + 1
    opened: set = set()
    values = report.values[table.name]
    for r, row in enumerate(table.rows):
        at = depth + r
        for n in range(1, len(row.path)):
            if row.path[:n] not in opened:
                opened.add(row.path[:n])
                cells.append(Placed(at, n - 1, spans[row.path[:n]], 1, row.path[n - 1], True))
        if row.path:
            cells.append(Placed(at, len(row.path) - 1, 1, labels - len(row.path) + 1, row.label, True))
        for c, value in enumerate(values[r]):
            cells.append(Placed(at, labels + c, 1, 1, format_number(value), False))
    return depth + len(table.rows), labels + len(table.cols), cells


def layout(report: Report, name: str) -> tuple[int, int, list[Placed]]:
    table = report.format.tables[name]
    return block_layout(table, report) if isinstance(table, BlockTable) else grid_layout(table, report)


def _font(run, size: float | None = None, bold: bool = False) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run.font.name = FONT
    run.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    if size:
        run.font.size = Pt(size)
    run.bold = bold or None


# A paragraph of one run as python-docx writes it (add_paragraph, alignment or indent, add_run, _font).
_RUN = ('<w:p>{props}<w:r><w:rPr><w:rFonts w:ascii="{font}" w:hAnsi="{font}" '
        'w:eastAsia="{font}"/>{bold}<w:sz w:val="{size}"/></w:rPr><w:t>{text}</w:t></w:r></w:p>')
_CENTERED = '<w:pPr><w:jc w:val="center"/></w:pPr>'
_PROPS = {"title": _CENTERED, "body": '<w:pPr><w:ind w:firstLine="480"/></w:pPr>', "heading": ""}  # indent: 24 pt


def _plain_text(text: str) -> bool:
    """Whether python-docx writes `text` as one <w:t> without xml:space (no spaces at its ends, no
    tabs or line breaks, not empty)."""
    return bool(text) and text == text.strip() and not any(ch in text for ch in "\t\n\r")


def _run_xml(text: str, half_points: int, bold: bool, props: str) -> str:
    return _RUN.format(props=props, font=FONT, size=half_points, text=escape(text), bold="<w:b/>" if bold else "")


def _table(doc, rows: int, cols: int, cells: list[Placed], block_width: int | None = None) -> None:
    """The table's rows written as XML in one pass, merged cells as python-docx merges them
    (gridSpan, vMerge restart/continue, widths summed): Table.cell() and _Cell.merge() rebuild
    the whole cell grid on every call, 1.86 s per report. `block_width`: the space between the margins,
    as Document.add_table reads it (an XPath over the whole body on each call)."""
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls, qn
    from docx.table import _Cell
    from docx.text.paragraph import Paragraph

    # Its properties and column grid, as Document.add_table sets them.
    table = doc._body.add_table(0, cols, doc._block_width if block_width is None else block_width)
    table.style = None
    table._tbl.tblStyle_val = "TableGrid"  # the style "Table Grid" by its id: a lookup by name searches styles.xml
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    width = int(table._tbl.tblGrid.gridCol_lst[0].get(qn("w:w"))) if cols else 0
    size = 15 if cols > 8 else 18  # half-points: 7.5 pt in wide tables, 9 pt otherwise
    at: dict[tuple[int, int], Placed] = {}
    for placed in cells:
        for r in range(placed.row, placed.row + placed.rowspan):
            at[(r, placed.col)] = placed
    special: list[tuple[int, Placed]] = []  # texts python-docx writes differently (spaces kept, tabs, breaks)
    xml, count = [], 0
    for r in range(rows):
        xml.append("<w:tr>")
        c = 0
        while c < cols:
            placed = at.get((r, c))
            span = placed.colspan if placed else 1
            props = f'<w:tcW w:type="dxa" w:w="{width * span}"/>' + (f'<w:gridSpan w:val="{span}"/>' if span > 1 else "")
            if placed is None:
                xml.append(f"<w:tc><w:tcPr>{props}</w:tcPr><w:p/></w:tc>")
            elif r > placed.row:
                xml.append(f"<w:tc><w:tcPr>{props}<w:vMerge/></w:tcPr><w:p/></w:tc>")
            else:
                props += '<w:vMerge w:val="restart"/>' if placed.rowspan > 1 else ""
                props += '<w:vAlign w:val="center"/>'
                text = placed.text
                if text and not _plain_text(text):
                    special.append((count, placed))
                    run = f"<w:p>{_CENTERED}</w:p>"
                else:
                    run = _run_xml(text, size, placed.header and placed.row == 0, _CENTERED)
                xml.append(f"<w:tc><w:tcPr>{props}</w:tcPr>{run}</w:tc>")
            count += 1
            c += span
        xml.append("</w:tr>")
    tbl = table._tbl
    for tr in parse_xml(f"<w:tbl {nsdecls('w')}>{''.join(xml)}</w:tbl>").tr_lst:
        tbl.append(tr)
    if special:
        tcs = [tc for tr in tbl.tr_lst for tc in tr.tc_lst]
        for index, placed in special:
            paragraph = Paragraph(tcs[index].p_lst[0], _Cell(tcs[index], table))
            _font(paragraph.add_run(placed.text), size / 2, bold=placed.header and placed.row == 0)


def _plain(markdown: str) -> list[str]:
    """The narrative's paragraphs as text: headings' marks, emphasis and links dropped."""
    out = []
    for block in re.split(r"\n\s*\n", markdown.strip()):
        text = re.sub(r"^#{1,6}\s*", "", block.strip(), flags=re.M)
        text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
        text = re.sub(r"(\*\*|__|\*|`)", "", text)
        text = re.sub(r"<!--.*?-->", "", text, flags=re.S).strip()
        if text:
            out.append(" ".join(line.strip() for line in text.split("\n")))
    return out


def document_plan(report: Report) -> dict:
    """Everything the Word document is made of, as plain values: the writer reads nothing else,
    so the same plan gives the same file (and its hash keys the build cache)."""
    narrative = report.narrative
    blocks: list[list] = [["p", report.title, 16, True, "title"]]

    def body(text: str) -> None:
        blocks.extend(["p", paragraph, 12, False, "body"] for paragraph in _plain(text))

    if narrative and narrative.preamble:
        body(narrative.preamble)
    for part in report.format.sections:
        blocks.append(["p", part.title, 12, True, "heading"])
        if part.table:
            rows, cols, cells = layout(report, part.table)
            blocks.append(["table", rows, cols, [[c.row, c.col, c.rowspan, c.colspan, c.text, c.header] for c in cells]])
            explained = any(r.explainable and r.table == part.table for r in report.format.rules)
            if explained and report.carry_note:
                body(f"注：{report.carry_note}")
        else:
            found = narrative.section(part.title) if narrative else None
            body(found.body if found and found.body else "无。")
    return {"title": report.title, "year": report.year, "author": report.agency, "blocks": blocks}


@functools.cache
def code_version() -> tuple[str, ...]:
    from importlib.metadata import version

    from .. import __version__

    return (__version__, version("python-docx"), hashlib.sha256(Path(__file__).read_bytes()).hexdigest())


def plan_key(plan: dict) -> str:
    """The cache key of a document: its plan and the code that writes it (this file, python-docx)."""
    text = json.dumps([code_version(), plan], ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def write_docx(plan: dict) -> bytes:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls
    from docx.shared import Pt

    # python-docx parses its 800 KB template once per process (our page set on it); each report
    # starts from its empty body. Nothing else in it is changed but the core properties, all set here.
    # One document for the process: the build writes the reports one after another, never in threads.
    doc = _blank()
    _empty(doc.element.body)
    # The same report gives the same file in every build: fixed document dates, fixed zip times.
    stamp = datetime(plan["year"] + 1, 1, 1)
    doc.core_properties.created = doc.core_properties.modified = stamp
    doc.core_properties.title = plan["title"]
    doc.core_properties.author = doc.core_properties.last_modified_by = plan["author"]
    doc.core_properties.revision = 1
    width = doc._block_width  # the same page for every table
    body = doc.element.body
    for block in plan["blocks"]:
        if block[0] == "table":
            _, rows, cols, cells = block
            _table(doc, rows, cols, [Placed._make(c) for c in cells], width)
            continue
        _, text, size, bold, role = block
        if _plain_text(text):  # the paragraph as python-docx writes it, without its per-run lookups
            xml = _run_xml(text, round(size * 2), bold, _PROPS[role])
            body._insert_p(parse_xml(f"<w:body {nsdecls('w')}>{xml}</w:body>")[0])
            continue
        p = doc.add_paragraph()
        if role == "title":
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif role == "body":
            p.paragraph_format.first_line_indent = Pt(24)
        _font(p.add_run(text), size, bold=bold)
    return _save(doc)


def _empty(body) -> None:
    """Remove everything but the section properties from the body (the previous report), in C:
    python-docx's clear_content holds each element by a Python object while it removes it, and lxml
    then moves the whole subtree into a document of its own instead of freeing it."""
    from docx.oxml.ns import qn
    from lxml import etree

    etree.strip_elements(body, *{child.tag for child in body} - {qn("w:sectPr")}, with_tail=False)


@functools.cache
def _blank():
    import docx

    return _page(docx.Document())


def _page(doc):
    """A4, with the margins of an official document."""
    from docx.shared import Mm

    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(20)
    section.top_margin = section.bottom_margin = Mm(25)
    return doc


class _FixedTimeZip:
    """python-docx's package writer, minus its own zip: each member is written once, with a fixed
    time (python-docx's save stamps the current one, which made us compress every part twice)."""

    def __init__(self, out: io.BytesIO):
        self._zip = zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED)

    def write(self, pack_uri, blob: bytes) -> None:
        info = zipfile.ZipInfo(pack_uri.membername, date_time=(1980, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        self._zip.writestr(info, blob)

    def close(self) -> None:
        self._zip.close()


def _save(doc) -> bytes:
    """doc.save, as python-docx (1.x) writes a package: content types, package relations, parts."""
    from docx.opc.pkgwriter import PackageWriter

    package = doc.part.package
    for part in package.parts:
        part.before_marshal()
    out = io.BytesIO()
    writer = _FixedTimeZip(out)
    PackageWriter._write_content_types_stream(writer, package.parts)
    PackageWriter._write_pkg_rels(writer, package.rels)
    for part in package.parts:  # as PackageWriter._write_parts
        writer.write(part.partname, part.blob)
        if len(part.rels):
            writer.write(part.partname.rels_uri, part.rels.xml)
    writer.close()
    return out.getvalue()


def report_docx(report: Report, cache: BuildCache | None = None, key: str | None = None) -> bytes:
    """The report as a .docx; taken from the build cache when the same plan was written before.
    `key`: its docx_key, when known already."""
    if cache is None:
        return write_docx(document_plan(report))
    key = key if key is not None else docx_key(report)
    found = cache.get("word", key)
    if found is None:
        found = write_docx(document_plan(report))
        cache.put("word", key, found)
    return found


def docx_key(report: Report) -> str:
    """The key under which report_docx keeps the report's document: its plan and the code that writes it."""
    return plan_key(document_plan(report))
