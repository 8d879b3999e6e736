"""What the portal shows of the annual reports: report pages, the 年报专栏 of each org,
the portal-wide list by year, and the JSON/CSV files published next to each report.

Site URLs (directory URLs): reports/ (list by year), reports/<org>/ (年报专栏),
reports/<org>/<year>/ (the report) with <org>-<year>.json and <org>-<year>-table2.csv … beside it,
and the report itself as <org>-<year>.docx in the official layout (reports/word.py).
"""

from __future__ import annotations

import re
from html import escape
from typing import TYPE_CHECKING

from ..site import relative_url
from .interchange import to_csv, to_json
from .model import NARRATIVE_DIR, TABLE_KEYS, Report
from .word import report_docx

if TYPE_CHECKING:
    from ..project import Project

INDEX_URL = f"{NARRATIVE_DIR}/"


def page_src(report: Report) -> str:
    return f"{NARRATIVE_DIR}/{report.org}/{report.year}.md"


def page_url(report: Report) -> str:
    return f"{NARRATIVE_DIR}/{report.org}/{report.year}/"


def is_report_page(src_uri: str) -> bool:
    return re.fullmatch(rf"{NARRATIVE_DIR}/[^/]+/\d{{4}}\.md", src_uri) is not None


def org_url(org_id: str) -> str:
    return f"{NARRATIVE_DIR}/{org_id}/"


def downloads(report: Report) -> list[tuple[str, str]]:
    """(label, site path) of each data file of a report: the JSON, then one CSV per table."""
    base = f"{page_url(report)}{report.org}-{report.year}"
    return [("JSON", f"{base}.json")] + [(name, f"{base}-{TABLE_KEYS[name]}.csv") for name in report.format.tables]


def word_download(report: Report) -> str:
    """Site path of the report as a Word document, generated at build time next to the page."""
    return f"{page_url(report)}{report.org}-{report.year}.docx"


def download_files(report: Report) -> dict[str, bytes | str]:
    """The data files and the Word document of a report by site path (src_uri of a generated file)."""
    files: dict[str, bytes | str] = {path: to_json(report) if label == "JSON" else to_csv(report, label)
                                     for label, path in downloads(report)}
    files[word_download(report)] = report_docx(report)
    return files


def _download_links(report: Report, base: str) -> str:
    links = downloads(report)
    json_link = f'<a href="{escape(relative_url(links[0][1], base))}" download>JSON</a>'
    csv_links = "、".join(f'<a href="{escape(relative_url(path, base))}" download>{escape(label)}</a>'
                          for label, path in links[1:])
    return f"{json_link}、CSV（{csv_links}）"


def _table(reports: list[Report], project: Project, base: str, *, by_org: bool) -> str:
    head = "<th scope=\"col\">报告</th>" + ("<th scope=\"col\">发布机构</th>" if by_org else "") + \
        "<th scope=\"col\">适用格式</th><th scope=\"col\">发布日期</th><th scope=\"col\">下载数据</th>"
    rows = []
    for r in reports:
        org = project.ref.orgs[r.org]
        rows.append(
            "<tr>"
            f'<td><a href="{escape(relative_url(page_url(r), base))}">{escape(r.title)}</a></td>'
            + (f'<td><a href="{escape(relative_url(org_url(org.id), base))}">{escape(org.short_name)}</a></td>' if by_org else "")
            + f"<td>{escape(r.format.doc_no or r.format.id)}</td>"
            f'<td class="xxgk-date">{r.published.isoformat() if r.published else "—"}</td>'
            f"<td>{_download_links(r, base)}</td>"
            "</tr>"
        )
    return ('<div class="xxgk-table-wrap"><table class="xxgk-report-list">'
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>")


def list_pages(project: Project) -> dict[str, str]:
    """Markdown of the generated pages by src_uri: the list by year and each org's 年报专栏."""
    published = project.reports.published(project.today)
    orgs = project.ref.orgs
    pages = {}
    parts = ["# 政府信息公开工作年度报告", "",
             "依据《中华人民共和国政府信息公开条例》第四十九条，政府部门于每年1月31日前、"
             "本级人民政府于每年3月31日前公布本机关上一年度政府信息公开工作年度报告。", ""]
    links = "".join(f'<li><a href="{escape(relative_url(org_url(o.id), INDEX_URL))}">{escape(o.name)}</a></li>'
                    for o in orgs.values())
    parts += ["## 各机构年报专栏", "", f'<ul class="xxgk-facets">{links}</ul>', ""]
    for year in sorted({r.year for r in published}, reverse=True):
        parts += [f"## {year}年度", "", _table([r for r in published if r.year == year], project, INDEX_URL, by_org=True), ""]
    if not published:
        parts += ['<p class="xxgk-empty">暂无年度报告。</p>', ""]
    pages[f"{NARRATIVE_DIR}/index.md"] = "\n".join(parts)
    for org in orgs.values():
        base = org_url(org.id)
        mine = [r for r in published if r.org == org.id]
        body = _table(mine, project, base, by_org=False) if mine else '<p class="xxgk-empty">暂无年度报告。</p>'
        pages[f"{base}index.md"] = (
            f"# {escape(org.name)}政府信息公开工作年度报告专栏\n\n{body}\n\n"
            f'<p class="xxgk-back"><a href="{escape(relative_url(INDEX_URL, base))}">全部年度报告</a></p>\n'
        )
    return pages


def report_view(project: Project, report: Report, base: str) -> dict:
    """Plain strings for overrides/report.html (which autoescapes them)."""
    org = project.ref.orgs[report.org]
    fmt = report.format
    fields = [
        ("发布机构", org.name),
        ("报告年度", f"{report.year}年度"),
        ("适用格式", f"《{fmt.name}》" + (f"（{fmt.doc_no}）" if fmt.doc_no else "")),
    ]
    if report.published:
        fields.append(("发布日期", report.published.isoformat()))
    return {
        "title": report.title,
        "fields": fields,
        "json": relative_url(downloads(report)[0][1], base),
        "word": relative_url(word_download(report), base),
        "csv": [{"label": label, "url": relative_url(path, base)} for label, path in downloads(report)[1:]],
        "org_url": relative_url(org_url(org.id), base),
        "org_name": org.name,
    }



def generated_files(project: Project) -> dict[str, str | bytes]:
    """Every generated file by src_uri: list pages, and the data files of each published report."""
    files: dict[str, str | bytes] = dict(list_pages(project))
    for report in project.reports.published(project.today):
        files.update(download_files(report))
    return files
