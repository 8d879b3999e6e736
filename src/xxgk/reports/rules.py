"""The checks of a report (勾稽关系), all driven by the format's declarations.

- totals (合计 nodes: R2, R3, R4): computed when omitted, validated when given, a blank
  total in a non-zero row reported;
- equations (规则 with 左/右): same-year (R1) and against last year's report (R6, R7, R9);
- narrative: its sections, numbers quoted in it (R8) and words it must mention;
- the publication deadline of 条例第四十九条.
Each message names the table, the row and column labels and both sides with their values.
"""

from __future__ import annotations

from datetime import date

from ..problems import Problems
from ..reference import Org
from .formats import BlockTable, GridTable, Rule, Term, cell_position
from .model import OMITTED, PLACEHOLDER, Report, format_number
from .novelty import check_novelty

_LIST_ALL = 7  # longer sums list their non-zero terms only


def _sum_text(parts: list[tuple[str, object, int]]) -> str:
    """“甲”3 + “乙”0 = 3 — every term with its value, or the non-zero ones of a long sum."""
    shown = parts if len(parts) <= _LIST_ALL else [p for p in parts if p[1]]
    text = ""
    for label, value, sign in shown:
        op = (" - " if sign < 0 else " + ") if text else ("-" if sign < 0 else "")
        text += f"{op}“{label}”{format_number(value)}"
    if len(shown) < len(parts):
        rest = f"其余 {len(parts) - len(shown)} 项均为 0"
        text = f"{text} + {rest}" if text else rest
    return f"{text} = {format_number(sum(sign * value for _, value, sign in parts))}"


def _report(problems: Problems, report: Report, rule: Rule | None, field: str | None, line: int, message: str,
            *, file: str | None = None) -> None:
    """A rule's finding at its level; a draft's errors are warnings until 草稿 is removed."""
    file = file or report.file
    prefix = f"[{rule.title}] " if rule else ""
    if rule and rule.level == "警告":
        problems.warning(file, line, field, prefix + message)
    elif report.draft:  # work in progress is not published
        problems.warning(file, line, field, f"{prefix}（草稿，发布前须改正）{message}")
    else:
        problems.error(file, line, field, prefix + message)


# --- totals --------------------------------------------------------------------------------------

def not_evaluated(report: Report, problems: Problems, rule, table: str, *, last: Report | None = None) -> None:
    """A sum over rows cannot be judged while a row's values are kept aside (unknown label)."""
    source = last if last is not None and last.aside.get(table) else report
    labels = "、".join(f"“{x}”" for x in source.aside[table])
    whose = f"{source.year}年报告" if source is not report else ""
    problems.warning(report.file, report.line(table), table,
                     f"[{rule.title}] 未核对：{whose}{table}有无法识别的行 {labels}，其数值已单列、未计入合计；"
                     "请改正该行标签后再核对。")


def settle(report: Report, problems: Problems) -> None:
    """Fill report.values: totals computed where omitted, checked where given (R2, R3, R4)."""
    fmt = report.format
    for name, count in report.blanks.items():
        problems.note(report.file, report.line(name), name,
                      f"{name}有 {count} 个空白单元格：核对时按 0 计入各项合计，页面显示为 0。")
    for name, raw in report.grids.items():
        grid: GridTable = fmt.tables[name]
        values = [[0 if v is None or v is OMITTED else v for v in row] for row in raw]
        plain_rows = [r for r, row in enumerate(grid.rows) if not row.total]
        total_rows = [r for r, row in enumerate(grid.rows) if row.total]
        total_cols = [c for c, col in enumerate(grid.cols) if col.total]

        def where(r: int, c: int) -> str:
            row = f"行“{grid.rows[r].key}”" if grid.labeled else ""
            return f"{name} {row}列“{grid.cols[c].key}”"

        invalid = report.invalid.get(name, set())
        skipped: dict[str, int] = {}

        def settle_cell(r: int, c: int, parts, rule_id: str, subject: str, cells=()) -> None:
            given, total = raw[r][c], sum(v for _, v, _ in parts)
            if invalid & {(r, c), *cells}:  # a value that could not be read: no false sums
                skipped[rule_id] = skipped.get(rule_id, 0) + 1
                values[r][c] = given if given not in (OMITTED, None) and (r, c) not in invalid else total
                return
            rule = fmt.rule(rule_id)
            line = report.line(name, (r, c)) if given is not OMITTED else report.line(name)
            if given is OMITTED:
                values[r][c] = total
            elif given is None:
                values[r][c] = total
                if total:
                    _report(problems, report, rule, name, line,
                            f"{where(r, c)}为空白，但{subject}不为零：{_sum_text(parts)}。空白按 0 计；请填写 {format_number(total)}。")
            elif given != total:
                _report(problems, report, rule, name, line,
                        f"{where(r, c)}为 {format_number(given)}，而{subject}：{_sum_text(parts)}，两者不等。")

        for r in plain_rows:  # the total columns of every data row (R3, R4)
            for c in total_cols:
                parts = [(grid.cols[s].key, values[r][s], 1) for s in grid.cols[c].sources]
                settle_cell(r, c, parts, grid.cols[c].total, "同行各列之和", [(r, s) for s in grid.cols[c].sources])
        for r in total_rows:  # total rows, column by column (R2)
            if report.aside.get(name):  # a row is missing from the sum: say so once, no false sums
                for c in range(len(grid.cols)):
                    values[r][c] = raw[r][c] if raw[r][c] not in (OMITTED, None) else \
                        sum(values[s][c] for s in grid.rows[r].sources)
                not_evaluated(report, problems, fmt.rule(grid.rows[r].total), name)
                continue
            for c in range(len(grid.cols)):
                parts = [(grid.rows[s].key, values[s][c], 1) for s in grid.rows[r].sources]
                settle_cell(r, c, parts, grid.rows[r].total, "同列各项之和", [(s, c) for s in grid.rows[r].sources])
            for c in total_cols:  # a total row's own total column, when given, across too
                if raw[r][c] not in (OMITTED, None):
                    parts = [(grid.cols[s].key, values[r][s], 1) for s in grid.cols[c].sources]
                    if values[r][c] != sum(v for _, v, _ in parts):
                        _report(problems, report, fmt.rule(grid.cols[c].total), name, report.line(name, (r, c)),
                                f"{where(r, c)}为 {format_number(values[r][c])}，而同行各列之和：{_sum_text(parts)}，两者不等。")
        for rule_id, count in skipped.items():
            rule = fmt.rule(rule_id)
            problems.warning(report.file, report.line(name), name,
                             f"[{rule.title if rule else rule_id}] 未核对 {count} 处合计：所涉单元格的数值无法读取"
                             f"（见该表的数值类型错误），改正后再核对。")
        report.values[name] = values


# --- equations -----------------------------------------------------------------------------------

def _position(source: Report, rule: Rule, term: Term, anchor):
    """Key of a term's cell at the anchor row/column in `source`, or None when its format lacks it."""
    table = source.format.tables.get(rule.table)
    if isinstance(table, BlockTable):
        caption, row = anchor
        block = table.block(caption)
        if block is None or row not in block.rows or block.column(term.label) is None:
            return None
        return caption, row, term.label
    if not isinstance(table, GridTable):
        return None
    if rule.axis == "列":  # terms are rows, the anchor is a column key
        r, c = table.row_index(term.label), table.col_index(anchor)
    else:  # terms are columns, the anchor is a row key
        r, c = (table.row_index(anchor) if table.labeled else 0), table.col_index(term.label)
    return None if r is None or c is None else (r, c)


def _anchors(report: Report, rule: Rule):
    """(anchor, its label for messages) for every row or column a rule covers."""
    table = report.format.tables[rule.table]
    if isinstance(table, BlockTable):
        for caption in rule.blocks:
            block = table.block(caption)
            for row in block.rows if block else ():
                yield (caption, row), f"{caption}“{row}”"
    elif rule.axis == "列":
        for col in table.cols:
            yield col.key, f"列“{col.key}”"
    else:
        for row in table.rows:
            yield row.key, f"行“{row.key}”" if table.labeled else ""


def _side(report: Report, last: Report | None, rule: Rule, terms, anchor):
    """[(label, value, sign)] of one side of an equation, or None when a cell is missing."""
    parts = []
    for term in terms:
        source = last if term.last_year else report
        key = _position(source, rule, term, anchor)
        if key is None:
            return None
        parts.append(((f"{last.year}年报告" if term.last_year else "") + term.label, source.value(rule.table, key),
                      term.sign))
    return parts


def check_equations(report: Report, problems: Problems, last: Report | None = None) -> None:
    """Same-year equations (last=None), or the cross-year ones against last year's report."""
    for rule in report.format.rules:
        if not rule.is_equation or rule.cross_year != (last is not None):
            continue
        if last is not None and rule.explainable and report.carry_note:
            continue  # explained (e.g. a reorganisation); the page shows the explanation
        if rule.axis == "列" and isinstance(report.format.tables.get(rule.table), GridTable) and (
                report.aside.get(rule.table) or (last is not None and last.aside.get(rule.table))):
            not_evaluated(report, problems, rule, rule.table, last=last)
            continue
        unread = []
        for anchor, label in _anchors(report, rule):
            if _unreadable(report, last, rule, anchor):
                unread.append(label)
                continue
            left, right = _side(report, last, rule, rule.left, anchor), _side(report, last, rule, rule.right, anchor)
            if left is None or right is None:
                continue  # a cell the other year's format does not have
            if sum(s * v for _, v, s in left) == sum(s * v for _, v, s in right):
                continue
            # Point at this year's first term: the cell an editor would correct.
            first = next((t for t in rule.left + rule.right if not t.last_year), None)
            line = report.line(rule.table, _position(report, rule, first, anchor) if first else None)
            hint = "；如确因机构调整等原因不一致，请在“上年结转说明”中写明原因" if rule.explainable else ""
            _report(problems, report, rule, rule.table, line,
                    f"{rule.table} {label}：{_sum_text(left)}，而 {_sum_text(right)}，两边不等{hint}。")
        if unread:
            problems.warning(report.file, report.line(rule.table), rule.table,
                             f"[{rule.title}] 未核对{'、'.join(unread)}：其中有无法读取的数值（见数值类型错误），改正后再核对。")


def _unreadable(report: Report, last: Report | None, rule: Rule, anchor) -> bool:
    """A column of a grid equation holds a value that could not be read (this year's or last year's)."""
    table = report.format.tables.get(rule.table)
    if rule.axis != "列" or not isinstance(table, GridTable):
        return False
    for source in (report, last):
        if source is None:
            continue
        grid = source.format.tables.get(rule.table)
        c = grid.col_index(anchor) if isinstance(grid, GridTable) else None
        if c is not None and any(cc == c for _, cc in source.invalid.get(rule.table, ())):
            return True
    return False


# --- narrative -----------------------------------------------------------------------------------

def check_narrative(report: Report, problems: Problems) -> None:
    narrative, fmt = report.narrative, report.format
    if narrative is None:
        return
    file = narrative.file
    expected = [s.title for s in fmt.narrative_sections]
    tables = {s.title for s in fmt.sections if s.table}
    for title, line in narrative.stray_titles:
        problems.error(file, line, None, f"“# {title}”：报告标题由系统生成，正文只写“## ”开头的{'、'.join(expected)}各部分。")
    seen = []
    for section in narrative.sections:
        if section.title in tables:
            problems.error(file, section.line, None, f"“{section.title}”由表格数据 {report.file} 自动生成，请删除该标题及其内容。")
        elif section.title not in expected:
            problems.error(file, section.line, None, f"“{section.title}”不是报告的正文部分。正文部分依次为：{'、'.join(expected)}"
                                                     "（标题须逐字一致）；小标题请用“### ”。")
        elif section.title in seen:
            problems.error(file, section.line, None, f"“{section.title}”重复出现。")
        else:
            if seen and expected.index(section.title) < expected.index(seen[-1]):
                problems.error(file, section.line, None, f"“{section.title}”应在“{seen[-1]}”之前。")
            seen.append(section.title)
            if not section.body:
                problems.warning(file, section.line, None, f"“{section.title}”没有内容；条例第五十条要求的内容不能遗漏，没有的请写明“无”。")
    for title in expected:
        if title not in seen:
            problems.error(file, 1, None, f"缺少正文部分“## {title}”。")
    for text, first_line in narrative.texts():
        for offset, line in enumerate(text.split("\n")):
            if PLACEHOLDER in line:
                _report(problems, report, None, None, first_line + offset,
                        f"还留有“{PLACEHOLDER}。…）”提示：请写入这部分的内容并删除提示，否则提示会出现在网站和报告的 Word 文件中。",
                        file=file)
    for rule in fmt.rules:
        if rule.mention:
            section = narrative.section(rule.section)
            if section and rule.mention not in section.body:
                _report(problems, report, rule, None, section.line,
                        f"“{rule.section}”中没有提到“{rule.mention}”。", file=file)
        for check in rule.text_checks:
            _check_numbers(report, rule, check, problems)


def _check_numbers(report: Report, rule: Rule, check, problems: Problems) -> None:
    narrative = report.narrative
    parts = []
    for table, *keys in check.cells:
        position = cell_position(report.format.tables, (table, *keys))
        parts.append(("/".join(keys), report.value(*position), 1))
    expected = sum(v for _, v, _ in parts)
    for text, first_line in narrative.texts():
        for match in check.pattern.finditer(text):
            if int(match[1]) != expected:
                line = first_line + text.count("\n", 0, match.start())
                tables = "、".join(dict.fromkeys(t for t, *_ in check.cells))
                if len(parts) == 1:  # one cell: its value, not a sum of one term
                    said = f"{tables}“{parts[0][0]}”为 {format_number(expected)}"
                else:
                    said = f"{tables} {_sum_text(parts)}"
                _report(problems, report, rule, None, line, f"正文写“{match[0]}”，但{said}。", file=narrative.file)


# --- deadline ------------------------------------------------------------------------------------

def check_dates(report: Report, org: Org | None, problems: Problems) -> None:
    if report.published is None:
        return
    line = report.lines.get(("发布日期",), 1)
    if report.published < date(report.year + 1, 1, 1):
        problems.error(report.file, line, "发布日期", f"发布日期 {report.published} 早于报告年度 {report.year} 结束。")
        return
    if org is None or org.type not in report.format.deadlines:
        return
    month, day = report.format.deadlines[org.type]
    deadline = date(report.year + 1, month, day)
    if report.published > deadline:
        problems.warning(report.file, line, "发布日期",
                         f"发布日期 {report.published} 晚于条例第四十九条规定的期限 {deadline}，逾期 {(report.published - deadline).days} 天"
                         f"（{'本级人民政府' if org.type == '政府' else '政府部门'}应于每年{month}月{day}日前公布上一年度报告）。")


def check_report(report: Report, problems: Problems, *, last: Report | None = None, org: Org | None = None) -> None:
    """Every check of one report; `last` is the same org's report of the year before."""
    before = len(problems)
    settle(report, problems)
    check_equations(report, problems)
    year_on_year = set()
    if last is not None and last.values:
        check_equations(report, problems, last)
        start = len(problems)
        check_novelty(report, last, problems)
        year_on_year = {id(p) for p in problems[start:]}
    check_narrative(report, problems)
    check_dates(report, org, problems)
    # The 勾稽/rule findings (messages tagged “[R7 …] …”), for the dashboard's “一致” column; the comparison
    # with last year's report (copied narrative, figures that jump) is no 勾稽 and has its own place.
    report.findings = [p.message for p in problems[before:] if p.message.startswith("[") and id(p) not in year_on_year]
    if any(p.is_error for p in problems[before:]):
        report.valid = False
