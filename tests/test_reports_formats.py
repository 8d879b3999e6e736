"""Formats are data: a third format is a new file, and a broken format file is located."""

from bs4 import BeautifulSoup

from conftest import run_mkdocs_build, run_xxgk
from reports_support import check_yaml, messages, project_with_reports
from xxgk.problems import Problems
from xxgk.reports.formats import load_formats
from xxgk.reports.interchange import to_interchange

TOY = """\
标识: "2030"
名称: 玩具格式
适用年度: {起: 2030}
标题: "{机构}{年度}年度玩具报告"
发布期限: {部门: 02-28, 政府: 04-30}
章节:
  - 一、概况
  - {标题: 二、主动公开, 表: 表二}
  - {标题: 三、申请, 表: 表三}
  - 四、其他
表二:
  列数: 4
  行标题: 事项
  区块:
    - 标题: 甲项
      列: [新增, {名称: 金额, 类型: 小数, 单位: 元, 跨列: 2}]
      行: [子项一, 子项二]
表三:
  列:
    - 个人
    - {名称: 单位, 下级: [企业, 社团]}
    - {名称: 合计, 合计: T2}
  行:
    - 收到
    - {名称: 办结, 下级: [公开, 不公开, {名称: 小计, 合计: T1}]}
    - 结转
规则:
  - {编号: T1, 名称: 小计等于办结各项之和}
  - {编号: T2, 名称: 合计等于各类申请人之和}
  - {编号: T3, 名称: 收到等于办结加结转, 表: 表三, 逐: 列, 左: [收到], 右: [小计, 结转]}
"""

TOY_REPORT = """\
表二:
  甲项:
    子项一: {新增: 2, 金额: 10.50元}
表三:
  收到: [3, 1, 0]
  公开: [2, 1, 0]
  结转: [1, 0, 0]
"""


def toy_project(tmp_path, report=TOY_REPORT):
    root = project_with_reports(tmp_path, {
        "data/formats/toy.yml": TOY,
        "data/reports/swj/2030.yml": report,
        "docs/reports/swj/2030.md": "## 一、概况\n\n玩具。\n\n## 四、其他\n\n无。\n",
    })
    # The 2021 format now ends where the toy one begins: a data edit, no code change.
    path = root / "data" / "formats" / "2021.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("适用年度: {起: 2021}", "适用年度: {起: 2021, 止: 2029}"),
                    encoding="utf-8")
    return root


def test_a_toy_third_format_is_loaded_rendered_and_checked_without_code(tmp_path):
    root = toy_project(tmp_path)
    problems = Problems()
    formats = load_formats(root, problems)
    assert not problems and sorted(formats) == ["2019", "2021", "2030"]
    report, problems = check_yaml(TOY_REPORT, year=2030, formats=formats)
    assert not problems, messages(problems)
    assert report.title == "示例区商务局2030年度玩具报告"
    assert to_interchange(report) == {
        "agency": "示例区商务局", "year": 2030, "format": "2030", "amount_unit": "元",
        "table2": {"甲项": {"子项一": {"新增": 2, "金额": 10.5}, "子项二": {"新增": 0, "金额": 0}}},
        # Row keys drop the top-level group, as in the official interchange (（一）予以公开).
        "table3": {"收到": [3, 1, 0, 4], "公开": [2, 1, 0, 3], "不公开": [0, 0, 0, 0],
                   "小计": [2, 1, 0, 3], "结转": [1, 0, 0, 1]},
    }
    from xxgk.reports.render import table_html
    soup = BeautifulSoup(table_html(report, "表三", "三、申请"), "html.parser")
    head = [[(c.get_text(), c.get("rowspan"), c.get("colspan")) for c in tr.find_all(["td", "th"])]
            for tr in soup.thead.find_all("tr")]
    assert head == [[("", "2", "2"), ("个人", "2", None), ("单位", None, "2"), ("合计", "2", None)],
                    [("企业", None, None), ("社团", None, None)]]
    assert soup.find("th", string="办结")["rowspan"] == "3"
    block = BeautifulSoup(table_html(report, "表二", "二"), "html.parser")
    assert [td.get_text() for td in block.find_all("td")] == ["2", "10.50元", "0", "0"]

    # The format's own equation and totals are enforced.
    _, problems = check_yaml(TOY_REPORT.replace("结转: [1, 0, 0]", "结转: [0, 0, 0]"), year=2030, formats=formats)
    problem = problems.errors[0]
    assert problem.message.startswith("[T3 收到等于办结加结转] 表三 列“个人”：“收到”3 = 3，而 “小计”2 + “结转”0 = 2")


def test_toy_format_project_checks_and_builds(tmp_path):
    root = toy_project(tmp_path)
    check = run_xxgk(root, "check")
    assert check.returncode == 0, check.stdout
    assert run_xxgk(root, "report", "check", "data/reports/swj/2030.yml").returncode == 0
    build = run_mkdocs_build(root, tmp_path / "site")
    assert build.returncode == 0, build.stderr[-3000:]
    page = BeautifulSoup((tmp_path / "site" / "reports" / "swj" / "2030" / "index.html").read_text(encoding="utf-8"),
                         "html.parser")
    assert page.h1.get_text() == "示例区商务局2030年度玩具报告"
    assert [h.get_text() for h in page.select(".xxgk-body h2")] == ["一、概况", "二、主动公开", "三、申请", "四、其他"]
    assert (tmp_path / "site" / "reports" / "swj" / "2030" / "swj-2030-table3.csv").is_file()
    assert not (tmp_path / "site" / "reports" / "swj" / "2030" / "swj-2030-table4.csv").exists()


BROKEN = [
    # (replace in TOY, new text, line, field, fragment)
    ("列数: 4", "列数: 5", 15, "列", "信息内容列加各列跨列之和为 4，应等于列数 5"),
    ("{名称: 合计, 合计: T2}", "{名称: 合计, 合计: T9}", 22, "合计", "合计规则“T9”未在“规则”中声明"),
    ("右: [小计, 结转]", "右: [小计, 结余]", 30, "右", "规则 T3 的项“结余”不是表三的行"),
    ("适用年度: {起: 2030}", "适用年度: {起: 2025}", 3, "适用年度", "与 data/formats/2021.yml（2021年度起）重叠"),
    ("  - {标题: 三、申请, 表: 表三}", "  - {标题: 三、申请, 表: 表五}", 9, "表", "章节引用的表“表五”未声明"),
    ("类型: 小数", "类型: 分数", 16, "类型", "“分数”不在允许的取值中"),
]


def test_broken_format_files_are_located(tmp_path):
    for index, (old, new, line, field, fragment) in enumerate(BROKEN):
        assert old in TOY
        root = project_with_reports(tmp_path / str(index), {"data/formats/toy.yml": TOY.replace(old, new)})
        problems = Problems()
        formats = load_formats(root, problems)
        found = [p for p in problems.errors if fragment in p.message]
        assert found, (fragment, messages(problems))
        assert (found[0].file, found[0].line, found[0].field) == ("data/formats/toy.yml", line, field), str(found[0])
        assert "2030" not in formats or fragment.startswith("与")


def test_text_check_patterns_need_re2_syntax(tmp_path):
    """正文数字 patterns are compiled with RE2 (linear time): a backreference is a located error."""
    from conftest import ROOT
    text = (ROOT / "data/formats/2021.yml").read_text(encoding="utf-8")
    old = "      - 模式: 上年结转[^，。；：0-9]{0,16}?(\\d+)件"
    assert old in text
    line = text[:text.index(old)].count("\n") + 1
    root = project_with_reports(tmp_path, {"data/formats/2021.yml": text.replace(old, "      - 模式: 上年结转(\\d)\\1件")})
    problems = Problems()
    load_formats(root, problems)
    found = [p for p in problems.errors if "RE2" in p.message]
    assert found, messages(problems)
    assert (found[0].file, found[0].line, found[0].field) == ("data/formats/2021.yml", line, "模式")
