"""Reports that say nothing new (issue 23): the supervising office's year-on-year reading of a report.

Declared in the formats (data/formats/*.yml 规则) like the 勾稽 rules:
- 正文雷同: the share of this narrative found word for word in last year's (character 5-grams, with
  every digit read as 0, so that a narrative whose years and figures alone were changed counts as
  copied); over the threshold (a percentage) a warning quotes the longest copied passage;
- 与上年相同: a table whose every cell equals last year's (a table of zeros is no finding: an office
  with no applications two years running is common);
- 变化倍数 with 变化单元格: a cell that grew beyond the factor, or fell below its inverse, against last
  year, where either year reaches 变化下限 (small counts jump by chance).
"""

from __future__ import annotations

from ..problems import Problems
from ..wording import squeeze
from .formats import Rule, cell_position
from .model import Report, format_number

GRAM = 5
QUOTE = 40  # characters of the copied passage quoted in the warning


def narrative_text(report: Report) -> str:
    if report.narrative is None:
        return ""
    return "\n\n".join(text for text, _ in report.narrative.texts() if text)


def _grams(flat: str) -> list[str]:
    return [flat[i:i + GRAM] for i in range(len(flat) - GRAM + 1)]


def copied(text: str, last_text: str) -> tuple[int, str]:
    """The percentage of `text` (its 5-grams) that stands in `last_text`, and the longest passage of
    `text` that does."""
    flat, offsets = squeeze(text)
    flat = "".join("0" if ch.isdigit() else ch for ch in flat)
    last_flat = "".join("0" if ch.isdigit() else ch for ch in squeeze(last_text)[0])
    grams = _grams(flat)
    if not grams:
        return 0, ""
    seen = set(_grams(last_flat))
    shared = [g in seen for g in grams]
    best, run_start = (0, 0), None
    for i, hit in enumerate(shared + [False]):
        if hit and run_start is None:
            run_start = i
        elif not hit and run_start is not None:
            if i - run_start > best[1] - best[0]:
                best = (run_start, i)
            run_start = None
    passage = ""
    if best[1] > best[0]:
        start, end = offsets[best[0]], offsets[best[1] - 1 + GRAM - 1] + 1
        passage = " ".join(word for word in text[start:end].split() if word.strip("#")).lstrip("。，；：、）)”,.;: ")
    return round(100 * sum(shared) / len(grams)), passage


def check_novelty(report: Report, last: Report, problems: Problems) -> None:
    """The year-on-year rules of the report's format against `last`, the same organisation's report
    of the year before."""
    check_copied(report, last, problems, narrative_text(report), narrative_text(last))
    for rule in report.format.rules:
        if rule.same_table and _same_table(report, last, rule.same_table):
            problems.warning(report.file, report.line(rule.same_table), rule.same_table,
                             f"[{rule.title}] {rule.same_table}的每个数字都与 {last.year} 年报告相同。"
                             "请核对是否误用了上一年度的数据。")
        if rule.jump_factor:
            _check_jumps(report, last, rule, problems)


def check_copied(report: Report, last: Report, problems: Problems, text: str, last_text: str,
                 file: str | None = None) -> None:
    """正文雷同: the narratives given (the reports' own, or those of published files in a folder)."""
    for rule in report.format.rules:
        if not (rule.copied_percent and text and last_text):
            continue
        share, passage = copied(text, last_text)
        report.similarity = share
        if share >= rule.copied_percent:
            quoted = passage if len(passage) <= QUOTE else passage[:QUOTE] + "……"
            where = file or (report.narrative.file if report.narrative else report.file)
            problems.warning(where, _line_of(report, passage), None,
                             f"[{rule.title}] 正文有 {share}% 与 {last.year} 年报告相同（不计数字，阈值 {rule.copied_percent}%），"
                             f"最长的一段相同文字：“{quoted}”。年度报告应写明本年度的新情况、新问题和改进措施。")


def _line_of(report: Report, passage: str) -> int:
    """The line of the narrative file where the copied passage starts (1 when it is not our file)."""
    head = passage.split(" ", 1)[0][:12]
    if report.narrative is not None and head:
        for text, first_line in report.narrative.texts():
            at = text.find(head)
            if at >= 0:
                return first_line + text.count("\n", 0, at)
    return 1


def _same_table(report: Report, last: Report, table: str) -> bool:
    if last.format.id != report.format.id or table not in report.values or table not in last.values:
        return False
    this, before = report.values[table], last.values[table]
    return this == before and any(v for row in this for v in row)


def _check_jumps(report: Report, last: Report, rule: Rule, problems: Problems) -> None:
    for cell in rule.jump_cells:
        position = cell_position(report.format.tables, cell)
        before_position = cell_position(last.format.tables, cell)
        if position is None or before_position is None:
            continue  # a cell the other year's format does not have
        now, before = report.value(*position), last.value(*before_position)
        if max(now, before) < rule.jump_floor:
            continue
        if now > before * rule.jump_factor or now * rule.jump_factor < before:
            label = "/".join(cell[1:])
            change = "增至" if now > before else "降至"
            problems.warning(report.file, report.cell_lines.get(position, report.line(cell[0])), cell[0],
                             f"[{rule.title}] {cell[0]}“{label}”由 {last.year} 年的 {format_number(before)} {change} "
                             f"{format_number(now)}，变化超过 {rule.jump_factor} 倍。请核对数字，并在正文“一、总体情况”中说明原因。")
