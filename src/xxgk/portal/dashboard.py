"""政务公开工作监测: one table of every organisation × year for the supervising office —
annual report present, consistent, published by its deadline; proactive disclosures;
policies still without 政策解读; applications of that year still open and overdue (from the
application register, xxgk.register). Each cell links to its evidence: the report, the listing
of that year's disclosures, the evidence page (policies, findings) or 依申请公开办理情况.
The table sorts by any column (docs/assets/xxgk-portal.js); without script it reads by org and year.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from .. import site
from ..reports import site as report_site
from . import urls
from .compliance import ReportStatus, missing_interpretations, report_status, years
from .markup import heading, link, page, table, text

if TYPE_CHECKING:
    from ..project import Project

REGISTER_URL = "register/"  # 依申请公开办理情况 (xxgk.register.site), with its list of open applications


def anchor(org_id: str, year: int, what: str) -> str:
    return f"{org_id}-{year}-{what}"


def _cell(content: str, sort, state: str | None = None) -> str:
    cls = f' class="xxgk-{state}"' if state else ""
    return f'<td data-sort="{text(sort)}"{cls}>{content}</td>'


def report_cells(project: Project, status: ReportStatus, base: str) -> list[str]:
    """年度报告, 勾稽关系, 按期公布."""
    today = project.today
    if status.deadline is None:
        return [_cell("—", 0), _cell("—", 0), _cell("不适用", 0)]
    if status.report is None:
        where = link("未公布", report_site.org_url(status.org), base)
        if status.overdue(today):
            late = (today - status.deadline).days
            return [_cell(where, 0, "bad"), _cell("—", 0),
                    _cell(f"逾期未公布（期限 {status.deadline.isoformat()}）", -late, "bad")]
        return [_cell(where, 1, "pending"), _cell("—", 0), _cell(f"未到期（期限 {status.deadline.isoformat()}）", 1, "pending")]
    report = status.report
    present = _cell(link("已公布", status.url, base), 3, "ok")
    if status.consistent:
        consistent = _cell(link("一致", status.url, base), 2, "ok")
    else:
        consistent = _cell(link(f"不一致（{len(status.findings)} 项）", urls.EVIDENCE + "#"
                                + anchor(status.org, status.year, "findings"), base), 1, "bad")
    if status.on_time is None:
        timely = _cell("未注明发布日期", 0, "pending")
    elif status.on_time:
        timely = _cell(link(f"按期（{report.published.isoformat()}）", status.url, base), 2, "ok")
    else:
        late = (report.published - status.deadline).days
        timely = _cell(link(f"逾期 {late} 天（{report.published.isoformat()}）", status.url, base), -late, "bad")
    return [present, consistent, timely]


def register_cells(project: Project, org_id: str, year: int, base: str) -> tuple[list[str], int, int]:
    """在办申请, 超期未答复: applications received in `year`, open on the build date. “—” where the
    organisation keeps no register for that year (or its register has errors)."""
    register = project.register
    if (org_id, year) not in register.files or org_id in register.broken:
        return [_cell("—", -1), _cell("—", -1)], 0, 0
    open_now = [a for a in register.files[(org_id, year)].applications if a.valid and a.open_on(project.today)]
    overdue = sum(1 for a in open_now if a.clock and a.clock.overdue)
    evidence = REGISTER_URL + "#open"
    opened = _cell(link(f"{len(open_now)} 件", evidence, base), len(open_now)) if open_now else _cell("0", 0)
    late = _cell(link(f"{overdue} 件", evidence, base), overdue, "bad") if overdue else _cell("0", 0, "ok")
    return [opened, late], len(open_now), overdue


def rows(project: Project, base: str) -> tuple[list[list[str]], dict]:
    published = project.published()
    counts = Counter((e.org, e.year) for e in published)
    missing = Counter((e.org, e.year) for e in missing_interpretations(project))
    totals = Counter()
    found = []
    for order, org in enumerate(project.ref.orgs.values()):
        for year in reversed(years(project)):
            status = report_status(project, org.id, year)
            count = counts[(org.id, year)]
            disclosed = link(f"{count} 条", site.org_year_url(org.id, year), base) if count else "0 条"
            lacking = missing[(org.id, year)]
            lacking_cell = (_cell(link(f"{lacking} 件", urls.EVIDENCE + "#" + anchor(org.id, year, "policies"), base),
                                  lacking, "bad") if lacking else _cell("0", 0, "ok"))
            applications, opened, overdue = register_cells(project, org.id, year, base)
            found.append([_cell(link(org.short_name, site.org_url(org.id), base), order),
                          _cell(f"{year}年", year), *report_cells(project, status, base),
                          _cell(disclosed, count), lacking_cell, *applications])
            totals["open"] += opened
            totals["overdue_applications"] += overdue
            totals["due"] += status.deadline is not None and status.deadline < project.today
            totals["published"] += status.report is not None
            totals["late"] += status.on_time is False
            totals["overdue"] += status.overdue(project.today)
            totals["inconsistent"] += status.consistent is False
    totals["entries"], totals["lacking"] = len(published), sum(missing.values())
    return found, totals


def page_markdown(project: Project) -> str:
    base = urls.DASHBOARD
    found, totals = rows(project, base)
    headers = ["机构", "年度", "年度报告", "勾稽关系", "按期公布", "主动公开", "政策文件缺解读", "在办申请", "超期未答复"]
    summary = (
        f'<ul class="xxgk-summary-list">'
        f"<li>年度报告：已到公布期限 {totals['due']} 份，已公布 {totals['published']} 份；"
        f"逾期公布 <strong>{totals['late']}</strong> 份，逾期未公布 <strong>{totals['overdue']}</strong> 份，"
        f"勾稽关系不一致 <strong>{totals['inconsistent']}</strong> 份。</li>"
        f"<li>主动公开：已公开信息 {totals['entries']} 条；发布超过 {project.ref.interpretation_days} 天仍未关联政策解读的"
        f"有效政策文件 <strong>{totals['lacking']}</strong> 件。</li>"
        f"<li>依申请公开：在办申请 {totals['open']} 件，其中超过答复期限 <strong>{totals['overdue_applications']}</strong> 件"
        "（按各机构的登记台账，“—”表示该年度没有台账）。</li></ul>"
    )
    blocks = [
        f"<p>截至 {project.today.isoformat()}，各机构各年度政府信息公开工作情况。点击表头按该列排序；"
        "点击单元格查看依据（年度报告、当年公开的信息或问题清单）。</p>",
        summary,
        table(headers, found, cls="xxgk-plain xxgk-dashboard", label="各机构各年度政府信息公开工作情况",
              attrs=" data-xxgk-sortable"),
        '<p class="xxgk-note">年度报告的公布期限依《条例》第四十九条：政府部门为次年1月31日，本级人民政府为次年3月31日。'
        f"在办申请按收到年度统计，明细和答复期限见{link('依申请公开办理情况', REGISTER_URL, base)}。</p>",
    ]
    return page("政务公开工作监测", blocks, hide=("navigation", "toc"))


def evidence_markdown(project: Project) -> str:
    """The findings of inconsistent reports and the policies without 政策解读, by org and year."""
    base = urls.EVIDENCE
    blocks = [f"<p>{link('政务公开工作监测', urls.DASHBOARD, base)}中问题的明细。</p>",
              heading(2, "年度报告勾稽关系不一致", "findings")]
    statuses = [report_status(project, r.org, r.year) for r in project.reports.published(project.today)]
    bad = [s for s in statuses if s.consistent is False]
    for status in bad:
        org = project.ref.orgs[status.org]
        blocks += [heading(3, f"{org.name}{status.year}年度报告", anchor(status.org, status.year, "findings")),
                   f"<p>{link(status.report.title, status.url, base)}</p>",
                   "<ul>" + "".join(f"<li>{text(m)}</li>" for m in status.findings) + "</ul>"]
    if not bad:
        blocks.append('<p class="xxgk-empty">无。</p>')
    blocks.append(heading(2, "政策文件缺政策解读", "policies"))
    lacking = missing_interpretations(project)
    groups: dict[tuple[str, int], list] = {}
    for entry in lacking:
        groups.setdefault((entry.org, entry.year), []).append(entry)
    for (org_id, year), entries in sorted(groups.items(), key=lambda kv: (list(project.ref.orgs).index(kv[0][0]), -kv[0][1])):
        org = project.ref.orgs[org_id]
        items = "".join(f"<li>{link(e.title, e.url, base)}（{text(e.index_no)}，发布于 {e.published.isoformat()}，"
                        f"已 {(project.today - e.published).days} 天）</li>" for e in entries)
        blocks += [heading(3, f"{org.name}{year}年", anchor(org_id, year, "policies")), f"<ul>{items}</ul>"]
    if not groups:
        blocks.append('<p class="xxgk-empty">无。</p>')
    return page("监测问题明细", blocks, hide=("navigation",))


def pages(project: Project) -> dict[str, str]:
    return {urls.src(urls.DASHBOARD): page_markdown(project), urls.src(urls.EVIDENCE): evidence_markdown(project)}
