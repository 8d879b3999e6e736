"""政务公开工作监测: one table of every organisation × year for the supervising office —
annual report present, consistent, published by its deadline; proactive disclosures;
policies still without 政策解读; applications of that year still open and overdue (from the
application register, xxgk.register). Each cell links to its evidence: the report, the listing
of that year's disclosures, the evidence page (policies, findings) or 依申请公开办理情况.
Below it, the national inspection indicators per organisation as of the build date (xxgk.inspection):
stale and blank sections, backdated entries, and the age of the home page's newest item.
The table sorts by any column (docs/assets/xxgk-portal.js); without script it reads by org and year.
"""

from __future__ import annotations

import functools
from collections import Counter
from typing import TYPE_CHECKING

from .. import site
from ..inspection import Inspection, inspect
from ..reports import site as report_site
from . import urls
from .compliance import ReportStatus, missing_interpretations, report_status, years
from ..fragments import Fragments
from ..templating import render
from .markup import front_matter

if TYPE_CHECKING:
    from ..project import Project

REGISTER_URL = "register/"  # 依申请公开办理情况 (xxgk.register.site), with its list of open applications


def anchor(org_id: str, year: int, what: str) -> str:
    return f"{org_id}-{year}-{what}"


def _cell(content: str, sort, state: str | None = None, url: str | None = None) -> dict:
    """A cell of the table (templates/xxgk/partials/dashboard-cell.html): its text, the site URL of
    its evidence, its sort key and its state (ok/pending/bad)."""
    return {"text": content, "url": url, "sort": sort, "state": state}


def report_cells(project: Project, status: ReportStatus) -> list[dict]:
    """年度报告, 勾稽关系, 按期公布."""
    today = project.today
    if status.deadline is None:
        return [_cell("—", 0), _cell("—", 0), _cell("不适用", 0)]
    if status.report is None:
        where = report_site.org_url(status.org)
        if status.overdue(today):
            late = (today - status.deadline).days
            return [_cell("未公布", 0, "bad", where), _cell("—", 0),
                    _cell(f"逾期未公布（期限 {status.deadline.isoformat()}）", -late, "bad")]
        return [_cell("未公布", 1, "pending", where), _cell("—", 0),
                _cell(f"未到期（期限 {status.deadline.isoformat()}）", 1, "pending")]
    report = status.report
    present = _cell("已公布", 3, "ok", status.url)
    if status.consistent:
        consistent = _cell("一致", 2, "ok", status.url)
    else:
        consistent = _cell(f"不一致（{len(status.findings)} 项）", 1, "bad",
                           urls.EVIDENCE + "#" + anchor(status.org, status.year, "findings"))
    if status.on_time is None:
        timely = _cell("未注明发布日期", 0, "pending")
    elif status.on_time:
        timely = _cell(f"按期（{report.published.isoformat()}）", 2, "ok", status.url)
    else:
        late = (report.published - status.deadline).days
        timely = _cell(f"逾期 {late} 天（{report.published.isoformat()}）", -late, "bad", status.url)
    return [present, consistent, timely]


def register_cells(project: Project, org_id: str, year: int) -> tuple[list[dict], int, int]:
    """在办申请, 超期未答复: applications received in `year`, open on the build date. “—” where the
    organisation keeps no register for that year (or its register has errors)."""
    register = project.register
    if (org_id, year) not in register.files or org_id in register.broken:
        return [_cell("—", -1), _cell("—", -1)], 0, 0
    open_now = [a for a in register.files[(org_id, year)].applications if a.valid and a.open_on(project.today)]
    overdue = sum(1 for a in open_now if a.clock and a.clock.overdue)
    evidence = REGISTER_URL + "#open"
    opened = _cell(f"{len(open_now)} 件", len(open_now), url=evidence) if open_now else _cell("0", 0)
    late = _cell(f"{overdue} 件", overdue, "bad", evidence) if overdue else _cell("0", 0, "ok")
    return [opened, late], len(open_now), overdue


def rows(project: Project) -> tuple[list[list[dict]], dict]:
    published = project.listed()  # what the catalog lists, annual reports included
    counts = Counter((e.org, e.year) for e in published)
    missing = Counter((e.org, e.year) for e in missing_interpretations(project))
    totals = Counter()
    found, monitored = [], years(project)  # one pass over the entries, not one per organisation
    for order, org in enumerate(project.ref.orgs.values()):
        for year in reversed(monitored):
            status = report_status(project, org.id, year)
            count = counts[(org.id, year)]
            disclosed = _cell(f"{count} 条", count, url=site.org_year_url(org.id, year)) if count else _cell("0 条", 0)
            lacking = missing[(org.id, year)]
            lacking_cell = (_cell(f"{lacking} 件", lacking, "bad", urls.EVIDENCE + "#" + anchor(org.id, year, "policies"))
                            if lacking else _cell("0", 0, "ok"))
            applications, opened, overdue = register_cells(project, org.id, year)
            found.append([_cell(org.short_name, order, url=site.org_url(org.id)), _cell(f"{year}年", year),
                          *report_cells(project, status), disclosed, lacking_cell, *applications])
            totals["open"] += opened
            totals["overdue_applications"] += overdue
            totals["due"] += status.deadline is not None and status.deadline < project.today
            totals["published"] += status.report is not None
            totals["late"] += status.on_time is False
            totals["overdue"] += status.overdue(project.today)
            totals["inconsistent"] += status.consistent is False
    totals["entries"], totals["lacking"] = len(published), sum(missing.values())
    return found, totals


def inspection_anchor(org_id: str) -> str:
    return f"{org_id}-inspection"


def inspection_view(project: Project, found: Inspection) -> dict:
    """The indicators per organisation (cells as in the main table) and for the whole site."""
    rules, rows = found.rules, []
    for order, org in enumerate(project.ref.orgs.values()):
        stale, blank, backdated = found.stale(org.id), found.blank(org.id), found.backdated_of(org.id)
        evidence = urls.EVIDENCE + "#" + inspection_anchor(org.id)
        if found.no_history:
            dates = _cell("未核对", -1)
        elif backdated:
            dates = _cell(f"{len(backdated)} 条", len(backdated), "bad", evidence)
        else:
            dates = _cell("0", 0, "ok")
        rows.append([_cell(org.short_name, order, url=site.org_url(org.id)),
                     _cell(f"{len(stale)} 个", len(stale), "bad", evidence) if stale else _cell("0", 0, "ok"),
                     _cell(f"{len(blank)} 个", len(blank), "bad", evidence) if blank else _cell("0", 0, "ok"),
                     dates])
    home = {"date": found.home_last.isoformat() if found.home_last else None, "days": found.home_age,
            "stale": found.home_stale, "period": str(rules.home)}
    periods = [{"category": name, "period": str(period)} for name, period in rules.periods.items()]
    return {"rows": rows, "home": home, "periods": periods, "veto": rules.veto_count, "stale": len(found.stale()),
            "blank": len(found.blank()), "backdated": len(found.backdated), "no_history": found.no_history,
            "tolerance": rules.tolerance_days,
            "migrated_until": rules.migrated_until.isoformat() if rules.migrated_until else None}


def page_markdown(project: Project, found: Inspection, fragments: Fragments | None = None) -> str:
    rows_found, totals = rows(project)
    make = fragments.render if fragments is not None else functools.partial(render, project.root)
    return front_matter(hide=("navigation", "toc")) + make(
        "xxgk/dashboard.md", base=urls.DASHBOARD, today=project.today.isoformat(), rows=rows_found,
        monitor_from=project.ref.monitor_from,
        totals=totals, interpretation_days=project.ref.interpretation_days, inspection=inspection_view(project, found),
        links={"register": REGISTER_URL, "evidence": urls.EVIDENCE, "reports": report_site.INDEX_URL})


def inspection_evidence(project: Project, found: Inspection) -> list[dict]:
    """Per organisation with a finding: its stale and blank sections and its backdated entries."""
    today, groups = found.today, []
    for org in project.ref.orgs.values():
        stale, blank, backdated = found.stale(org.id), found.blank(org.id), found.backdated_of(org.id)
        if not (stale or blank or backdated):
            continue
        groups.append({
            "title": org.name, "anchor": inspection_anchor(org.id),
            "stale": [{"category": s.category, "date": s.last.isoformat(), "days": s.age(today), "period": str(s.period)}
                      for s in stale],
            "blank": [s.category for s in blank],
            "backdated": [{"title": b.entry.title, "url": b.entry.url, "index_no": b.entry.index_no,
                           "date": b.entry.published.isoformat(), "committed": b.committed.isoformat(), "days": b.days}
                          for b in backdated]})
    return groups


def evidence_markdown(project: Project, found: Inspection, fragments: Fragments | None = None) -> str:
    """The findings of inconsistent reports and the policies without 政策解读, by org and year."""
    orgs = project.ref.orgs
    monitored = set(years(project))
    statuses = [report_status(project, r.org, r.year) for r in project.reports.published(project.today)
                if r.year in monitored]
    findings = [{"title": f"{orgs[s.org].name}{s.year}年度报告", "anchor": anchor(s.org, s.year, "findings"),
                 "report": {"title": s.report.title, "url": s.url}, "messages": s.findings}
                for s in statuses if s.consistent is False]
    groups: dict[tuple[str, int], list] = {}
    for entry in missing_interpretations(project):
        groups.setdefault((entry.org, entry.year), []).append(entry)
    order = list(orgs)
    policies = [{"title": f"{orgs[org_id].name}{year}年", "anchor": anchor(org_id, year, "policies"),
                 "entries": [{"title": e.title, "url": e.url, "index_no": e.index_no, "date": e.published.isoformat(),
                              "days": (project.today - e.published).days} for e in entries]}
                for (org_id, year), entries in sorted(groups.items(), key=lambda kv: (order.index(kv[0][0]), -kv[0][1]))]
    make = fragments.render if fragments is not None else functools.partial(render, project.root)
    return front_matter() + make("xxgk/evidence.md", base=urls.EVIDENCE, findings=findings, policies=policies,
                                 inspection=inspection_evidence(project, found), links={"dashboard": urls.DASHBOARD})


def pages(project: Project) -> dict[str, str]:
    found = inspect(project)  # one pass over the Git history for both pages
    fragments = Fragments(project.root, "dashboard")  # rendered again only when what they show changed
    made = {urls.src(urls.DASHBOARD): page_markdown(project, found, fragments),
            urls.src(urls.EVIDENCE): evidence_markdown(project, found, fragments)}
    fragments.prune()
    return made
