"""Facts the supervising office checks, per organisation and year: the annual report (present,
consistent, published by its deadline), proactive disclosures, policies still without 政策解读.

Counts come from `Catalog.published(today)` and `ReportSet.published(today)` only; the
report checks themselves stay in xxgk.reports (we read what they found, never re-decide).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from ..catalog import INTERPRETATION, POLICY, Entry
from ..problems import Problems
from ..reports import Report
from ..reports.model import REPORTS_DIR
from ..reports import site as report_site

if TYPE_CHECKING:
    from ..project import Project


@dataclass
class ReportStatus:
    org: str
    year: int
    report: Report | None  # the published report, if any
    deadline: date | None  # 条例第四十九条, by the format of that year and the org's type
    findings: list[str] = field(default_factory=list)  # 勾稽关系 warnings of a published report

    @property
    def due(self) -> bool:
        return self.deadline is not None

    @property
    def consistent(self) -> bool | None:
        return None if self.report is None else not self.findings

    @property
    def on_time(self) -> bool | None:
        """True/False once there is a publication date or the deadline has passed; None before."""
        if self.report is not None and self.report.published is not None and self.deadline is not None:
            return self.report.published <= self.deadline
        return None

    def overdue(self, today: date) -> bool:
        return self.report is None and self.deadline is not None and today > self.deadline

    @property
    def url(self) -> str | None:
        return report_site.page_url(self.report) if self.report else None


def report_status(project: Project, org_id: str, year: int) -> ReportStatus:
    org = project.ref.orgs[org_id]
    report = project.reports.get(org_id, year)
    if report is not None and not report.is_published(project.today):
        report = None  # drafts and embargoed reports do not exist for the public
    fmt = report.format if report else project.reports.formats.for_year(year)
    deadline = None
    if fmt is not None and org.type in fmt.deadlines:
        month, day = fmt.deadlines[org.type]
        deadline = date(year + 1, month, day)
    status = ReportStatus(org_id, year, report, deadline)
    if report is not None:
        status.findings = report.findings
    return status


def report_problems(project: Project, problems: Problems) -> None:
    """`xxgk check`: every report past its deadline and not published, as the dashboard's 逾期未公布
    (warnings: the year is over, the report cannot be made on time any more, but it must still come)."""
    monitored = years(project)  # one pass over the entries, not one per organisation
    for org in project.ref.orgs.values():
        for year in monitored:
            status = report_status(project, org.id, year)
            if not status.overdue(project.today):
                continue
            days = (project.today - status.deadline).days
            draft = project.reports.get(org.id, year)
            where = draft.file if draft is not None else f"{REPORTS_DIR}/{org.id}/"
            todo = (f"{draft.file} 尚未发布（草稿或发布日期未到），请完成后发布。" if draft is not None
                    else f"请运行 ./xxgk report new {org.id} {year} 编写，完成后发布。")
            problems.warning(where, None, None,
                             f"{org.name}{year}年政府信息公开工作年度报告逾期未公布：应于 {status.deadline.isoformat()} 前公布"
                             f"（条例第四十九条），已逾期 {days} 天。{todo}")


def published_reports(project: Project) -> list[ReportStatus]:
    return [report_status(project, r.org, r.year) for r in project.reports.published(project.today)]


def interpretation_due(project: Project, entry: Entry) -> bool:
    """A valid policy published longer ago than the reminder period, with no published 政策解读."""
    today, ref = project.today, project.ref
    if entry.category != POLICY or entry.validity != "有效" or (today - entry.published).days <= ref.interpretation_days:
        return False
    return not any(r.category == INTERPRETATION and r.is_published(today, ref.review_roles)
                   for r in project.catalog.related(entry))


def missing_interpretations(project: Project) -> list[Entry]:
    return [e for e in project.published() if interpretation_due(project, e)]


def years(project: Project) -> list[int]:
    """From data/rules.yml 监测起始年度 (else the first year with a published entry or report) to the
    current year, without gaps (a year with nothing published is a finding too)."""
    found = {e.year for e in project.published()} | {r.year for r in project.reports.published(project.today)}
    start = project.ref.monitor_from or (min(found) if found else None)
    return list(range(start, project.today.year + 1)) if start is not None else []
