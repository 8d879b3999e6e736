"""Writes the report fixtures of tests/test_reports_import.py: published layouts, made here.

No real published report files could be brought into this repository, so these fixtures mimic
the layouts described in shared/spec/annual-report-formats.md and seen in published reports
(see README.md): HTML tables with rowspans as published, the irregular 5-column Table 二 of the
Shanghai 2019 report, blanks for zeros, units in the cell (251000元), numbering 1、/（1）/(1),
spaces and line breaks inside labels, a GB18030 page laid out in tables, Table 三 split in two
tables; Word files with merged cells (python-docx); PDFs with a text layer (reportlab, whose
tables pdfplumber reads back; a table runs over a page break).

Each fixture has <name>.expected.yml: every cell as the published text says it (a number, null
for a blank, an amount with its unit) — written from the table data below, not by the importer.
Official labels are spelled out here, independently of data/formats/.

Run: python tests/data/reports/make_fixtures.py (needs python-docx and reportlab).
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

HERE = Path(__file__).parent

T3_COLS = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
CORNER = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
NOT_OPEN = ["1.属于国家秘密", "2.其他法律行政法规禁止公开", "3.危及“三安全一稳定”", "4.保护第三方合法权益",
            "5.属于三类内部事务信息", "6.属于四类过程性信息", "7.属于行政执法案卷", "8.属于行政查询事项"]
CANNOT = ["1.本机关不掌握相关政府信息", "2.没有现成信息需要另行制作", "3.补正后申请内容仍不明确"]
NOT_HANDLED = ["1.信访举报投诉类申请", "2.重复申请", "3.要求提供公开出版物", "4.无正当理由大量反复申请",
               "5.要求行政机关确认或重新出具已获取信息"]
OTHER_2021 = ["1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
              "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "3.其他"]
PARTIAL = "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"
T4_GROUPS = ["行政复议", "未经复议直接起诉", "复议后起诉"]
T4_LEAVES = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]

T2_2021 = [("第二十条第（一）项", ["本年制发件数", "本年废止件数", "现行有效件数"], ["规章", "行政规范性文件"]),
           ("第二十条第（五）项", ["本年处理决定数量"], ["行政许可"]),
           ("第二十条第（六）项", ["本年处理决定数量"], ["行政处罚", "行政强制"]),
           ("第二十条第（八）项", ["本年收费金额（单位：万元）"], ["行政事业性收费"])]
T2_2019 = [("第二十条第（一）项", ["本年新制作数量", "本年新公开数量", "对外公开总数量"], ["规章", "规范性文件"]),
           ("第二十条第（五）项", ["上一年项目数量", "本年增/减", "处理决定数量"], ["行政许可", "其他对外管理服务事项"]),
           ("第二十条第（六）项", ["上一年项目数量", "本年增/减", "处理决定数量"], ["行政处罚", "行政强制"]),
           ("第二十条第（八）项", ["上一年项目数量", "本年增/减"], ["行政事业性收费"]),
           ("第二十条第（九）项", ["采购项目数量", "采购总金额"], ["政府集中采购"])]
SECTIONS = ["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
            "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"]


def t3_rows(fmt: str) -> list[tuple[tuple[str, ...], str]]:
    """(label path, row key) of Table 三's data rows, in order; the key as in our YAML."""
    rows = [(("一、本年新收政府信息公开申请数量",), "一、本年新收政府信息公开申请数量"),
            (("二、上年结转政府信息公开申请数量",), "二、上年结转政府信息公开申请数量")]
    top = "三、本年度办理结果"
    rows += [((top, "（一）予以公开"), "（一）予以公开"), ((top, PARTIAL), PARTIAL)]
    for group, leaves in (("（三）不予公开", NOT_OPEN), ("（四）无法提供", CANNOT), ("（五）不予处理", NOT_HANDLED)):
        rows += [((top, group, leaf), f"{group}/{leaf}") for leaf in leaves]
    if fmt == "2021":
        rows += [((top, "（六）其他处理", leaf), f"（六）其他处理/{leaf}") for leaf in OTHER_2021]
    else:
        rows += [((top, "（六）其他处理"), "（六）其他处理")]
    rows += [((top, "（七）总计"), "（七）总计"), (("四、结转下年度继续办理",), "四、结转下年度继续办理")]
    return rows


@dataclass
class Fixture:
    name: str
    kind: str  # html | docx | pdf
    fmt: str
    organ: str
    year: int
    level: str
    seed: int
    t2_style: str = "official"  # official | shanghai5
    t3_header: str = "official"  # official | blank-cell (the 自然人/总计 columns as a cell above a blank one)
    t4_header: str = "official"  # official | blank-cell
    label: dict = field(default_factory=dict)  # official label -> as published
    numbering: str = "1."  # 1. | 1、 | （1） | (1)
    zeros: str = "0"  # how a zero is published: "0", "" (blank), "—"
    totals_blank: bool = False  # Shanghai 2019 left 总计 cells blank
    amount: str = "万元"  # 2019 采购总金额: 元 in the cell, 万元 in the cell, or header: (万元) in the header
    split_t3_at: int | None = None  # Table 三 continued in a second table from this data row
    count_suffix: str = ""  # Table 四 values as “3件”
    encoding: str = "utf-8"
    layout_table: bool = False  # the page laid out in an outer table
    # PDF as WPS writes it (洪泽区 2023): the title on two lines (organ, then year), a white box behind
    # every paragraph, and tables broken across pages at these rows (section -> row), the rules at
    # the break missing: none below the last row before it, none above the first cell after it.
    wps_breaks: dict = field(default_factory=dict)
    t2: dict = field(default_factory=dict)
    t3: dict = field(default_factory=dict)
    t4: list = field(default_factory=list)

    def fill(self):
        rnd = random.Random(self.seed)
        for caption, cols, rows in (T2_2021 if self.fmt == "2021" else T2_2019):
            for row in rows:
                for col in cols:
                    if "金额" in col and self.fmt == "2019":  # a purchase total is never 0 here
                        value = rnd.randint(1, 999999) / 100
                    elif "金额" in col:
                        value = rnd.choice([0, rnd.randint(1, 999999) / 100])
                    elif "增/减" in col:
                        value = rnd.randint(-3, 3)
                    else:
                        value = rnd.choice([0, rnd.randint(0, 40), rnd.randint(0, 4000)])
                    self.t2[(caption, row, col)] = value
        keys = [key for _, key in t3_rows(self.fmt)]
        outcomes = keys[2:-2]
        grid = {key: [0] * 6 for key in keys}
        for c in range(6):
            for key in outcomes:
                grid[key][c] = rnd.choice([0, 0, 0, rnd.randint(0, 12 if c == 0 else 3)])
            done = sum(grid[k][c] for k in outcomes)
            grid["四、结转下年度继续办理"][c] = rnd.randint(0, 3 if c == 0 else 1)
            grid["（七）总计"][c] = done
            total = done + grid["四、结转下年度继续办理"][c]
            grid["二、上年结转政府信息公开申请数量"][c] = rnd.randint(0, min(total, 4))
            grid["一、本年新收政府信息公开申请数量"][c] = total - grid["二、上年结转政府信息公开申请数量"][c]
        self.t3 = {k: v + [sum(v)] for k, v in grid.items()}
        for _ in T4_GROUPS:
            four = [rnd.choice([0, 0, rnd.randint(0, 6)]) for _ in range(4)]
            self.t4 += four + [sum(four)]
        return self

    # --- the cells as published, and as our YAML holds them -------------------------------------

    def published(self, value, *, total: bool = False, unit: str | None = None) -> str:
        if unit:
            return self.amount_text(value)
        if total and self.totals_blank and value:
            return ""
        if value == 0 and not total:
            return self.zeros
        return str(value)

    def amount_text(self, value) -> str:
        if self.fmt == "2021":
            return _num(value)  # the header says 万元
        if self.amount == "元":
            return _num(round(value * 10000, 2)) + "元"
        if self.amount == "万元":
            return _num(value) + "万元"
        return _num(value)  # header: 采购总金额（万元）

    def expected_value(self, text: str, unit_col: bool):
        if text in ("", "—"):
            return None
        if unit_col:
            if self.fmt == "2021" or self.amount == "header":
                return text + "万元"
            return text if text.endswith("元") else text + "元"
        return int(text)

    def lab(self, text: str) -> str:
        """An official label as this report publishes it."""
        text = self.label.get(text, text)
        if self.numbering != "1." and len(text) > 2 and text[0].isdigit() and text[1] == ".":
            n = text[0]
            text = {"1、": f"{n}、", "（1）": f"（{n}）", "(1)": f"({n})"}[self.numbering] + text[2:]
        return text

    def expected(self) -> dict:
        t2 = {}
        for caption, cols, rows in (T2_2021 if self.fmt == "2021" else T2_2019):
            t2[caption] = {}
            for row in rows:
                t2[caption][row] = {}
                for col in cols:
                    unit = "金额" in col
                    text = self.published(self.t2[(caption, row, col)], unit=unit)
                    t2[caption][row][col] = self.expected_value(text, unit)
        t3 = {key: [self.expected_value(self.published(v, total=c == 6), False) for c, v in enumerate(self.t3[key])]
              for key in self.t3}
        t4 = {}
        for g, group in enumerate(T4_GROUPS):
            t4[group] = [self.expected_value(self.published(v, total=i == 4), False)
                         for i, v in enumerate(self.t4[g * 5:g * 5 + 5])]
        return {"格式": self.fmt, "年度": self.year, "机构": self.organ, "层级": self.level,
                "表二": t2, "表三": t3, "表四": t4}

    # --- layouts: rows of (text, rowspan, colspan) as an HTML table would give them -------------

    def table2_rows(self) -> list[list[tuple[str, int, int]]]:
        rows = []
        blocks = T2_2021 if self.fmt == "2021" else T2_2019
        width = 5 if self.t2_style == "shanghai5" else 4
        for caption, cols, labels in blocks:
            rows.append([(caption, 1, width)])
            head_spans, data_spans = _spans(len(cols), width, self.t2_style)
            heads = [col + ("（万元）" if col == "采购总金额" and self.amount == "header" else "") for col in cols]
            heads = [h.replace("本年新", "本年新\n") if self.t2_style == "shanghai5" else h for h in heads]
            rows.append([("信息内容", 1, 1)] + [(self.lab(h), 1, s) for h, s in zip(heads, head_spans)])
            for label in labels:
                rows.append([(self.lab(label), 1, 1)] + [
                    (self.published(self.t2[(caption, label, col)], unit="金额" in col), 1, s)
                    for col, s in zip(cols, data_spans)])
        return rows

    def table3_rows(self) -> list[list[tuple[str, int, int]]]:
        if self.t3_header == "official":
            rows = [[(CORNER, 3, 3), ("申请人情况", 1, 7)],
                    [("自然人", 2, 1), ("法人或其他组织", 1, 5), ("总计", 2, 1)],
                    [(self.lab(c), 1, 1) for c in T3_COLS[1:6]]]
        else:
            rows = [[(CORNER, 3, 3), ("申请人情况", 1, 7)],
                    [("自然人", 1, 1), ("法人或其他组织", 1, 5), ("总计", 1, 1)],
                    [("", 1, 1)] + [(self.lab(c), 1, 1) for c in T3_COLS[1:6]] + [("", 1, 1)]]
        spans: dict[tuple[str, ...], int] = {}
        data = t3_rows(self.fmt)
        for path, _ in data:
            for n in range(1, len(path)):
                spans[path[:n]] = spans.get(path[:n], 0) + 1
        opened = set()
        for path, key in data:
            cells = []
            for n in range(1, len(path)):
                if path[:n] not in opened:
                    opened.add(path[:n])
                    cells.append((self.lab(path[n - 1]), spans[path[:n]], 1))
            cells.append((self.lab(path[-1]), 1, 3 - len(path) + 1))
            cells += [(self.published(v, total=c == 6), 1, 1) for c, v in enumerate(self.t3[key])]
            rows.append(cells)
        return rows

    def table4_rows(self) -> list[list[tuple[str, int, int]]]:
        if self.t4_header == "official":
            rows = [[("行政复议", 1, 5), ("行政诉讼", 1, 10)],
                    [(x, 2, 1) for x in T4_LEAVES] + [("未经复议直接起诉", 1, 5), ("复议后起诉", 1, 5)],
                    [(x, 1, 1) for x in T4_LEAVES * 2]]
        else:
            rows = [[("行政复议", 1, 5), ("行政诉讼", 1, 10)],
                    [(x, 1, 1) for x in T4_LEAVES] + [("未经复议直接起诉", 1, 5), ("复议后起诉", 1, 5)],
                    [("", 1, 1)] * 5 + [(x, 1, 1) for x in T4_LEAVES * 2]]
        rows.append([(self.published(v, total=i % 5 == 4) + (self.count_suffix if self.published(v, total=i % 5 == 4) else ""),
                      1, 1) for i, v in enumerate(self.t4)])
        return rows

    def title(self) -> str:
        return f"{self.organ}{self.year}年政府信息公开工作年度报告"

    def paragraphs(self, section: int) -> list[str]:
        if section == 0:
            return [f"{self.year}年，{self.organ}认真贯彻落实《中华人民共和国政府信息公开条例》，推进政务公开工作。",
                    "（一）主动公开。及时发布机构职能、规范性文件和政策解读等信息。",
                    "（二）依申请公开。规范受理、办理和答复流程，均在法定期限内答复。"]
        if section == 4:
            return ["存在的主要问题：政策解读形式还不够丰富。改进措施：加强培训，提升解读质量。"]
        if section == 5:
            return ["本年度未收取信息处理费。" if self.fmt == "2021" else "无。"]
        return []


def _num(value) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".") if isinstance(value, float) else str(value)


def _spans(count: int, width: int, style: str) -> tuple[list[int], list[int]]:
    """Column spans of a Table 二 block's header and data cells after the 信息内容 column."""
    rest = width - 1
    if style == "shanghai5":  # the Shanghai 2019 page: irregular, and unlike between header and data
        return ({3: [1, 2, 1], 2: [2, 2], 1: [4]}[count], {3: [2, 1, 1], 2: [2, 2], 1: [4]}[count])
    if count == 1:
        return [rest], [rest]
    if count == 2:
        return [1, rest - 1], [1, rest - 1]
    return [1] * count, [1] * count


def _grid(rows):
    """(text, rowspan, colspan) rows -> {(r, c): (text, rowspan, colspan)} at each cell's top-left."""
    taken, cells = set(), {}
    for r, row in enumerate(rows):
        c = 0
        for text, rs, cs in row:
            while (r, c) in taken:
                c += 1
            cells[(r, c)] = (text, rs, cs)
            taken |= {(r + i, c + j) for i in range(rs) for j in range(cs)}
            c += cs
    return cells, max(c for _, c in taken) + 1


# --- writers -------------------------------------------------------------------------------------

def html_table(rows) -> str:
    out = ['<table border="1" cellspacing="0" style="width:600px">', "<tbody>"]
    for row in rows:
        out.append("<tr>" + "".join(
            f"<td{f' rowspan={chr(34)}{rs}{chr(34)}' if rs > 1 else ''}{f' colspan={chr(34)}{cs}{chr(34)}' if cs > 1 else ''}>"
            f"<p align=\"center\">{escape(text).replace(chr(10), '<br />') if text else '&nbsp;'}</p></td>"
            for text, rs, cs in row) + "</tr>")
    out.append("</tbody></table>")
    return "\n".join(out)


def write_html(fx: Fixture) -> None:
    body = [f"<h1>{escape(fx.title())}</h1>", '<p class="date">发布日期：'
            f"{fx.year + 1}-01-20</p>", f"<p>本报告中所列数据统计期限为{fx.year}年1月1日至12月31日。</p>"]
    t3 = fx.table3_rows()
    for s, title in enumerate(SECTIONS):
        body.append(f"<p><strong>{title}</strong></p>")
        body += [f"<p>{escape(p)}</p>" for p in fx.paragraphs(s)]
        if s == 1:
            body.append(html_table(fx.table2_rows()))
        elif s == 2 and fx.split_t3_at:
            cut = 3 + fx.split_t3_at  # the header's three rows, then data rows: mimics a page break
            first = t3[:cut]
            # Cells spanning into the second part are cut short there, as a page break does.
            body.append(html_table(_cut_spans(first)))
            body.append(html_table(_restart(t3, cut)))
        elif s == 2:
            body.append(html_table(t3))
        elif s == 3:
            body.append(html_table(fx.table4_rows()))
    article = "\n".join(body)
    nav = '<div class="nav"><a href="#">首页</a> <a href="#">政务公开</a> <a href="#">年度报告</a></div>'
    footer = '<div class="footer"><p>版权所有：示例网站 网站标识码 0000000000</p></div>'
    if fx.layout_table:
        page = f'<table width="1000"><tr><td>{nav}</td></tr><tr><td><div id="zoom">{article}</div></td></tr>' \
               f"<tr><td>{footer}</td></tr></table>"
    else:
        page = f'{nav}<div id="zoom" class="article">{article}</div>{footer}'
    charset = "gb2312" if fx.encoding != "utf-8" else "utf-8"
    text = (f'<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">'
            f"<title>{escape(fx.title())}_示例门户网站</title></head><body>{page}</body></html>\n")
    (HERE / f"{fx.name}.html").write_bytes(text.encode(fx.encoding))


def _cut_spans(rows):
    """The rows before a page break, rowspans cut at the break."""
    cells, _ = _grid(rows)
    out = []
    for r, row in enumerate(rows):
        out.append([(text, min(rs, len(rows) - r), cs) for text, rs, cs in row])
    return out


def _restart(rows, cut):
    """The rows after a page break: a cell spanning across the break starts again, empty."""
    cells, width = _grid(rows)
    out = []
    for r in range(cut, len(rows)):
        row = []
        for (rr, cc), (text, rs, cs) in sorted(cells.items()):
            if rr == r:
                row.append((cc, (text, min(rs, len(rows) - r), cs)))
            elif rr < cut <= rr + rs - 1 and r == cut:
                row.append((cc, ("", rr + rs - cut, cs)))
        out.append([cell for _, cell in sorted(row)])
    return out


def write_docx(fx: Fixture) -> None:
    import docx

    doc = docx.Document()
    doc.add_paragraph(fx.title())
    doc.add_paragraph(f"本报告中所列数据统计期限为{fx.year}年1月1日至12月31日。")
    for s, title in enumerate(SECTIONS):
        doc.add_paragraph(title)
        for p in fx.paragraphs(s):
            doc.add_paragraph(p)
        rows = {1: fx.table2_rows, 2: fx.table3_rows, 3: fx.table4_rows}.get(s)
        if rows:
            _docx_table(doc, rows())
    doc.save(HERE / f"{fx.name}.docx")


def _docx_table(doc, rows) -> None:
    cells, width = _grid(rows)
    table = doc.add_table(rows=len(rows), cols=width)
    table.style = "Table Grid"
    for (r, c), (text, rs, cs) in cells.items():
        cell = table.cell(r, c)
        if rs > 1 or cs > 1:
            cell = cell.merge(table.cell(r + rs - 1, c + cs - 1))
        cell.text = text


def write_pdf(fx: Fixture) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    style = ParagraphStyle("body", fontName="STSong-Light", fontSize=10, leading=15)
    cell_style = ParagraphStyle("cell", fontName="STSong-Light", fontSize=7, leading=9)
    if fx.wps_breaks:
        style = ParagraphStyle("wps", parent=style, backColor="white")  # a filled box, no outline
    title_style = ParagraphStyle("title", parent=style, fontSize=14, leading=20)
    title = [fx.organ, f"{fx.year} 年政府信息公开工作年度报告"] if fx.wps_breaks else [fx.title()]
    story = [Paragraph(line, title_style) for line in title]
    story.append(Paragraph(f"本报告中所列数据统计期限为{fx.year}年1月1日至12月31日。", style))
    for s, title in enumerate(SECTIONS):
        story.append(Paragraph(title, style))
        story += [Paragraph(p, style) for p in fx.paragraphs(s)]
        rows = {1: fx.table2_rows, 2: fx.table3_rows, 3: fx.table4_rows}.get(s)
        if not rows:
            continue
        widths = {2: [45, 55, 100] + [35] * 7, 3: [29] * 15}.get(s)
        cut = fx.wps_breaks.get(s)
        if cut is None:
            story.append(_pdf_table(rows(), widths, [("GRID", (0, 0), (-1, -1), 0.5, "black")], cell_style))
            continue
        inner = [("INNERGRID", (0, 0), (-1, -1), 0.5, "black"), ("LINEBEFORE", (0, 0), (0, -1), 0.5, "black"),
                 ("LINEAFTER", (-1, 0), (-1, -1), 0.5, "black")]
        story.append(_pdf_table(_cut_spans(rows()[:cut]), widths, inner + [("LINEABOVE", (0, 0), (-1, 0), 0.5, "black")],
                                cell_style))
        story.append(PageBreak())
        story.append(_pdf_table(_restart(rows(), cut), widths, inner + [("LINEABOVE", (1, 0), (-1, 0), 0.5, "black"),
                                                                         ("LINEBELOW", (0, -1), (-1, -1), 0.5, "black")],
                                cell_style))
    SimpleDocTemplate(str(HERE / f"{fx.name}.pdf"), pagesize=A4).build(story)


def _pdf_table(rows, widths, lines, cell_style):
    from reportlab.platypus import Paragraph, Table, TableStyle

    cells, width = _grid(rows)
    data = [["" for _ in range(width)] for _ in rows]
    commands = [("FONT", (0, 0), (-1, -1), "STSong-Light", 7)] + lines
    for (r, c), (text, rs, cs) in cells.items():
        data[r][c] = Paragraph(text, cell_style) if len(text) > 3 else text  # long labels wrap in the cell
        if rs > 1 or cs > 1:
            commands.append(("SPAN", (c, r), (c + cs - 1, r + rs - 1)))
    return Table(data, colWidths=widths, style=TableStyle(commands))


FIXTURES = [
    Fixture("city-2024-hz", "html", "2021", "示例市", 2024, "市", 1, t3_header="blank-cell", t4_header="blank-cell"),
    Fixture("sh-office-2019", "html", "2019", "示例市人民政府办公厅", 2019, "省级（直辖市）", 2, t2_style="shanghai5",
            zeros="", totals_blank=True, amount="元"),
    Fixture("county-2022-gb", "html", "2021", "示例县人民政府", 2022, "县", 3, numbering="1、", encoding="gb18030",
            layout_table=True, label={"4.保护第三方合法权益": "4.保护第三方 合法权益", PARTIAL: "（二）部分公开(区分处理的，只计这一情形，不计其他情形)",
                                      "2.其他法律行政法规禁止公开": "2.其他法律行政法规禁公开"}),
    Fixture("prov-dept-2020", "docx", "2019", "示例省交通运输厅", 2020, "省级部门", 4, amount="万元"),
    Fixture("county-dept-2023", "docx", "2021", "示例县教育局", 2023, "县级部门", 5, numbering="（1）"),
    Fixture("city-dept-2021", "pdf", "2021", "示例市生态环境局", 2021, "市级部门", 6),
    Fixture("district-2024-split", "html", "2021", "示例区人民政府", 2024, "区", 7, split_t3_at=12, count_suffix="件"),
    Fixture("town-2020", "html", "2019", "示例镇人民政府", 2020, "乡镇", 8, amount="header", totals_blank=True),
    Fixture("prov-dept-2019", "pdf", "2019", "示例省自然资源厅", 2019, "省级部门", 9, amount="元", numbering="(1)"),
    Fixture("county-2021-dash", "docx", "2021", "示例县人民政府", 2021, "县", 10, zeros="—"),
    Fixture("district-2023-wps", "pdf", "2021", "示例区人民政府", 2023, "区", 13, wps_breaks={1: 8, 2: 16},
            label={"2.其他法律行政法规禁止公开": "2.其他法律行政止公开"}),
]


def write_bad_inputs() -> None:
    """Inputs the importer must refuse or report, with a clear message."""
    fx = Fixture("bad-missing-column", "html", "2021", "示例县统计局", 2022, "县级部门", 11).fill()
    rows = fx.table3_rows()
    # Drop the 科研机构 column: its header cell, and the third value of every data row.
    rows[1] = [("自然人", 2, 1), ("法人或其他组织", 1, 4), ("总计", 2, 1)]
    rows[2] = [cell for cell in rows[2] if cell[0] != "科研机构"]
    for row in rows[3:]:
        del row[-5]
    page = (f"<html><head><meta charset=\"utf-8\"><title>{fx.title()}</title></head><body><h1>{fx.title()}</h1>"
            f"<p>二、主动公开政府信息情况</p>{html_table(fx.table2_rows())}<p>三、收到和处理政府信息公开申请情况</p>"
            f"{html_table(rows)}<p>四、政府信息公开行政复议、行政诉讼情况</p>{html_table(fx.table4_rows())}</body></html>")
    (HERE / "bad-missing-column.html").write_text(page, encoding="utf-8")
    (HERE / "bad-not-a-report.html").write_text(
        "<html><head><meta charset=\"utf-8\"><title>关于开展安全生产检查的通知</title></head><body>"
        "<h1>关于开展安全生产检查的通知</h1><p>各单位：请于本月底前完成自查。</p>"
        "<table><tr><td>序号</td><td>单位</td></tr><tr><td>1</td><td>办公室</td></tr></table></body></html>",
        encoding="utf-8")
    old = Fixture("bad-old-six-2022", "html", "2021", "示例县水利局", 2022, "县级部门", 12).fill()
    old.fmt = "2019"  # Table 三 as in 2019: the single （六）其他处理 row …
    keys = [k for _, k in t3_rows("2019")]
    old.t3 = {k: [0] * 7 for k in keys}
    old.t3["（六）其他处理"] = [1, 0, 0, 0, 0, 0, 1]
    t3 = old.table3_rows()
    old.fmt = "2021"  # … in an otherwise 2021-format report
    old.t2 = Fixture("x", "html", "2021", "x", 2022, "x", 12).fill().t2
    page = (f"<html><head><meta charset=\"utf-8\"><title>{old.title()}</title></head><body><h1>{old.title()}</h1>"
            f"{html_table(old.table2_rows())}{html_table(t3)}{html_table(old.table4_rows())}</body></html>")
    (HERE / "bad-old-six-2022.html").write_text(page, encoding="utf-8")
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas
    scan = canvas.Canvas(str(HERE / "bad-scanned.pdf"), pagesize=A4)  # a page image only: lines, no text
    for y in range(100, 700, 40):
        scan.line(60, y, 540, y)
    scan.save()


def main() -> None:
    for fx in FIXTURES:
        fx.fill()
        {"html": write_html, "docx": write_docx, "pdf": write_pdf}[fx.kind](fx)
        expected = json.dumps(fx.expected(), ensure_ascii=False, indent=1)
        (HERE / f"{fx.name}.expected.json").write_text(expected + "\n", encoding="utf-8")
    write_bad_inputs()


if __name__ == "__main__":
    main()
