"""Published reports as they come: saved HTML pages, Word (.docx) files and PDFs with a text layer,
read into one shape — the title candidates, the text paragraphs in order, and the tables as rows
of cells with their spans expanded (a spanned cell repeats, marked as not the row's own).

Parsing is left to well-kept libraries: lxml for HTML, python-docx for Word, pdfplumber for PDF.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .. import htmlmd, pdftext

SUFFIXES = {".html": "html", ".htm": "html", ".shtml": "html", ".docx": "docx", ".pdf": "pdf"}


class SourceError(Exception):
    """A file that cannot be read as a report: the Chinese message says what was not found."""


@dataclass
class Cell:
    text: str
    origin: int  # the same number for every grid position a merged cell covers
    own: bool  # False where a cell spans down from an earlier row (or right, from an earlier column)


@dataclass
class Document:
    file: str
    titles: list[str] = field(default_factory=list)  # candidates, best first
    paragraphs: list[str] = field(default_factory=list)  # text outside the tables, in order
    tables: list[list[list[Cell]]] = field(default_factory=list)


def read_document(path: Path, file: str) -> Document:
    kind = SUFFIXES.get(path.suffix.lower())
    if kind is None:
        raise SourceError(f"不支持的文件类型“{path.suffix or '无扩展名'}”；可导入网页（.html）、Word（.docx）和带文字层的 PDF。")
    data = path.read_bytes()
    if kind == "html":
        return _read_html(data, file)
    if kind == "docx":
        return _read_docx(path, file)
    return _read_pdf(path, file)


# All the tables of one report hold about 2,000 cells; merged cells are counted for every position
# they cover. Each span is clamped (_span), but 3,000 cells of 100 × 100 still made 30 million grid
# positions (7 GB): the document's total is capped, not only each span.
MAX_GRID_CELLS = 100_000


def _count_cells(count: int, added: int, where: str) -> int:
    """`count` + `added` grid positions, or SourceError past MAX_GRID_CELLS."""
    count += added
    if count > MAX_GRID_CELLS:
        raise SourceError(f"{where}的表格展开合并单元格（rowspan、colspan）后超过 {MAX_GRID_CELLS} 个单元格，"
                          "不是年度报告的表格，未导入。请检查原文中这张表格的合并单元格，或删除它后再导入。")
    return count


def _cells_from_spans(rows: list[list[tuple[str, int, int]]], start: int) -> list[list[Cell]]:
    """(text, rowspan, colspan) rows -> a grid with every span expanded."""
    grid: dict[tuple[int, int], Cell] = {}
    origin = start
    width = 0
    for r, row in enumerate(rows):
        c = 0
        for text, rowspan, colspan in row:
            while (r, c) in grid:
                c += 1
            origin += 1
            for dr in range(max(rowspan, 1)):
                for dc in range(max(colspan, 1)):
                    grid[(r + dr, c + dc)] = Cell(text, origin, dr == 0 and dc == 0)
            c += max(colspan, 1)
            width = max(width, c)
    return [[grid[(r, c)] for c in range(width) if (r, c) in grid] for r in range(len(rows))]


# --- HTML ----------------------------------------------------------------------------------------

_BLOCKS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "section", "article", "center"}


def _span(value) -> int:
    try:
        return max(1, min(int(str(value).strip() or 1), 100))
    except ValueError:
        return 1


def _html_text(element) -> str:
    return "".join(element.itertext()).replace("\xa0", " ").strip()


def _read_html(data: bytes, file: str) -> Document:
    import lxml.html

    try:
        root = lxml.html.document_fromstring(htmlmd.decode(data))
    except (ValueError, lxml.etree.ParserError):
        raise SourceError("网页无法读取：内容为空或不是 HTML。") from None
    for br in root.iter("br"):  # a line break inside a cell or paragraph is a line of text
        br.tail = "\n" + (br.tail or "")
    for junk in root.xpath("//script|//style|//noscript"):
        junk.drop_tree()
    doc = Document(file)
    # Report tables are the innermost ones: old portals lay whole pages out in tables.
    tables = [t for t in root.iter("table") if not t.xpath(".//table")]
    origin, count = 0, 0
    for table in tables:
        rows = []
        for tr in table.xpath("./tr|./thead/tr|./tbody/tr|./tfoot/tr"):
            rows.append([(_html_text(td), _span(td.get("rowspan")), _span(td.get("colspan")))
                         for td in tr.xpath("./td|./th")])
            count = _count_cells(count, sum(r * c for _, r, c in rows[-1]), f"第 {tr.sourceline} 行")
        doc.tables.append(_cells_from_spans(rows, origin))
        origin += sum(len(r) for r in rows) + 1
    report_tables = set(tables)
    for element in root.iter():
        if not isinstance(element.tag, str) or element.tag not in _BLOCKS:
            continue
        if any(a in report_tables for a in element.iterancestors("table")) or any(
                isinstance(e.tag, str) and (e.tag in _BLOCKS or e.tag == "table") for e in element.iterdescendants()):
            continue
        for line in _html_text(element).split("\n"):
            if line.strip():
                doc.paragraphs.append(line.strip())
    doc.titles = [_html_text(h) for h in root.xpath("//h1|//h2|//h3")] + doc.paragraphs[:30]
    title = root.find(".//title")
    if title is not None and title.text:
        doc.titles.append(title.text.strip())
    return doc


# --- Word ----------------------------------------------------------------------------------------

def _read_docx(path: Path, file: str) -> Document:
    import zipfile

    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        word = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError):
        raise SourceError("不是有效的 Word（.docx）文件，或文件已损坏；旧版 .doc 请先另存为 .docx。") from None
    doc = Document(file)
    origins: dict = {}  # the <w:tc> element of a merged cell -> its number
    count = 0
    for child in word.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            text = Paragraph(child, word).text.strip()
            if text:
                doc.paragraphs.extend(line.strip() for line in text.split("\n") if line.strip())
        elif tag == "tbl":
            table, grid, seen = Table(child, word), [], set()
            for row in table.rows:
                # python-docx repeats a cell for each grid column it spans (w:gridSpan): count them first.
                count = _count_cells(count, sum(max(tc.grid_span, 1) for tc in row._tr.tc_lst),
                                     f"第 {len(doc.tables) + 1} 张表格")
                cells, mine = [], set()
                for cell in row.cells:
                    number = origins.setdefault(cell._tc, len(origins) + 1)
                    cells.append(Cell(cell.text.strip(), number, number not in seen and number not in mine))
                    mine.add(number)
                seen |= mine
                grid.append(cells)
            doc.tables.append(grid)
    doc.titles = doc.paragraphs[:30]
    return doc


# --- PDF -----------------------------------------------------------------------------------------

def _read_pdf(path: Path, file: str) -> Document:
    import pdfplumber
    from pdfminer.psparser import PSException
    from pdfplumber.utils.exceptions import PdfminerException

    doc = Document(file)
    origin, lines = 0, []  # the text outside the tables, set lines of every page
    try:
        with pdfplumber.open(str(path)) as pdf:
            if not any(page.chars for page in pdf.pages):
                raise SourceError("PDF 没有文字层（可能是扫描件），无法读取表格；请取得网页版或 Word 版，"
                                  "或先做文字识别（OCR）后再导入。")
            for page in pdf.pages:
                page = page.filter(_drawn)
                found = page.find_tables()
                if found:  # again, each table's frame closed: see _frame
                    frames = [_frame(t.bbox, page) for t in found]
                    found = page.find_tables({"explicit_vertical_lines": frames, "explicit_horizontal_lines": frames})
                boxes = [t.bbox for t in found]

                def outside(obj, boxes=boxes):
                    x = (obj["x0"] + obj["x1"]) / 2
                    y = (obj["top"] + obj["bottom"]) / 2
                    return not any(b[0] <= x <= b[2] and b[1] <= y <= b[3] for b in boxes)

                text = page.filter(outside).extract_text() or ""
                lines += text.split("\n")
                for table in found:
                    grid = []
                    for row in table.extract():
                        cells, last = [], None
                        for value in row:
                            if value is None:  # covered by a merged cell: repeat the one to the left
                                cells.append(Cell(last.text if last else "", last.origin if last else -1, False))
                            else:
                                origin += 1
                                last = Cell(value.strip(), origin, True)
                                cells.append(last)
                        grid.append(cells)
                    doc.tables.append(grid)
    except SourceError:
        raise
    except (PdfminerException, PSException, ValueError, KeyError):
        raise SourceError("不是有效的 PDF 文件，或文件已损坏。") from None
    doc.paragraphs = pdftext.paragraphs(lines)  # paragraphs as written, across page breaks
    doc.titles = doc.paragraphs[:30]
    return doc


def _drawn(obj) -> bool:
    """False for a white box without an outline: invisible on the page, yet its edges would be
    taken for table rules (WPS paints one behind every line of body text)."""
    if obj.get("object_type") != "rect" or not obj.get("fill") or obj.get("stroke"):
        return True
    color = obj.get("non_stroking_color")
    values = tuple(color) if isinstance(color, (list, tuple)) else (color,)
    return values not in ((1,), (1, 1, 1), (0, 0, 0, 0))  # white in gray, RGB, CMYK


def _frame(bbox, page) -> dict:
    """A table's outline as a rectangle, out to the ends of the rules that touch it. A table split
    across pages may lack its top or bottom rule there (洪泽区 2023: none above the first cell, none
    below the last row), which loses those cells and their text."""
    x0, top, x1, bottom = bbox
    near = 3  # points: pdfplumber's own snapping tolerance
    for e in page.edges:
        if e["x0"] <= x1 + near and e["x1"] >= x0 - near and e["top"] <= bottom + near and e["bottom"] >= top - near:
            x0, top, x1, bottom = min(x0, e["x0"]), min(top, e["top"]), max(x1, e["x1"]), max(bottom, e["bottom"])
    return {"object_type": "rect", "x0": x0, "x1": x1, "top": top, "bottom": bottom,
            "y0": page.height - bottom, "y1": page.height - top, "doctop": page.initial_doctop + top,
            "width": x1 - x0, "height": bottom - top}
