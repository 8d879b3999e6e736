"""The portal pages and files of the real demo build, read as a visitor or a program would,
each compared with what the engine says is published."""

import csv
import io
import json
import posixpath
import re
import zipfile
from datetime import date
from urllib.parse import quote, urlsplit
from xml.etree import ElementTree as ET

import pytest
from bs4 import BeautifulSoup

from conftest import ROOT
from xxgk.portal import compliance, load_portal, urls
from xxgk.project import load_project
from xxgk.reports import site as report_site

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def demo():
    return load_project(ROOT, date.today())  # the demo build uses today too


@pytest.fixture(scope="module")
def portal(demo):
    return load_portal(demo, "示例区政府信息公开")


def page(site, url):
    return BeautifulSoup((site / url / "index.html").read_text(encoding="utf-8"), "html.parser")


def content(site, url):
    return page(site, url).select_one(".md-content")


def resolve(site, base, href):
    """The file a relative link from page `base` reaches (directory URLs end in index.html)."""
    path = urlsplit(href).path
    target = site / posixpath.normpath(posixpath.join(base, path)) if path else site / base
    return target / "index.html" if path.endswith("/") or not path else target


PORTAL_PAGES = ["", "guide/", "guide/swj/", "guide/qzf/", "regulations/", "apply/", "apply/form/", "mandatory/",
                "stats/", "opendata/", "dashboard/", "dashboard/evidence/", "reports/swj/2021/"]


@pytest.mark.parametrize("url", PORTAL_PAGES)
def test_every_link_and_anchor_on_portal_pages_resolves(demo_site, url):
    soup = page(demo_site, url)
    for a in soup.select(".md-content a[href]"):
        href = a["href"]
        target = resolve(demo_site, url, href)
        assert target.is_file(), f"{url}: {href}"
        fragment = urlsplit(href).fragment
        if fragment and target.suffix == ".html":
            other = BeautifulSoup(target.read_text(encoding="utf-8"), "html.parser")
            assert other.find(id=fragment), f"{url}: {href}"


def test_home_reaches_everything_in_few_clicks(demo_site, demo):
    home = content(demo_site, "")
    links = {a.get_text(strip=True): a["href"] for a in home.select("a[href]")}
    for label in ("政府信息公开指南", "政府信息公开制度", "法定主动公开内容", "依申请公开", "统计", "开放数据",
                  "政务公开工作监测", "政府信息公开工作年度报告"):
        assert label in links, label
    assert home.select_one('form[role="search"]')["action"] == "search/"
    # latest annual reports: newest published first, each a link to its page
    reports = sorted(demo.reports.published(demo.today), key=lambda r: (r.published, r.year, r.org), reverse=True)[:6]
    shown = [a.get_text() for a in home.select(".xxgk-latest-reports a")]
    assert shown == [r.title for r in reports]
    for a in home.select(".xxgk-latest-reports a"):
        assert resolve(demo_site, "", a["href"]).is_file()
    # a guide in two clicks, the form in two, a report in one (from the latest list) or three (year list)
    guide = content(demo_site, "guide/")
    assert {a.get_text() for a in guide.select("a")} >= {f"{o.name}政府信息公开指南" for o in demo.ref.orgs.values()}
    apply = content(demo_site, "apply/")
    assert apply.select_one(f'a[href="{posixpath.basename(urls.FORM_DOCX)}"][download]')
    # entry points by 信息类别 and by department
    facets = [h.get_text() for h in home.select(".xxgk-facet h2")]
    assert "按发布机构" in facets and "按信息类别" in facets


def test_nav_stays_short(demo_site):
    tabs = [a.get_text(strip=True) for a in page(demo_site, "").select("nav.md-tabs a")]
    assert tabs[:2] == ["首页", "政府信息公开目录"] and len(tabs) <= 8
    assert {"公开指南", "依申请公开", "法定主动公开内容"} <= set(tabs)


@pytest.mark.parametrize("org_id", ["qzf", "swj", "jyj"])
def test_guide_per_org_from_org_data(demo_site, demo, org_id):
    org = demo.ref.orgs[org_id]
    soup = content(demo_site, f"guide/{org_id}/")
    assert soup.h1.get_text() == f"{org.name}政府信息公开指南"
    contact = {tr.th.get_text(): tr.td.get_text() for tr in soup.select("table.xxgk-contact tbody tr")}
    assert contact == {label: org.guide[key] for key, label in
                       (("office", "受理机构"), ("address", "通信地址"), ("postcode", "邮政编码"), ("phone", "咨询电话"),
                        ("fax", "传真"), ("email", "电子邮箱"), ("hours", "受理时间")) if org.guide.get(key)}
    text = soup.get_text()
    for words in ("20 个工作日", "第三十三条", "信息处理费", "国办函〔2020〕109号", "行政复议", "第五十一条",
                  "35件应缴 20件×100元＋5件×200元＝3000元"):
        assert words in text, words
    deadline = "3月31日" if org.type == "政府" else "1月31日"
    assert f"于每年{deadline}前公布上一年度" in text
    fees = [[td.get_text() for td in tr.select("td")] for tr in soup.select('table[aria-label="按件计收标准"] tbody tr')]
    assert fees[0] == ["10件以下（含）", "不收费"] and fees[1] == ["11—30件（含）", "100元/件"]


def test_regulations_list_local_rules_from_the_catalog(demo_site, demo, portal):
    soup = content(demo_site, "regulations/")
    expected = [e.index_no for e in demo.published() if e.topic == portal.settings.local_topic
                and e.category in portal.settings.local_categories]
    assert expected
    assert [tr.td.get_text() for tr in soup.select("table.xxgk-catalog tbody tr")] == expected
    assert "《中华人民共和国政府信息公开条例》" in soup.get_text()


def test_mandatory_items_with_entries_and_visible_gaps(demo_site, demo):
    soup = content(demo_site, "mandatory/")
    items = list(demo.ref.article20)
    assert len(items) == 15
    rows = soup.select("table.xxgk-article20 tbody tr")
    assert [r.th.get_text() for r in rows] == items
    published = demo.published()
    for number, (item, row) in enumerate(zip(items, rows), 1):
        expected = [e for e in published if item in e.article20]
        heading = soup.find(id=f"item-{number}")
        assert heading.get_text().startswith(item)
        table = heading.find_next_sibling()
        if expected:
            assert row.select("td")[-1].get_text() == f"{len(expected)} 条"
            assert [tr.td.get_text() for tr in table.select("tbody tr")] == [e.index_no for e in expected]
        else:
            assert row.select("td")[-1].get_text() == "暂无"
            assert table.get_text() == "暂无已公开的信息。"
    assert soup.find(id="item-15").find_next_sibling().get_text() == "暂无已公开的信息。"  # the demo's gap


def parse_feed(path):
    root = ET.parse(path).getroot()
    assert root.tag == f"{ATOM}feed"
    for tag in ("id", "title", "updated"):
        assert (root.findtext(f"{ATOM}{tag}") or "").strip(), tag
    assert root.find(f"{ATOM}author/{ATOM}name").text
    links = {l.get("rel"): l for l in root.findall(f"{ATOM}link")}
    assert links["self"].get("type") == "application/atom+xml"
    return root


RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$")


@pytest.mark.parametrize("org_id", [None, "swj", "jyj"])
def test_atom_feeds_are_valid_and_hold_the_newest_published(demo_site, demo, portal, org_id):
    root = parse_feed(demo_site / urls.feed(org_id))
    address = portal.settings.address
    assert root.findtext(f"{ATOM}id") == address + urls.feed(org_id)
    expected = [e for e in demo.listed() if org_id is None or e.org == org_id][:50]
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == len(expected)
    ids = set()
    for node, entry in zip(entries, expected):
        for tag in ("id", "title", "updated"):
            assert node.findtext(f"{ATOM}{tag}"), tag
        assert RFC3339.match(node.findtext(f"{ATOM}updated"))
        assert node.findtext(f"{ATOM}title") == entry.title
        assert node.findtext(f"{ATOM}id") == address + entry.url
        assert node.find(f"{ATOM}author/{ATOM}name").text == demo.ref.orgs[entry.org].name
        link = node.find(f"{ATOM}link[@rel='alternate']")
        assert link.get("href") == address + entry.url and (demo_site / entry.url / "index.html").is_file()
        assert node.findtext(f"{ATOM}updated").startswith(entry.published.isoformat())
        ids.add(node.findtext(f"{ATOM}id"))
    assert len(ids) == len(entries)  # atom:id unique
    assert RFC3339.match(root.findtext(f"{ATOM}updated"))
    assert root.findtext(f"{ATOM}updated").startswith(expected[0].published.isoformat())


def test_catalog_json_and_csv_match_the_published_catalog(demo_site, demo, portal):
    data = json.loads((demo_site / urls.CATALOG_JSON).read_text(encoding="utf-8"))
    published = demo.listed()  # entries and annual reports
    assert data["count"] == len(published) == len(data["items"])
    by_no = {item["index_no"]: item for item in data["items"]}
    assert list(by_no) == [e.index_no for e in published]
    address = portal.settings.address
    for entry in published:
        item = by_no[entry.index_no]
        assert item["title"] == entry.title and item["org_name"] == demo.ref.orgs[entry.org].name
        assert item["published"] == entry.published.isoformat() and item["written"] == entry.written.isoformat()
        assert item["category"] == entry.category and item["topic"] == entry.topic
        assert item["article20"] == entry.article20 and item["validity"] == entry.validity
        assert item["url"] == address + entry.url
        assert [a["name"] for a in item["attachments"]] == [a.name for a in entry.attachments]
        for related in item["related"]:
            assert related in by_no  # only published entries are named
        assert "review" not in item
    reviewers = {name for e in demo.catalog.entries for name, _ in e.review.values()}
    assert len(reviewers) > 5
    raw = (demo_site / urls.CATALOG_CSV).read_bytes()
    for path in (urls.CATALOG_JSON, urls.CATALOG_CSV, urls.REPORTS_JSON, urls.REPORTS_CSV, urls.feed()):
        exported = (demo_site / path).read_bytes().decode("utf-8-sig")
        assert not [name for name in reviewers if name in exported], path  # 保密审查 records stay internal
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert [r["索引号"] for r in rows] == [e.index_no for e in published]
    assert [r["标题"] for r in rows] == [e.title for e in published]
    assert rows[0].keys() == {"索引号", "标题", "机构标识", "发布机构", "成文日期", "发布日期", "文号", "主题分类", "信息类别",
                              "第二十条", "有效性", "关键词", "内容概述", "附件", "相关", "网址"}
    with_files = next(e for e in published if e.attachments)
    row = next(r for r in rows if r["索引号"] == with_files.index_no)
    assert address + quote(with_files.attachments[0].src_uri) in row["附件"]  # percent-encoded


def test_reports_index_matches_the_published_reports(demo_site, demo, portal):
    data = json.loads((demo_site / urls.REPORTS_JSON).read_text(encoding="utf-8"))
    published = demo.reports.published(demo.today)
    assert [(i["org"], i["year"]) for i in data["items"]] == [(r.org, r.year) for r in published]
    address = portal.settings.address
    for item, report in zip(data["items"], published):
        status = compliance.report_status(demo, report.org, report.year)
        assert item["title"] == report.title and item["format"] == report.format.id
        assert item["published"] == report.published.isoformat() and item["deadline"] == status.deadline.isoformat()
        assert item["on_time"] is (report.published <= status.deadline)
        assert item["consistent"] is status.consistent
        assert item["url"] == address + report_site.page_url(report)
        for link in [item["json"]] + [c["url"] for c in item["csv"]]:
            assert link.startswith(address) and (demo_site / link[len(address):]).is_file()
    rows = list(csv.DictReader(io.StringIO((demo_site / urls.REPORTS_CSV).read_bytes().decode("utf-8-sig"))))
    assert [(r["机构标识"], int(r["报告年度"])) for r in rows] == [(r.org, r.year) for r in published]
    assert {r["勾稽关系一致"] for r in rows} <= {"true", "false"}


def test_open_data_page_documents_every_field(demo_site):
    from xxgk.portal.opendata import CATALOG_FIELDS, REPORT_FIELDS
    soup = content(demo_site, "opendata/")
    for label, fields in (("目录数据字段", CATALOG_FIELDS), ("年度报告索引字段", REPORT_FIELDS)):
        rows = [[td.get_text() for td in tr.select("td")] for tr in soup.select(f'table[aria-label="{label}"] tbody tr')]
        assert [r[:2] for r in rows] == [[f.key, f.label] for f in fields]
        assert all(r[3] for r in rows)
    data = json.loads((demo_site / urls.CATALOG_JSON).read_text(encoding="utf-8"))
    assert set(data["items"][0]) == {f.key for f in CATALOG_FIELDS}


def test_sitemap_lists_every_page_with_full_addresses(demo_site, demo, portal):
    root = ET.parse(demo_site / "sitemap.xml").getroot()
    assert root.tag == f"{SITEMAP}urlset"
    address = portal.settings.address
    locs = {u.findtext(f"{SITEMAP}loc"): u.findtext(f"{SITEMAP}lastmod") for u in root.findall(f"{SITEMAP}url")}
    assert all(loc.startswith(address) for loc in locs)
    for entry in demo.listed():
        assert locs[address + entry.url] == entry.published.isoformat()
    for url in PORTAL_PAGES + ["catalog/", "reports/"]:
        assert address + url in locs, url
    for loc in locs:
        assert resolve(demo_site, "", loc[len(address):]).is_file(), loc
    assert address + "search/" not in locs
    import gzip
    assert gzip.decompress((demo_site / "sitemap.xml.gz").read_bytes()) == (demo_site / "sitemap.xml").read_bytes()


def test_application_form_docx_is_a_word_package_with_every_field(demo_site, portal):
    path = demo_site / urls.FORM_DOCX
    with zipfile.ZipFile(path) as archive:
        assert archive.testzip() is None
        names = archive.namelist()
        assert names[0] == "[Content_Types].xml"
        types = ET.fromstring(archive.read("[Content_Types].xml"))
        overrides = {o.get("PartName"): o.get("ContentType") for o in types}
        assert overrides["/word/document.xml"].endswith("wordprocessingml.document.main+xml")
        rels = ET.fromstring(archive.read("_rels/.rels"))
        targets = {r.get("Target") for r in rels if r.get("Type").endswith("/officeDocument")}
        assert targets == {"word/document.xml"}
        document = ET.fromstring(archive.read("word/document.xml"))
    assert document.tag == f"{W}document"
    body = document.find(f"{W}body")
    assert body[-1].tag == f"{W}sectPr"
    rows = body.findall(f"{W}tbl/{W}tr")
    cells = [["".join(t.text or "" for t in tc.iter(f"{W}t")) for tc in tr.findall(f"{W}tc")] for tr in rows]
    form = portal.settings.form
    labels = [c[0] for c in cells]
    for kind, items in form.applicants:
        assert f"申请人信息（{kind}）" in labels
        assert all(item in labels for item in items)
    for item in form.request:
        assert item.label in labels
        if item.options:
            assert cells[labels.index(item.label)][1] == "　".join(f"□ {o}" for o in item.options)
    assert all(s in labels for s in form.signatures)
    for tr in rows:  # every row spans the two grid columns
        spans = [int(tc.find(f"{W}tcPr/{W}gridSpan").get(f"{W}val")) if tc.find(f"{W}tcPr/{W}gridSpan") is not None
                 else 1 for tc in tr.findall(f"{W}tc")]
        assert sum(spans) == 2
    text = "".join(t.text or "" for t in document.iter(f"{W}t"))
    assert form.title in text and all(note in text for note in form.notes)


def test_printable_form_matches_the_docx(demo_site, portal):
    soup = content(demo_site, "apply/form/")
    labels = [th.get_text() for th in soup.select("table.xxgk-form__table th")]
    from xxgk.portal.forms import form_rows
    assert labels == [label for _, label, _ in form_rows(portal.settings.form)]
    assert soup.select_one(".xxgk-form__title").get_text() == "政府信息公开申请表"


def test_stats_charts_and_their_tables(demo_site, demo):
    soup = content(demo_site, "stats/")
    figures = soup.select("figure.xxgk-chart")
    assert len(figures) == 3
    for figure in figures:
        svg = figure.find("svg")
        ids = svg["aria-labelledby"].split()
        assert svg["role"] == "img" and [svg.find(id=i).name for i in ids] == ["title", "desc"]
        assert figure.select_one("details table")
    table = figures[0].select_one("details table")
    totals = {tr.th.get_text(): int(tr.select("td")[-1].get_text()) for tr in table.select("tbody tr")}
    years = sorted({e.year for e in demo.listed()})
    assert totals == {f"{y}年": sum(1 for e in demo.listed() if e.year == y) for y in years}
    received = {tr.th.get_text(): int(tr.td.get_text()) for tr in figures[1].select("details tbody tr")}
    by_year = {}
    for report in demo.reports.published(demo.today):
        from xxgk.reports.interchange import to_interchange
        by_year[f"{report.year}年"] = by_year.get(f"{report.year}年", 0) + \
            to_interchange(report)["table3"]["一、本年新收政府信息公开申请数量"][-1]
    assert received == by_year
    assert not soup.find("script")  # charts need no script


def test_report_pages_carry_the_orgs_charts(demo_site, demo):
    report = next(r for r in demo.reports.published(demo.today) if r.org == "swj" and r.year == 2022)
    soup = page(demo_site, report_site.page_url(report))
    aside = soup.select_one("article.xxgk-report aside.xxgk-report-charts")
    assert aside and aside["aria-label"] == "历年数据图表"
    received = [tr.th.get_text() for tr in aside.select("figure")[0].select("details tbody tr")]
    assert received == [f"{r.year}年" for r in sorted(demo.reports.published(demo.today), key=lambda r: r.year)
                        if r.org == "swj" and r.year <= 2022]


def dashboard_rows(demo_site):
    soup = content(demo_site, "dashboard/")
    table = soup.select_one("table.xxgk-dashboard")
    return soup, [[td for td in tr.select("td")] for tr in table.select("tbody tr")]


def test_dashboard_covers_every_org_and_year_with_evidence(demo_site, demo):
    soup, rows = dashboard_rows(demo_site)
    years = compliance.years(demo)
    assert len(rows) == len(demo.ref.orgs) * len(years)
    published = demo.listed()  # annual reports are catalog entries too
    for tds in rows:
        org = next(o for o in demo.ref.orgs.values() if o.short_name == tds[0].get_text())
        year = int(tds[1].get_text()[:4])
        status = compliance.report_status(demo, org.id, year)
        count = sum(1 for e in published if e.org == org.id and e.year == year)
        assert tds[5].get_text() == f"{count} 条"
        if count:
            assert resolve(demo_site, "dashboard/", tds[5].a["href"]) == demo_site / f"catalog/{org.id}/{year}/index.html"
        if status.report:
            assert tds[2].get_text() == "已公布"
            assert resolve(demo_site, "dashboard/", tds[2].a["href"]).parent == demo_site / report_site.page_url(status.report).rstrip("/")
            assert tds[3].get_text() == ("一致" if status.consistent else f"不一致（{len(status.findings)} 项）")
            assert tds[4].get_text().startswith("按期" if status.on_time else "逾期")
        elif status.overdue(demo.today):
            assert tds[2].get_text() == "未公布" and tds[4].get_text().startswith("逾期未公布")
        lacking = [e for e in compliance.missing_interpretations(demo) if e.org == org.id and e.year == year]
        assert tds[6].get_text() == (f"{len(lacking)} 件" if lacking else "0")
        file = demo.register.files.get((org.id, year))
        if file is None:
            assert [tds[7].get_text(), tds[8].get_text()] == ["—", "—"]
        else:
            open_now = [a for a in file.applications if a.received <= demo.today and (a.replied is None or a.replied > demo.today)]
            assert tds[7].get_text() == (f"{len(open_now)} 件" if open_now else "0")
        for td in tds:
            assert td.has_attr("data-sort")
    # The demo's registers (2020–2022) are older than its 监测起始年度: their columns read “—” above.
    scripts = page(demo_site, "dashboard/").select('script[src$="assets/xxgk-portal.js"]')
    assert len(scripts) == 1 and (demo_site / "assets/xxgk-portal.js").is_file()


def test_dashboard_summary_counts(demo_site, demo):
    soup, rows = dashboard_rows(demo_site)
    statuses = [compliance.report_status(demo, o, y) for o in demo.ref.orgs for y in compliance.years(demo)]
    overdue = sum(s.overdue(demo.today) for s in statuses)
    published = sum(s.report is not None for s in statuses)
    text = soup.select_one(".xxgk-summary-list").get_text()
    assert f"已公布 {published} 份" in text and f"逾期未公布 {overdue} 份" in text
    assert f"已公开信息 {len(demo.listed())} 条" in text


def test_an_override_in_overrides_changes_a_page(tmp_path):
    """The README's 定制页面 example: a notice on every 公开指南 page, and a restyled catalog row."""
    from conftest import front_matter, make_project, run_mkdocs_build

    root = make_project(tmp_path, {"swj/2024/00001.md": front_matter()})
    guide = root / "overrides/xxgk/guide.md"
    guide.parent.mkdir(parents=True)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    example = re.search(r"## 定制页面.*?```jinja\n(.*?)```", readme, re.S).group(1)  # exactly the README's example
    guide.write_text(example, encoding="utf-8")
    row = root / "overrides/xxgk/partials/catalog-row.html"
    row.parent.mkdir(parents=True)
    row.write_text('{% macro row(e) %}<tr class="my-row"><td>{{ e.date }}</td><td><a href="{{ e.url | url }}">'
                   '{{ e.title }}</a></td><td>{{ e.org }}</td><td>{{ e.index_no }}</td></tr>{% endmacro %}\n',
                   encoding="utf-8")
    site = tmp_path / "site"
    build = run_mkdocs_build(root, site)
    assert build.returncode == 0, build.stderr[-3000:]
    for org in ("swj", "qzf"):
        soup = BeautifulSoup((site / f"guide/{org}/index.html").read_text(encoding="utf-8"), "html.parser")
        notice = soup.select_one("article p.xxgk-notice")
        assert notice is not None and notice.get_text().startswith("本指南自2026年1月1日起施行")
        assert soup.select_one("h1").get_text() in notice.get_text().replace("负责解释", "政府信息公开指南")
        assert soup.select_one("article h2#zdgk") is not None  # the rest of the page is the package's
    listing = BeautifulSoup((site / "catalog/index.html").read_text(encoding="utf-8"), "html.parser")
    assert listing.select("table.xxgk-catalog tr.my-row")


def test_a_wrong_override_is_a_located_error(tmp_path):
    from conftest import front_matter, make_project, run_mkdocs_build

    root = make_project(tmp_path, {"swj/2024/00001.md": front_matter()})
    row = root / "overrides/xxgk/partials/catalog-row.html"
    row.parent.mkdir(parents=True)
    row.write_text('{% macro row(e) %}\n<tr><td>{{ e.nonexistent.field }}</td></tr>{% endmacro %}\n', encoding="utf-8")
    build = run_mkdocs_build(root, tmp_path / "site")
    assert build.returncode == 1 and "Traceback" not in build.stderr
    assert "overrides/xxgk/partials/catalog-row.html:2 模板有误" in build.stderr, build.stderr[-2000:]
