"""Issue 16: one source for each annual report (the catalog lists the report itself, so the catalog
and the dashboard agree), tables that read on a phone, the site's furniture from data/portal.yml,
and a 404 page that works under a sub-path."""

import posixpath
import re
from datetime import date

import pytest
from bs4 import BeautifulSoup

from conftest import ROOT
from xxgk.portal import compliance
from xxgk.project import load_project
from xxgk.reports import site as report_site

REPORT_LINK = re.compile(r"reports/([a-z]+)/(\d{4})/$")


@pytest.fixture(scope="module")
def demo():
    return load_project(ROOT, date.today())  # the demo build uses today too


def soup_of(site, url):
    return BeautifulSoup((site / url / "index.html").read_text(encoding="utf-8"), "html.parser")


def target(base, href):
    return posixpath.normpath(posixpath.join(base, href)) + "/"


def catalog_reports(site):
    """(org, year) → 索引号 of every catalog row that links to a report page, from each org-year listing."""
    found = {}
    for listing in sorted((site / "catalog").glob("*/*/index.html")):
        base = listing.parent.relative_to(site).as_posix() + "/"
        for tr in BeautifulSoup(listing.read_text(encoding="utf-8"), "html.parser").select(".md-content tbody tr"):
            link = tr.select_one("a[href]")
            match = link and REPORT_LINK.search(target(base, link["href"]))
            if match:
                found[(match[1], int(match[2]))] = tr.select_one("td.xxgk-index").get_text()
    return found


def dashboard_cells(site, demo):
    """(org, year) → the text of its 年度报告 cell, for every row of the dashboard."""
    short = {o.short_name: o.id for o in demo.ref.orgs.values()}
    rows = soup_of(site, "dashboard/").select("table.xxgk-dashboard tbody tr")
    return {(short[tr.select("td")[0].get_text()], int(tr.select("td")[1].get_text()[:4])): tr.select("td")[2].get_text()
            for tr in rows}


def test_the_catalog_and_the_dashboard_agree(demo_site, demo):
    listed, cells = catalog_reports(demo_site), dashboard_cells(demo_site, demo)
    years = set(compliance.years(demo))
    assert listed and cells
    for key, text in cells.items():  # every cell says 已公布 exactly when the catalog lists that report
        assert (text == "已公布") == (key in listed), key
    for (org, year) in listed:  # every listed report in a monitored year has its cell
        assert year not in years or cells[(org, year)] == "已公布"
    # Every published report is listed, under its own 索引号, which its page shows.
    for report in demo.reports.published(demo.today):
        assert listed[(report.org, report.year)] == report.index_no
        meta = soup_of(demo_site, report_site.page_url(report)).select_one("table.xxgk-meta")
        assert meta.select_one("tr th").get_text() == "索引号" and meta.select_one("tr td").get_text() == report.index_no


def test_the_demo_dashboard_is_a_plausible_district(demo_site, demo):
    cells = dashboard_cells(demo_site, demo)
    timely = [td.get_text() for td in soup_of(demo_site, "dashboard/").select("table.xxgk-dashboard tbody tr td:nth-of-type(5)")]
    due = [t for t in timely if not t.startswith("未到期")]
    on_time = [t for t in due if t.startswith("按期")]
    assert len(on_time) >= len(due) * 2 / 3  # mostly on time: not a wall of red
    assert 1 <= sum(t.startswith("逾期") for t in due) <= 3
    assert 1 == sum(td.get_text().startswith("不一致") for td in soup_of(demo_site, "dashboard/").select("table.xxgk-dashboard td"))
    assert "已公布" in cells.values()


def test_no_catalog_entry_duplicates_a_report(demo):
    titles = {r.title for r in demo.reports}
    assert not [e.file for e in demo.catalog.entries if e.title in titles]
    assert not [p for p in demo.problems if p.is_error]


def test_charts_need_two_years(demo_site, demo):
    """A report whose org has only one year of data carries no chart; the others compare years."""
    for report in demo.reports.published(demo.today):
        aside = soup_of(demo_site, report_site.page_url(report)).select_one("aside.xxgk-report-charts")
        years_with_data = {r.year for r in demo.reports.published(demo.today) if r.org == report.org and r.year <= report.year}
        years_listed = {e.year for e in demo.listed() if e.org == report.org and e.year <= report.year}
        if len(years_with_data) < 2 and len(years_listed) < 2:
            assert aside is None
        for figure in aside.select("figure") if aside else ():
            assert len(figure.select("details tbody tr")) >= 2
