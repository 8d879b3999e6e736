"""The home page's changing parts: search box, the portal's entry points, the catalog's facets, the
latest entries and annual reports (templates/xxgk/home.md). They follow the title and text of
docs/index.md, which is content like an entry and never a template (xxgk.mkdocs_plugin)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..reports import site as report_site
from .. import site
from . import urls
from ..templating import render

if TYPE_CHECKING:
    from ..project import Project


LATEST = 50  # entries handed to the template: as many as the catalog's first page shows


def page(project: Project, base: str) -> str:
    """Markdown of the home page's changing parts, for the page at site URL `base`."""
    return render(project.root, "xxgk/home.md", base=base,
                  latest=site.entry_rows(project, project.listed()[:LATEST]), reports=_reports(project),
                  sections=[{"label": label, "url": url, "note": note} for label, url, note in SECTIONS],
                  groups=site.facet_groups(project),
                  links={"catalog": f"{site.CATALOG_DIR}/", "feed": urls.FEED_ALL, "reports": report_site.INDEX_URL})


def latest_reports(project: Project, base: str, limit: int = 6) -> str:
    """The most recently published annual reports, newest first."""
    return render(project.root, "xxgk/partials/latest-reports.html", base=base, reports=_reports(project)[:limit])


def _reports(project: Project) -> list[dict]:
    reports = sorted(project.reports.published(project.today),
                     key=lambda r: (r.published or r.year, r.year, r.org), reverse=True)
    return [{"title": r.title, "url": report_site.page_url(r), "date": r.published.isoformat() if r.published else None}
            for r in reports]


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


def sections(project: Project, base: str) -> str:
    records = [{"label": label, "url": url, "note": note} for label, url, note in SECTIONS]
    return render(project.root, "xxgk/partials/home-sections.html", base=base, sections=records)
