"""What the register and the catalog give the annual reports.

`ReportInputs.prepare` runs on every report after it is read and before its checks:
- Table 三: where a complete register of the report's org and year exists, a report without
  Table 三 figures takes them from it; hand-entered figures are compared cell by cell, and
  every difference is an error naming the cell and both values;
- the narrative's {{ 名称 }} placeholders get their numbers (stats.py);
- the 第二十条第（一）项 figures are compared with the catalog's 规章/规范性文件 (warning).
`ReportInputs.prefill` gives `xxgk report new` the same figures for the scaffold.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ..catalog import Catalog
from ..problems import Problems
from ..reference import Reference
from ..reports.formats import BlockTable, Format
from ..reports.model import OMITTED, Report
from .model import REGISTER_DIR, Register
from .stats import NORM_KIND, RULE_KIND, CatalogStats, resolve, variables
from .table3 import TABLE, cell_applications, grid, matrix

REGISTER_TAG = "[台账核对]"
CATALOG_TAG = "[目录核对]"
ARTICLE20_BLOCK = "第二十条第（一）项"
ISSUED_COLUMNS = ("本年制发件数", "本年新制作数量")  # 2021 format, 2019 trial format
IN_FORCE_COLUMNS = ("现行有效件数",)
_SHOWN = 8  # application numbers listed in a mismatch message


def article20_cells(fmt: Format, columns: tuple[str, ...] = ISSUED_COLUMNS) -> list[tuple[tuple[str, str, str], str]]:
    """((block, row, column), kind) of the cells counting 规章 and 规范性文件 issued in the year
    (or, with columns=IN_FORCE_COLUMNS, in force at its end)."""
    table = fmt.tables.get("表二")
    block = table.block(ARTICLE20_BLOCK) if isinstance(table, BlockTable) else None
    column = next((c for c in columns if block and block.column(c)), None)
    if column is None:
        return []
    found = []
    for row in block.rows:
        kind = RULE_KIND if row == RULE_KIND else NORM_KIND if row.endswith(NORM_KIND) else None
        if kind:
            found.append(((ARTICLE20_BLOCK, row, column), kind))
    return found


@dataclass
class Prefill:
    """Figures for a new report's scaffold."""
    table3: list[list] | None = None  # Table 三 data values from the register (totals 0: computed)
    blocks: dict = field(default_factory=dict)  # Table 二 (block, row, column) -> value from the catalog
    narrative: dict[str, list[str]] = field(default_factory=dict)  # section title -> sentences with placeholders
    instead_of_hint: set[str] = field(default_factory=set)  # sections whose sentences say what the format's hint says
    said: list[str] = field(default_factory=list)  # what was filled, for the command's output


class ReportInputs:
    def __init__(self, ref: Reference, catalog: Catalog, register: Register, today: date):
        self.ref, self.register, self.today = ref, register, today
        self.entries = catalog.published(today)  # the one definition of published
        self._stats: CatalogStats | None = None

    @property
    def stats(self) -> CatalogStats:
        """Catalog counts by org and year, computed once for all reports."""
        if self._stats is None:
            self._stats = CatalogStats(self.entries)
        return self._stats

    def checks_catalog(self, year: int) -> bool:
        start = self.register.rules.catalog_check_from
        return start is None or year >= start

    # --- before the checks --------------------------------------------------------------------

    def prepare(self, report: Report, problems: Problems) -> None:
        if report.org is None:  # interchange JSON from elsewhere: nothing of ours applies
            return
        before = len(problems)
        self._table3(report, problems)
        self._narrative(report, problems)
        if self.checks_catalog(report.year):
            self._article20(report, problems)
        if any(p.is_error for p in problems[before:]):
            report.valid = False

    def _problem(self, report: Report, problems: Problems, line: int, field: str, message: str) -> None:
        if report.draft:
            problems.warning(report.file, line, field, message.replace("] ", "] （草稿，发布前须改正）", 1))
        else:
            problems.error(report.file, line, field, message)

    def _table3(self, report: Report, problems: Problems) -> None:
        table = grid(report.format)
        if table is None or TABLE not in report.grids or not self.register.covers(report.org, report.year):
            return
        apps = self.register.of(report.org)
        raw = report.grids[TABLE]
        if all(value is OMITTED for row in raw for value in row):
            report.grids[TABLE] = matrix(apps, report.year, report.format)  # relies on the register alone
            return
        cells = cell_applications(apps, report.year, table)
        folder = self.register.folder(report.org)
        for r, row in enumerate(table.rows):
            for c, col in enumerate(table.cols):
                if row.total or col.total:
                    continue  # totals are checked against the data cells by the report rules
                given = raw[r][c]
                value = 0 if given is None or given is OMITTED else given
                counted = cells.get((r, c), [])
                if value == len(counted):
                    continue
                numbers = "、".join(a.number for a in counted[:_SHOWN])
                more = f"等 {len(counted)} 件" if len(counted) > _SHOWN else ""
                which = f"（{numbers}{more}）" if counted else ""
                self._problem(report, problems, report.line(TABLE, (r, c)), TABLE,
                              f"{REGISTER_TAG} 表三 行“{row.key}”列“{col.key}”：报告填写 {value}，"
                              f"而依申请公开登记台账 {folder} 计得 {len(counted)}{which}。"
                              f"请改为 {len(counted)}，或删除整个“表三”由系统按台账填写。")

    def _narrative(self, report: Report, problems: Problems) -> None:
        narrative = report.narrative
        if narrative is None:
            return
        values = variables(self.entries, self.ref.categories, self.register, report.org, report.year,
                           stats=self.stats)
        why = (f"没有 {report.year} 年完整、无错误的依申请公开登记台账"
               f"（{REGISTER_DIR}/{report.org}/{report.year}.yml）。")
        narrative.preamble = resolve(narrative.preamble, narrative.preamble_line, narrative.file, values, problems,
                                     missing_register=why)
        for section in narrative.sections:
            section.body = resolve(section.body, section.body_line, narrative.file, values, problems,
                                   missing_register=why)

    def _article20(self, report: Report, problems: Problems) -> None:
        found = self.stats.issued(report.org, report.year)
        for key, kind in article20_cells(report.format):
            given, entries = report.value("表二", key), found[kind]
            if given == len(entries):
                continue
            listed = "：" + "、".join(e.doc_no for e in entries) if entries else ""
            problems.warning(report.file, report.line("表二", key), "表二",
                             f"{CATALOG_TAG} 表二 {key[0]}“{key[1]}”的“{key[2]}”为 {given}，而目录中 {report.year} 年成文、"
                             f"已发布的{kind}为 {len(entries)} 件{listed}（信息类别为政策文件、“第二十条”含（一）、"
                             f"有文号{'且文号含“令”' if kind == RULE_KIND else '且文号不含“令”'}）。"
                             "请核对报告数字，或把未录入的文件补入目录。")

    # --- xxgk report new ----------------------------------------------------------------------

    def prefill(self, org: str, year: int, fmt: Format) -> Prefill:
        found = Prefill()
        sections = {s.title[:2]: s.title for s in fmt.narrative_sections}
        first, sixth = sections.get("一、"), sections.get("六、")
        if first:
            found.narrative.setdefault(first, []).append("本年度通过政府信息公开目录主动公开政府信息{{ 统计.主动公开 }}条。")
        if grid(fmt) is not None and self.register.covers(org, year):
            found.table3 = [[0 if v is OMITTED else v for v in row] for row in matrix(self.register.of(org), year, fmt)]
            found.said.append(f"表三已按依申请公开登记台账 {self.register.folder(org)} 填写")
            if first:
                found.narrative[first].append(
                    "全年共收到政府信息公开申请{{ 台账.本年新收 }}件，上年结转{{ 台账.上年结转 }}件；"
                    "办结{{ 台账.办结 }}件，结转下年度继续办理{{ 台账.结转下年度 }}件。")
            if sixth:  # the 2021 format's hint for 六 is this sentence with 0元
                found.narrative.setdefault(sixth, []).append(
                    "依据《政府信息公开信息处理费管理办法》规定，本年实际收取信息处理费共计{{ 台账.信息处理费 }}元。")
                found.instead_of_hint.add(sixth)
        cells = article20_cells(fmt)
        if cells and self.checks_catalog(year):
            counts = self.stats.issued(org, year)
            for key, kind in cells:
                found.blocks[key] = len(counts[kind])
            found.said.append(f"表二{ARTICLE20_BLOCK}的“{cells[0][0][2]}”已按目录中的规章、规范性文件填写")
            in_force = article20_cells(fmt, IN_FORCE_COLUMNS)
            if in_force:
                counts = self.stats.in_force(org, year)
                for key, kind in in_force:
                    found.blocks[key] = len(counts[kind])
                found.said.append(f"表二{ARTICLE20_BLOCK}的“{in_force[0][0][2]}”已按目录中截至 {year} 年底"
                                  "已发布且有效性为“有效”的规章、规范性文件填写")
        return found
