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


# --- the footer, 网站地图 and 联系我们 from data ----------------------------------------------------

def test_footer_shows_the_sites_facts_from_portal_yml(demo_site):
    from xxgk.portal import load_portal

    info = load_portal(load_project(ROOT, date.today()), "示例区政府信息公开").settings.site_info
    for url in ("", "catalog/", "reports/czj/2024/"):
        footer = soup_of(demo_site, url).select_one("footer .xxgk-footer")
        text = footer.get_text()
        for value in (info.host, info.operator, info.phone, info.email, info.site_code, info.icp, info.police):
            assert value and value in text
        links = {a.get_text(): a["href"] for a in footer.select("a")}
        assert links[info.icp] == "https://beian.miit.gov.cn/"
        assert links[info.police] == "https://www.beian.gov.cn/portal/registerSystemInfo?recordcode=" + info.police_code
        depth = url.count("/")
        assert links["网站地图"] == "../" * depth + "sitemap/" and links["联系我们"] == "../" * depth + "contact/"


def test_sitemap_page_lists_the_nav_and_the_catalog_sections(demo_site, demo):
    import yaml

    soup = soup_of(demo_site, "sitemap/")
    hrefs = {target("sitemap/", a["href"]) for a in soup.select(".md-content a[href]")}
    nav = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)["nav"]
    for item in nav:
        (title, path), = item.items()
        assert target("", path.removesuffix("index.md") or ".") in hrefs | {"./"}, title
    for org in demo.ref.orgs:
        assert {f"catalog/{org}/", f"guide/{org}/", f"reports/{org}/"} <= hrefs
    categories = {e.category for e in demo.listed()}
    assert {f"catalog/by-category/{demo.ref.categories[c].code}/" for c in categories} <= hrefs
    assert {"stats/", "dashboard/", "contact/"} <= hrefs
    for href in hrefs:
        assert (demo_site / href / "index.html").is_file() or href == "./", href


def test_sitemap_lists_every_page_a_visitor_reaches(demo_site):
    """Every section of the built site (a top-level folder with a page), the application form, the
    register and the search page; every tab of the top navigation, 公开制度 among them."""
    soup = soup_of(demo_site, "sitemap/")
    hrefs = {target("sitemap/", a["href"]) for a in soup.select(".md-content a[href]")}
    sections = {p.parent.name + "/" for p in demo_site.glob("*/index.html")} - {"sitemap/"}
    assert {"register/", "search/", "apply/", "regulations/", "contact/"} <= sections
    assert sections | {"apply/form/"} <= hrefs, sorted(sections - hrefs)
    home = soup_of(demo_site, "")
    tabs = {a.get_text(strip=True): target("", a["href"]) for a in home.select(".md-tabs a")}
    assert tabs["公开制度"] == "regulations/"
    assert {href for href in tabs.values() if href != "./"} <= hrefs
    footer = {target("", a["href"]) for a in home.select("footer .xxgk-footer__links a")}
    assert footer - {"sitemap/"} <= hrefs


def test_footer_marks_link_out_from_a_local_image_and_go_when_not_filled(demo_site, tmp_path):
    from conftest import make_project
    from xxgk.portal import load_portal

    info = load_portal(load_project(ROOT, date.today()), "x").settings.site_info
    assert info.conac.startswith("https://bszs.conac.cn/") and "site_code=" in info.jiucuo
    for url in ("", "catalog/swj/2024/00001/"):
        marks = soup_of(demo_site, url).select_one("footer .xxgk-footer__marks")
        conac = marks.select_one("a.xxgk-footer__conac")
        assert conac["href"] == info.conac
        image = conac.select_one("img")
        assert image["alt"] == "党政机关网站标识" and "://" not in image["src"]
        assert (demo_site / url / image["src"]).resolve().is_file()
        assert marks.find("a", string="我为政府网站找错")["href"] == info.jiucuo
    # Nothing of either registry is loaded: no script or image from another host on any page.
    for page in demo_site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert not re.search(r"<(?:script|img|iframe)[^>]*\bsrc=\"(?:https?:)?//", html), page
    root = make_project(tmp_path)
    portal_yml = root / "data/portal.yml"
    text = portal_yml.read_text(encoding="utf-8")
    portal_yml.write_text(re.sub(r"\n  (党政机关网站标识|我为政府网站找错): .*", "", text), encoding="utf-8")
    footer = load_portal(load_project(root, date.today()), "x").footer()
    assert footer["conac"] is None and footer["jiucuo"] is None
    portal_yml.write_text(text.replace("我为政府网站找错: https://", "我为政府网站找错: http://"), encoding="utf-8")
    project = load_project(root, date.today())
    load_portal(project, "x")
    assert any(p.field == "我为政府网站找错" and "https://" in p.message for p in project.problems.errors)


def page_meta(site, url):
    soup = soup_of(site, url)
    return {m["name"]: m["content"] for m in soup.select("head meta[name]") if m["name"][:1].isupper()}


def test_every_page_carries_the_government_page_metadata(demo_site, demo):
    from xxgk.portal import load_portal

    settings = load_portal(demo, "示例区政府信息公开").settings
    for page in sorted(demo_site.rglob("index.html")):
        url = page.parent.relative_to(demo_site).as_posix()
        url = "" if url == "." else url + "/"
        meta = page_meta(demo_site, url)
        assert meta["SiteName"] == "示例区政府信息公开" and meta["SiteDomain"] == "xxgk.example.gov.cn", url
        assert meta["SiteIDCode"] == settings.site_info.site_code and meta["ColumnName"] and meta["ColumnType"], url
    assert page_meta(demo_site, "guide/swj/")["ColumnName"] == "公开指南"
    assert page_meta(demo_site, "apply/")["ColumnType"] == "办事服务"
    assert "ArticleTitle" not in page_meta(demo_site, "guide/swj/")
    entry = next(e for e in demo.published() if e.keywords and e.summary)
    meta = page_meta(demo_site, entry.url)
    assert meta["ColumnName"] == "政府信息公开目录"
    assert meta["ArticleTitle"] == entry.title and meta["PubDate"] == entry.published.isoformat()
    assert meta["ContentSource"] == demo.ref.orgs[entry.org].name
    assert meta["Keywords"] == ",".join(entry.keywords) and meta["Description"] == entry.summary
    assert meta["Url"] == settings.absolute(entry.url)
    interpretation = next(e for e in demo.published() if e.category == "政策解读")
    assert page_meta(demo_site, interpretation.url)["ColumnType"] == "解读回应"
    report = next(r for r in demo.reports.published(demo.today) if r.org == "swj")
    meta = page_meta(demo_site, report_site.page_url(report))
    assert meta["ArticleTitle"] == report.title and meta["PubDate"] == report.published.isoformat()
    assert meta["ContentSource"] == "示例区商务局" and meta["ColumnName"] == "年度报告"  # the nav's title


def test_every_page_below_the_home_page_says_where_it_is(demo_site, demo):
    assert soup_of(demo_site, "").select_one("nav.xxgk-crumbs") is None
    for page in sorted(demo_site.rglob("index.html")):
        url = page.parent.relative_to(demo_site).as_posix() + "/"
        if url == "./":
            continue
        crumbs = soup_of(demo_site, url).select_one('nav.xxgk-crumbs[aria-label="当前位置"]')
        assert crumbs and crumbs.get_text().startswith("当前位置：首页"), url
        for a in crumbs.select("a"):
            assert (page.parent / a["href"] / "index.html").resolve().is_file(), (url, a["href"])
        assert crumbs.select("li")[-1].select_one('[aria-current="page"]'), url
    entry = next(iter(demo.published()))
    names = [li.get_text() for li in soup_of(demo_site, entry.url).select("nav.xxgk-crumbs li")]
    assert names == ["首页", "政府信息公开目录", demo.ref.orgs[entry.org].name, entry.title]
    names = [li.get_text() for li in soup_of(demo_site, "apply/form/").select("nav.xxgk-crumbs li")]
    assert names == ["首页", "依申请公开", "政府信息公开申请表"]


def test_contact_page_has_every_orgs_office(demo_site, demo):
    text = soup_of(demo_site, "contact/").select_one(".md-content").get_text()
    for org in demo.ref.orgs.values():
        assert org.name in text and org.guide["office"] in text and org.guide["phone"] in text
        assert org.guide["address"] in text and org.guide["postcode"] in text
    # a citizen who posts an application learns where to: the offices' 通信地址 (公开指南's contact facts)
    assert "邮寄至下列受理机构的通信地址" in text


def test_a_wrong_site_code_is_reported(tmp_path):
    from conftest import make_project
    from xxgk.portal import load_portal

    root = make_project(tmp_path)
    portal_yml = root / "data/portal.yml"
    portal_yml.write_text(portal_yml.read_text(encoding="utf-8").replace('网站标识码: "0000000000"', "网站标识码: 12ab"),
                          encoding="utf-8")
    project = load_project(root, date.today())
    load_portal(project, "x")
    assert any(p.field == "网站标识码" and "10 位" in p.message for p in project.problems.errors)


# --- phones: every table reads at 375 px ------------------------------------------------------------

AXE = ROOT / "node_modules/axe-core/axe.min.js"
AXE_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.filter(v => v.impact === "serious" || v.impact === "critical")
    .map(v => `${v.impact} ${v.id}: ${v.help} @ ${v.nodes.slice(0, 3).map(n => n.target.join(" "))}`);
}"""
TABLES = """() => Array.from(document.querySelectorAll(".md-content .xxgk-table-wrap")).map(wrap => {
  const table = wrap.querySelector("table");
  const style = getComputedStyle(wrap);
  return {label: table.getAttribute("aria-label") || table.className, height: table.getBoundingClientRect().height,
          shown: wrap.checkVisibility(),
          rows: table.querySelectorAll("tbody tr").length, cards: table.classList.contains("xxgk-cards"),
          scrolls: wrap.scrollWidth > wrap.clientWidth, cls: wrap.classList.contains("xxgk-scrolls"),
          name: wrap.getAttribute("aria-label") || "", background: style.backgroundImage, attachment: style.backgroundAttachment};
})"""
ROW_LABELS = """selector => Array.from(document.querySelectorAll(selector)).map(th => {
  const em = parseFloat(getComputedStyle(th).fontSize);
  return th.getBoundingClientRect().width / em;
})"""

PHONE_PAGES = {"apply": "apply/", "report": "reports/czj/2024/", "dashboard": "dashboard/", "mandatory": "mandatory/",
               "stats": "stats/", "guide": "guide/qzf/", "contact": "contact/", "sitemap": "sitemap/"}


def phone(browser):
    return browser.new_context(viewport={"width": 375, "height": 812}, is_mobile=True, has_touch=True, locale="zh-CN")


def edge_shadow(page, wrap, shot):
    """The wrapper's right edge against its middle, with the table hidden: the cue's own pixels."""
    from PIL import Image

    wrap.evaluate("w => { w.scrollLeft = 0; w.querySelector('table').style.visibility = 'hidden'; }")
    wrap.screenshot(path=shot)
    wrap.evaluate("w => { w.querySelector('table').style.visibility = ''; }")
    image = Image.open(shot).convert("L")
    width, height = image.size
    edge = sum(image.getpixel((width - 2, y)) for y in range(height)) / height
    middle = sum(image.getpixel((width // 2, y)) for y in range(height)) / height
    return middle - edge


@pytest.mark.parametrize("kind", list(PHONE_PAGES))
def test_tables_read_at_375px(browser, site_url, tmp_path, kind):
    from playwright.sync_api import expect

    context = phone(browser)
    page = context.new_page()
    page.goto(site_url + PHONE_PAGES[kind])
    page.wait_for_load_state("networkidle")
    page.evaluate("() => document.querySelectorAll('.md-content details').forEach(d => { d.open = true; })")  # charts' data
    tables = page.evaluate(TABLES)
    for index, table in enumerate(tables):
        if not table["cards"]:  # no row wraps one character per line
            assert table["height"] / max(table["rows"], 1) < 160, table
        if table["scrolls"] and table["shown"]:  # a visible cue, and words for screen readers
            wrap = page.locator(".md-content .xxgk-table-wrap").nth(index)
            expect(wrap).to_have_class(re.compile(r"\bxxgk-scrolls\b"))
            assert table["name"].endswith("（可横向滚动）"), table
            assert "radial-gradient" in table["background"] and "local" in table["attachment"]
            assert edge_shadow(page, wrap, tmp_path / f"{kind}-{index}-edge.png") > 20, table["label"]
    if kind == "report":  # Table 三: row labels keep their width, the table stays short
        assert min(page.evaluate(ROW_LABELS, "table[data-table='表三'] tbody th[scope='row']:not([rowspan])")) >= 6
        # The outer labels of several rows (三、本年度办理结果, （三）不予公开) read top to bottom, as on paper.
        modes = page.locator("table[data-table='表三'] tbody th[scope='row'][rowspan]").evaluate_all(
            "ths => ths.map(th => getComputedStyle(th).writingMode)")
        assert modes and set(modes) == {"vertical-rl"}
        assert next(t for t in tables if t["label"].startswith("三、"))["height"] < 1400
        assert any(t["scrolls"] for t in tables if t["label"].startswith("四、"))
    if kind == "apply":  # 受理机构: one card per organisation, addresses on whole lines
        cells = page.locator("table.xxgk-cards td[data-label='通信地址']")
        expect(cells.first).to_be_visible()
        widths = cells.evaluate_all("tds => tds.map(td => td.getBoundingClientRect().width)")
        assert min(widths) > 250
    page.screenshot(path=tmp_path / f"{kind}-375.png", full_page=True)
    assert (tmp_path / f"{kind}-375.png").stat().st_size > 0
    page.evaluate(AXE.read_text(encoding="utf-8"))
    assert page.evaluate(AXE_RUN) == []
    context.close()


# --- 404 under a sub-path -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def sub_path_site(tmp_path_factory):
    """The demo built for https://xxgk.example.gov.cn/xxgk/ (XXGK_SITE_URL), as GitHub Pages would host it."""
    import os
    import subprocess
    import sys

    site = tmp_path_factory.mktemp("sub") / "site"
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", XXGK_SITE_URL="https://xxgk.example.gov.cn/xxgk/")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(ROOT / "mkdocs.yml"),
                             "-d", str(site)], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-3000:]
    return site


@pytest.fixture(scope="module")
def sub_path_url(sub_path_site):
    """sub_path_site served under /xxgk/; a missing address answers 404 with the site's 404.html."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
    from urllib.parse import unquote, urlsplit

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            path = unquote(urlsplit(self.path).path)
            file = None
            if path.startswith("/xxgk/"):
                file = sub_path_site / path.removeprefix("/xxgk/")
                file = file / "index.html" if file.is_dir() else file
            status = 200 if file and file.is_file() and sub_path_site in file.resolve().parents else 404
            body = (file if status == 200 else sub_path_site / "404.html").read_bytes()
            kind = {".css": "text/css", ".js": "text/javascript", ".png": "image/png"}.get(
                (file.suffix if status == 200 else ".html"), "text/html; charset=utf-8")
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/xxgk/"
    server.shutdown()


@pytest.mark.parametrize("missing", ["no-such-page/", "catalog/swj/1999/00001/", "a/b/c/d.html"])
def test_404_works_under_a_sub_path(browser, sub_path_url, tmp_path, missing):
    from playwright.sync_api import expect

    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    failed = []
    page.on("response", lambda r: r.status >= 400 and r.url != sub_path_url + missing and failed.append(r.url))
    response = page.goto(sub_path_url + missing)
    assert response.status == 404
    expect(page.locator("h1")).to_have_text("页面不存在")
    page.wait_for_load_state("networkidle")
    assert failed == []
    # Material's and our stylesheets are applied: the header sticks, the footer's facts are laid out.
    assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).position") == "sticky"
    assert page.evaluate("getComputedStyle(document.querySelector('.xxgk-footer span')).display") == "inline-block"
    home = page.locator(".md-content a", has_text="首页")
    assert home.evaluate("a => a.href") == sub_path_url
    page.screenshot(path=tmp_path / "404.png")
    context.close()
