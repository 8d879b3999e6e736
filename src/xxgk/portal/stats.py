"""统计: proactive disclosures per year by 信息类别 (from the published catalog) and
applications received and their outcomes per year (from published annual reports, 表三),
portal-wide on the 统计 page and per organisation on each report page.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..catalog import Entry
from ..reports import Report
from ..reports.applications import TABLE as APPLICATIONS, row_kind
from ..reports.formats import GridTable
from . import urls
from .charts import Series, bar_chart
from ..fragments import Fragments
from ..templating import render
from .markup import front_matter

if TYPE_CHECKING:
    from ..project import Project

MIN_YEARS = 2  # a chart compares years: with fewer there is nothing to compare, and none is drawn


def year_counts(entries: list[Entry]) -> Counter:
    """(year, 信息类别) -> how many of `entries`."""
    return Counter((e.year, e.category) for e in entries)


def disclosures(counts: Counter, categories: list[str]) -> tuple[list[str], list[Series]]:
    """Entries per year (`counts`: their year_counts), one series per 信息类别 that occurs (in vocabulary order)."""
    years = sorted({year for year, _ in counts})
    series = [Series(c, [counts[(y, c)] for y in years]) for c in categories if any(counts[(y, c)] for y in years)]
    return [f"{y}年" for y in years], series


def short_outcome(label: str) -> str:
    """（二）部分公开（区分处理的，…） -> 部分公开."""
    match = re.match(r"^（[一二三四五六七八九十]+）([^（]+)", label)
    return match[1] if match else label


@dataclass
class Applications:
    received: int
    carried_in: int
    outcomes: dict[str, int]  # 予以公开 … 其他处理, in the format's order
    carried_out: int


def applications(report: Report) -> Applications | None:
    """The 总计 column of 表三, by row group; None when the format has no 表三."""
    table = report.format.tables.get(APPLICATIONS)
    if not isinstance(table, GridTable) or APPLICATIONS not in report.values:
        return None
    total = next((c for c, col in enumerate(table.cols) if col.total), len(table.cols) - 1)
    values = report.values[APPLICATIONS]
    found = Applications(0, 0, {}, 0)
    for r, row in enumerate(table.rows):
        kind, value = row_kind(row), values[r][total]
        if kind == "outcome":
            name = short_outcome(row.path[1])
            found.outcomes[name] = found.outcomes.get(name, 0) + value
        elif kind:
            setattr(found, kind, getattr(found, kind) + value)
    return found


def application_series(reports: list[Report]) -> tuple[list[str], Series, list[Series]]:
    """Per year, summed over the given reports: new applications, and outcomes by kind."""
    by_year: dict[int, list[Applications]] = {}
    for report in reports:
        found = applications(report)
        if found is not None:
            by_year.setdefault(report.year, []).append(found)
    years = sorted(by_year)
    names: list[str] = []
    for items in by_year.values():
        for item in items:
            names += [n for n in item.outcomes if n not in names]
    received = Series("本年新收申请", [sum(a.received for a in by_year[y]) for y in years])
    outcomes = [Series(n, [sum(a.outcomes.get(n, 0) for a in by_year[y]) for y in years]) for n in names]
    return [f"{y}年" for y in years], received, outcomes


def disclosure_charts(chart_id: str, who: str, counts: Counter, categories: list[str]) -> list[dict]:
    labels, series = disclosures(counts, categories)
    if len(labels) < MIN_YEARS:
        return []
    total = sum(sum(s.values) for s in series)
    return [bar_chart(chart_id, f"{who}各年度主动公开信息数量（按信息类别）",
                      f"{labels[0]}至{labels[-1]}共公开 {total} 条，按年度堆叠显示各信息类别的条数。", labels, series, "条")]


def application_charts(chart_id: str, who: str, reports: list[Report]) -> list[dict]:
    labels, received, outcomes = application_series(reports)
    if len(labels) < MIN_YEARS:
        return []
    return [bar_chart(f"{chart_id}-received", f"{who}各年度新收政府信息公开申请数量",
                      f"{labels[0]}至{labels[-1]}共新收申请 {sum(received.values)} 件。", labels, [received], "件"),
            bar_chart(f"{chart_id}-outcomes", f"{who}各年度政府信息公开申请办理结果",
                      "按年度堆叠显示予以公开、部分公开、不予公开、无法提供、不予处理和其他处理的件数。",
                      labels, outcomes, "件")]


def stats_page(project: Project) -> str:
    reports = project.reports.published(project.today)
    return front_matter() + render(
        project.root, "xxgk/stats.md", base=urls.STATS, links={"opendata": urls.OPENDATA},
        disclosures=disclosure_charts("chart-disclosures", "全区", year_counts(project.listed()),
                                        list(project.ref.categories)),
        applications=application_charts("chart-applications", "全区", reports))


def report_charts(project: Project, report: Report, fragments: Fragments | None = None) -> str:
    """Charts at the end of a report page: this org over the years up to the report's; `fragments`:
    the charts rendered before (xxgk.fragments)."""
    org = project.ref.orgs[report.org]
    listed, reports = _by_org_of(project)
    counts = Counter({key: n for key, n in listed.get(org.id, Counter()).items() if key[0] <= report.year})
    mine = [r for r in reports.get(org.id, ()) if r.year <= report.year]
    applications = application_charts("chart-report-applications", org.short_name, mine)
    disclosed = disclosure_charts("chart-report-disclosures", org.short_name, counts, list(project.ref.categories))
    if not applications and not disclosed:
        return ""  # a first report: nothing to compare yet
    make = fragments.render if fragments is not None else functools.partial(render, project.root)
    return make("xxgk/partials/report-charts.html", base="", org=org.name,
                applications=applications, disclosures=disclosed)


_by_org: list = []  # [project, the listed entries it was made of, org -> their year_counts, org -> published reports]


def _by_org_of(project: Project) -> tuple[dict[str, Counter], dict[str, list]]:
    """The listed entries' year_counts and the published reports by org: made once for all 240 report
    pages, not one pass over 10,000 entries per report. Made again for another project (held here, so
    that its id is never another's) or whenever what the project lists differs (entries refreshed)."""
    listed = project.listed()
    if not _by_org or _by_org[0] is not project or _by_org[1] != listed:
        entries: dict[str, list] = {}
        for entry in listed:
            entries.setdefault(entry.org, []).append(entry)
        reports: dict[str, list] = {}
        for report in project.reports.published(project.today):
            reports.setdefault(report.org, []).append(report)
        counts = {org: year_counts(found) for org, found in entries.items()}
        _by_org[:] = [project, listed, counts, reports]  # one project at a time (mkdocs serve: one per build)
    return _by_org[2], _by_org[3]


def pages(project: Project) -> dict[str, str]:
    return {urls.src(urls.STATS): stats_page(project)}
