"""Open data: the catalog's metadata as JSON and CSV, an index of the annual reports (whose
own JSON/CSV files xxgk.reports publishes beside each report), a page documenting every
field, and sitemap.xml.

Fields are declared once (CATALOG_FIELDS, REPORT_FIELDS): the files and their documentation
are generated from the same declaration. Only published entries and reports go in; the
保密审查 records (reviewer names) are internal and are never exported.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable
from xml.etree import ElementTree as ET

from ..catalog import Entry
from ..exports import csv_text
from ..pagecheck import site_pages
from ..reports import site as report_site
from . import urls
from .compliance import published_reports
from ..fragments import Fragments
from ..templating import render
from .markup import front_matter
from .settings import Settings

if TYPE_CHECKING:
    from ..project import Project


@dataclass(frozen=True)
class DataField:
    key: str  # JSON key
    label: str  # CSV column
    kind: str  # 文字, 日期, 列表, 逻辑值 …: for the documentation
    doc: str
    get: Callable[..., Any]


def _related(project: Project, entry: Entry) -> list[str]:
    ref = project.ref
    return [r.index_no for r in project.catalog.related(entry) if r.is_published(project.today, ref.review_roles)]


CATALOG_FIELDS = (
    DataField("index_no", "索引号", "文字", "机构代码/年份-5位流水号，全站唯一。", lambda p, s, e: e.index_no),
    DataField("title", "标题", "文字", "信息名称。", lambda p, s, e: e.title),
    DataField("org", "机构标识", "文字", "发布机构在本网站的标识，见机构名录。", lambda p, s, e: e.org),
    DataField("org_name", "发布机构", "文字", "发布机构全称。", lambda p, s, e: p.ref.orgs[e.org].name),
    DataField("written", "成文日期", "日期", "YYYY-MM-DD。", lambda p, s, e: e.written.isoformat()),
    DataField("published", "发布日期", "日期", "YYYY-MM-DD，在本网站公开的日期。", lambda p, s, e: e.published.isoformat()),
    DataField("doc_no", "文号", "文字", "发文字号；没有的为空。", lambda p, s, e: e.doc_no),
    DataField("topic", "主题分类", "文字", "“一级\\二级”，参照国务院公文主题分类。", lambda p, s, e: e.topic),
    DataField("category", "信息类别", "文字", "政策文件、政策解读、部门动态等。", lambda p, s, e: e.category),
    DataField("article20", "第二十条", "列表", "该信息落实的《条例》第二十条事项，如（一）；CSV 中以顿号分隔。",
              lambda p, s, e: list(e.article20)),
    DataField("validity", "有效性", "文字", "政策文件的有效性：有效、失效或废止；其他信息为空。", lambda p, s, e: e.validity),
    DataField("keywords", "关键词", "列表", "CSV 中以顿号分隔。", lambda p, s, e: list(e.keywords)),
    DataField("summary", "内容概述", "文字", "没有的为空。", lambda p, s, e: e.summary),
    DataField("attachments", "附件", "列表", "每项为 {name: 名称, url: 完整网址}；CSV 中为“名称 网址”，以分号分隔。",
              lambda p, s, e: [{"name": a.name, "url": s.absolute(a.src_uri)} for a in e.attachments]),
    DataField("related", "相关", "列表", "相互关联的已公开信息（如政策文件与其解读）的索引号；CSV 中以顿号分隔。",
              lambda p, s, e: _related(p, e)),
    DataField("url", "网址", "文字", "该信息在本网站的完整网址。", lambda p, s, e: s.absolute(e.url)),
)

REPORT_FIELDS = (
    DataField("org", "机构标识", "文字", "发布机构在本网站的标识。", lambda p, s, r: r.org),
    DataField("org_name", "发布机构", "文字", "发布机构全称。", lambda p, s, r: p.ref.orgs[r.org].name),
    DataField("year", "报告年度", "整数", "报告所述的年度。", lambda p, s, r: r.year),
    DataField("title", "标题", "文字", "报告标题。", lambda p, s, r: r.report.title),
    DataField("format", "适用格式", "文字", "适用的国家格式：2019（试行格式）或 2021。", lambda p, s, r: r.report.format.id),
    DataField("format_name", "格式名称", "文字", "适用格式的名称和文号。",
              lambda p, s, r: r.report.format.name + (f"（{r.report.format.doc_no}）" if r.report.format.doc_no else "")),
    DataField("consistent", "勾稽关系一致", "逻辑值", "true：各表的勾稽关系检查全部通过；false：有未通过的项目（见报告页）。",
              lambda p, s, r: r.consistent),
    DataField("published", "发布日期", "日期", "YYYY-MM-DD；未注明的为空。",
              lambda p, s, r: r.report.published.isoformat() if r.report.published else None),
    DataField("deadline", "法定期限", "日期", "《条例》第四十九条规定的公布期限：部门为次年1月31日，本级人民政府为次年3月31日。",
              lambda p, s, r: r.deadline.isoformat() if r.deadline else None),
    DataField("on_time", "按期发布", "逻辑值", "发布日期不晚于法定期限为 true；未注明发布日期的为空。", lambda p, s, r: r.on_time),
    DataField("url", "网址", "文字", "报告页面的完整网址。", lambda p, s, r: s.absolute(r.url)),
    DataField("json", "JSON", "文字", "该报告表格数据（二、三、四部分）的 JSON 文件的完整网址。",
              lambda p, s, r: s.absolute(report_site.downloads(r.report)[0][1])),
    DataField("csv", "CSV", "列表", "每个表格一个 CSV 文件：{table: 表名, url: 完整网址}；CSV 中为“表名 网址”，以分号分隔。",
              lambda p, s, r: [{"table": label, "url": s.absolute(path)} for label, path in report_site.downloads(r.report)[1:]]),
)

def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):  # joined first: the whole cell is what a spreadsheet reads
        if value and isinstance(value[0], dict):
            value = "；".join(" ".join(str(v) for v in item.values()) for item in value)
        else:
            value = "、".join(map(str, value))
    return csv_text(value)


def _csv(fields, rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([f.label for f in fields])
    for row in rows:
        writer.writerow([_csv_cell(row[f.key]) for f in fields])
    return out.getvalue().encode("utf-8-sig")  # BOM: spreadsheet programs then read the Chinese


def _records(fields, project: Project, settings: Settings, items) -> list[dict]:
    return [{f.key: f.get(project, settings, item) for f in fields} for item in items]


def catalog_records(project: Project, settings: Settings) -> list[dict]:
    return _records(CATALOG_FIELDS, project, settings, project.listed())


def report_records(project: Project, settings: Settings) -> list[dict]:
    return _records(REPORT_FIELDS, project, settings, published_reports(project))


def _json(settings: Settings, project: Project, what: str, records: list[dict]) -> str:
    data = {"title": f"{settings.site_name}：{what}", "date": project.today.isoformat(), "count": len(records),
            "items": records}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def files(project: Project, settings: Settings) -> dict[str, str | bytes]:
    catalog, reports = catalog_records(project, settings), report_records(project, settings)
    # The records (plain data) and the title and date make the files: written again only when one changed.
    fragments = Fragments(project.root, "opendata")
    title, today = settings.site_name, project.today.isoformat()

    def json_file(what: str, records: list[dict]) -> str:
        return fragments.made("json", (title, today, what, records), lambda: _json(settings, project, what, records))

    found = {
        urls.CATALOG_JSON: json_file("政府信息公开目录", catalog),
        urls.CATALOG_CSV: fragments.made("catalog csv", catalog, lambda: _csv(CATALOG_FIELDS, catalog)),
        urls.REPORTS_JSON: json_file("政府信息公开工作年度报告", reports),
        urls.REPORTS_CSV: fragments.made("reports csv", reports, lambda: _csv(REPORT_FIELDS, reports)),
        urls.src(urls.OPENDATA): page_markdown(project, settings, len(catalog), len(reports)),
    }
    fragments.prune()
    return found


def page_markdown(project: Project, settings: Settings, entries: int, reports: int) -> str:
    feeds = [{"name": "全部机构", "url": urls.feed()}] + [{"name": o.name, "url": urls.feed(o.id)}
                                                        for o in project.ref.orgs.values()]
    links = {"catalog_json": urls.CATALOG_JSON, "catalog_csv": urls.CATALOG_CSV, "reports_json": urls.REPORTS_JSON,
             "reports_csv": urls.REPORTS_CSV, "sitemap": urls.SITEMAP, "reports": report_site.INDEX_URL,
             "stats": urls.STATS}
    return front_matter() + render(project.root, "xxgk/opendata.md", base=urls.OPENDATA, entries=entries,
                                   reports=reports, catalog_fields=CATALOG_FIELDS, report_fields=REPORT_FIELDS,
                                   feeds=feeds, links=links)


# --- sitemap -------------------------------------------------------------------------------------

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
# The error page and the search results page.
UNLISTED = ("404.html", "search/index.html")


def page_urls(site_dir: Path, pages: list[str] | None = None) -> list[str]:
    """Site URL of every page the build wrote (directory URLs), in the order of their paths' parts.
    `pages`: the site's .html files (pagecheck.site_pages), when the caller has them already."""
    found = []
    for rel in sorted(site_pages(site_dir) if pages is None else pages, key=lambda rel: rel.split("/")):
        if rel in UNLISTED:
            continue
        found.append(rel[: -len("index.html")] if rel.endswith("index.html") else rel)
    return found


def _modified(project: Project) -> dict[str, str]:
    """The date of each entry's and report's page by site URL (YYYY-MM-DD)."""
    modified: dict[str, str] = {e.url: e.published.isoformat() for e in project.listed()}
    for report in project.reports.published(project.today):
        if report.published:
            modified[report_site.page_url(report)] = report.published.isoformat()
    return modified


def sitemap_xml(project: Project, settings: Settings, page_list: list[str]) -> bytes:
    """Written again only when the pages, their dates or the site's address changed (xxgk.fragments)."""
    modified = _modified(project)
    fragments = Fragments(project.root, "sitemap")
    inputs = (settings.address, page_list, [modified.get(url) for url in page_list])
    data = fragments.made("sitemap.xml", inputs, lambda: _sitemap(settings, page_list, modified))
    fragments.prune()
    return data


def _sitemap(settings: Settings, page_list: list[str], modified: dict[str, str]) -> bytes:
    ET.register_namespace("", SITEMAP_NS)
    root = ET.Element(f"{{{SITEMAP_NS}}}urlset")
    for url in page_list:
        item = ET.SubElement(root, f"{{{SITEMAP_NS}}}url")
        ET.SubElement(item, f"{{{SITEMAP_NS}}}loc").text = settings.absolute(url)
        if url in modified:
            ET.SubElement(item, f"{{{SITEMAP_NS}}}lastmod").text = modified[url]
    ET.indent(root)
    return ET.tostring(root, encoding="UTF-8", xml_declaration=True) + b"\n"


def write_sitemap(project: Project, settings: Settings, site_dir: Path, pages: list[str] | None = None) -> int:
    """Replace MkDocs' sitemap (empty without site_url) with one of full addresses; return its size.
    `pages`: as for page_urls."""
    pages = page_urls(site_dir, pages)
    data = sitemap_xml(project, settings, pages)
    (site_dir / urls.SITEMAP).write_bytes(data)
    with gzip.GzipFile(site_dir / (urls.SITEMAP + ".gz"), "wb", mtime=0) as archive:
        archive.write(data)
    return len(pages)
