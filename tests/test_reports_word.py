"""The Word download of a report: the official layout with merged cells, values as on the page."""

import io
from datetime import date

import docx

from conftest import ROOT
from xxgk.project import load_project
from xxgk.reports.word import layout, report_docx


def demo(org: str, year: int):
    return load_project(ROOT, date(2026, 11, 27)).reports.get(org, year)


def spans(table) -> dict[str, tuple[int, int]]:
    """Each distinct cell's text -> (rows, columns) it covers in the Word table."""
    found: dict = {}  # keyed by the <w:tc> element itself: it stays alive, so its identity holds
    for r, row in enumerate(table.rows):
        for c, cell in enumerate(row.cells):
            found.setdefault(cell._tc, [cell.text, set(), set()])
            found[cell._tc][1].add(r)
            found[cell._tc][2].add(c)
    return {text: (len(rows), len(cols)) for text, rows, cols in found.values()}


def test_word_report_has_the_official_merged_cells_2021():
    report = demo("swj", 2022)
    document = docx.Document(io.BytesIO(report_docx(report)))
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == report.title
    assert [t for t in texts if t[:2] in ("一、", "二、", "三、", "四、", "五、", "六、")] == [
        "一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"]
    t2, t3, t4 = document.tables
    assert spans(t2)["第二十条第（一）项"] == (1, 4)
    assert spans(t2)["本年收费金额（单位：万元）"] == (1, 3)
    s3 = spans(t3)
    assert s3["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"] == (3, 3)
    assert s3["申请人情况"] == (1, 7) and s3["法人或其他组织"] == (1, 5)
    assert s3["三、本年度办理结果"] == (22, 1) and s3["（三）不予公开"] == (8, 1) and s3["（六）其他处理"] == (3, 1)
    assert s3["一、本年新收政府信息公开申请数量"] == (1, 3) and s3["（一）予以公开"] == (1, 2)
    assert len(t3.rows) == 3 + 25 and len(t3.columns) == 10
    s4 = spans(t4)
    assert s4["行政复议"] == (1, 5) and s4["行政诉讼"] == (1, 10) and s4["未经复议直接起诉"] == (1, 5)
    # The values as on the page: row 一 of Table 三 with its computed total.
    first = [c.text for c in t3.rows[3].cells][3:]
    assert first == [str(v) for v in report.values["表三"][0]]


def test_word_report_2019_keeps_the_amount_as_written():
    report = demo("swj", 2020)
    rows, cols, cells = layout(report, "表二")
    assert cols == 4
    assert any(c.text == "83.8778万元" and c.colspan == 2 for c in cells)
    s3 = spans(docx.Document(io.BytesIO(report_docx(report))).tables[1])
    assert s3["三、本年度办理结果"] == (20, 1) and s3["（六）其他处理"] == (1, 2)


def test_word_report_is_the_same_file_in_every_build():
    report = demo("czj", 2024)
    assert report_docx(report) == report_docx(report)


def test_word_report_reads_each_table_grid_once(monkeypatch):
    # Table.cell() rebuilds the whole grid per call: 1.86 s per report and 446 s of a 2,000-entry build.
    def quadratic(*args):
        raise AssertionError("Table.cell() called")
    monkeypatch.setattr(docx.table.Table, "cell", quadratic)
    document = docx.Document(io.BytesIO(report_docx(demo("swj", 2022))))
    assert spans(document.tables[1])["三、本年度办理结果"] == (22, 1)


def test_word_report_comes_from_the_cache_until_its_content_changes(tmp_path, monkeypatch):
    from xxgk.buildcache import BuildCache
    from xxgk.reports import word

    report = demo("czj", 2024)
    cache = BuildCache(tmp_path / "cache")
    first = report_docx(report, cache)
    assert first == report_docx(report)  # the cached file is the uncached one
    [entry] = (tmp_path / "cache" / "word").iterdir()

    written = []
    real = word.write_docx
    monkeypatch.setattr(word, "write_docx", lambda plan: written.append(plan) or real(plan))
    assert report_docx(report, BuildCache(tmp_path / "cache")) == first and written == []

    # A changed value, narrative or organ name is a new document.
    report.values["表三"][0][0] += 1
    changed = report_docx(report, BuildCache(tmp_path / "cache"))
    assert changed != first and len(written) == 1
    report.values["表三"][0][0] -= 1
    report.agency += "（改）"
    assert report_docx(report, BuildCache(tmp_path / "cache")) != first and len(written) == 2
    report.agency = report.agency.removesuffix("（改）")

    # A damaged entry is ignored and written again.
    entry.write_bytes(entry.read_bytes()[:-10])
    assert report_docx(report, BuildCache(tmp_path / "cache")) == first and len(written) == 3
    assert report_docx(report, BuildCache(tmp_path / "cache")) == first and len(written) == 3


def test_word_cache_keeps_only_what_the_build_used_and_survives_a_read_only_folder(tmp_path):
    from xxgk.buildcache import BuildCache

    cache = BuildCache(tmp_path / "cache")
    cache.put("word", "old", b"x")
    cache.put("word", "new", b"y")
    later = BuildCache(tmp_path / "cache")
    assert later.get("word", "new") == b"y"
    later.prune("word")
    assert sorted(p.name for p in (tmp_path / "cache" / "word").iterdir()) == ["new"]

    blocked = tmp_path / "file"
    blocked.write_text("")  # the cache folder's place is taken by a file: nothing can be written
    report = demo("czj", 2024)
    assert report_docx(report, BuildCache(blocked / "cache")) == report_docx(report)


def _merged_by_python_docx(rows, cols, cells):
    """The table as python-docx's own Table.cell() and _Cell.merge() make it (slow, the reference)."""
    from docx.enum.table import WD_TABLE_ALIGNMENT, WD_CELL_VERTICAL_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from xxgk.reports.word import _font

    doc = docx.Document()
    table = doc.add_table(rows=rows, cols=cols)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for placed in cells:
        cell = table.cell(placed.row, placed.col)
        if placed.rowspan > 1 or placed.colspan > 1:
            cell = cell.merge(table.cell(placed.row + placed.rowspan - 1, placed.col + placed.colspan - 1))
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        paragraph = cell.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _font(paragraph.add_run(placed.text), 7.5 if cols > 8 else 9, bold=placed.header and placed.row == 0)
    return table._tbl


def _written(rows, cols, cells):
    from xxgk.reports.word import _table

    doc = docx.Document()
    _table(doc, rows, cols, cells)
    return doc.tables[0]._tbl


def test_word_table_xml_is_what_python_docx_merging_makes():
    from lxml import etree
    from xxgk.reports.word import Placed

    report = demo("swj", 2022)
    cases = [layout(report, name) for name in ("表二", "表三", "表四")]
    cases.append(layout(demo("swj", 2020), "表三"))
    # Texts python-docx writes specially, a cell left out, a span over rows and columns, XML characters.
    cases.append((3, 4, [Placed(0, 0, 2, 2, " 前后空格 ", True), Placed(0, 2, 1, 2, "a<b>&\"c\"", True),
                         Placed(1, 2, 1, 1, "一\t二\n三", False), Placed(2, 0, 1, 4, "合计", False)]))
    for rows, cols, cells in cases:
        assert etree.tostring(_written(rows, cols, cells)) == etree.tostring(_merged_by_python_docx(rows, cols, cells))


def test_word_writer_gives_python_docx_s_own_file(monkeypatch):
    """One blank document per process (parsed once, its body emptied for each report, the parts no
    report changes serialised once), paragraphs written as XML, and our own zip writer (each part
    compressed once, fixed times) give, byte for byte, what a fresh docx.Document() with our page,
    its save() and a re-zip with fixed times gave."""
    import zipfile

    from xxgk.reports import word

    def reference_save(doc) -> bytes:
        saved, out = io.BytesIO(), io.BytesIO()
        doc.save(saved)
        with zipfile.ZipFile(saved) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            for item in source.infolist():
                info = zipfile.ZipInfo(item.filename, date_time=(1980, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                target.writestr(info, source.read(item.filename))
        return out.getvalue()

    project = load_project(ROOT, date(2026, 11, 27))
    plans = [word.document_plan(r) for r in list(project.reports)[:6]]
    assert len(plans) == 6
    ours = [word.write_docx(plan) for plan in plans]
    monkeypatch.setattr(word, "_save", reference_save)
    monkeypatch.setattr(word, "_blank", lambda: word._page(docx.Document()))
    assert [word.write_docx(plan) for plan in plans] == ours


def test_word_paragraph_xml_is_what_python_docx_writes():
    """Paragraphs are written as XML (python-docx's add_run looks up its content by XPath each time):
    the same bytes as add_paragraph, alignment or indent, add_run and _font; texts that python-docx
    writes specially (spaces at the ends, tabs, line breaks, nothing) still go through it."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt
    from lxml import etree

    from xxgk.reports import word

    def by_python_docx(text, size, bold, role):
        doc = word._page(docx.Document())
        p = doc.add_paragraph()
        if role == "title":
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif role == "body":
            p.paragraph_format.first_line_indent = Pt(24)
        word._font(p.add_run(text), size, bold=bold)
        return etree.tostring(doc.element.body)

    def ours(text, size, bold, role):
        plan = {"title": "t", "year": 2024, "author": "a", "blocks": [["p", text, size, bold, role]]}
        document = docx.Document(io.BytesIO(word.write_docx(plan)))
        return etree.tostring(document.element.body)

    blocks = [["关于2024年政府信息公开工作年度报告", 16, True, "title"], ["一、总体情况", 12, True, "heading"],
              ["本机关依申请公开<a&b>“共计”12件。", 12, False, "body"], [" 前后空格 ", 12, False, "body"],
              ["一\t二", 12, False, "body"], ["", 12, True, "heading"]]
    for block in blocks:
        assert ours(*block) == by_python_docx(*block), block
