"""The official tables rendered exactly per ../shared/spec/annual-report-formats.md.

The expected labels and spans are typed here from the spec, not read from data/formats/,
so a wrong character or span in a format file fails these tests.
"""

import re
from decimal import Decimal

import pytest

from conftest import ROOT
from reports_support import FORMATS, check_yaml, messages, soup_of
from xxgk.problems import Problems
from xxgk.reports.formats import load_formats
from xxgk.reports.render import report_markdown

# --- the spec, §3–§5 -------------------------------------------------------------------------

# Table 二: (caption, [(column label, colspan)], [row labels]) on a 4-column grid.
TABLE2 = {
    "2021": [
        ("第二十条第（一）项", [("本年制发件数", 1), ("本年废止件数", 1), ("现行有效件数", 1)], ["规章", "行政规范性文件"]),
        ("第二十条第（五）项", [("本年处理决定数量", 3)], ["行政许可"]),
        ("第二十条第（六）项", [("本年处理决定数量", 3)], ["行政处罚", "行政强制"]),
        ("第二十条第（八）项", [("本年收费金额（单位：万元）", 3)], ["行政事业性收费"]),
    ],
    "2019": [
        ("第二十条第（一）项", [("本年新制作数量", 1), ("本年新公开数量", 1), ("对外公开总数量", 1)], ["规章", "规范性文件"]),
        ("第二十条第（五）项", [("上一年项目数量", 1), ("本年增/减", 1), ("处理决定数量", 1)], ["行政许可", "其他对外管理服务事项"]),
        ("第二十条第（六）项", [("上一年项目数量", 1), ("本年增/减", 1), ("处理决定数量", 1)], ["行政处罚", "行政强制"]),
        ("第二十条第（八）项", [("上一年项目数量", 1), ("本年增/减", 2)], ["行政事业性收费"]),
        ("第二十条第（九）项", [("采购项目数量", 1), ("采购总金额", 2)], ["政府集中采购"]),
    ],
}

T3_HEAD = [
    [("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", 3, 3), ("申请人情况", 1, 7)],
    [("自然人", 2, 1), ("法人或其他组织", 1, 5), ("总计", 2, 1)],
    [("商业企业", 1, 1), ("科研机构", 1, 1), ("社会公益组织", 1, 1), ("法律服务机构", 1, 1), ("其他", 1, 1)],
]
_OTHER_2021 = [
    [("（六）其他处理", 3, 1), ("1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", 1, 1)],
    [("2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", 1, 1)],
    [("3.其他", 1, 1)],
]


def _t3_body(rowspan: int, other: list) -> list:
    """Label cells (text, rowspan, colspan) that open each body row of Table 三, §4.2/§4.3."""
    return [
        [("一、本年新收政府信息公开申请数量", 1, 3)],
        [("二、上年结转政府信息公开申请数量", 1, 3)],
        [("三、本年度办理结果", rowspan, 1), ("（一）予以公开", 1, 2)],
        [("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", 1, 2)],
        [("（三）不予公开", 8, 1), ("1.属于国家秘密", 1, 1)],
        [("2.其他法律行政法规禁止公开", 1, 1)],
        [("3.危及“三安全一稳定”", 1, 1)],
        [("4.保护第三方合法权益", 1, 1)],
        [("5.属于三类内部事务信息", 1, 1)],
        [("6.属于四类过程性信息", 1, 1)],
        [("7.属于行政执法案卷", 1, 1)],
        [("8.属于行政查询事项", 1, 1)],
        [("（四）无法提供", 3, 1), ("1.本机关不掌握相关政府信息", 1, 1)],
        [("2.没有现成信息需要另行制作", 1, 1)],
        [("3.补正后申请内容仍不明确", 1, 1)],
        [("（五）不予处理", 5, 1), ("1.信访举报投诉类申请", 1, 1)],
        [("2.重复申请", 1, 1)],
        [("3.要求提供公开出版物", 1, 1)],
        [("4.无正当理由大量反复申请", 1, 1)],
        [("5.要求行政机关确认或重新出具已获取信息", 1, 1)],
        *other,
        [("（七）总计", 1, 2)],
        [("四、结转下年度继续办理", 1, 3)],
    ]


T3_BODY = {"2021": _t3_body(22, _OTHER_2021), "2019": _t3_body(20, [[("（六）其他处理", 1, 2)]])}

_GROUP = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
T4_HEAD = [
    [("行政复议", 1, 5), ("行政诉讼", 1, 10)],
    [*[(label, 2, 1) for label in _GROUP], ("未经复议直接起诉", 1, 5), ("复议后起诉", 1, 5)],
    [(label, 1, 1) for label in _GROUP * 2],
]

YEARS = {"2019": 2020, "2021": 2021}


def _span(cell, name):
    return int(cell.get(name, 1))


def _cells(row):
    return [(c.get_text(), _span(c, "rowspan"), _span(c, "colspan")) for c in row.find_all(["th", "td"])]


@pytest.fixture(params=["2019", "2021"])
def zero_report(request):
    report, problems = check_yaml("", year=YEARS[request.param])
    assert report.format.id == request.param and not problems
    return request.param, report


def test_table2_labels_spans_and_zeros(zero_report):
    fmt, report = zero_report
    soup = soup_of(report, "表二")
    blocks = soup.find_all("tbody")
    assert len(blocks) == len(TABLE2[fmt])
    for tbody, (caption, columns, rows) in zip(blocks, TABLE2[fmt]):
        trs = tbody.find_all("tr")
        assert _cells(trs[0]) == [(caption, 1, 4)]
        assert trs[0].th["scope"] == "rowgroup"
        assert _cells(trs[1]) == [("信息内容", 1, 1), *((label, 1, span) for label, span in columns)]
        assert all(th["scope"] == "col" for th in trs[1].find_all("th"))
        assert [tr.th.get_text() for tr in trs[2:]] == rows
        for tr in trs[2:]:
            assert tr.th["scope"] == "row"
            assert [(td.get_text(), _span(td, "colspan")) for td in tr.find_all("td")] == [("0", s) for _, s in columns]


def test_table3_header_body_and_spans(zero_report):
    fmt, report = zero_report
    soup = soup_of(report, "表三")
    head = soup.thead.find_all("tr")
    assert [_cells(tr) for tr in head] == T3_HEAD
    assert head[0].td["class"] == ["xxgk-corner"]
    rows = soup.tbody.find_all("tr")
    assert len(rows) == len(T3_BODY[fmt]) == {"2021": 25, "2019": 23}[fmt]
    for tr, labels in zip(rows, T3_BODY[fmt]):
        assert [(th.get_text(), _span(th, "rowspan"), _span(th, "colspan")) for th in tr.find_all("th")] == labels
        assert all(th["scope"] == "row" for th in tr.find_all("th"))
        # Seven data columns, no 法人或其他组织 subtotal; empty cells print 0.
        assert [td.get_text() for td in tr.find_all("td")] == ["0"] * 7


def test_rowspan_of_outcomes_is_22_in_2021_and_20_in_2019():
    for fmt, expected in (("2021", "22"), ("2019", "20")):
        report, _ = check_yaml("", year=YEARS[fmt])
        th = soup_of(report, "表三").find("th", string="三、本年度办理结果")
        assert th["rowspan"] == expected


def test_table4_header_and_one_data_row(zero_report):
    _, report = zero_report
    soup = soup_of(report, "表四")
    assert [_cells(tr) for tr in soup.thead.find_all("tr")] == T4_HEAD
    assert all(th["scope"] == "col" for th in soup.thead.find_all("th"))
    rows = soup.tbody.find_all("tr")
    assert len(rows) == 1 and not rows[0].find("th")
    assert [td.get_text() for td in rows[0].find_all("td")] == ["0"] * 15


def test_every_header_cell_has_a_scope(zero_report):
    _, report = zero_report
    for name in ("表二", "表三", "表四"):
        assert all(th.get("scope") in ("row", "col", "rowgroup") for th in soup_of(report, name).find_all("th"))


def test_labels_use_full_width_punctuation():
    for fmt in FORMATS.values():
        for label in fmt.labels():
            assert not re.search(r"[():,\"]", label), label  # 本年增/减 and 1.属于… are official
            assert not re.search(r"\d\. ", label), label


def test_seed_case_decimal_shown_as_given_with_its_unit():
    report, problems = check_yaml(
        "表二:\n  第二十条第（九）项:\n    政府集中采购: {采购项目数量: 7, 采购总金额: 83.8778万元}\n", year=2020)
    assert not problems
    soup = soup_of(report, "表二")
    row = soup.find("th", string="政府集中采购").parent
    assert [td.get_text() for td in row.find_all("td")] == ["7", "83.8778万元"]
    assert [td.get_text() for td in soup.find_all("td")].count("0") == len(soup.find_all("td")) - 2


def test_amount_in_yuan_is_shown_in_yuan_and_checked_in_wan():
    """Shanghai 2019 wrote “251000元”: the page keeps 元, the data and checks use 万元 exactly."""
    report, problems = check_yaml(
        "表二:\n  第二十条第（九）项:\n    政府集中采购: {采购项目数量: 6, 采购总金额: 251000元}\n", year=2019)
    assert not problems, messages(problems)
    row = soup_of(report, "表二").find("th", string="政府集中采购").parent
    assert [td.get_text() for td in row.find_all("td")] == ["6", "251000元"]
    assert report.value("表二", ("第二十条第（九）项", "政府集中采购", "采购总金额")) == Decimal("25.1")


def test_amount_unit_declared_once_for_the_file():
    report, problems = check_yaml("金额单位: 元\n表二:\n  第二十条第（九）项:\n"
                                  "    政府集中采购: {采购项目数量: 2, 采购总金额: 75394432.52}\n", year=2019)
    assert not problems, messages(problems)
    row = soup_of(report, "表二").find("th", string="政府集中采购").parent
    assert [td.get_text() for td in row.find_all("td")] == ["2", "75394432.52元"]
    assert report.value("表二", ("第二十条第（九）项", "政府集中采购", "采购总金额")) == Decimal("7539.443252")


def test_a_bare_amount_asks_for_its_unit():
    _, problems = check_yaml("表二:\n  第二十条第（九）项:\n    政府集中采购: {采购项目数量: 6, 采购总金额: 251000}\n",
                             year=2019)
    [problem] = problems.errors
    assert "“采购总金额”是金额，须写明单位（例如“251000万元”或“…元”）" in problem.message
    assert "金额单位: 元" in problem.message


def test_fee_amount_2021_is_a_decimal_without_a_cell_unit():
    report, problems = check_yaml(
        "表二:\n  第二十条第（八）项:\n    行政事业性收费: {本年收费金额（单位：万元）: 3.2065万元}\n", year=2023)
    assert not problems
    row = soup_of(report, "表二").find("th", string="行政事业性收费").parent
    assert [td.get_text() for td in row.find_all("td")] == ["3.2065"]
    # Written in 元, shown in the unit the official label names.
    report, problems = check_yaml(
        "表二:\n  第二十条第（八）项:\n    行政事业性收费: {本年收费金额（单位：万元）: 32065元}\n", year=2023)
    assert not problems
    row = soup_of(report, "表二").find("th", string="行政事业性收费").parent
    assert [td.get_text() for td in row.find_all("td")] == ["3.2065"]


def test_signed_values_render_with_their_sign():
    report, problems = check_yaml(
        "表二:\n  第二十条第（五）项:\n    行政许可: {上一年项目数量: 8, 本年增/减: -3, 处理决定数量: 2}\n", year=2019)
    assert not problems
    row = soup_of(report, "表二").find("th", string="行政许可").parent
    assert [td.get_text() for td in row.find_all("td")] == ["8", "-3", "2"]


def test_values_and_labels_are_escaped(tmp_path):
    """Formats and reports are data: a label or note with markup is shown, never run."""
    source = ROOT / "data" / "formats" / "2021.yml"
    folder = tmp_path / "data" / "formats"
    folder.mkdir(parents=True)
    text = source.read_text(encoding="utf-8")
    assert "行: [规章, 行政规范性文件]" in text
    (folder / "2021.yml").write_text(text.replace("行: [规章, 行政规范性文件]", '行: ["<b>规章</b>", 行政规范性文件]'),
                                     encoding="utf-8")
    problems = Problems()
    formats = load_formats(tmp_path, problems)
    assert not problems.errors, [str(p) for p in problems]
    report, problems = check_yaml('上年结转说明: "<script>alert(1)</script>"\n', year=2021, formats=formats)
    html = str(soup_of(report, "表二"))
    assert "<b>" not in html and "&lt;b&gt;规章&lt;/b&gt;" in html
    page = report_markdown(report)
    assert "<script>" not in page and "注：&lt;script&gt;alert(1)&lt;/script&gt;" in page
