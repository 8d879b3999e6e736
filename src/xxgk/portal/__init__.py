"""The public portal around the catalog and the reports: what visitors and the supervising
office use besides the listings.

- settings.py    data/portal.yml: site address, time limits, 信息处理费, 公开制度, the form
- guide.py       政府信息公开指南 per organisation, and the 公开制度 page
- forms.py       依申请公开: the page, the printable form and the .docx
- mandatory.py   法定主动公开内容: 条例第二十条 items with the entries that fulfil them
- feeds.py       Atom feeds, portal-wide and per organisation
- opendata.py    catalog.json/csv, reports.json/csv, field documentation, sitemap.xml
- charts.py      stacked bar charts as SVG with a table alternative; stats.py the 统计 page
- compliance.py  per org × year facts; dashboard.py the 政务公开工作监测 table
- home.py        the home page's changing parts (templates/xxgk/home.md)
- furniture.py   the footer (主办、备案号…), 网站地图 and 联系我们

Everything here reads `project.published()` and `project.reports.published(today)`, never all
entries: drafts, embargoed and unreviewed entries cannot reach any page or file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .. import webedit
from ..fragments import Fragments
from . import dashboard, feeds, forms, furniture, guide, mandatory, opendata, stats, urls
from .settings import Settings, load_settings

if TYPE_CHECKING:
    from ..project import Project
    from ..reports import Report

__all__ = ["Portal", "load_portal", "urls"]


@dataclass
class Portal:
    project: Project
    settings: Settings
    edit: webedit.WebEdit  # 网页编辑: read and checked here; its site is built apart (xxgk build --editor)
    # The report pages' tables and charts as rendered before (xxgk.fragments): pruned once all are made.
    fragments: Fragments | None = None

    def __post_init__(self):
        if self.fragments is None:
            self.fragments = Fragments(self.project.root, "report-pages")

    def files(self, nav=None) -> dict[str, str | bytes]:
        """Every generated page (Markdown) and file by src_uri; `nav`: mkdocs.yml's, for 网站地图."""
        project, settings = self.project, self.settings
        found: dict[str, str | bytes] = {}
        found.update(guide.pages(project, settings))
        found.update(forms.files(project, settings))
        found.update(mandatory.pages(project))
        found.update(feeds.files(project, settings))
        found.update(opendata.files(project, settings))
        found.update(stats.pages(project))
        found.update(dashboard.pages(project))
        found.update(furniture.pages(project, settings, nav))
        return found

    def footer(self) -> dict:
        return furniture.footer(self.settings)

    def page_furniture(self, nav, url: str, title: str, entry=None, report=None) -> dict:
        """The breadcrumb and the page metadata (partials/xxgk-crumbs.html, xxgk-page-meta.html)."""
        return furniture.page_furniture(self.project, self.settings, nav, url, title, entry, report)

    def report_charts(self, report: Report) -> str:
        return stats.report_charts(self.project, report, self.fragments)

    def write_sitemap(self, site_dir: Path, pages: list[str] | None = None) -> int:
        return opendata.write_sitemap(self.project, self.settings, site_dir, pages)


def load_portal(project: Project, site_name: str) -> Portal:
    """Read data/portal.yml; its problems join the project's, so they stop the build the same way."""
    settings = load_settings(project.root, project.ref, project.problems)
    forms.check_register_types(project, settings.form)  # the form's applicants and the register's 申请人类型
    settings.site_name = site_name
    return Portal(project, settings, webedit.load_settings(project.root, project.problems))
