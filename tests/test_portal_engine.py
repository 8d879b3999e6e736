"""The portal engine without MkDocs: fee scales, data/portal.yml checks, escaping, charts,
figures taken from the reports, compliance facts."""

import re
from datetime import date
from xml.etree import ElementTree as ET

import markdown
import pytest

from conftest import ROOT, front_matter, make_project
from xxgk.portal import compliance, load_portal, stats
from xxgk.portal.charts import Series, bar_chart, nice_step
from xxgk.templating import render
from xxgk.portal.markup import md_text
from xxgk.portal.settings import load_settings
from xxgk.problems import Problems
from xxgk.project import load_project
from xxgk.reference import load_reference
from xxgk.reports.interchange import to_interchange

DEMO_DAY = date(2026, 11, 27)


@pytest.fixture(scope="module")
def demo():
    return load_project(ROOT, DEMO_DAY)


@pytest.fixture(scope="module")
def settings(demo):
    portal = load_portal(demo, "示例区政府信息公开")
    assert not [p for p in demo.problems if p.file == "data/portal.yml"]
    return portal.settings


# Worked by hand from 国办函〔2020〕109号: 按件 ≤10 free, 11–30 at 100, then +100 every 10;
# 按量 ≤30 free, 31–100 at 10, 101–200 at 20, from 201 at 40 (each unit at its band's rate).
@pytest.mark.parametrize("quantity, fee", [(1, 0), (10, 0), (11, 100), (30, 2000), (31, 2200), (40, 4000),
                                           (41, 4300), (55, 9000)])
def test_fee_per_application(settings, quantity, fee):
    assert settings.fee_schemes[0].name == "按件计收"
    assert settings.fee_schemes[0].fee(quantity) == fee


@pytest.mark.parametrize("quantity, fee", [(30, 0), (31, 10), (100, 700), (101, 720), (200, 2700), (201, 2740),
                                           (250, 4700)])
def test_fee_per_page(settings, quantity, fee):
    assert settings.fee_schemes[1].name == "按量计收"
    assert settings.fee_schemes[1].fee(quantity) == fee


def test_fee_example_shows_its_arithmetic(settings):
    quantity, words = settings.fee_schemes[0].example()
    assert quantity == 35 and words == "20件×100元＋5件×200元＝3000元"


def portal_problems(tmp_path, replace: tuple[str, str] | None = None, env: str | None = None, monkeypatch=None):
    root = make_project(tmp_path)
    path = root / "data/portal.yml"
    text = path.read_text(encoding="utf-8")
    if replace:
        assert replace[0] in text, replace[0]
        path.write_text(text.replace(*replace), encoding="utf-8")
    problems = Problems()
    settings = load_settings(root, load_reference(root, problems), problems)
    return settings, [str(p) for p in problems]


@pytest.mark.parametrize("old, new, expected", [
    ("网址: https://xxgk.example.gov.cn/", "网址: xxgk.example.gov.cn", "data/portal.yml:6 字段“网址”"),
    ("主管机构: qzf", "主管机构: zfb", "data/portal.yml:9 字段“主管机构”：“zfb”不是 data/orgs.yml 中的机构标识"),
    ("{起: 11, 止: 30, 收费: 100}", "{起: 12, 止: 30, 收费: 100}", "字段“起”：应为 11"),
    ("{起: 201, 收费: 40}", "{起: 201, 止: 300, 收费: 40}", "最后一档不写“止”"),
    ("{起: 101, 止: 200, 收费: 20}", "{起: 101, 止: 200, 收费: 二十}", "都应为非负整数"),
    ("{项目: 受理机关, 必填: true}", "{项目: 受理机关, 行数: 0}", "字段“行数”：应为 1 到 20 的整数"),
    ("{项目: 受理机关, 必填: true}", "{项目: 受理机关, 必填: 是}", "字段“必填”：应为 true 或 false"),
    ("必填: [姓名, 证件名称,", "必填: [姓氏, 证件名称,", "字段“必填”：“姓氏”不在这一类申请人的“项目”中"),
    ("  标题: 政府信息公开申请表\n", "  标题: 政府信息公开申请表\n  在线平台: {名称: 省平台, 网址: zwgk.example.gov.cn}\n",
     "字段“网址”：“zwgk.example.gov.cn”应为以 http:// 或 https:// 开头的完整网址"),
    ("  本区制度:\n    主题分类: 综合政务\\政务公开", "  本区制度:\n    主题分类: 综合政务\\不存在",
     "不在 data/vocab.yml 的主题分类中"),
    ("办理时限:", "办理期限:", "“办理期限”：不是可用的字段"),
])
def test_portal_yml_mistakes_are_located(tmp_path, old, new, expected):
    _, problems = portal_problems(tmp_path, (old, new))
    assert any(expected in p and p.startswith("错误 data/portal.yml:") for p in problems), problems


def test_site_address_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("XXGK_SITE_URL", "https://example.github.io/xxgk")
    settings, problems = portal_problems(tmp_path)
    assert not problems
    assert settings.absolute("catalog/swj/") == "https://example.github.io/xxgk/catalog/swj/"


def test_a_bad_portal_yml_stops_the_build(tmp_path):
    from conftest import run_mkdocs_build
    root = make_project(tmp_path)
    path = root / "data/portal.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("主管机构: qzf", "主管机构: zfb"), encoding="utf-8")
    build = run_mkdocs_build(root, tmp_path / "site")
    assert build.returncode != 0 and "data/portal.yml:9" in build.stderr


@pytest.mark.parametrize("value", ["*强调* [链接](x) <b>粗</b> & 1. 2# | a_b_c \\ `代码`", "# 标题", "- 列表"])
def test_md_text_renders_literally(value):
    html = markdown.markdown("# " + md_text(value), extensions=["attr_list", "tables"])
    assert re.fullmatch(r"<h1>(.*)</h1>", html)
    from html import unescape
    assert unescape(re.sub(r"<[^>]+>", "", html)) == value
    assert "<b>" not in html


@pytest.mark.parametrize("maximum, step", [(1, 1), (5, 1), (6, 2), (20, 5), (84, 20), (100, 20), (101, 50), (999, 200)])
def test_nice_step(maximum, step):
    assert nice_step(maximum) == step


def svg_of(html: str) -> ET.Element:
    return ET.fromstring(re.search(r"<svg.*</svg>", html).group(0))


def test_bar_chart_is_proportional_labelled_and_has_a_table():
    chart = bar_chart("c1", "标题<script>", "说明", ["2023年", "2024年"],
                      [Series("甲<b>", [3, 0]), Series("乙", [1, 6])], "条")
    html = render(None, "xxgk/partials/bar-chart.html", c=chart)  # the package's template draws it
    svg = svg_of(html)
    ns = "{http://www.w3.org/2000/svg}"
    assert svg.get("role") == "img" and svg.get("aria-labelledby") == "c1-t c1-d"
    assert svg.find(f"{ns}title").get("id") == "c1-t" and svg.find(f"{ns}title").text == "标题<script>"
    assert svg.find(f"{ns}desc").get("id") == "c1-d"
    rects = svg.findall(f"{ns}rect")
    assert [r.find(f"{ns}title").text for r in rects] == ["2023年 甲<b>：3条", "2023年 乙：1条", "2024年 乙：6条"]
    heights = [float(r.get("height")) for r in rects]
    assert heights[0] / 3 == pytest.approx(heights[1] / 1, rel=0.02) == pytest.approx(heights[2] / 6, rel=0.02)
    totals = [t.text for t in svg.findall(f"{ns}text") if t.get("class") == "xxgk-chart__total"]
    assert totals == ["4", "6"]
    assert "<script>" not in html and "&lt;b&gt;" in html
    rows = re.findall(r"<tr><th scope=\"row\">(.*?)</th>(.*?)</tr>", html)
    assert [(label, re.findall(r"<td>(\d+)</td>", cells)) for label, cells in rows] == [
        ("2023年", ["3", "1", "4"]), ("2024年", ["0", "6", "6"])]


def test_disclosure_series_count_published_entries(demo):
    labels, series = stats.disclosures(stats.year_counts(demo.published()), list(demo.ref.categories))
    assert sum(sum(s.values) for s in series) == len(demo.published())
    year = int(labels[-1][:4])
    assert {s.name: s.values[-1] for s in series if s.values[-1]} == {
        c: n for c in demo.ref.categories
        if (n := sum(1 for e in demo.published() if e.year == year and e.category == c))}


def test_application_figures_match_the_reports_own_open_data(demo):
    reports = demo.reports.published(DEMO_DAY)
    assert reports
    for report in reports:
        table3 = to_interchange(report)["table3"]
        found = stats.applications(report)
        assert found.received == table3["一、本年新收政府信息公开申请数量"][-1]
        assert found.carried_in == table3["二、上年结转政府信息公开申请数量"][-1]
        assert found.carried_out == table3["四、结转下年度继续办理"][-1]
        assert sum(found.outcomes.values()) == table3["（七）总计"][-1]
        assert list(found.outcomes)[:3] == ["予以公开", "部分公开", "不予公开"]
        assert found.outcomes["不予公开"] == sum(v[-1] for k, v in table3.items() if k.startswith("（三）不予公开/"))


def test_report_status_deadlines_and_timeliness(demo):
    swj = compliance.report_status(demo, "swj", 2020)  # a department: by 31 January
    assert swj.deadline == date(2021, 1, 31) and swj.report.published == date(2021, 1, 26)
    assert swj.on_time is True and swj.consistent is True and not swj.overdue(DEMO_DAY)
    qzf = compliance.report_status(demo, "qzf", 2022)  # the government: by 31 March
    assert qzf.deadline == date(2023, 3, 31)
    missing = compliance.report_status(demo, "swj", 2024)
    assert missing.report is None and missing.overdue(DEMO_DAY) and missing.consistent is None
    current = compliance.report_status(demo, "jyj", 2026)
    assert current.deadline == date(2027, 1, 31) and not current.overdue(DEMO_DAY)


INTERPRETATION = dict(信息类别="政策解读", 文号=None, 关键词="[解读]")


def test_missing_interpretation_counts_only_published_interpretations(tmp_path):
    policy = dict(信息类别="政策文件", 有效性="有效", 文号="示商发〔2024〕1号")
    entries = {
        "swj/2024/00001.md": front_matter(**policy),
        "swj/2024/00002.md": front_matter(索引号="770010036/2024-00002", 标题="已解读的政策", **policy),
        "swj/2024/00003.md": front_matter(索引号="770010036/2024-00003", 标题="解读", 相关="['770010036/2024-00002']",
                                          **INTERPRETATION),
        "swj/2024/draft.md": front_matter(索引号=None, 保密审查=None, 草稿="true", 标题="草稿解读",
                                          相关="['770010036/2024-00001']", **INTERPRETATION),
        "swj/2024/00004.md": front_matter(索引号="770010036/2024-00004", 标题="已废止的政策",
                                          **{**policy, "有效性": "废止"}),
    }
    project = load_project(make_project(tmp_path, entries), DEMO_DAY)
    assert not project.problems.errors, [str(p) for p in project.problems.errors]
    assert [e.title for e in compliance.missing_interpretations(project)] == [
        "示例区商务局关于开展2024年消费促进月活动的通知"]
    young = load_project(project.root, date(2024, 3, 20))  # within 30 days of 发布日期: not yet due
    assert compliance.missing_interpretations(young) == []


REGISTER = """申请:
  - 编号: 2026-001
    收到日期: 2026-09-01
    渠道: 邮寄
    申请人类型: 自然人
  - 编号: 2026-002
    收到日期: 2026-11-20
    渠道: 当面
    申请人类型: 商业企业
  - 编号: 2026-003
    收到日期: 2026-10-12
    渠道: 当面
    申请人类型: 自然人
    办理结果: （一）予以公开
    答复日期: 2026-10-20
"""


def test_dashboard_counts_open_and_overdue_applications_from_the_register(tmp_path):
    from xxgk.portal import dashboard
    root = make_project(tmp_path)
    (root / "data/register/jyj").mkdir(parents=True)
    (root / "data/register/jyj/2026.yml").write_text(REGISTER, encoding="utf-8")
    project = load_project(root, DEMO_DAY)
    assert not project.problems.errors, [str(p) for p in project.problems.errors]
    cells, opened, overdue = dashboard.register_cells(project, "jyj", 2026)
    assert (opened, overdue) == (2, 1)  # 2026-001 is past its 20 working days; 2026-003 was answered
    assert [c["text"] for c in cells] == ["2 件", "1 件"]
    assert cells[1]["url"] == "register/#open" and cells[1]["state"] == "bad"
    html = render(root, "xxgk/partials/dashboard-cell.html", base="dashboard/", c=cells[1])
    assert 'href="../register/#open"' in html and 'class="xxgk-bad"' in html
    cells, *_ = dashboard.register_cells(project, "jyj", 2025)  # no register for that year
    assert [c["text"] for c in cells] == ["—", "—"]


def test_an_online_platform_is_the_first_way_to_apply(tmp_path, demo):
    from xxgk.portal.forms import apply_page

    line = "  在线平台: {名称: 示例省政府信息公开申请平台, 网址: https://zwgk.example.gov.cn/ysqgk/}\n"
    settings, problems = portal_problems(tmp_path, ("  标题: 政府信息公开申请表\n", "  标题: 政府信息公开申请表\n" + line))
    assert not problems and settings.form.platform == ("示例省政府信息公开申请平台", "https://zwgk.example.gov.cn/ysqgk/")
    page = apply_page(demo, settings)
    link = page.index('<a href="https://zwgk.example.gov.cn/ysqgk/">示例省政府信息公开申请平台</a>')
    assert link < page.index('id="xxgk-apply"') and "通过示例省政府信息公开申请平台在线提交" in page
    # Without it, the page speaks of no platform.
    assert "zwgk.example.gov.cn" not in apply_page(demo, load_portal(demo, "示例区").settings)


@pytest.mark.parametrize("old, new, expected", [
    ("登记类型: [自然人]", "登记类型: [个人]",
     "data/portal.yml:{line} 字段“登记类型”：“个人”不是登记台账的申请人类型。可用的类型：自然人、商业企业"),
    ("登记类型: [商业企业, 科研机构, 社会公益组织, 法律服务机构, 其他]", "登记类型: [商业企业, 科研机构, 社会公益组织, 其他]",
     "字段“登记类型”：登记台账的申请人类型“法律服务机构”没有归入申请表的任何一类申请人"),
])
def test_the_forms_applicants_are_the_registers_applicant_types(tmp_path, old, new, expected):
    """One definition: each kind of applicant on the form is recorded as the register's 申请人类型 (表三's columns)."""
    root = make_project(tmp_path)
    path = root / "data/portal.yml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    line = text[: text.index(old)].count("\n") + 1
    project = load_project(root, DEMO_DAY)
    load_portal(project, "x")
    assert any(str(p).startswith(expected.format(line=line)) or expected.format(line=line) in str(p)
               for p in project.problems.errors), [str(p) for p in project.problems.errors]
