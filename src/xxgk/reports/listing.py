"""A published annual report is the catalog's entry for that report: one source for both.

The report's YAML gives its 索引号 and 发布日期; the catalog lists it under its organisation and
the year of publication, classified as data/rules.yml 年度报告目录分类 says, and links to the
report page. Nobody writes a separate catalog entry for a report (check_listing finds one that
duplicates a report), so the catalog and the dashboard cannot disagree about a report.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from ..catalog import Entry
from ..reference import index_parts
from .model import page_src

if TYPE_CHECKING:
    from ..catalog import Catalog
    from ..problems import Problems
    from ..reference import Reference
    from . import Report, ReportSet

KEYWORDS = ["年度报告"]


def listed(report: Report) -> bool:
    """A report is listed in the catalog once it has a 索引号 and a 发布日期."""
    return bool(report.index_no) and report.published is not None


def report_entry(report: Report, ref: Reference) -> Entry:
    """The catalog's view of a report: an entry whose page is the report page (never a file in docs/catalog/)."""
    return Entry(file=report.file, src_uri=page_src(report), lines=report.lines, body="", body_line=1,
                 index_no=report.index_no, title=report.title, org=report.org or "", written=report.published,
                 published=report.published, topic=ref.report_topic or "", category=ref.report_category or "",
                 keywords=list(KEYWORDS))


def report_entries(reports: ReportSet, ref: Reference, today: date) -> list[Entry]:
    return [report_entry(r, ref) for r in reports.published(today) if r.org and listed(r)]


def check_listing(reports: ReportSet, catalog: Catalog, ref: Reference, problems: Problems) -> None:
    """索引号 of every report: its form, its organisation and year (unique across reports and entries:
    xxgk.numbering); and no catalog entry with the title of a report (the report is that entry)."""
    titles = {r.title: r for r in reports if r.org}
    for report in reports:
        if report.org is None or report.draft:
            continue
        line = report.lines.get(("索引号",), 1)
        if not report.index_no:
            problems.warning(report.file, line, "索引号",
                             f"没有索引号，报告不会列入政府信息公开目录：请运行 xxgk assign {report.file} 分配下一个空闲索引号。")
            continue
        number, org = report.index_no, ref.orgs.get(report.org)
        if not ref.index_pattern.match(number) or not index_parts(number):
            problems.error(report.file, line, "索引号", f"“{number}”格式不对，应为“9位机构代码/年份-5位流水号”，例如 770010036/2025-00001。")
        elif org is not None and number.split("/", 1)[0] != org.code:
            problems.error(report.file, line, "索引号", f"前段码与“{org.name}”的机构代码“{org.code}”不一致。")
        elif report.published is not None and number.split("/", 1)[1][:4] != str(report.published.year):
            problems.error(report.file, line, "索引号", f"年份应与发布日期的年份 {report.published.year} 一致。")
        if report.published is None:
            problems.warning(report.file, report.lines.get(("发布日期",), 1), "发布日期",
                             "没有发布日期，报告不会列入政府信息公开目录。")
    for entry in catalog.entries:
        report = titles.get(entry.title)
        if report is not None:
            problems.error(entry.file, entry.line("标题"), "标题",
                           f"与年度报告 {report.file} 重复：年度报告本身列入目录（索引号写在报告中），请删除此条目，"
                           "把它的索引号和发布日期写入报告。")
