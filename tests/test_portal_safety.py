"""The portal's outputs publish only what is published, and render hostile data inert."""

import json
import shutil
import zipfile
from xml.etree import ElementTree as ET

from bs4 import BeautifulSoup

from conftest import ROOT, front_matter, make_project, run_mkdocs_build
from test_safety import CANARY, ENTRY, site_texts
from xxgk.project import load_project

FUTURE_REVIEW = ("\n  业务科室: {审查人: 甲, 日期: 2099-01-02}\n  信息发布人: {审查人: 乙, 日期: 2099-01-02}"
                 "\n  分管领导: {审查人: 丙, 日期: 2099-01-02}")
OUTPUTS = ["feeds/all.xml", "feeds/swj.xml", "opendata/catalog.json", "opendata/catalog.csv", "opendata/reports.json",
           "opendata/reports.csv", "sitemap.xml", "mandatory/index.html", "dashboard/index.html",
           "dashboard/evidence/index.html", "stats/index.html", "guide/swj/index.html", "regulations/index.html",
           "apply/index.html", "apply/form/index.html", "opendata/index.html"]


def add_report(root, org: str, year: int, first_line: str, canary_text: str, source=("swj", 2022)):
    """A copy of a demo report for another org and year, a line put first and text added to its narrative."""
    data = (ROOT / f"data/reports/{source[0]}/{source[1]}.yml").read_text(encoding="utf-8")
    target = root / f"data/reports/{org}/{year}.yml"
    target.parent.mkdir(parents=True, exist_ok=True)
    # Its 索引号 belongs to the source's org: a copy for another org goes unlisted (and unnumbered).
    target.write_text(first_line + "\n" + data.replace("发布日期:", "# 发布日期:").replace("\n索引号:", "\n# 索引号:"),
                      encoding="utf-8")
    narrative = root / f"docs/reports/{org}/{year}.md"
    narrative.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / f"docs/reports/{source[0]}/{source[1]}.md", narrative)
    with narrative.open("a", encoding="utf-8") as out:
        out.write(f"\n{canary_text}\n")


def test_drafts_embargoed_entries_and_reports_reach_no_portal_output(tmp_path):
    entries = {
        ENTRY: front_matter(第二十条="[（一）]"),
        "swj/2024/draft.md": front_matter(索引号=None, 保密审查=None, 草稿="true", 标题=f"草稿{CANARY}",
                                          第二十条="[（十五）]", 信息类别="政策文件", 有效性="有效") + CANARY,
        "swj/2099/00001.md": front_matter(索引号="770010036/2099-00001", 成文日期="2099-01-01", 发布日期="2099-01-02",
                                          保密审查=FUTURE_REVIEW, 标题=f"未到发布日期{CANARY}", 第二十条="[（十五）]",
                                          信息类别="政策文件", 有效性="有效", 关键词=f"[{CANARY}]") + CANARY,
    }
    root = make_project(tmp_path, entries)
    add_report(root, "swj", 2024, "草稿: true", f"草稿报告{CANARY}")
    add_report(root, "fgj", 2025, "发布日期: 2099-03-01", f"未到发布日期的报告{CANARY}")
    project = load_project(root)
    assert len(project.reports) == 2 and project.reports.published(project.today) == []
    build = run_mkdocs_build(root, tmp_path / "site")
    assert build.returncode == 0, build.stderr[-3000:]
    site = tmp_path / "site"
    for output in OUTPUTS:
        assert (site / output).is_file(), output
    assert [str(p) for p, text in site_texts(site) if CANARY in text] == []

    catalog = json.loads((site / "opendata/catalog.json").read_text(encoding="utf-8"))
    assert [i["index_no"] for i in catalog["items"]] == ["770010036/2024-00001"]
    assert json.loads((site / "opendata/reports.json").read_text(encoding="utf-8"))["items"] == []
    feed = ET.parse(site / "feeds/all.xml").getroot()
    assert len(feed.findall("{http://www.w3.org/2005/Atom}entry")) == 1
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert "2099" not in sitemap and "draft" not in sitemap and "reports/swj/2024" not in sitemap
    mandatory = BeautifulSoup((site / "mandatory/index.html").read_text(encoding="utf-8"), "html.parser")
    counts = {tr.th.get_text(): tr.select("td")[-1].get_text() for tr in mandatory.select("table.xxgk-article20 tbody tr")}
    assert counts["（一）"] == "1 条" and counts["（十五）"] == "暂无"
    dashboard = BeautifulSoup((site / "dashboard/index.html").read_text(encoding="utf-8"), "html.parser")
    cells = {(tr.select("td")[0].get_text(), tr.select("td")[1].get_text()): [td.get_text() for td in tr.select("td")]
             for tr in dashboard.select("table.xxgk-dashboard tbody tr")}
    assert cells[("区商务局", "2024年")][2] == "未公布"  # the draft report does not count
    assert cells[("区发展改革局", "2025年")][2] == "未公布"  # nor the embargoed one
    assert cells[("区商务局", "2024年")][5] == "1 条"
    assert not any(year.startswith("2099") for _, year in cells)


HOSTILE = '<script>alert(1)</script>" onmouseover="alert(2)'


def test_hostile_guide_and_form_data_render_inert(tmp_path):
    root = make_project(tmp_path, {ENTRY: front_matter()})
    orgs = root / "data/orgs.yml"
    quoted = json.dumps(HOSTILE, ensure_ascii=False)
    orgs.write_text(orgs.read_text(encoding="utf-8")
                    .replace("工作机构: 示例区商务局办公室", f"工作机构: {quoted}")
                    .replace("地址: 示例区府前路1号区行政中心B座501室", f"地址: {quoted}"), encoding="utf-8")
    portal = root / "data/portal.yml"
    portal.write_text(portal.read_text(encoding="utf-8")
                      .replace("标题: 政府信息公开申请表", f"标题: {quoted}")
                      .replace("{项目: 受理机关}", f"{{项目: {quoted}}}")
                      .replace("说明: 国办函〔2020〕109号。", f"说明: {quoted}"), encoding="utf-8")
    build = run_mkdocs_build(root, tmp_path / "site")
    assert build.returncode == 0, build.stderr[-3000:]
    site = tmp_path / "site"
    for url in ("guide/swj/", "guide/", "apply/", "apply/form/", "regulations/"):
        html = (site / url / "index.html").read_text(encoding="utf-8")
        soup = BeautifulSoup(html, "html.parser")
        assert "<script>alert(1)" not in html, url
        assert not soup.find_all(attrs={"onmouseover": True}), url
        assert all("alert(1)" not in s.get_text() for s in soup.find_all("script")), url
        assert HOSTILE in soup.get_text(), url  # shown as text
    with zipfile.ZipFile(site / "apply/shenqingbiao.docx") as archive:
        document = ET.fromstring(archive.read("word/document.xml"))
        core = ET.fromstring(archive.read("docProps/core.xml"))
    texts = [t.text for t in document.iter("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}t")]
    assert texts[0] == HOSTILE and HOSTILE in texts
    assert core.findtext("{http://purl.org/dc/elements/1.1/}title") == HOSTILE


def test_exports_are_inert_and_their_addresses_encoded(tmp_path):
    """A 关键词 or attachment name starting with = or - is text in a spreadsheet; file names with
    spaces, #, ?, % and & get percent-encoded addresses in JSON, CSV, feeds and the sitemap."""
    import csv
    import io

    from xxgk.portal import load_portal, opendata

    attachment = "files/通知 附件#1?v=100%&.txt"
    entries = {ENTRY: front_matter(关键词="['=HYPERLINK(\"http://evil.example/\",\"点击\")', 消费]",
                                   附件="\n  - {名称: \"=cmd|' /C calc'!A0\", 文件: \"%s\"}" % attachment)}
    root = make_project(tmp_path, entries)
    (root / "docs/catalog/swj/2024/files").mkdir()
    (root / "docs/catalog" / "swj/2024" / attachment).write_text("附件正文。\n", encoding="utf-8")
    project = load_project(root)
    portal = load_portal(project, "测试门户")
    assert not project.problems.errors, [str(p) for p in project.problems]
    files = opendata.files(project, portal.settings)
    rows = list(csv.DictReader(io.StringIO(files["opendata/catalog.csv"].decode("utf-8-sig"))))
    assert rows[0]["关键词"] == "'=HYPERLINK(\"http://evil.example/\",\"点击\")、消费"
    encoded = "files/%E9%80%9A%E7%9F%A5%20%E9%99%84%E4%BB%B6%231%3Fv%3D100%25%26.txt"
    assert rows[0]["附件"].startswith("'=cmd|") and rows[0]["附件"].endswith(encoded)
    items = json.loads(files["opendata/catalog.json"])["items"]
    assert items[0]["attachments"][0]["url"].endswith("catalog/swj/2024/" + encoded)
    assert items[0]["attachments"][0]["name"] == "=cmd|' /C calc'!A0"  # JSON is data, not a spreadsheet
    assert portal.settings.absolute("catalog/swj/2024/草稿 1/").endswith("/catalog/swj/2024/%E8%8D%89%E7%A8%BF%201/")
    sitemap = opendata.sitemap_xml(project, portal.settings, ["catalog/a b#c/"])
    assert b"catalog/a%20b%23c/" in sitemap


def test_report_table_csv_labels_are_inert():
    from xxgk.exports import csv_text
    assert [csv_text(v) for v in ("=1+1", "+1", "-x", "@SUM(A1)", "\tx", "\rx", "合计", -3)] == \
        ["'=1+1", "'+1", "'-x", "'@SUM(A1)", "'\tx", "'\rx", "合计", "-3"]
