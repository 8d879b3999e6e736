"""The MkDocs side of xxgk: load and check the project, publish only published entries,
generate the listing pages and hand entry pages their template and metadata; likewise for
the annual reports (report pages, 年报专栏, list by year, JSON/CSV data files).

The same engine call as `xxgk check` decides; this module only connects it to MkDocs.
"""

from __future__ import annotations

import logging
from html import escape
from datetime import date
from pathlib import Path

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from .catalog import CATALOG_DIR
from .headers import add_security_meta
from .portal import Portal, load_portal
from .project import Project, load_project
from .register import site as register_site
from .reports import site as report_site
from .reports.render import report_markdown
from .site import entry_view, listing_pages

log = logging.getLogger("mkdocs.plugins.xxgk")


class XxgkConfig(Config):
    enabled = c.Type(bool, default=True)
    # Reference date for embargoes and deadline checks (YYYY-MM-DD); default: today.
    today = c.Optional(c.Type(str))


class XxgkPlugin(BasePlugin[XxgkConfig]):
    project: Project | None = None
    portal: Portal | None = None

    def on_config(self, config, **kwargs):
        if not self.config.enabled:
            return config
        today = date.fromisoformat(self.config.today) if self.config.today else None
        root = Path(config.config_file_path).resolve().parent
        self.project = load_project(root, today)
        self.portal = load_portal(self.project, config.site_name)  # data/portal.yml; its problems join the project's
        problems = self.project.problems
        for problem in problems.sorted():
            # Warnings are printed but do not fail a strict build; errors stop it below.
            (log.error if problem.is_error else log.info)(str(problem))
        if problems.errors:
            raise PluginError(f"政府信息公开目录有 {len(problems.errors)} 个错误，已停止构建。请按上面的提示改正后重试。")
        return config

    def on_files(self, files: Files, *, config):
        if not self.config.enabled:
            return files
        project = self.project
        published = {e.src_uri: e for e in project.published()}
        attachments = {a.src_uri for e in published.values() for a in e.attachments}
        for file in list(files):
            if not file.src_uri.startswith(CATALOG_DIR + "/"):
                continue
            keep = file.src_uri in published if file.is_documentation_page() else file.src_uri in attachments
            if not keep:  # drafts, embargoed or unreviewed entries and their files never reach the site
                files.remove(file)
        for src_uri, content in listing_pages(project).items():
            if files.get_file_from_path(src_uri) is None:
                files.append(File.generated(config, src_uri, content=content))
        self._published = published
        reports = {report_site.page_src(r): r for r in project.reports.published(project.today)}
        for file in list(files):
            if report_site.is_report_page(file.src_uri) and file.src_uri not in reports:
                files.remove(file)  # draft or embargoed reports never reach the site
        for src_uri, content in report_site.generated_files(project).items():
            if files.get_file_from_path(src_uri) is None:
                files.append(File.generated(config, src_uri, content=content))
        self._reports = reports
        # The portal: guides, 依申请公开 and its form, 第二十条, feeds, open data, 统计, 监测 (xxgk.portal).
        for src_uri, content in self.portal.files().items():
            if files.get_file_from_path(src_uri) is None:
                files.append(File.generated(config, src_uri, content=content))
        # 依申请公开办理情况 for the supervising office, from the application register (xxgk.register).
        for src_uri, content in register_site.pages(project).items():
            if files.get_file_from_path(src_uri) is None:
                files.append(File.generated(config, src_uri, content=content))
        return files

    def on_page_markdown(self, markdown, *, page, config, files):
        entry = self.config.enabled and self._published.get(page.file.src_uri)
        if entry:
            page.meta["template"] = "entry.html"
            # Material prints page.title as HTML, so the title goes in escaped.
            page.meta["title"] = escape(entry.title)
            # The body as our parser split it, so front matter can never leak into the page.
            return entry.body
        report = self.config.enabled and self._reports.get(page.file.src_uri)
        if report:
            page.meta["template"] = "report.html"
            page.meta["title"] = escape(report.title)
            # Searchable as a 工作报告 of its org and year (facets read by the xxgk-search plugin).
            page.meta["search_index"] = {"发布机构": report.org, "信息类别": "工作报告", "年份": report.year,
                                         **({"发布日期": report.published.isoformat()} if report.published else {})}
            # The whole report in the official order, tables inserted; then the org's charts (xxgk.portal).
            return report_markdown(report) + "\n\n" + self.portal.report_charts(report) + "\n"
        return markdown

    def on_post_page(self, output, *, page, config):
        return add_security_meta(output) if self.config.enabled else output

    def on_post_build(self, *, config):
        if self.config.enabled:  # MkDocs' own sitemap is empty without site_url; ours has full addresses
            self.portal.write_sitemap(Path(config.site_dir))

    def on_post_template(self, output_content, *, template_name, config):
        if self.config.enabled and template_name.endswith(".html"):
            return add_security_meta(output_content)
        return output_content

    def on_page_context(self, context, *, page, config, nav):
        entry = self.config.enabled and self._published.get(page.file.src_uri)
        if entry:
            context["entry"] = entry_view(self.project, entry, page.url)
        report = self.config.enabled and self._reports.get(page.file.src_uri)
        if report:
            context["report"] = report_site.report_view(self.project, report, page.url)
        return context
