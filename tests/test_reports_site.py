"""The demo portal's reports, as built: pages in the official order, lists, and open data."""

import csv
import io
import json
import posixpath

import docx
from bs4 import BeautifulSoup

from conftest import ROOT

DEMO = {  # year -> the orgs with a published report, as listed on reports/
    2025: ["czj", "fgj", "jyj", "qzf", "scjgj"], 2024: ["czj", "fgj", "jyj", "qzf", "scjgj"], 2023: ["czj"],
    2022: ["qzf", "swj"], 2021: ["qzf", "swj"], 2020: ["fgj", "swj"], 2019: ["fgj", "qzf"],
}
SECTIONS = ["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
            "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"]


def page(site, url):
    return BeautifulSoup((site / url / "index.html").read_text(encoding="utf-8"), "html.parser")


def target(site, url, href):
    return site / posixpath.normpath(posixpath.join(url, href))


def test_seed_report_page(demo_site):
    url = "reports/swj/2020/"
    soup = page(demo_site, url)
    article = soup.select_one("article.xxgk-report")
    assert article.h1.get_text() == "示例区商务局2020年政府信息公开工作年度报告"
    assert soup.title.get_text().startswith("示例区商务局2020年政府信息公开工作年度报告 - ")
    meta = {tr.th.get_text(): tr.td.get_text() for tr in article.select("table.xxgk-meta tr")}
    assert meta["发布机构"] == "示例区商务局" and meta["报告年度"] == "2020年度"
    assert "国办公开办函〔2019〕60号" in meta["适用格式"] and meta["发布日期"] == "2021-01-26"

    # Sections 一 to 六 in order; each table right under its heading.
    body = article.select_one(".xxgk-body")
    assert [h.get_text() for h in body.find_all("h2")] == SECTIONS
    for heading, name in zip(body.find_all("h2")[1:4], ["表二", "表三", "表四"]):
        assert heading.find_next_sibling().select_one("table")["data-table"] == name
    tables = body.select("table.xxgk-report-table")
    assert len(tables) == 3

    # The seed case: Table 二 all 0 but 政府集中采购; tables 三 and 四 all 0; rowspan 20.
    cells = [td.get_text() for td in tables[0].find_all("td")]
    assert cells.count("7") == 1 and cells.count("83.8778万元") == 1 and cells.count("0") == len(cells) - 2
    assert {td.get_text() for t in tables[1:] for td in t.find_all("td") if not td.get("class")} == {"0"}
    assert tables[1].find("th", string="三、本年度办理结果")["rowspan"] == "20"

    # Downloads: the JSON and one CSV per table, next to the page.
    links = article.select(".xxgk-downloads a")
    assert article.select_one(".xxgk-downloads").get_text() == "下载报告：Word；下载数据：JSON、CSV（表二、表三、表四）"
    assert [a["href"] for a in links] == ["swj-2020.docx", "swj-2020.json", "swj-2020-table2.csv",
                                          "swj-2020-table3.csv", "swj-2020-table4.csv"]
    word = docx.Document(io.BytesIO(target(demo_site, url, links[0]["href"]).read_bytes()))
    assert word.paragraphs[0].text == "示例区商务局2020年政府信息公开工作年度报告"
    assert len(word.tables) == 3
    links = links[1:]
    data = json.loads(target(demo_site, url, links[0]["href"]).read_text(encoding="utf-8"))
    assert list(data) == ["agency", "year", "format", "amount_unit", "table2", "table3", "table4"]
    assert (data["agency"], data["year"], data["format"]) == ("示例区商务局", 2020, "2019")
    assert data["table2"]["第二十条第（九）项"] == {"政府集中采购": {"采购项目数量": 7, "采购总金额": 83.8778}}
    assert data["table2"]["第二十条第（一）项"]["规章"] == {"本年新制作数量": 0, "本年新公开数量": 0, "对外公开总数量": 0}
    assert list(data["table3"])[:3] == ["一、本年新收政府信息公开申请数量", "二、上年结转政府信息公开申请数量", "（一）予以公开"]
    assert "（六）其他处理" in data["table3"] and len(data["table3"]) == 23
    assert all(v == [0] * 7 for v in data["table3"].values())
    assert data["table4"] == {"行政复议": [0] * 5, "未经复议直接起诉": [0] * 5, "复议后起诉": [0] * 5}
    table2 = list(csv.reader(io.StringIO(target(demo_site, url, links[1]["href"]).read_bytes().decode("utf-8-sig"))))
    assert table2[0] == ["区块", "信息内容", "统计项", "数值", "单位"]
    assert table2[-1] == ["第二十条第（九）项", "政府集中采购", "采购总金额", "83.8778", "万元"]
    table4 = list(csv.reader(io.StringIO(target(demo_site, url, links[3]["href"]).read_bytes().decode("utf-8-sig"))))
    assert table4 == [["类别", "结果维持", "结果纠正", "其他结果", "尚未审结", "总计"],
                      ["行政复议", "0", "0", "0", "0", "0"], ["未经复议直接起诉", "0", "0", "0", "0", "0"],
                      ["复议后起诉", "0", "0", "0", "0", "0"]]
    assert target(demo_site, url, article.select_one(".xxgk-back a")["href"]).joinpath("index.html").is_file()


def test_2021_format_page_across_the_format_change(demo_site):
    soup = page(demo_site, "reports/swj/2021/")
    tables = soup.select("table.xxgk-report-table")
    assert tables[1].find("th", string="三、本年度办理结果")["rowspan"] == "22"
    assert tables[0].find("th", string="第二十条第（九）项") is None
    data = json.loads((demo_site / "reports/swj/2021/swj-2021.json").read_text(encoding="utf-8"))
    last = json.loads((demo_site / "reports/swj/2020/swj-2020.json").read_text(encoding="utf-8"))
    assert data["format"] == "2021" and len(data["table3"]) == 25
    assert data["table3"]["二、上年结转政府信息公开申请数量"] == last["table3"]["四、结转下年度继续办理"]
    nxt = json.loads((demo_site / "reports/swj/2022/swj-2022.json").read_text(encoding="utf-8"))
    assert nxt["table3"]["二、上年结转政府信息公开申请数量"] == data["table3"]["四、结转下年度继续办理"] != [0] * 7


def test_portal_list_by_year_and_org_columns(demo_site):
    soup = page(demo_site, "reports/")
    assert soup.h1.get_text() == "政府信息公开工作年度报告"
    years = [h.get_text() for h in soup.select(".md-content h2") if h.get_text().endswith("年度")]
    assert years == [f"{y}年度" for y in DEMO]
    for heading in soup.select(".md-content h2"):
        if not heading.get_text().endswith("年度"):
            continue
        year = int(heading.get_text()[:4])
        links = [a["href"] for a in heading.find_next("table").select("tbody tr td:first-child a")]
        assert links == [f"{org}/{year}/" for org in DEMO[year]]
        for href in links:
            assert (target(demo_site, "reports/", href) / "index.html").is_file()
    for org in ("qzf", "swj", "fgj", "czj", "scjgj", "jyj"):
        column = page(demo_site, f"reports/{org}/")
        assert column.h1.get_text().endswith("政府信息公开工作年度报告专栏")
        listed = [a["href"] for a in column.select("table.xxgk-report-list tbody td:first-child a")]
        assert listed == [f"{y}/" for y in sorted((y for y, orgs in DEMO.items() if org in orgs), reverse=True)]
        for href in listed + [a["href"] for a in column.select("table.xxgk-report-list a[download]")]:
            path = target(demo_site, f"reports/{org}/", href)
            assert path.is_file() or (path / "index.html").is_file(), href
        if not listed:
            assert column.select_one(".xxgk-empty").get_text() == "暂无年度报告。"


def test_nav_and_print_styles(demo_site):
    home = page(demo_site, "")
    assert any(a.get_text(strip=True) == "年度报告" for a in home.select(".md-tabs a, .md-nav a"))
    css = (ROOT / "docs/assets/xxgk.css").read_text(encoding="utf-8")
    print_css = css[css.index("A report prints on A4"):]
    for rule in ("size: A4", ".md-header", ".md-search", "thead { display: table-header-group; }",
                 "break-inside: avoid"):
        assert rule in print_css


def test_demo_reports_have_no_problems():
    from datetime import date

    from xxgk.project import load_project
    project = load_project(ROOT, date(2026, 11, 27))
    mine = [str(p) for p in project.problems if "reports/" in p.file or p.file.startswith("data/formats")]
    # Two warnings on purpose, for the dashboard: one report published late, one inconsistent; and what
    # the year-on-year rules find, true of the demo: three 2025 narratives mostly copied from 2024 (R10),
    # and 商务局's applications going from 0 in 2020 to 10 in 2021 (R12).
    assert sorted(p.split(" ")[1].split(":")[0] for p in mine) == [
        "data/reports/fgj/2025.yml", "data/reports/swj/2021.yml", "docs/reports/fgj/2025.md",
        "docs/reports/qzf/2025.md", "docs/reports/scjgj/2025.md", "docs/reports/scjgj/2025.md"], mine
    assert sum("[R10 " in p for p in mine) == 3 and sum("[R12 " in p for p in mine) == 1
    assert not project.problems.errors
    assert len(project.reports) == sum(len(orgs) for orgs in DEMO.values())
    assert {(r.org, r.year) for r in project.reports} >= {("swj", 2020), ("swj", 2021), ("swj", 2022),
                                                           ("qzf", 2021), ("qzf", 2022)}
