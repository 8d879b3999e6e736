"""What the portal shows of the annual reports: report pages, the 年报专栏 of each org,
the portal-wide list by year, and the JSON/CSV files published next to each report.

Site URLs (directory URLs): reports/ (list by year), reports/<org>/ (年报专栏),
reports/<org>/<year>/ (the report) with <org>-<year>.json and <org>-<year>-table2.csv … beside it,
and the report itself as <org>-<year>.docx in the official layout (reports/word.py).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..buildcache import BuildCache, cache_dir
from ..fragments import Fragments
from ..templating import relative_url, render
from .interchange import to_csv, to_json
from .model import NARRATIVE_DIR, TABLE_KEYS, Report, page_src, page_url  # noqa: F401  (page_src: used from here too)
from .word import code_version as word_code_version, docx_key, report_docx

if TYPE_CHECKING:
    from ..project import Project

INDEX_URL = f"{NARRATIVE_DIR}/"


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


def download_files(report: Report, cache: BuildCache | None = None, fragments: Fragments | None = None,
                   made_of: str | None = None) -> dict[str, bytes | str]:
    """The data files and the Word document of a report by site path (src_uri of a generated file).
    `fragments` and `made_of` (what the report is made of: ReportSet.made_of): the data files, and the
    key of the Word document in `cache`, are taken from the build cache when the report is the same."""
    makers = {path: (lambda label=label: to_json(report) if label == "JSON" else to_csv(report, label))
              for label, path in downloads(report)}
    word = word_download(report)
    if fragments is None or made_of is None:
        files = {path: make() for path, make in makers.items()}
        files[word] = report_docx(report, cache)
        return files
    files = {path: fragments.made(path, made_of, make) for path, make in makers.items()}
    # the document's key (report_docx) holds python-docx's version, which made_of does not
    key = fragments.made(f"{word} key", [made_of, word_code_version()], lambda: docx_key(report))
    files[word] = report_docx(report, cache, key)
    return files


def report_record(project: Project, report: Report) -> dict:
    """A report in a list (templates/xxgk/partials/report-list.html); URLs are site URLs."""
    org = project.ref.orgs[report.org]
    links = downloads(report)
    return {"title": report.title, "url": page_url(report), "org": {"name": org.short_name, "url": org_url(org.id)},
            "format": report.format.doc_no or report.format.id,
            "date": report.published.isoformat() if report.published else "—",
            "downloads": {"json": links[0][1], "csv": [{"label": label, "url": path} for label, path in links[1:]]}}


def list_pages(project: Project) -> dict[str, str]:
    """Markdown of the generated pages by src_uri: the list by year and each org's 年报专栏."""
    published = project.reports.published(project.today)
    orgs = project.ref.orgs
    records = {(r.org, r.year): report_record(project, r) for r in published}
    years = [{"year": year, "reports": [records[(r.org, r.year)] for r in published if r.year == year]}
             for year in sorted({r.year for r in published}, reverse=True)]
    pages = {f"{NARRATIVE_DIR}/index.md": render(
        project.root, "xxgk/reports-index.md", base=INDEX_URL, years=years,
        orgs=[{"name": o.name, "url": org_url(o.id)} for o in orgs.values()])}
    for org in orgs.values():
        base = org_url(org.id)
        mine = [records[(r.org, r.year)] for r in published if r.org == org.id]
        pages[f"{base}index.md"] = render(project.root, "xxgk/reports-org.md", base=base, org=org.name, reports=mine,
                                          links={"all": INDEX_URL})
    return pages


def report_view(project: Project, report: Report, base: str) -> dict:
    """Plain strings for overrides/report.html (which autoescapes them)."""
    org = project.ref.orgs[report.org]
    fmt = report.format
    fields = [("索引号", report.index_no)] if report.index_no else []
    fields += [
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
    cache = BuildCache(cache_dir(project.root))  # Word documents are made only when their content changed
    fragments = Fragments(project.root, "report-downloads")
    for report in project.reports.published(project.today):
        files.update(download_files(report, cache, fragments, project.reports.made_of.get((report.org, report.year))))
    fragments.prune()
    cache.prune("word")
    return files
