"""`xxgk report new ORG YEAR`: next year's report data and narrative, written without clobbering.

Figures start at zero; every cell the format links to last year's report by a rule of the
form “本年项 = 上年项 (+ 上年项…)” (R6: 上年结转 = 上年的结转下年度继续办理) is filled from it.
Where the org keeps an application register for the year, Table 三 comes from it instead, and
the catalog's 规章/规范性文件 fill 第二十条第（一）项 (xxgk.register.annual.Prefill).
"""

from __future__ import annotations

from pathlib import Path

from ..content import html_comment
from ..reference import Org
from ..yamlio import comment, write_atomic
from . import ReportSet
from .formats import BlockTable, Format, GridTable
from .interchange import tables_yaml
from .model import PLACEHOLDER, REPORTS_DIR, narrative_path, report_path


def carried_over(fmt: Format, last) -> tuple[dict, dict, dict]:
    """(Table 二 values, grid data values, notes) copied or summed from last year's report."""
    blocks: dict = {}
    grids = {name: [[0] * len(t.cols) for _ in t.rows] for name, t in fmt.tables.items() if isinstance(t, GridTable)}
    notes: dict = {}
    if last is None or not last.values:
        return blocks, grids, notes
    for rule in fmt.rules:
        if len(rule.left) != 1 or rule.left[0].last_year or not rule.right \
                or not all(t.last_year for t in rule.right):
            continue
        table = fmt.tables[rule.table]
        old = last.format.tables.get(rule.table)
        if isinstance(table, BlockTable) and isinstance(old, BlockTable):
            for caption in rule.blocks:
                block, old_block = table.block(caption), old.block(caption)
                for row in block.rows if block and old_block else ():
                    if row in old_block.rows and all(old_block.column(t.label) for t in rule.right):
                        blocks[(caption, row, rule.left[0].label)] = sum(
                            t.sign * last.value(rule.table, (caption, row, t.label)) for t in rule.right)
        elif isinstance(table, GridTable) and isinstance(old, GridTable) and rule.axis == "列":
            r = table.row_index(rule.left[0].label)
            sources = [(old.row_index(t.label), t.sign) for t in rule.right]
            if r is None or any(s is None for s, _ in sources):
                continue
            for c, col in enumerate(table.cols):
                oc = old.col_index(col.key)
                if oc is not None:
                    grids[rule.table][r][c] = sum(sign * last.values[rule.table][s][oc] for s, sign in sources)
            notes[(rule.table, table.rows[r].key)] = f"取自{last.year}年报告：{'、'.join(t.label for t in rule.right)}"
    return blocks, grids, notes


def report_yaml(fmt: Format, org: Org, year: int, last, prefill=None, index_no: str = "") -> str:
    """`prefill` (xxgk.register.Prefill): Table 三 from the application register and Table 二 figures
    from the catalog, which take the place of zeros and of last year's carry-over. `index_no`: the
    report's 索引号, drawn from the sequence that it shares with the catalog (xxgk.numbering)."""
    blocks, grids, notes = carried_over(fmt, last)
    filled = ""
    if prefill is not None:
        blocks.update(prefill.blocks)
        if prefill.table3 is not None:
            grids["表三"] = prefill.table3
            notes = {k: v for k, v in notes.items() if k[0] != "表三"}
        filled = "".join(f"# {comment(line)}。\n" for line in prefill.said)
        if prefill.table3 is not None:
            filled += "# 删除整个“表三”则始终按登记台账自动填写；保留时，与台账不一致的单元格检查报错。\n"
    explain = any(r.explainable for r in fmt.rules)
    return (
        f"# {comment(fmt.report_title(org.name, year))}：表格数据（二、三、四部分）\n"
        f"# 适用格式：《{comment(fmt.name)}》（{comment(fmt.doc_no or fmt.id)}）。正文（其余各部分）写在 docs/reports/{org.id}/{year}.md。\n"
        "# 未填写的单元格按 0 计，页面上显示为 0。填好并核对后删除“草稿: true”即可发布。\n"
        + filled
        + "草稿: true\n"
        "# 发布日期：在门户公布报告的日期，YYYY-MM-DD。\n"
        "发布日期:\n"
        "# 索引号：报告本身列入政府信息公开目录（不另建目录条目），与目录条目共用流水号，已按预计的发布年份分配。\n"
        f"# 实际发布日期不在该年份时，删除索引号的值，再运行 xxgk assign {REPORTS_DIR}/{org.id}/{year}.yml 重新分配。\n"
        f"索引号: {index_no}\n"
        + ("# 上年结转与上年度报告的“结转下年度继续办理”确实不一致时（例如机构调整），在此说明原因；页面会显示该说明。\n"
           "上年结转说明:\n" if explain else "")
        + "# 金额（采购总金额、本年收费金额）须带单位，例如 83.8778万元 或 251000元。\n"
        + "\n" + tables_yaml(fmt, blocks, grids, notes)
    )


def narrative_markdown(fmt: Format, org: Org, year: int, prefill=None) -> str:
    parts = [html_comment(f"{fmt.report_title(org.name, year)}：正文。标题和二、三、四部分的表格由系统生成。"
                          + ("双花括号中的“统计.…”“台账.…”在生成页面时换成目录和登记台账中的数字。" if prefill else ""))]
    for section in fmt.narrative_sections:
        given = "\n\n".join(prefill.narrative.get(section.title, [])) if prefill else ""
        hint = "" if prefill and section.title in prefill.instead_of_hint else section.hint or ""
        parts.append(f"## {section.title}\n\n" + (given + "\n\n" if given else "") + f"{PLACEHOLDER}。{hint}）")
    return "\n\n".join(parts) + "\n"


def new_report(root: Path, reports: ReportSet, org: Org, year: int, fmt: Format, prefill=None,
               index_no: str = "") -> list[Path]:
    """Write data/reports/<org>/<year>.yml and docs/reports/<org>/<year>.md; never overwrite."""
    data, text = report_path(root, org.id, year), narrative_path(root, org.id, year)
    for path in (data, text):
        if path.exists():
            raise FileExistsError(0, "exists", str(path))
    last = reports.get(org.id, year - 1)
    write_atomic(data, report_yaml(fmt, org, year, last, prefill, index_no), overwrite=False)
    try:
        write_atomic(text, narrative_markdown(fmt, org, year, prefill), overwrite=False)
    except BaseException:
        # All or nothing: half a report would make the next `report new` refuse (file exists).
        data.unlink(missing_ok=True)
        raise
    return [data, text]
