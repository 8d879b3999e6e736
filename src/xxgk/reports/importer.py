"""`xxgk report import`: a published report (HTML page, .docx, PDF with text) into our YAML
(tables 二、三、四) and Markdown (sections 一、五、六).

The three tables are found by their labels, the format by which format's own labels appear,
the year and the organ from the title. Labels are matched tolerantly (words.Words.match).
Whatever cannot be read is reported cell by cell and written as “未读取”, never guessed: the
YAML then fails `xxgk report check` until someone fills the cell from the original.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from ..content import html_comment
from ..problems import Problems
from ..yamlio import comment, scalar
from .formats import BlockTable, Format, Formats, GridTable
from .interchange import tables_yaml
from .model import UNREAD
from .published import Cell, Document, SourceError, read_document
from .words import Words, normalize

_TITLE = re.compile(r"((?:19|20)\d{2})\s*年(?:度)?")
_REPORT_WORDS = ("政府信息公开工作年度报告", "政府信息公开年度报告", "政府信息公开工作年报", "政府信息公开年报")
# A line of a title set on two or three lines (“洪泽区人民政府” / “2023 年政府信息公开工作年度报告”):
# short, no sentence punctuation, no digits.
_ORGAN_LINE = re.compile(r"[^，。；：:,;、！？!?\d]{2,30}")
_ORGAN_LINES = 2  # at most this many lines before the year line
_HEADING = re.compile(r"^([一二三四五六])[、.]")
_NUMERALS = "一二三四五六"


@dataclass
class Imported:
    file: str
    fmt: Format
    year: int
    agency: str
    title: str
    title_line: str = ""  # the line of the document where the title ends (the year line)
    blocks: dict = field(default_factory=dict)
    grids: dict = field(default_factory=dict)
    preamble: list[str] = field(default_factory=list)
    sections: dict[str, list[str]] = field(default_factory=dict)
    problems: Problems = field(default_factory=Problems)

    def yaml_text(self, *, with_agency: bool) -> str:
        fmt = self.fmt
        explain = any(r.explainable for r in fmt.rules)
        return (
            f"# {comment(self.title)}：表格数据（二、三、四部分），由 xxgk report import 从 {comment(Path(self.file).name)} 导入。\n"
            f"# 适用格式：《{comment(fmt.name)}》（{comment(fmt.doc_no or fmt.id)}）。总计照录原文，检查时核对。\n"
            f"# 写作“{UNREAD}”的单元格未能从原文读出，须对照原文填写后才能通过检查。\n"
            + (f"机构: {scalar(self.agency)}\n" if with_agency else "")
            + f"格式: {scalar(fmt.id)}\n"
            "# 发布日期：原文公布的日期，YYYY-MM-DD。\n"
            "发布日期:\n"
            + ("上年结转说明:\n" if explain else "")
            + "\n" + tables_yaml(fmt, self.blocks, self.grids, totals=True)
        )

    def markdown(self) -> str:
        parts = [html_comment(f"{self.title}：正文，由 xxgk report import 从 {Path(self.file).name} 导入。"
                              "标题和二、三、四部分的表格由系统生成。")]
        parts += [_markdown_text(p) for p in self.preamble]
        for section in self.fmt.narrative_sections:
            parts.append(f"## {section.title}")
            body = self.sections.get(section.title) or []
            parts += [_markdown_text(p) for p in body] or ["（原文中没有找到这一部分，请对照原文填写。）"]
        return "\n\n".join(parts) + "\n"


def _markdown_text(text: str) -> str:
    """A paragraph of the original as Markdown text: no markup of its own."""
    text = text.replace("\\", "\\\\").replace("<", "&lt;").replace(">", "&gt;")
    return re.sub(r"^([#>*+-]|\d+[.)])", r"\\\1", text)


def import_file(path: Path, file: str, formats: Formats, words: Words) -> Imported:
    """Read one published report. Raises SourceError when it cannot be read as a report at all."""
    doc = read_document(path, file)
    rows = [row for table in doc.tables for row in table if row]
    texts = {normalize(c.text) for row in rows for c in row if c.text}
    found = _find_tables(rows, texts)
    if not any(found.values()):
        raise SourceError("不是政府信息公开工作年度报告：没有找到表二（“第二十条第（一）项”）、"
                          "表三（“本年新收政府信息公开申请数量”）和表四（“行政复议”“行政诉讼”）。")
    title, year, agency, title_line = _title(doc)
    fmt = _detect_format(formats, texts, year)
    if fmt is None:
        raise SourceError("无法确定报告格式：没有已声明的格式（data/formats/）与表格标签相符。")
    if year is None:
        raise SourceError("没有找到报告标题（如“××局2024年政府信息公开工作年度报告”），无法确定年度和机构。")
    result = Imported(file, fmt, year, agency or "", title or "", title_line or "")
    if not agency:
        result.problems.error(file, None, None, f"标题“{title}”中没有找到机构名称。")
    if not fmt.applies_to(year):
        result.problems.warning(file, None, None, f"表格标签是《{fmt.name}》（{fmt.years}）的，但报告年度是 {year}。")
    reader = _TableReader(result, words)
    starts = found
    t3, t4 = starts["表三"], starts["表四"]
    end2 = min(i for i in (t3, t4, len(rows)) if i is not None)
    for name, table in fmt.tables.items():
        if starts.get(name) is None:
            result.problems.error(file, None, name, f"没有找到{name}（{_ANCHOR_TEXT[name]}）；该表全部单元格未读取。")
            _all_unread(result, name, table)
        elif isinstance(table, BlockTable):
            reader.blocks(table, rows[starts[name]:end2])
        elif table.labeled:
            reader.labeled(table, rows[t3:t4 if t4 is not None and t4 > t3 else len(rows)])
        else:
            reader.unlabeled(table, rows[t4:])
    _narrative(result, doc, words)
    return result


_ANCHOR_TEXT = {"表二": "“第二十条第（一）项”", "表三": "“本年新收政府信息公开申请数量”", "表四": "“行政复议”和“行政诉讼”"}


def _find_tables(rows: list[list[Cell]], texts: set[str]) -> dict[str, int | None]:
    """The first row of each table in the rows of every table of the document."""
    found: dict[str, int | None] = {"表二": None, "表三": None, "表四": None}
    keys2 = {normalize("第二十条第（一）项"), normalize("第二十条第（五）项")}
    keys3 = {normalize("申请人情况"), normalize("本年新收政府信息公开申请数量"), normalize("一、本年新收政府信息公开申请数量")}
    for i, row in enumerate(rows):
        own = {normalize(c.text) for c in row if c.text}
        if found["表二"] is None and own & keys2:
            found["表二"] = i
        if found["表三"] is None and (own & keys3 or any(k.startswith("(本列数据的勾稽关系") for k in own)):
            found["表三"] = i
        if found["表四"] is None and normalize("行政复议") in own and normalize("行政诉讼") in own:
            found["表四"] = i
    return found


def _detect_format(formats: Formats, texts: set[str], year: int | None) -> Format | None:
    """The format whose own labels (those no other format has) appear most; by year on a tie."""
    scores = {}
    for fmt in formats.values():
        others = set()
        for other in formats.values():
            if other is not fmt:
                others |= {normalize(x) for x in other.labels()}
        mine = {normalize(x) for x in fmt.labels()} - others
        mine |= {normalize(r.label) for t in fmt.tables.values() if isinstance(t, GridTable) for r in t.rows} - others
        scores[fmt.id] = len(mine & texts)
    if not scores:
        return None
    best = max(scores.values())
    tied = [formats[i] for i, s in scores.items() if s == best]
    if len(tied) > 1 and year is not None:
        by_year = formats.for_year(year)
        if by_year in tied:
            return by_year
    return tied[0]


def _title(doc: Document) -> tuple[str | None, int | None, str | None, str | None]:
    """(title, year, organ, the line where the title ends). A title without the organ takes it
    from the short line(s) just before it: titles are often set on two lines."""
    for i, candidate in enumerate(doc.titles):
        text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", candidate))
        text = re.split(r"[_|]| - ", text)[0] if "_" in text or "|" in text else text
        if "政府信息公开" not in text or "报告" not in text and "年报" not in text:
            continue
        match = _TITLE.search(text)
        if not match:
            continue
        agency = text.replace(match[0], "", 1)
        for words in _REPORT_WORDS:
            agency = agency.replace(words, "")
        agency = agency.strip("《》“”\"'：:，,。 ")
        title = candidate.strip()
        if not agency:
            before = []
            for line in reversed(doc.titles[max(0, i - _ORGAN_LINES):i]):
                line = re.sub(r"\s+", "", unicodedata.normalize("NFKC", line))
                if not _ORGAN_LINE.fullmatch(line) or "政府信息公开" in line:
                    break
                before.insert(0, line)
            agency = "".join(before)
            title = agency + title
        return title, int(match[1]), agency or None, candidate
    return None, None, None, None


def _all_unread(result: Imported, name: str, table) -> None:
    if isinstance(table, BlockTable):
        for block, row, column in table.cells():
            result.blocks[(block.caption, row, column.label)] = UNREAD
    else:
        result.grids[name] = [[UNREAD] * len(table.cols) for _ in table.rows]


def _own(row: list[Cell]) -> list[tuple[int, Cell]]:
    """(position, cell) of the cells that begin in this row, once per merged cell."""
    seen, out = set(), []
    for position, cell in enumerate(row):
        if cell.own and cell.origin not in seen:
            seen.add(cell.origin)
            out.append((position, cell))
    return out


class _TableReader:
    def __init__(self, result: Imported, words: Words):
        self.result, self.words, self.problems, self.file = result, words, result.problems, result.file

    def match(self, table: str, text: str, labels, what: str) -> str | None:
        official, distance = self.words.match(text, labels)
        if official is not None and distance:
            self.warn_label(table, what, text, official, distance)
        return official

    def warn_label(self, table: str, what: str, text: str, official: str, distance: int, why: str = "") -> None:
        self.problems.warning(self.file, None, table, f"{what}“{_flat(text)}”与官方标签“{official}”相差 {distance} 个字{why}，"
                                                      "按官方标签读取，请核对原文。")

    def split_zeros(self, name: str, row: list[Cell], offsets: dict, keys: list[str], matrix) -> bool:
        """One published row standing for several official rows (the old （六）其他处理): when each of
        its values is 0 or blank, every official row is that too (counts are never negative).
        Anything else cannot be split and is left to the editor."""
        published = {}
        for c, offset in offsets.items():
            position = len(row) - offset
            if not 0 <= position < len(row):
                return False
            text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", row[position].text))
            if self.words.is_blank(text):
                published[c] = None
            elif text == "0":
                published[c] = 0
            else:
                return False
        table = self.result.fmt.tables[name]
        for key in keys:
            for c, value in published.items():
                matrix[table.row_index(key)][c] = value
        return True

    def value(self, table: str, where: str, cell: Cell | None, kind: str = "整数", column=None, header: str = ""):
        """A published cell as our YAML value: a number, None for a blank, an amount with its unit, or UNREAD."""
        if cell is None:
            self.problems.error(self.file, None, table, f"{where}：原文中没有这个单元格，未读取。")
            return UNREAD
        text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", cell.text)).replace(",", "")
        if self.words.is_blank(text):
            return None
        if column is not None and column.unit:
            found = self.words.split_amount(text)
            if found is None:
                self.problems.error(self.file, None, table, f"{where}：“{_flat(cell.text)}”不是金额，未读取。")
                return UNREAD
            number, unit = found
            if unit is None and number == 0:
                unit = column.unit  # zero is zero in any unit
            if unit is None:
                unit = next((u for u in sorted(self.words.units, key=len, reverse=True)
                             if f"{u})" in normalize(header) or f"单位:{u}" in normalize(header)), None)
            if unit is None:
                self.problems.error(self.file, None, table, f"{where}：“{_flat(cell.text)}”没有写单位，表头也没有，"
                                                            "无法确定是元还是万元，未读取；请对照原文写明单位。")
                return UNREAD
            return f"{format(number, 'f')}{unit}"
        for word in self.words.count_words:
            if text.endswith(word) and len(text) > len(word):
                text = text[: -len(word)]
        if re.fullmatch(r"-?\d+" if kind == "增减" else r"\d+", text.lstrip("+") if kind == "增减" else text):
            return int(text)
        self.problems.error(self.file, None, table, f"{where}：“{_flat(cell.text)}”不是{'整数' if kind == '增减' else '非负整数'}，未读取。")
        return UNREAD

    # --- Table 二 ---------------------------------------------------------------------------------

    def column(self, name: str, block, text: str) -> str | None:
        """A published column label; 采购总金额（万元） is 采购总金额 with its unit in the header."""
        labels = [col.label for col in block.columns]
        found = self.match(name, text, labels, f"{block.caption}的列名")
        if found is None:
            units = "|".join(re.escape(u) for u in self.words.units)
            bare = re.sub(rf"[（(](?:单位[：:])?(?:{units})[）)]$", "", normalize(text))
            if bare != normalize(text):
                found = self.match(name, bare, [c.label for c in block.columns if c.unit], f"{block.caption}的列名")
        return found

    def blocks(self, table: BlockTable, rows: list[list[Cell]]) -> None:
        name, captions = table.name, [b.caption for b in table.blocks]
        block, header, seen = None, None, set()
        other_captions = {f"第二十条第（{n}）项" for n in "一二三四五六七八九十"} - set(captions)
        for row in rows:
            own = _own(row)
            texts = [c.text for _, c in own if c.text]
            if not texts:
                continue
            first = texts[0]
            if len({normalize(t) for t in texts}) == 1:
                caption = self.match(name, first, captions, "区块标题")
                if caption:
                    block, header = table.block(caption), None
                    continue
                if self.words.match(first, other_captions)[0]:
                    self.problems.error(self.file, None, name, f"原文有区块“{_flat(first)}”，"
                                                               f"《{self.result.fmt.name}》没有这个区块，其数值未导入。")
                    block = None
                    continue
            if block is None:
                continue
            cells = [c for _, c in own]
            start = next(i for i, c in enumerate(cells) if c.text)
            if self.words.match(first, [table.row_header])[0]:
                header = [(self.column(name, block, c.text), c.text) for c in cells[start + 1:]]
                for label, text in header:
                    if label is None:
                        self.problems.error(self.file, None, name, f"{block.caption}的列名“{_flat(text)}”不是官方列名"
                                            f"（{'、'.join(c.label for c in block.columns)}），该列数值未导入。")
                continue
            label = self.match(name, first, block.rows, f"{block.caption}的行名")
            if label is None:
                near = self.words.nearest_label(first, block.rows)
                self.problems.error(self.file, None, name, f"{block.caption}中的行“{_flat(first)}”不是官方行名"
                                                           f"（最接近的是“{near}”），该行数值未导入。")
                continue
            values = cells[start + 1:]
            columns = header or [(c.label, c.label) for c in block.columns]
            if len(values) != len(columns):
                self.problems.error(self.file, None, name, f"{block.caption}“{label}”有 {len(values)} 个数值单元格，"
                                                           f"表头有 {len(columns)} 列，无法对应，该行未读取。")
                continue
            for (col_label, published), cell in zip(columns, values):
                if col_label is None:
                    continue
                column = block.column(col_label)
                key = (block.caption, label, col_label)
                self.result.blocks[key] = self.value(name, f"{name} {block.caption}“{label}”的“{col_label}”", cell,
                                                     column.kind, column, published)
                seen.add(key)
        for block, row, column in table.cells():
            key = (block.caption, row, column.label)
            if key not in seen:
                self.result.blocks[key] = UNREAD
                self.problems.error(self.file, None, name, f"{name} {block.caption}“{row}”的“{column.label}”：原文中没有找到，未读取。")

    # --- Table 三 ---------------------------------------------------------------------------------

    def labeled(self, table: GridTable, rows: list[list[Cell]]) -> None:
        name = table.name
        leaves = {row.label: r for r, row in enumerate(table.rows)}
        groups: dict[str, list[str]] = {}  # a row group's label -> the keys of its rows
        for row in table.rows:
            for label in row.path[1:-1]:
                groups.setdefault(label, []).append(row.key)
        first_data = next((i for i, row in enumerate(rows)
                           if any(self.words.match(c.text, leaves)[0] for _, c in _own(row) if c.text)), len(rows))
        header = rows[:first_data]
        offsets: dict[int, int] = {}  # column index -> its position counted from the right end of a row
        for c, col in enumerate(table.cols):
            for row in reversed(header):
                hit = next((p for p, cell in enumerate(row) if cell.text and normalize(cell.text) == normalize(col.label)), None)
                if hit is not None:
                    offsets[c] = len(row) - hit
                    break
        matrix = [[UNREAD] * len(table.cols) for _ in table.rows]
        missing = [col.key for c, col in enumerate(table.cols) if c not in offsets]
        if missing:
            self.problems.error(self.file, None, name, f"{name}的表头中没有找到列{'、'.join(f'“{m}”' for m in missing)}；"
                                                       f"该列每行的数值都未读取（共 {len(missing) * len(table.rows)} 个单元格）。")
        found_rows, explained = set(), set()
        group_now = None  # the row group being read: its label cell spans down, later rows lack it
        for row in rows[first_data:]:
            if not offsets:
                break
            first_value = min(len(row) - o for o in offsets.values())
            labels = [cell.text for p, cell in _own(row) if p < first_value and cell.text]
            if not labels:
                continue
            for text in labels[:-1]:
                group_now = self.words.match(text, groups)[0] or group_now
            leaf = self.match(name, labels[-1], leaves, "表三的行名")
            if leaf is None and group_now:  # a typo too long for match: the same number in the same group
                members = [table.rows[table.row_index(k)].label for k in groups[group_now]]
                leaf, distance = self.words.match_numbered(labels[-1], members)
                if leaf is not None:
                    self.warn_label(name, "表三的行名", labels[-1], leaf, distance,
                                    f"（同在“{group_now}”中，编号相同）")
            if leaf is None:
                group = self.words.match(labels[-1], groups)[0]
                if group:  # e.g. the single （六）其他处理 row of 2019 in a 2021-format report
                    explained |= set(groups[group])
                    parts = "、".join(f"“{k}”" for k in groups[group])
                    values = "、".join(_flat(row[len(row) - o].text) or "空白" for o in offsets.values() if o <= len(row))
                    split = f"《{self.result.fmt.name}》中“{group}”分为 {len(groups[group])} 行（{parts}），原文只有一行"
                    if self.split_zeros(name, row, offsets, groups[group], matrix):
                        found_rows |= {table.row_index(k) for k in groups[group]}
                        self.problems.warning(self.file, None, name, f"{name}中的行“{_flat(labels[-1])}”：{split}"
                                              f"（数值为 {values}）。次数不会是负数，合计为 0 时每一行都是 0，"
                                              "已按此填写这些行；请核对原文。")
                        continue
                    why = (f"{split}（数值为 {values}），无法分到这 {len(groups[group])} 行，这些单元格未读取；"
                           "请按原始记录填写")
                else:
                    why = f"不是官方行名（最接近的是“{self.words.nearest_label(labels[-1], leaves)}”），该行数值未导入"
                self.problems.error(self.file, None, name, f"{name}中的行“{_flat(labels[-1])}”：{why}。")
                continue
            r = leaves[leaf]
            path = table.rows[r].path
            group_now = path[-2] if len(path) > 2 else None
            found_rows.add(r)
            for c, offset in offsets.items():
                position = len(row) - offset
                cell = row[position] if 0 <= position < len(row) else None
                where = f"{name} 行“{table.rows[r].key}”列“{table.cols[c].key}”"
                if cell is not None and not cell.own:
                    self.problems.error(self.file, None, name, f"{where}：原文是合并单元格，未读取。")
                    continue
                matrix[r][c] = self.value(name, where, cell)
            if table.rows[r].key == table.rows[-1].key:
                break
        absent = [row.key for r, row in enumerate(table.rows) if r not in found_rows and row.key not in explained]
        if absent:
            self.problems.error(self.file, None, name, f"{name}中没有找到行{'、'.join(f'“{a}”' for a in absent)}；"
                                                       "这些行的数值未读取。")
        self.result.grids[name] = matrix

    # --- Table 四 ---------------------------------------------------------------------------------

    def unlabeled(self, table: GridTable, rows: list[list[Cell]]) -> None:
        name = table.name
        matrix = [[UNREAD] * len(table.cols)]
        for row in rows[1:]:
            cells = [c for _, c in _own(row)]
            plain = [re.sub(r"\s+", "", unicodedata.normalize("NFKC", c.text)) for c in cells]
            if not cells or not all(self.words.is_blank(t) or re.fullmatch(r"\d+\D{0,1}", t) for t in plain):
                continue
            if not any(plain):
                continue
            if len(cells) != len(table.cols):
                self.problems.error(self.file, None, name, f"{name}的数据行有 {len(cells)} 个单元格，应为 {len(table.cols)} 个"
                                                           "（行政复议 5 个、未经复议直接起诉 5 个、复议后起诉 5 个），无法对应，未读取。")
                break
            for c, cell in enumerate(cells):
                col = table.cols[c]
                matrix[0][c] = self.value(name, f"{name}“{col.group or col.label}”的“{col.label}”", cell)
            break
        else:
            self.problems.error(self.file, None, name, f"{name}中没有找到数据行；全部单元格未读取。")
        self.result.grids[name] = matrix


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _narrative(result: Imported, doc: Document, words: Words) -> None:
    """Sections 一、五、六 by their headings; the preamble between the title and section 一."""
    sections = result.fmt.sections
    current, seen = None, -1
    ends = [normalize(w) for w in words.page_ends]
    title_at = next((i for i, p in enumerate(doc.paragraphs)
                     if result.title_line and normalize(p) == normalize(result.title_line)), None)
    for i, paragraph in enumerate(doc.paragraphs):
        key = normalize(paragraph)
        heading = _HEADING.match(re.sub(r"\s+", "", unicodedata.normalize("NFKC", paragraph)))
        if heading and len(key) <= 40 and _NUMERALS.index(heading[1]) > seen and _NUMERALS.index(heading[1]) < len(sections):
            seen = _NUMERALS.index(heading[1])
            current = sections[seen]
            result.sections.setdefault(current.title, [])
            continue
        if current is not None and any(e and e in key for e in ends):
            break
        if current is None:
            if title_at is not None and i > title_at and not words.is_page_line(paragraph):
                result.preamble.append(paragraph)
        elif not current.table:
            result.sections[current.title].append(paragraph)
    _drop_signature(result.sections.get(sections[-1].title) if sections else None)


_ORGAN_END = re.compile(r"(局|委|办|政府|委员会|办公室|中心|院|厅|部|处|署|会|所|站|队|公司|镇|乡|街道|管委会|区|县|市)$")


def _drop_signature(last: list[str] | None) -> None:
    """The organ and the date signed under the report end its last section; the page shows them
    as the report's own, so they are not narrative (“平潭综合实验区财政金融局” / “2025年1月23日”)."""
    from ..wordimport import parse_date, signer_like  # the 公文 reader's one notion of a signature

    if not last or not parse_date(last[-1]):
        return
    last.pop()
    for _ in range(3):  # a report is signed by one organ, rarely by a few
        if not (last and signer_like(last[-1]) and _ORGAN_END.search(last[-1].strip())):
            break
        last.pop()
