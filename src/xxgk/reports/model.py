"""A report as given: figures of tables 二, 三 and 四, metadata and the narrative.

Two inputs share one reader: our YAML (data/reports/<org>/<year>.yml, Chinese keys, totals
may be omitted) and the label-keyed JSON interchange (agency/year/format/table2–4, `null`
for a blank cell as published). Values keep what the source said — a number, a blank
(None) or nothing at all (OMITTED) — so the checks can tell a computed total from a
given or a blank one.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml

from .. import content, schema
from ..problems import InputError, Problems
from ..entrycache import FileCache, file_key
from ..reference import Reference
from ..schema import Field
from ..yamlio import compose, nearest_line, parse_yaml, read_text
from .formats import BlockTable, Column, Format, Formats, GridTable
from .words import UNIT_KEY, Words

REPORTS_DIR = "data/reports"  # data/reports/<org>/<year>.yml
NARRATIVE_DIR = "reports"  # under docs/: docs/reports/<org>/<year>.md
TABLE_KEYS = {"表二": "table2", "表三": "table3", "表四": "table4"}  # interchange names


class _Omitted:
    def __repr__(self) -> str:
        return "OMITTED"


OMITTED = _Omitted()  # not in the source: zero, or computed when a total
UNREAD = "未读取"  # written by `xxgk report import` for a cell it could not read from the original
Number = int | Decimal


def format_number(value, unit: str | None = None) -> str:
    """Numbers as given (83.8778 stays 83.8778); a blank or missing cell prints as a plain 0."""
    if value is None or value is OMITTED:
        value = 0
    text = format(value, "f") if isinstance(value, Decimal) else str(value)
    return text + unit if unit and value else text


@dataclass
class NarrativeSection:
    title: str
    line: int  # of the heading
    body: str
    body_line: int


# What `xxgk report new` writes where the editor has to write (reports.scaffold); never published.
PLACEHOLDER = "（请填写"


@dataclass
class Narrative:
    """docs/reports/<org>/<year>.md: an optional preamble, then `## ` sections."""
    file: str
    preamble: str
    sections: list[NarrativeSection]
    stray_titles: list[tuple[str, int]]  # `# ` headings: the title is generated
    preamble_line: int = 1

    def section(self, title: str) -> NarrativeSection | None:
        return next((s for s in self.sections if s.title == title), None)

    def texts(self) -> list[tuple[str, int]]:
        """The preamble and every section's body, each with the line it starts on."""
        return [(self.preamble, self.preamble_line)] + [(s.body, s.body_line) for s in self.sections]


_FENCE = re.compile(r"^\s*(```|~~~)")


def _trimmed(lines: list[str], first_line: int) -> tuple[str, int]:
    """Text without surrounding blank lines, and the line it starts on."""
    raw = "\n".join(lines)
    return raw.strip(), first_line + raw.count("\n", 0, len(raw) - len(raw.lstrip()))


def read_narrative(text: str, file: str) -> Narrative:
    parts: list[tuple[str, int, list[str]]] = [("", 0, [])]  # (heading, its line, body); first: the preamble
    stray: list[tuple[str, int]] = []
    fenced = False
    for number, line in enumerate(text.split("\n"), 1):
        if _FENCE.match(line):
            fenced = not fenced
        heading = None if fenced else re.match(r"^(#{1,2})\s+(.+?)\s*#*\s*$", line)
        if heading and heading[1] == "#":
            stray.append((heading[2], number))
        elif heading:
            parts.append((heading[2], number, []))
        else:
            parts[-1][2].append(line)
    preamble, preamble_line = _trimmed(parts[0][2], 1)
    sections = [NarrativeSection(title, line, *_trimmed(body, line + 1)) for title, line, body in parts[1:]]
    return Narrative(file, preamble, sections, stray, preamble_line)


@dataclass
class Report:
    file: str  # for messages: data/reports/swj/2020.yml, or the JSON file checked
    org: str | None  # org id; None for a JSON report from elsewhere
    agency: str
    year: int
    format: Format
    lines: dict
    table_keys: dict[str, str]  # table name -> its key in the source (表三 or table3)
    blocks: dict[tuple[str, str, str], Number | None] = field(default_factory=dict)
    grids: dict[str, list[list]] = field(default_factory=dict)  # values, None or OMITTED
    cell_lines: dict[tuple, int] = field(default_factory=dict)  # (table, key) -> line
    published: date | None = None
    index_no: str | None = None  # 索引号: the report is the catalog's entry for itself (xxgk.reports.listing)
    draft: bool = False
    carry_note: str | None = None
    narrative: Narrative | None = None
    values: dict[str, list[list[Number]]] = field(default_factory=dict)  # totals settled (rules.settle)
    valid: bool = True
    findings: list[str] = field(default_factory=list)  # rule-tagged messages of its checks (rules.check_report)
    similarity: int | None = None  # % of the narrative found in last year's (reports.novelty)
    amount_unit: str | None = None  # 金额单位 declared once for the file's bare amounts
    amounts: dict[tuple, tuple[Decimal, str]] = field(default_factory=dict)  # Table 二 key -> (as written, unit)
    aside: dict[str, list[str]] = field(default_factory=dict)  # table -> unknown row labels, values kept aside
    blanks: dict[str, int] = field(default_factory=dict)  # table -> blank data cells (counted as 0)
    invalid: dict[str, set] = field(default_factory=dict)  # table -> (row, col) of values that could not be read

    @property
    def title(self) -> str:
        return self.format.report_title(self.agency, self.year)

    @property
    def key(self) -> tuple[str | None, int]:
        return self.org, self.year

    def is_published(self, today: date) -> bool:
        return self.valid and not self.draft and (self.published is None or self.published <= today)

    def value(self, table: str, key: tuple) -> Number:
        """A settled value: Table 二 by (block, row, column), grids by (row, column) index."""
        if isinstance(self.format.tables[table], BlockTable):
            found = self.blocks.get(key)
            return 0 if found is None else found
        r, c = key
        return self.values[table][r][c]

    def cell_text(self, table: str, key: tuple, column: Column) -> str:
        """A Table 二 cell as shown: an amount in the unit the report declared (251000元), or in the
        column's unit without a suffix when the official label names the unit."""
        value = self.value(table, key)
        if column.unit and column.unit_in_label:
            return format_number(value)
        if key in self.amounts:
            written, unit = self.amounts[key]
            return format_number(written, unit if written else None)
        return format_number(value, column.unit)

    def line(self, table: str, key: tuple | None = None) -> int:
        if key is not None and (table, key) in self.cell_lines:
            return self.cell_lines[(table, key)]
        return self.lines.get((self.table_keys.get(table, table),), 1)


# --- reading -----------------------------------------------------------------------------------

YAML_FIELDS = (
    Field("格式", "format"),
    Field("发布日期", "published", "date"),
    Field("索引号", "index_no"),
    Field("草稿", "draft", "bool"),
    Field("上年结转说明", "carry_note"),
    Field(UNIT_KEY, "amount_unit"),
    Field("机构", "agency"),  # imported reports of organs outside data/orgs.yml
    *(Field(name, name, "mapping") for name in TABLE_KEYS),
)
JSON_FIELDS = (
    Field("agency", "agency", required=True),
    Field("format", "format"),
    Field("amount_unit", "amount_unit"),
    *(Field(key, name, "mapping") for name, key in TABLE_KEYS.items()),
)
TYPE_RULE = "R5 数值类型"  # built into the engine: the value types of the format's columns
_KIND_TEXT = {"整数": "非负整数", "小数": "非负数（可有小数）", "增减": "整数（可为负数）"}


def _number(value, kind: str, source: str | None = None):
    """Return (number or None for a blank, None) or (None, message); `source` is the number as written."""
    if value is None:
        return None, None
    if value == UNREAD:
        return None, "未能从原文读出（导入时标为“未读取”），请对照原文填写。"
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        return None, f"应为{_KIND_TEXT[kind]}，却是“{value}”。"
    if isinstance(value, float):
        try:
            value = Decimal(source)  # 10.50 stays 10.50
        except (TypeError, InvalidOperation):
            value = Decimal(repr(value))  # the shortest text that reads back as the same float
    if isinstance(value, Decimal):
        if not value.is_finite():
            return None, f"应为{_KIND_TEXT[kind]}，却是 {value}。"
        if kind != "小数":
            if value != value.to_integral_value():
                return None, f"应为{_KIND_TEXT[kind]}，却是 {format(value, 'f')}。"
            value = int(value)
    if kind != "增减" and value < 0:
        return None, f"应为{_KIND_TEXT[kind]}，却是 {format_number(value)}。"
    return value, None


_NORMAL = str.maketrans({"(": "（", ")": "）", ":": "：", ",": "，", "“": '"', "”": '"', "．": ".",
                         " ": None, "\u3000": None, "\t": None})


def _hint(label: str, candidates, fmt: Format, formats: Formats, words: Words) -> str:
    """Why a label is not known, in one line: half-width punctuation, another format's label, or
    the nearest official label (never the whole list)."""
    candidates = list(candidates)
    for candidate in candidates:
        if str(label).translate(_NORMAL) == candidate.translate(_NORMAL):
            return f"标签须逐字使用官方全角标点，应写作“{candidate}”。"
    parts = [c for c in candidates if c.startswith(f"{label}/")]
    nearest = words.nearest_label(str(label), candidates)
    near = (f"本格式中“{label}”分为 {len(parts)} 行：{'、'.join(f'“{c}”' for c in parts)}，请分行填写。" if parts
            else f"最接近的官方标签是“{nearest}”。" if nearest else "")
    for other in formats.values():
        if other is not fmt and str(label) in other.labels():
            return (f"这是《{other.name}》（{other.years}）的标签；本报告适用《{fmt.name}》"
                    f"（{fmt.years}），请按该格式填写。{near}")
    return near


def float_sources(text: str) -> dict[tuple, str]:
    """The written text of every float by key path: YAML reads 10.50 as 10.5, a report shows 10.50."""
    found: dict[tuple, str] = {}

    def walk(node, path):
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                walk(value, path + (key.value,))
        elif isinstance(node, yaml.SequenceNode):
            for index, value in enumerate(node.value):
                walk(value, path + (index,))
        elif node.tag == "tag:yaml.org,2002:float":
            found[path] = node.value
    try:
        root = compose(text)
    except yaml.YAMLError:
        return found
    if root is not None:
        walk(root, ())
    return found


class _Reader:
    def __init__(self, report: Report, formats: Formats, problems: Problems, sources: dict, words: Words):
        self.rep, self.formats, self.problems, self.sources, self.words = report, formats, problems, sources, words

    def line(self, path: tuple) -> int:
        return nearest_line(self.rep.lines, path)

    def error(self, table: str, path: tuple, message: str) -> None:
        self.problems.error(self.rep.file, self.line(path), table, message)

    def unknown(self, table: str, path: tuple, what: str, label, candidates) -> None:
        hint = _hint(label, candidates, self.rep.format, self.formats, self.words)
        self.error(table, path, f"{table}中没有{what}“{label}”。{hint}")

    def missing(self, table: str, path: tuple, what: str, labels: list[str]) -> None:
        """Rows (or groups) a table given in part leaves out: a warning listing them."""
        if labels:
            self.problems.warning(self.rep.file, self.line(path), table,
                                  f"{table}缺少{len(labels)}{what}：{'、'.join(f'“{x}”' for x in labels)}；"
                                  "这些单元格按 0 计入合计和核对。如确为 0，请照录 0。")

    def amount(self, table: str, path: tuple, where: str, value, column: Column, key: tuple):
        """An amount with its unit (83.8778万元, 251000元), converted exactly to the column's unit."""
        if value is None:
            return None
        words, declared = self.words, self.rep.amount_unit
        other = next((u for u in words.units if u != column.unit), column.unit)
        example = (f"例如“{format_number(value) if isinstance(value, (int, Decimal)) else value}{column.unit}”或“…{other}”"
                   if not isinstance(value, str) else "例如“83.8778万元”或“251000元”")
        if value == UNREAD:
            self.error(table, path, f"[{TYPE_RULE}] {table} {where}未能从原文读出（导入时标为“未读取”），请对照原文填写。")
            return None
        if isinstance(value, str):
            found = words.split_amount(value)
            if found is None:
                self.error(table, path, f"[{TYPE_RULE}] {table} {where}应为带单位的金额（{example}），却是“{value}”。")
                return None
            number, unit = found
        elif isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
            self.error(table, path, f"[{TYPE_RULE}] {table} {where}应为带单位的金额（{example}），却是“{value}”。")
            return None
        else:
            number, unit = (Decimal(self.sources.get(path) or repr(value)) if isinstance(value, float)
                            else Decimal(value)), None
        if unit is None:
            if declared is None:
                self.error(table, path, f"[{TYPE_RULE}] {table} {where}是金额，须写明单位（{example}）；"
                                        f"也可在文件开头写一次“{UNIT_KEY}: 元”。可用单位：{words.unit_names()}。")
                return None
            unit = declared
        if unit not in words.units or column.unit not in words.units:
            self.error(table, path, f"[{TYPE_RULE}] {table} {where}的单位“{unit}”不可用；可用单位：{words.unit_names()}。")
            return None
        if number < 0:
            self.error(table, path, f"[{TYPE_RULE}] {table} {where}应为非负金额，却是 {format_number(number)}{unit}。")
            return None
        self.rep.amounts[key] = (number, unit)
        self.rep.cell_lines[(table, key)] = self.line(path)
        return words.convert(number, unit, column.unit)

    def number(self, table: str, path: tuple, where: str, value, kind: str, key: tuple):
        number, message = _number(value, kind, self.sources.get(path))
        if message:
            self.error(table, path, f"[{TYPE_RULE}] {table} {where}{message}")
            return None
        self.rep.cell_lines[(table, key)] = self.line(path)
        return number

    def blocks(self, table: BlockTable, raw: dict) -> None:
        top = (self.rep.table_keys[table.name],)
        for caption, rows in raw.items():
            block = table.block(caption)
            if block is None:
                self.unknown(table.name, top + (caption,), "区块", caption, [b.caption for b in table.blocks])
                continue
            if rows is None:
                continue
            if not isinstance(rows, dict):
                self.error(table.name, top + (caption,), f"区块“{caption}”应写成“行名: {{列名: 数值, …}}”。")
                continue
            for row, cols in rows.items():
                here = top + (caption, row)
                if row not in block.rows:
                    self.unknown(table.name, here, f"区块“{caption}”的行", row, block.rows)
                    continue
                if cols is None:
                    continue
                if not isinstance(cols, dict):
                    self.error(table.name, here, f"“{caption}”的“{row}”应写成 {{列名: 数值, …}}。")
                    continue
                for col, value in cols.items():
                    column = block.column(col)
                    if column is None:
                        self.unknown(table.name, here + (col,), f"区块“{caption}”的列", col,
                                     [c.label for c in block.columns])
                        continue
                    key = (caption, row, col)
                    where = f"{caption}“{row}”的“{col}”"
                    if column.unit:
                        self.rep.blocks[key] = self.amount(table.name, here + (col,), where, value, column, key)
                    else:
                        self.rep.blocks[key] = self.number(table.name, here + (col,), where, value, column.kind, key)
        if raw:
            given = {(c, r) for c, rows in raw.items() if isinstance(rows, dict) for r in rows}
            self.missing(table.name, top, "行", [f"{b.caption}“{r}”" for b in table.blocks for r in b.rows
                                                 if (b.caption, r) not in given and b.caption in raw])
            self.missing(table.name, top, "个区块", [b.caption for b in table.blocks if b.caption not in raw])

    def grid(self, table: GridTable, raw: dict) -> list[list]:
        matrix = [[OMITTED] * len(table.cols) for _ in table.rows]
        top = (self.rep.table_keys[table.name],)
        groups = table.groups()
        for key, values in raw.items():
            here = top + (key,)
            if table.labeled:
                r = table.row_index(key)
                if r is None:
                    self.unknown(table.name, here, "行", key, [row.key for row in table.rows])
                    self.rep.aside.setdefault(table.name, []).append(str(key))  # its values are not counted
                    continue
                cols = list(range(len(table.cols)))
            else:
                r, cols = 0, groups.get(key)
                if cols is None:
                    self.unknown(table.name, here, "类别", key, groups)
                    continue
            if values is None:
                continue
            plain = [c for c in cols if not table.cols[c].total]
            labels = "、".join(table.cols[c].label for c in cols)
            if not isinstance(values, list) or len(values) not in (len(cols), len(plain)):
                count = len(values) if isinstance(values, list) else "不是列表"
                self.error(table.name, here, f"“{key}”应为 {len(cols)} 个数的列表（{labels}），"
                                             f"总计可省略，写 {len(plain)} 个；实际为 {count}。")
                continue
            for index, (c, value) in enumerate(zip(cols if len(values) == len(cols) else plain, values)):
                where = f"行“{key}”列“{table.cols[c].key}”" if table.labeled else f"“{key}”的“{table.cols[c].label}”"
                number = self.number(table.name, here + (index,), where, value, "整数", (r, c))
                matrix[r][c] = number if number is not None or value is None else 0
                if number is None and value is not None:  # reported; the sums it is in are not judged
                    self.rep.invalid.setdefault(table.name, set()).add((r, c))
                if value is None and not table.cols[c].total:
                    self.rep.blanks[table.name] = self.rep.blanks.get(table.name, 0) + 1
        if raw or self.rep.table_keys[table.name] != table.name:  # a table given in part, or any JSON table
            if table.labeled:
                absent = [row.key for r, row in enumerate(table.rows)
                          if not row.total and all(v is OMITTED for v in matrix[r])]
                self.missing(table.name, top, "行", absent)
            else:
                self.missing(table.name, top, "类", [g for g in groups if g not in raw])
        return matrix


def read_report(data, lines: dict, file: str, formats: Formats, problems: Problems, *,
                org: str | None = None, year: int | None = None, agency: str | None = None,
                interchange: bool = False, sources: dict | None = None, words: Words | None = None) -> Report | None:
    """Read a report from our YAML (org, year and agency from its path) or from interchange JSON.

    `sources`: the written text of floats by key path (float_sources), so decimals keep their digits."""
    if not isinstance(data, dict):
        problems.error(file, 1, None, "年度报告应为“字段: 值”形式的映射。")
        return None
    data = dict(data)
    if interchange:
        year = data.pop("year", None)
        if isinstance(year, bool) or not isinstance(year, int) or not 1000 <= year <= 9999:
            problems.error(file, lines.get(("year",), 1), "year", f"应为四位年度整数，却是 {year!r}。")
            return None
    before = len(problems)
    values = schema.read(data, lines, file, JSON_FIELDS if interchange else YAML_FIELDS, problems)
    format_id = values["format"]
    fmt = formats.get(format_id) if format_id else formats.for_year(year)
    key = "format" if interchange else "格式"
    if fmt is None:
        known = "、".join(f"{f.id}（{f.years}）" for f in formats.values())
        why = f"未知的报告格式“{format_id}”" if format_id else f"没有适用于 {year} 年度的报告格式"
        problems.error(file, lines.get((key,), 1), key, f"{why}。已声明的格式：{known or '无'}（见 data/formats/）。")
        return None
    if format_id and not fmt.applies_to(year):
        problems.warning(file, lines.get((key,), 1), key,
                         f"报告年度 {year} 不在《{fmt.name}》的适用年度（{fmt.years}）内，请确认确需使用该格式。")
    table_keys = TABLE_KEYS if interchange else {name: name for name in TABLE_KEYS}
    report = Report(file, org, values.get("agency") or agency or org or "", year, fmt, lines, table_keys,
                    published=values.get("published"), index_no=values.get("index_no"), draft=bool(values.get("draft")),
                    carry_note=values.get("carry_note"), amount_unit=values.get("amount_unit"))
    words = words or Words()
    if report.amount_unit is not None and report.amount_unit not in words.units:
        field_key = "amount_unit" if interchange else UNIT_KEY
        problems.error(file, lines.get((field_key,), 1), field_key,
                       f"金额单位“{report.amount_unit}”不可用；可用单位：{words.unit_names()}。")
        report.amount_unit = None
    reader = _Reader(report, formats, problems, sources or {}, words)
    for name in TABLE_KEYS:
        raw, table = values[name], fmt.tables.get(name)
        if raw is not None and table is None:
            problems.error(file, lines.get((table_keys[name],), 1), table_keys[name], f"《{fmt.name}》没有{name}。")
        elif isinstance(table, BlockTable):
            reader.blocks(table, raw or {})
        elif isinstance(table, GridTable):
            report.grids[name] = reader.grid(table, raw or {})
    report.valid = not any(p.is_error for p in problems[before:])
    return report


def _no_duplicates(pairs):
    keys = [k for k, _ in pairs]
    for k in keys:
        if keys.count(k) > 1:
            raise ValueError(f"键“{k}”重复出现")
    return dict(pairs)


def read_interchange_text(text: str, file: str, formats: Formats, problems: Problems,
                          words: Words | None = None) -> Report | None:
    """Interchange JSON: strict JSON (exact decimals); YAML's parser only for line numbers."""
    try:
        data = json.loads(text, parse_float=Decimal, object_pairs_hook=_no_duplicates)
    except json.JSONDecodeError as exc:
        problems.error(file, exc.lineno, None, f"不是有效的 JSON（{exc.msg}，第 {exc.colno} 列）。")
        return None
    except (ValueError, InvalidOperation) as exc:
        try:  # JSON is YAML: our YAML reader locates duplicate keys by line
            parse_yaml(text.replace("\t", " "), file)
        except InputError as located:
            problems.append(located.problem)
            return None
        problems.error(file, 1, None, f"JSON 内容无法读取：{exc}。")
        return None
    try:
        _, lines = parse_yaml(text.replace("\t", " "), file)
    except InputError:
        lines = {}
    return read_report(data, lines, file, formats, problems, interchange=True, words=words)


def report_path(root: Path, org: str, year: int) -> Path:
    return root / REPORTS_DIR / org / f"{year}.yml"


def narrative_path(root: Path, org: str, year: int) -> Path:
    return root / "docs" / NARRATIVE_DIR / org / f"{year}.md"


def read_yaml_report(root: Path, path: Path, file: str, ref: Reference, formats: Formats,
                     problems: Problems, *, with_narrative: bool = True, words: Words | None = None) -> Report | None:
    """One data/reports/<org>/<year>.yml with its narrative in docs/reports/<org>/<year>.md."""
    org, stem = path.parent.name, path.stem
    if not re.fullmatch(r"\d{4}", stem):
        problems.error(file, 1, None, "年度报告文件应命名为“四位年度.yml”，例如 data/reports/swj/2024.yml。")
        return None
    if org not in ref.orgs:
        problems.error(file, 1, None, f"目录名“{org}”不是 data/orgs.yml 中的机构标识；报告应放在 data/reports/<机构标识>/ 下。")
        return None
    try:
        text = read_text(path, file)
        data, lines = parse_yaml(text, file)
    except InputError as exc:
        problems.append(exc.problem)
        return None
    report = read_report(data or {}, lines, file, formats, problems, org=org, year=int(stem),
                         agency=ref.orgs[org].name, sources=float_sources(text), words=words)
    if report is None or not with_narrative:
        return report
    md = narrative_path(root, org, report.year)
    md_file = md.relative_to(root).as_posix()
    if not md.is_file():
        problems.error(file, 1, None, f"缺少报告正文 {md_file}（一、五、六部分）：请新建该文件，"
                       f"按格式写出这几部分（可参照 docs/reports/{org}/ 中其他年度的正文）。")
        report.valid = False
        return report
    too_large = content.file_too_large(md, ref.body_limits)
    if too_large:
        problems.error(md_file, 1, "正文", too_large)
        report.valid = False
        return report
    try:
        text = read_text(md, md_file)
    except InputError as exc:
        problems.append(exc.problem)
        report.valid = False
        return report
    before = len(problems)
    # The narrative is content, never markup that runs; its {{ 统计.… }} placeholders are filled before rendering.
    content.check_markdown(text, md_file, 1, problems, ref.body_limits, placeholders=True)
    report.valid = report.valid and len(problems) == before
    report.narrative = read_narrative(text, md_file)
    return report


def report_cache(root: Path, formats: Formats, kind: str = "reports") -> FileCache:
    """Reports as read from their YAML and narrative (before the register and the checks add to them),
    or (`kind`) as checked (xxgk.reports.load_report_set): their formats shared, not copied."""
    shared = {f"format:{fmt.id}": fmt for fmt in formats.values()}
    shared["OMITTED"] = OMITTED
    return FileCache(root, kind, Report if kind == "reports" else dict, (Report, Narrative, NarrativeSection, Decimal, date),
                     shared)


def load_reports(root: Path, ref: Reference, formats: Formats, problems: Problems, words: Words | None = None) -> dict:
    """Every report of the project, by (org, year); narratives without data are errors too."""
    reports: dict[tuple[str, int], Report] = {}
    folder = root / REPORTS_DIR
    cache = report_cache(root, formats)
    for path in sorted(folder.glob("*/*.yml")) if folder.is_dir() else []:
        file = path.relative_to(root).as_posix()
        key = file_key(root, [file, f"docs/{NARRATIVE_DIR}/{path.parent.name}/{path.stem}.md"])
        found = cache.get(key)
        if found is None:
            own = Problems()
            found = cache.put(key, read_yaml_report(root, path, file, ref, formats, own, words=words), own)
        report, own = found
        problems.extend(own)
        if report is not None:
            reports[report.key] = report
    cache.save()
    docs = root / "docs" / NARRATIVE_DIR
    for md in sorted(docs.glob("*/*.md")) if docs.is_dir() else []:
        if md.name == "index.md" or not re.fullmatch(r"\d{4}", md.stem):
            continue
        if (md.parent.name, int(md.stem)) not in reports:
            file = md.relative_to(root).as_posix()
            problems.error(file, 1, None, f"没有对应的表格数据 {REPORTS_DIR}/{md.parent.name}/{md.stem}.yml；"
                                          "年度报告的正文和数据须同时提供。")
    return reports


def page_src(report: Report) -> str:
    """The generated page of a report, under docs/ (the listing and the site both place it here)."""
    return f"{NARRATIVE_DIR}/{report.org}/{report.year}.md"


def page_url(report: Report) -> str:
    return f"{NARRATIVE_DIR}/{report.org}/{report.year}/"
