"""National annual-report formats, declared in data/formats/*.yml and read into one model.

Everything that differs between formats — labels, spans, value types, units, rules and
deadlines — lives in the data file. The rest of this package interprets any format
declared there; adding a format is adding a file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .. import schema
from ..patterns import compile_pattern
from ..problems import InputError, Problems
from ..reference import ORG_TYPES
from ..schema import Field, FileReader
from ..yamlio import load_yaml_file

FORMATS_DIR = "data/formats"
KINDS = ("整数", "小数", "增减")  # non-negative integer, non-negative decimal, signed integer
LEVELS = ("错误", "警告")
LAST_YEAR = "上年."  # term prefix: the value in the previous year's report


@dataclass(frozen=True)
class Column:
    """A value column of a Table 二 block."""
    label: str
    kind: str = "整数"
    unit: str | None = None  # an amount in this unit (万元): written with its unit, shown after the number
    span: int = 1

    @property
    def unit_in_label(self) -> bool:
        """The official label names the unit (本年收费金额（单位：万元）): cells show plain numbers in it."""
        return bool(self.unit) and f"单位：{self.unit}" in self.label


@dataclass(frozen=True)
class Block:
    caption: str
    columns: tuple[Column, ...]
    rows: tuple[str, ...]

    def column(self, label: str) -> Column | None:
        return next((c for c in self.columns if c.label == label), None)


@dataclass
class BlockTable:
    """Table 二: blocks of 信息内容 rows, each under its caption row, on one grid."""
    name: str
    width: int  # grid columns, the row-label column included
    row_header: str  # 信息内容
    blocks: tuple[Block, ...]

    def block(self, caption: str) -> Block | None:
        return next((b for b in self.blocks if b.caption == caption), None)

    def cells(self):
        for block in self.blocks:
            for row in block.rows:
                for column in block.columns:
                    yield block, row, column

    def labels(self) -> set[str]:
        found = {self.row_header}
        for block in self.blocks:
            found |= {block.caption, *block.rows, *(c.label for c in block.columns)}
        return found


@dataclass(frozen=True)
class Node:
    """A header cell of a row or column tree; spans follow from the tree."""
    label: str
    children: tuple["Node", ...] = ()
    total: str | None = None  # rule id: this node sums the data leaves under its siblings


@dataclass(frozen=True)
class Leaf:
    key: str  # rows: the interchange key; columns: the label (组/label when not unique)
    path: tuple[str, ...]
    total: str | None
    sources: tuple[int, ...]  # indexes of the leaves a total sums

    @property
    def label(self) -> str:
        return self.path[-1] if self.path else ""

    @property
    def group(self) -> str | None:
        return self.path[-2] if len(self.path) > 1 else None


def _leaves(tree: tuple[Node, ...]) -> list[tuple[tuple[str, ...], Node]]:
    found = []

    def walk(nodes, path):
        for node in nodes:
            if node.children:
                walk(node.children, path + (node.label,))
            else:
                found.append((path + (node.label,), node))
    walk(tree, ())
    return found


def _with_sources(found, keys) -> list[Leaf]:
    leaves = []
    for path, node in found:
        sources = ()
        if node.total:
            parent = path[:-1]
            sources = tuple(i for i, (p, n) in enumerate(found)
                            if p[:len(parent)] == parent and len(p) > len(parent) and not n.total)
        leaves.append(Leaf(keys[path], path, node.total, sources))
    return leaves


@dataclass
class GridTable:
    """Tables 三 and 四: a row tree (may be empty: one unlabeled row) by a column tree."""
    name: str
    corner: str | None
    row_tree: tuple[Node, ...]
    col_tree: tuple[Node, ...]
    rows: list[Leaf] = field(init=False)
    cols: list[Leaf] = field(init=False)

    def __post_init__(self):
        found = _leaves(self.row_tree)
        # Row key: the label path without its top-level group (（三）不予公开/1.属于国家秘密).
        self.rows = _with_sources(found, {p: "/".join(p[1:] or p) for p, _ in found}) or [Leaf("", (), None, ())]
        found = _leaves(self.col_tree)
        count: dict[str, int] = {}
        for p, _ in found:
            count[p[-1]] = count.get(p[-1], 0) + 1
        self.cols = _with_sources(found, {p: p[-1] if count[p[-1]] == 1 else "/".join(p[-2:]) for p, _ in found})

    @property
    def labeled(self) -> bool:
        return bool(self.row_tree)

    @property
    def label_depth(self) -> int:
        return max((len(r.path) for r in self.rows), default=0)

    @property
    def header_depth(self) -> int:
        return max(len(c.path) for c in self.cols)

    def row_index(self, key: str) -> int | None:
        return next((i for i, r in enumerate(self.rows) if r.key == key), None) if self.labeled else None

    def col_index(self, key: str) -> int | None:
        return next((i for i, c in enumerate(self.cols) if c.key == key or "/".join(c.path[-2:]) == key), None)

    def groups(self) -> dict[str, list[int]]:
        """Unlabeled grids are keyed by the parents of the leaves (行政复议: its five columns)."""
        found: dict[str, list[int]] = {}
        for i, col in enumerate(self.cols):
            found.setdefault(col.group or col.label, []).append(i)
        return found

    def labels(self) -> set[str]:
        found = {self.corner} if self.corner else set()

        def walk(nodes):
            for node in nodes:
                found.add(node.label)
                walk(node.children)
        walk(self.row_tree)
        walk(self.col_tree)
        return found | {r.key for r in self.rows}


Table = BlockTable | GridTable


@dataclass(frozen=True)
class Term:
    label: str
    last_year: bool = False
    sign: int = 1

    def __str__(self) -> str:
        return ("-" if self.sign < 0 else "") + (LAST_YEAR if self.last_year else "") + self.label


@dataclass(frozen=True)
class TextCheck:
    pattern: object  # RE2 (xxgk.patterns)
    cells: tuple[tuple[str, ...], ...]  # (table, *keys) each; their sum is the expected number


@dataclass
class Rule:
    id: str
    name: str
    level: str = "错误"
    line: int = 1
    table: str | None = None
    blocks: tuple[str, ...] = ()
    axis: str | None = None  # 列: for every column, terms name rows; 行: for every row, terms name columns
    left: tuple[Term, ...] = ()
    right: tuple[Term, ...] = ()
    explainable: bool = False  # a report may explain a mismatch in 上年结转说明
    text_checks: tuple[TextCheck, ...] = ()
    section: str | None = None
    mention: str | None = None
    copied_percent: int | None = None  # 正文雷同: warn at this share of last year's narrative (reports.novelty)
    same_table: str | None = None  # 与上年相同: warn when every cell of this table equals last year's
    jump_factor: int | None = None  # 变化倍数: warn when a 变化单元格 grows beyond ×factor or falls below ÷factor
    jump_floor: int = 0  # 变化下限: smaller counts are not compared
    jump_cells: tuple[tuple[str, ...], ...] = ()

    @property
    def is_equation(self) -> bool:
        return bool(self.left)

    @property
    def cross_year(self) -> bool:
        return any(t.last_year for t in self.left + self.right)

    @property
    def title(self) -> str:
        return f"{self.id} {self.name}"


@dataclass(frozen=True)
class Section:
    title: str
    table: str | None = None  # tables are generated; the other sections are the narrative
    hint: str | None = None


@dataclass
class Format:
    id: str
    name: str
    doc_no: str | None
    first_year: int
    last_year: int | None
    title: str
    deadlines: dict[str, tuple[int, int]]  # org type -> (month, day) in the next year
    sections: list[Section]
    tables: dict[str, Table]
    rules: list[Rule]
    file: str

    def applies_to(self, year: int) -> bool:
        return self.first_year <= year and (self.last_year is None or year <= self.last_year)

    @property
    def years(self) -> str:
        return f"{self.first_year}—{self.last_year}年度" if self.last_year else f"{self.first_year}年度起"

    @property
    def narrative_sections(self) -> list[Section]:
        return [s for s in self.sections if not s.table]

    def report_title(self, agency: str, year: int) -> str:
        return self.title.replace("{机构}", agency).replace("{年度}", str(year))

    def rule(self, rule_id: str) -> Rule | None:
        return next((r for r in self.rules if r.id == rule_id), None)

    def labels(self) -> set[str]:
        found = {s.title for s in self.sections}
        for table in self.tables.values():
            found |= table.labels()
        return found


class Formats(dict):
    """Formats by id."""

    def for_year(self, year: int) -> Format | None:
        return next((f for f in self.values() if f.applies_to(year)), None)


# --- reading ---------------------------------------------------------------------------------

FORMAT_FIELDS = (
    Field("标识", "id", required=True),
    Field("名称", "name", required=True),
    Field("文号", "doc_no"),
    Field("适用年度", "years", "mapping", required=True),
    Field("标题", "title", required=True),
    Field("发布期限", "deadlines", "mapping", required=True),
    Field("章节", "sections", "list", required=True),
    Field("表二", "表二", "mapping"),
    Field("表三", "表三", "mapping"),
    Field("表四", "表四", "mapping"),
    Field("规则", "rules", "list"),
)
SECTION_FIELDS = (Field("标题", "title", required=True), Field("表", "table"), Field("说明", "hint"))
BLOCK_TABLE_FIELDS = (Field("行标题", "row_header", required=True), Field("区块", "blocks", "list", required=True))
BLOCK_FIELDS = (Field("标题", "caption", required=True), Field("列", "columns", "list", required=True),
                Field("行", "rows", "texts", required=True))
COLUMN_FIELDS = (Field("名称", "label", required=True), Field("类型", "kind", choices=lambda: KINDS),
                 Field("单位", "unit"))
GRID_FIELDS = (Field("角标", "corner"), Field("列", "cols", "list", required=True), Field("行", "rows", "list"))
NODE_FIELDS = (Field("名称", "label", required=True), Field("下级", "children", "list"), Field("合计", "total"))
RULE_FIELDS = (
    Field("编号", "id", required=True),
    Field("名称", "name", required=True),
    Field("级别", "level", choices=lambda: LEVELS),
    Field("表", "table"),
    Field("区块", "blocks", "texts"),
    Field("逐", "axis", choices=lambda: ("行", "列")),
    Field("左", "left", "texts"),
    Field("右", "right", "texts"),
    Field("可说明", "explainable", "bool"),
    Field("正文数字", "text_checks", "list"),
    Field("章节", "section"),
    Field("应提及", "mention"),
    Field("与上年相同", "same_table"),
    Field("变化单元格", "jump_cells", "list"),
)
RULE_INTS = ("正文雷同", "变化倍数", "变化下限")
TEXT_CHECK_FIELDS = (Field("模式", "pattern", required=True), Field("单元格", "cells", "list", required=True))


class _Reader(FileReader):
    """Reads one format file, reporting every problem at its line."""

    def mapping(self, item, path: tuple, fields: tuple[Field, ...], *, ints: tuple[str, ...] = ()) -> dict | None:
        """Read a mapping per `fields`; keys in `ints` are positive integers (schema has no int kind)."""
        if not isinstance(item, dict):
            self.error(path, None, f"应为“字段: 值”形式的映射，可用字段：{'、'.join(f.key for f in fields)}。")
            return None
        numbers = {}
        for key in ints:
            if key in item:
                value = item[key]
                if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                    self.error(path + (key,), key, f"应为正整数，却是 {value!r}。")
                else:
                    numbers[key] = value
        rest = {k: v for k, v in item.items() if k not in ints}
        before = len(self.problems)
        values = schema.read(rest, self.lines, self.file, fields, self.problems, path=path)
        values.update(numbers)
        return values if len(self.problems) == before else None

    def tree(self, items, path: tuple, rule_ids: set) -> tuple[Node, ...]:
        if not isinstance(items, list) or not items:
            self.error(path, None, "应为非空列表：每项是一个标签，或 {名称: …, 下级: [...]}。")
            return ()
        nodes = []
        for index, item in enumerate(items):
            here = path + (index,)
            if isinstance(item, str):
                nodes.append(Node(item))
                continue
            values = self.mapping(item, here, NODE_FIELDS)
            if values is None:
                continue
            children = self.tree(values["children"], here + ("下级",), rule_ids) if values["children"] is not None else ()
            if children and values["total"]:
                self.error(here, "合计", "合计项不能有下级。")
            if values["total"] and values["total"] not in rule_ids:
                self.error(here + ("合计",), "合计", f"“{values['label']}”的合计规则“{values['total']}”未在“规则”中声明。")
            nodes.append(Node(values["label"], children, values["total"]))
        return tuple(nodes)


def _block_table(r: _Reader, name: str, raw: dict) -> BlockTable | None:
    path = (name,)
    values = r.mapping(raw, path, BLOCK_TABLE_FIELDS, ints=("列数",))
    if values is None or "列数" not in values:
        if values is not None:
            r.error(path, "列数", "缺少必填字段“列数”（网格的列数，含信息内容列）。")
        return None
    width, blocks = values["列数"], []
    for index, item in enumerate(values["blocks"]):
        here = path + ("区块", index)
        block = r.mapping(item, here, BLOCK_FIELDS)
        if block is None:
            continue
        columns = []
        for ci, col in enumerate(block["columns"]):
            at = here + ("列", ci)
            if isinstance(col, str):
                columns.append(Column(col))
                continue
            c = r.mapping(col, at, COLUMN_FIELDS, ints=("跨列",))
            if c is not None:
                columns.append(Column(c["label"], c["kind"] or "整数", c["unit"], c.get("跨列", 1)))
        used = 1 + sum(c.span for c in columns)
        if used != width:
            r.error(here, "列", f"区块“{block['caption']}”的信息内容列加各列跨列之和为 {used}，应等于列数 {width}。")
        if len({c.label for c in columns}) != len(columns) or len(set(block["rows"])) != len(block["rows"]):
            r.error(here, None, f"区块“{block['caption']}”的列名或行名有重复。")
        blocks.append(Block(block["caption"], tuple(columns), tuple(block["rows"])))
    if len({b.caption for b in blocks}) != len(blocks):
        r.error(path, "区块", "区块标题有重复。")
    return BlockTable(name, width, values["row_header"], tuple(blocks))


def _grid_table(r: _Reader, name: str, raw: dict, rule_ids: set[str]) -> GridTable | None:
    path = (name,)
    values = r.mapping(raw, path, GRID_FIELDS)
    if values is None:
        return None
    cols = r.tree(values["cols"], path + ("列",), rule_ids)
    rows = r.tree(values["rows"], path + ("行",), rule_ids) if values["rows"] is not None else ()
    if not cols:
        return None
    grid = GridTable(name, values["corner"], rows, cols)
    for kind, leaves in (("行", grid.rows if rows else []), ("列", grid.cols)):
        keys = [leaf.key for leaf in leaves]
        if len(set(keys)) != len(keys):
            r.error(path + (kind,), kind, f"{name}的{kind}名有重复：{'、'.join(sorted({k for k in keys if keys.count(k) > 1}))}。")
        for leaf in leaves:
            if leaf.total and not leaf.sources:
                r.error(path + (kind,), "合计", f"“{leaf.key}”是合计，但同级没有可合计的数据项。")
    return grid


def _terms(texts: list[str]) -> tuple[Term, ...]:
    terms = []
    for text in texts:
        sign = -1 if text.startswith("-") else 1
        text = text[1:] if sign < 0 else text
        last = text.startswith(LAST_YEAR)
        terms.append(Term(text[len(LAST_YEAR):] if last else text, last, sign))
    return tuple(terms)


def _check_equation(r: _Reader, rule: Rule, tables: dict, at: tuple) -> None:
    """Every term must name a row or column of the declared table."""
    table = tables.get(rule.table)
    if table is None:
        r.error(at, "表", f"规则 {rule.id} 引用的表“{rule.table}”未声明。")
        return
    if rule.axis is None:
        r.error(at, "逐", f"规则 {rule.id} 缺少“逐”（行 或 列）。")
        return
    if isinstance(table, BlockTable):
        if rule.axis != "行" or not rule.blocks:
            r.error(at, "区块", f"规则 {rule.id} 针对表二，应写“逐: 行”和“区块”。")
            return
        for caption in rule.blocks:
            block = table.block(caption)
            if block is None:
                r.error(at, "区块", f"规则 {rule.id} 引用的区块“{caption}”不在{table.name}中。")
                continue
            for side, terms in (("左", rule.left), ("右", rule.right)):
                if missing := [str(t) for t in terms if block.column(t.label) is None]:
                    r.error(at + (side,), side, f"规则 {rule.id} 的项“{'、'.join(missing)}”不是区块“{caption}”的列。")
        return
    find = table.row_index if rule.axis == "列" else table.col_index
    kind = "行" if rule.axis == "列" else "列"
    for side, terms in (("左", rule.left), ("右", rule.right)):
        if missing := [str(t) for t in terms if find(t.label) is None]:
            r.error(at + (side,), side, f"规则 {rule.id} 的项“{'、'.join(missing)}”不是{table.name}的{kind}。")


def cell_position(tables: dict, path: tuple[str, ...]):
    """Resolve (table, *keys) to (table name, key) of a cell, or None.

    Table 二: (block, row, column); labeled grids: (row key, column key);
    unlabeled grids: (group, column label).
    """
    if not path:
        return None
    table = tables.get(path[0])
    keys = path[1:]
    if isinstance(table, BlockTable) and len(keys) == 3:
        block = table.block(keys[0])
        if block and keys[1] in block.rows and block.column(keys[2]):
            return table.name, tuple(keys)
    elif isinstance(table, GridTable) and len(keys) == 2:
        if table.labeled:
            r, c = table.row_index(keys[0]), table.col_index(keys[1])
        else:
            r = 0
            c = next((i for i in table.groups().get(keys[0], []) if table.cols[i].label == keys[1]), None)
        if r is not None and c is not None:
            return table.name, (r, c)
    return None


def _rule(r: _Reader, item, at: tuple, tables: dict) -> Rule | None:
    values = r.mapping(item, at, RULE_FIELDS, ints=RULE_INTS)
    if values is None:
        return None
    rule = Rule(values["id"], values["name"], values["level"] or "错误", r.line(at), values["table"],
                tuple(values["blocks"] or ()), values["axis"],
                _terms(values["left"] or []), _terms(values["right"] or []),
                bool(values["explainable"]), (), values["section"], values["mention"])
    if bool(rule.left) != bool(rule.right):
        r.error(at, "左", f"规则 {rule.id} 的等式应同时有“左”和“右”。")
    if rule.left:
        _check_equation(r, rule, tables, at)
    checks = []
    for index, raw in enumerate(values["text_checks"] or []):
        here = at + ("正文数字", index)
        check = r.mapping(raw, here, TEXT_CHECK_FIELDS)
        if check is None:
            continue
        pattern, message = compile_pattern(str(check["pattern"]))
        if pattern is None:
            r.error(here + ("模式",), "模式", message)
            continue
        if pattern.groups != 1:
            r.error(here + ("模式",), "模式", "模式应恰好有一个括号分组，即要核对的数字。")
            continue
        cells = []
        for cell in check["cells"]:
            if not isinstance(cell, list) or cell_position(tables, tuple(map(str, cell))) is None:
                r.error(here + ("单元格",), "单元格", f"“{cell}”不是表格中的单元格，应写成 [表名, 行, 列]。")
                continue
            cells.append(tuple(map(str, cell)))
        checks.append(TextCheck(pattern, tuple(cells)))
    rule.text_checks = tuple(checks)
    if bool(rule.section) != bool(rule.mention):
        r.error(at, "应提及", f"规则 {rule.id} 应同时写“章节”和“应提及”。")
    rule.copied_percent = values.get("正文雷同")
    if rule.copied_percent is not None and rule.copied_percent > 100:
        r.error(at + ("正文雷同",), "正文雷同", "应为 1 到 100 之间的百分数。")
    rule.same_table = values["same_table"]
    if rule.same_table is not None and rule.same_table not in tables:
        r.error(at + ("与上年相同",), "与上年相同", f"“{rule.same_table}”不是本格式的表格。")
        rule.same_table = None
    rule.jump_factor, rule.jump_floor = values.get("变化倍数"), values.get("变化下限", 0)
    for cell in values["jump_cells"] or []:
        if not isinstance(cell, list) or cell_position(tables, tuple(map(str, cell))) is None:
            r.error(at + ("变化单元格",), "变化单元格", f"“{cell}”不是表格中的单元格，应写成 [表名, 行, 列]。")
            continue
        rule.jump_cells += (tuple(map(str, cell)),)
    if bool(rule.jump_factor) != bool(rule.jump_cells):
        r.error(at, "变化倍数", f"规则 {rule.id} 应同时写“变化倍数”和“变化单元格”。")
    return rule


def read_format(data, lines: dict, file: str, problems: Problems) -> Format | None:
    r = _Reader(file, lines, problems)
    values = r.mapping(data, (), FORMAT_FIELDS)
    if values is None:
        return None
    before = len(problems)
    years = r.mapping(values["years"], ("适用年度",), (), ints=("起", "止"))
    if years is not None and "起" not in years:
        r.error(("适用年度",), "适用年度", "应写成 {起: 年份} 或 {起: 年份, 止: 年份}。")
    deadlines = {}
    for org_type, text in values["deadlines"].items():
        match = re.fullmatch(r"(\d{2})-(\d{2})", str(text))
        if org_type not in ORG_TYPES or not match:
            r.error(("发布期限", org_type), "发布期限", f"应写成 {{{ORG_TYPES[0]}: MM-DD, {ORG_TYPES[1]}: MM-DD}}。")
            continue
        deadlines[org_type] = (int(match[1]), int(match[2]))
    rules_raw = values["rules"] or []
    rule_ids = {item.get("编号") for item in rules_raw if isinstance(item, dict)}
    tables: dict[str, Table] = {}
    for name in ("表二", "表三", "表四"):
        raw = values[name]
        if raw is None:
            continue
        table = _block_table(r, name, raw) if "区块" in raw else _grid_table(r, name, raw, rule_ids)
        if table is not None:
            tables[name] = table
    sections = []
    for index, item in enumerate(values["sections"]):
        here = ("章节", index)
        section = Section(item) if isinstance(item, str) else None
        if section is None:
            s = r.mapping(item, here, SECTION_FIELDS)
            section = s and Section(s["title"], s["table"], s["hint"])
        if section and section.table and section.table not in tables:
            r.error(here, "表", f"章节引用的表“{section.table}”未声明。")
        if section:
            sections.append(section)
    rules = [rule for index, item in enumerate(rules_raw) if (rule := _rule(r, item, ("规则", index), tables))]
    ids = [rule.id for rule in rules]
    if len(set(ids)) != len(ids):
        r.error(("规则",), "规则", "规则编号有重复。")
    for rule in rules:
        if rule.section and rule.section not in {s.title for s in sections if not s.table}:
            r.error(("规则",), "章节", f"规则 {rule.id} 的章节“{rule.section}”不是正文章节。")
    if len(problems) != before or years is None:
        return None
    return Format(values["id"], values["name"], values["doc_no"], years["起"], years.get("止"), values["title"],
                  deadlines, sections, tables, rules, file)


def load_formats(root: Path, problems: Problems) -> Formats:
    formats = Formats()
    folder = root / FORMATS_DIR
    for path in sorted(folder.glob("*.yml")) if folder.is_dir() else []:
        file = path.relative_to(root).as_posix()
        try:
            data, lines = load_yaml_file(path, file)
        except InputError as exc:
            problems.append(exc.problem)
            continue
        fmt = read_format(data, lines, file, problems)
        if fmt is None:
            continue
        if fmt.id in formats:
            problems.error(file, lines.get(("标识",), 1), "标识", f"格式标识“{fmt.id}”已在 {formats[fmt.id].file} 中使用。")
            continue
        for other in formats.values():
            if other.applies_to(fmt.first_year) or fmt.applies_to(other.first_year):
                problems.error(file, lines.get(("适用年度",), 1), "适用年度",
                               f"适用年度（{fmt.years}）与 {other.file}（{other.years}）重叠；每个年度只能适用一种格式。")
        formats[fmt.id] = fmt
    return formats
