"""Home page pieces that need the engine: the latest annual reports and the portal's entry points."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..reports import site as report_site
from . import urls
from .markup import link, text

if TYPE_CHECKING:
    from ..project import Project


def latest_reports(project: Project, base: str, limit: int = 6) -> str:
    """The most recently published annual reports, newest first."""
    reports = sorted(project.reports.published(project.today),
                     key=lambda r: (r.published or r.year, r.year, r.org), reverse=True)[:limit]
    if not reports:
        return '<p class="xxgk-empty">暂无年度报告。</p>'
    items = "".join(
        f"<li>{link(r.title, report_site.page_url(r), base)}"
        + (f'<span class="xxgk-date">{r.published.isoformat()}</span>' if r.published else "") + "</li>"
        for r in reports
    )
    return f'<ul class="xxgk-latest-reports">{items}</ul>'


# The portal's sections: (label, site URL, one line on what is there).
SECTIONS = (
    ("政府信息公开指南", urls.GUIDE, "各机构的公开范围、受理机构、办理时限和信息处理费"),
    ("政府信息公开制度", urls.REGULATIONS, "条例、办法和本区的公开制度"),
    ("法定主动公开内容", urls.MANDATORY, "条例第二十条十五项内容的公开情况"),
    ("依申请公开", urls.APPLY, "申请方式、受理机构和申请表下载"),
    ("政府信息公开工作年度报告", report_site.INDEX_URL, "各机构历年年度报告及数据"),
    ("统计", urls.STATS, "主动公开和依申请公开的图表"),
    ("开放数据", urls.OPENDATA, "目录和年报数据下载、订阅源"),
    ("政务公开工作监测", urls.DASHBOARD, "各机构年报、主动公开和政策解读情况"),
)


def sections(base: str) -> str:
    items = "".join(f'<li>{link(label, url, base)}<span class="xxgk-section__note">{text(note)}</span></li>'
                    for label, url, note in SECTIONS)
    return f'<ul class="xxgk-sections">{items}</ul>'
