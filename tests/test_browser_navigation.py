"""A visitor finds a disclosure from the home page by clicking, in a real browser."""

from datetime import date

from playwright.sync_api import expect

from conftest import ROOT
from xxgk.project import load_project


def test_home_to_org_to_year_to_entry(browser_page, site_url):
    project = load_project(ROOT, date.today())
    entry = next(e for e in project.published() if e.org == "swj" and e.year == 2024)
    page = browser_page
    page.goto(site_url)
    page.get_by_role("link", name="示例区商务局").first.click()
    page.wait_for_url("**/catalog/swj/")
    assert page.locator("h1").first.inner_text() == "示例区商务局信息公开目录"
    page.get_by_role("link", name="2024年").click()
    page.wait_for_url("**/catalog/swj/2024/")
    page.get_by_role("link", name=entry.title).click()
    page.wait_for_url(f"**/{entry.url}")
    box = page.locator("table.xxgk-meta")
    assert entry.index_no in box.inner_text()
    assert page.title().startswith(entry.title)


def test_catalog_tab_and_back_link(browser_page, site_url):
    page = browser_page
    page.goto(site_url)
    page.locator("nav.md-tabs").get_by_role("link", name="政府信息公开目录").click()
    page.wait_for_url("**/catalog/")
    first = page.locator("table.xxgk-catalog tbody tr a:not([href*='reports/'])").first  # an entry, not a report
    title = first.inner_text()
    first.click()
    expect(page.locator(".xxgk-entry h1")).to_have_text(title)
    page.locator(".xxgk-back a").click()
    page.wait_for_url("**/catalog/*/")  # the entry's own org catalog
    expect(page.locator("table.xxgk-catalog")).to_have_count(1)
