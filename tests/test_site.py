"""The real demo portal, built with --strict, read as a visitor's browser would receive it."""

import re
from datetime import date
from urllib.parse import urlparse

import pytest
from bs4 import BeautifulSoup

from conftest import ROOT
from xxgk.project import load_project


@pytest.fixture(scope="module")
def demo():
    return load_project(ROOT, date.today())


def soup(path):
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def page(site, url):
    return soup(site / url / "index.html")


def test_demo_is_clean_and_large_enough(demo):
    # The demo's only warnings are the two reports that show the dashboard's findings: one
    # published late, one whose narrative disagrees with its table (see data/reports/); besides
    # them, the comparison with last year's report (issue 23: R10-R12) says what is true of the
    # demo: three 2025 narratives much like 2024's, swj's applications from 0 to 10 in 2021.
    year_on_year = {p.file for p in demo.problems if re.match(r"\[R1[0-2] ", p.message)}
    assert year_on_year == {"docs/reports/fgj/2025.md", "docs/reports/qzf/2025.md", "docs/reports/scjgj/2025.md",
                            "data/reports/swj/2021.yml"}, "\n".join(map(str, demo.problems))
    warned = {p.file for p in demo.problems if not re.match(r"\[R1[0-2] ", p.message)}
    assert not demo.problems.errors and warned == {"data/reports/fgj/2025.yml", "docs/reports/scjgj/2025.md"}, \
        "\n".join(map(str, demo.problems))
    published = demo.published()
    assert len(published) >= 80
    assert {e.org for e in published} >= {"qzf", "swj", "fgj", "czj", "scjgj", "jyj"}
    assert {e.year for e in published} >= set(range(2019, 2026))
    assert len({e.category for e in published}) >= 8
    assert sum(1 for e in published if e.category == "政策解读" and demo.catalog.related(e)) >= 6


def test_entry_page_metadata_box(demo_site, demo):
    for entry in demo.published():
        html = page(demo_site, entry.url)
        box = {th.get_text(strip=True): th.find_next_sibling("td").get_text(strip=True)
               for th in html.select("table.xxgk-meta th")}
        org = demo.ref.orgs[entry.org]
        assert box["索引号"] == entry.index_no
        assert box["发布机构"] == org.name
        assert box["主题分类"] == entry.topic
        assert box["成文日期"] == entry.written.isoformat()
        assert box["发布日期"] == entry.published.isoformat()
        assert box["文号"] == (entry.doc_no or "无")
        assert box.get("有效性") == entry.validity
        assert html.select_one(".xxgk-entry h1").get_text() == entry.title


def test_policy_and_interpretation_link_each_other(demo_site, demo):
    pairs = [(e, r) for e in demo.published() if e.category == "政策文件"
             for r in demo.catalog.related(e) if r.category == "政策解读"]
    assert pairs
    for policy, interpretation in pairs:
        for source, target in ((policy, interpretation), (interpretation, policy)):
            links = page(demo_site, source.url).select(".xxgk-related a")
            assert target.title in [a.get_text() for a in links]


def test_attachments_are_published_and_linked(demo_site, demo):
    with_files = [e for e in demo.published() if e.attachments]
    assert with_files
    for entry in with_files:
        links = page(demo_site, entry.url).select(".xxgk-attachments a")
        assert [a.get_text() for a in links] == [a.name for a in entry.attachments]
        for attachment in entry.attachments:
            assert (demo_site / attachment.src_uri).is_file()


def rows(html):
    return [[td.get_text(strip=True) for td in tr.select("td")] for tr in html.select("table.xxgk-catalog tbody tr")]


def test_listing_pages_filter_and_sort_newest_first(demo_site, demo):
    published = demo.listed()  # entries and annual reports
    org = demo.ref.orgs["swj"]
    for url, expected in [
        ("catalog/swj/2024", [e for e in published if e.org == "swj" and e.year == 2024]),
        ("catalog/by-year/2023", [e for e in published if e.year == 2023]),
        ("catalog/by-category/zcwj", [e for e in published if e.category == "政策文件"]),
        ("catalog/by-topic/czjr-cz", [e for e in published if e.topic == "财政、金融、审计\\财政"]),
    ]:
        table = rows(page(demo_site, url))
        assert [r[0] for r in table] == [e.index_no for e in expected], url
        assert [r[3] for r in table] == sorted((r[3] for r in table), reverse=True)
    assert all(r[2] == org.short_name for r in rows(page(demo_site, "catalog/swj")))
    home_rows = rows(page(demo_site, "catalog"))
    assert [r[0] for r in home_rows] == [e.index_no for e in published[:50]]


def test_listing_links_reach_the_entries(demo_site, demo):
    html = page(demo_site, "catalog/by-year/2024")
    for link in html.select("table.xxgk-catalog a"):
        target = (demo_site / "catalog/by-year/2024" / link["href"]).resolve() / "index.html"
        assert target.is_file(), link["href"]


def test_entries_are_not_in_the_nav(demo_site, demo):
    titles = {e.title for e in demo.published()}
    for url in ("", "catalog", demo.published()[0].url):
        nav = page(demo_site, url).select("nav.md-nav a, nav.md-tabs a")
        labels = {a.get_text(strip=True) for a in nav}
        assert nav and not labels & titles
        assert len(nav) < 25  # the sections (公开制度 among them since issue 22) and the page's own headings


def test_drafts_are_absent_everywhere(demo_site, demo):
    drafts = [e for e in demo.catalog.entries if e.draft]
    assert drafts
    for entry in drafts:
        assert not (demo_site / entry.url).exists()
        for html in demo_site.rglob("*.html"):
            assert entry.title not in html.read_text(encoding="utf-8"), html


ALLOWED_NAMESPACES = {"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"}
URL_ATTRIBUTES = ("href", "src", "srcset", "action", "data", "poster", "content")


# The footer's record numbers link to their registries (《政府网站发展指引》): plain links, nothing loaded.
# So do the 党政机关网站标识 (its record at bszs.conac.cn) and 我为政府网站找错 (issue 22).
REGISTRIES = ("https://beian.miit.gov.cn/", "https://www.beian.gov.cn/portal/registerSystemInfo?recordcode=",
              "https://bszs.conac.cn/sitename?method=show&id=", "https://zfwzgl.www.gov.cn/exposure/jiucuo.html?site_code=")


def test_no_reference_to_any_other_host(demo_site):
    import yaml

    # The page metadata for the national monitoring crawlers names the page's own address (meta Url).
    own = yaml.safe_load((ROOT / "data/portal.yml").read_text(encoding="utf-8"))["网址"]
    offending = []
    for path in demo_site.rglob("*.html"):
        for tag in soup(path).find_all(True):
            for name in URL_ATTRIBUTES:
                value = tag.get(name)
                if tag.name == "a" and name == "href" and isinstance(value, str) and value.startswith(REGISTRIES) \
                        and tag.find_parent(class_="xxgk-footer"):
                    continue
                if tag.name == "meta" and name == "content" and isinstance(value, str) and value.startswith(own):
                    continue
                if isinstance(value, str) and re.match(r"^\s*(https?:)?//", value):
                    offending.append(f"{path.relative_to(demo_site)}: <{tag.name} {name}={value}>")
    for path in demo_site.rglob("*.css"):
        for url in re.findall(r"url\(\s*['\"]?([^'\")]+)", path.read_text(encoding="utf-8")):
            if urlparse(url).scheme in ("http", "https") or url.startswith("//"):
                offending.append(f"{path.relative_to(demo_site)}: url({url})")
    assert not offending, "\n".join(offending[:20])


def test_page_titles_and_language(demo_site, demo):
    html = page(demo_site, demo.published()[0].url)
    assert html.html["lang"].startswith("zh")
    assert html.title.get_text().startswith(demo.published()[0].title)
