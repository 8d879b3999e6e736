"""Each check of a report, with a passing and a failing case, and its located Chinese message."""

import json

import pytest

from reports_support import NARRATIVE_2019, NARRATIVE_2021, FORMATS, check_yaml, messages
from xxgk.problems import Problems
from xxgk.reports.interchange import to_json
from xxgk.reports.model import read_interchange_text

# A consistent 2021 report: R1–R4 hold in every column.
GOOD_2021 = """\
表三:
  一、本年新收政府信息公开申请数量: [5, 2, 0, 0, 1, 0]
  二、上年结转政府信息公开申请数量: [1, 0, 0, 0, 0, 0]
  （一）予以公开: [3, 1, 0, 0, 0, 0]
  （四）无法提供/1.本机关不掌握相关政府信息: [2, 1, 0, 0, 1, 0]
  四、结转下年度继续办理: [1, 0, 0, 0, 0, 0]
表四:
  行政复议: [1, 0, 0, 1]
"""


def only_error(problems, fragment):
    found = [p for p in problems.errors if fragment in p.message]
    assert found, messages(problems)
    return found[0]


def test_consistent_report_passes_and_totals_are_computed():
    report, problems = check_yaml(GOOD_2021, narrative=NARRATIVE_2021)
    assert not problems, messages(problems)
    grid = report.format.tables["表三"]
    values = report.values["表三"]
    assert values[grid.row_index("一、本年新收政府信息公开申请数量")] == [5, 2, 0, 0, 1, 0, 8]
    assert values[grid.row_index("（七）总计")] == [5, 2, 0, 0, 1, 0, 8]
    assert report.values["表四"][0][:5] == [1, 0, 0, 1, 2]


# --- R1 ----------------------------------------------------------------------------------------

def test_r1_column_equation_fails_with_both_sides():
    text = GOOD_2021.replace("四、结转下年度继续办理: [1, 0", "四、结转下年度继续办理: [2, 0")
    _, problems = check_yaml(text)
    problem = only_error(problems, "R1 本列数据的勾稽关系")
    assert (problem.file, problem.line, problem.field) == ("data/reports/swj/2021.yml", 2, "表三")
    assert "列“自然人”" in problem.message
    assert "“一、本年新收政府信息公开申请数量”5 + “二、上年结转政府信息公开申请数量”1 = 6" in problem.message
    assert "“（七）总计”5 + “四、结转下年度继续办理”2 = 7" in problem.message
    # The 总计 column fails too (6+2=8 vs 5+... ); every other column holds.
    r1 = [p for p in problems.errors if "R1" in p.message]
    assert len(r1) == 2 and "列“总计”" in r1[1].message


# --- R2, R3, R4: totals validated when given ----------------------------------------------------

def test_r2_outcome_total_given_and_wrong():
    text = GOOD_2021.replace("  四、结转", "  （七）总计: [6, 2, 0, 0, 1, 0]\n  四、结转")
    _, problems = check_yaml(text)
    problem = only_error(problems, "R2")
    assert "行“（七）总计”列“自然人”为 6" in problem.message
    assert "“（一）予以公开”3 + “（四）无法提供/1.本机关不掌握相关政府信息”2 + 其余 19 项均为 0 = 5" in problem.message
    assert problem.line == 6


def test_r2_given_right_passes():
    text = GOOD_2021.replace("  四、结转", "  （七）总计: [5, 2, 0, 0, 1, 0, 8]\n  四、结转")
    assert not check_yaml(text)[1]


def test_r3_row_total_given_and_wrong():
    text = GOOD_2021.replace("（一）予以公开: [3, 1, 0, 0, 0, 0]", "（一）予以公开: [3, 1, 0, 0, 0, 0, 5]")
    _, problems = check_yaml(text)
    problem = only_error(problems, "R3 总计等于各类申请人之和")
    assert "行“（一）予以公开”列“总计”为 5" in problem.message
    assert "“自然人”3 + “商业企业”1 + “科研机构”0 + “社会公益组织”0 + “法律服务机构”0 + “其他”0 = 4" in problem.message


def test_r4_review_total_given_and_wrong():
    _, problems = check_yaml("表四:\n  行政复议: [1, 0, 0, 1, 3]\n  复议后起诉: [0, 0, 0, 0, 0]\n")
    problem = only_error(problems, "R4")
    assert "表四 列“行政复议/总计”为 3" in problem.message
    assert "“行政复议/结果维持”1 + “行政复议/结果纠正”0 + “行政复议/其他结果”0 + “行政复议/尚未审结”1 = 2" in problem.message
    assert problem.line == 2
    assert len(problems.errors) == 1


def test_blank_total_in_a_non_zero_row_is_reported_and_a_zero_one_is_not():
    text = GOOD_2021.replace("（一）予以公开: [3, 1, 0, 0, 0, 0]", "（一）予以公开: [3, 1, 0, 0, 0, 0, null]")
    problem = only_error(check_yaml(text)[1], "为空白")
    assert "行“（一）予以公开”列“总计”为空白" in problem.message and "请填写 4" in problem.message
    text = GOOD_2021 + "  复议后起诉: [0, 0, 0, 0, null]\n"
    assert not check_yaml(text)[1]


# --- R5 ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, fragment", [
    ("表三:\n  （一）予以公开: [-1, 0, 0, 0, 0, 0]\n", "行“（一）予以公开”列“自然人”应为非负整数，却是 -1"),
    ("表三:\n  （一）予以公开: [1.5, 0, 0, 0, 0, 0]\n", "应为非负整数，却是 1.5"),
    ("表三:\n  （一）予以公开: [三, 0, 0, 0, 0, 0]\n", "应为非负整数，却是“三”"),
    ("表二:\n  第二十条第（一）项:\n    规章: {本年制发件数: -2}\n", "第二十条第（一）项“规章”的“本年制发件数”应为非负整数"),
    ("表二:\n  第二十条第（八）项:\n    行政事业性收费: {本年收费金额（单位：万元）: -0.5万元}\n", "应为非负金额，却是 -0.5万元"),
    ("表二:\n  第二十条第（八）项:\n    行政事业性收费: {本年收费金额（单位：万元）: 5美元}\n", "应为带单位的金额"),
    ("表四:\n  行政复议: [0, true, 0, 0]\n", "“行政复议”的“结果纠正”应为非负整数"),
])
def test_r5_value_types_fail(text, fragment):
    problem = only_error(check_yaml(text)[1], fragment)
    assert problem.message.startswith("[R5 数值类型]")


def test_r5_value_types_pass():
    text = ("表二:\n  第二十条第（五）项:\n    行政许可: {上一年项目数量: 3, 本年增/减: -2, 处理决定数量: 0}\n"
            "  第二十条第（九）项:\n    政府集中采购: {采购项目数量: 7, 采购总金额: 83.8778万元}\n")
    assert not check_yaml(text, year=2020)[1]
    assert not check_yaml("表二:\n  第二十条第（八）项:\n    行政事业性收费: {本年收费金额（单位：万元）: 12万元}\n")[1]


def test_signed_column_exists_only_in_2019():
    problem = only_error(check_yaml("表二:\n  第二十条第（五）项:\n    行政许可: {本年增/减: 1}\n")[1], "本年增/减")
    assert "2019" in problem.message or "试行" in problem.message


# --- labels ------------------------------------------------------------------------------------

def test_half_width_label_gets_the_official_spelling():
    problem = only_error(check_yaml("表三:\n  (一)予以公开: [1, 0, 0, 0, 0, 0]\n")[1], "全角")
    assert "应写作“（一）予以公开”" in problem.message and problem.line == 2
    problem = only_error(check_yaml('表三:\n  "（三）不予公开/3.危及\\"三安全一稳定\\"": [0, 0, 0, 0, 0, 0]\n')[1], "全角")
    assert "（三）不予公开/3.危及“三安全一稳定”" in problem.message


@pytest.mark.parametrize("text", [
    "表三:\n  （六）其他处理: [0, 0, 0, 0, 0, 0]\n",
    "表二:\n  第二十条第（九）项:\n    政府集中采购: {采购项目数量: 1}\n",
])
def test_2019_labels_in_a_2021_report_are_errors(text):
    problem = only_error(check_yaml(text)[1], "这是《中华人民共和国政府信息公开工作年度报告格式（试行）》")
    assert "本报告适用《中华人民共和国政府信息公开工作年度报告格式》" in problem.message


def test_wrong_number_of_values():
    problem = only_error(check_yaml("表三:\n  （一）予以公开: [1, 0, 0]\n")[1], "应为 7 个数的列表")
    assert "写 6 个；实际为 3" in problem.message


def test_format_override_and_unknown_format():
    report, problems = check_yaml('格式: "2019"\n', year=2021)
    assert report.format.id == "2019" and "不在《" in messages(problems, "警告")[0]
    _, problems = check_yaml('格式: "2099"\n', year=2021)
    assert "未知的报告格式“2099”" in messages(problems)[0]
    _, problems = check_yaml("", year=2018)
    assert "没有适用于 2018 年度的报告格式" in messages(problems)[0]


# --- R6, R7, R9: against last year's report ------------------------------------------------------

LAST_2020 = "表三:\n  一、本年新收政府信息公开申请数量: [2, 1, 0, 0, 0, 0]\n  （一）予以公开: [1, 1, 0, 0, 0, 0]\n" \
            "  四、结转下年度继续办理: [1, 0, 0, 0, 0, 0]\n"


def test_r6_carry_over_across_the_format_change():
    last, problems = check_yaml(LAST_2020, year=2020)
    assert not problems and last.format.id == "2019"
    report, problems = check_yaml(GOOD_2021, year=2021, last=last)
    assert not problems, messages(problems)
    text = GOOD_2021.replace("二、上年结转政府信息公开申请数量: [1, 0", "二、上年结转政府信息公开申请数量: [0, 1") \
        .replace("一、本年新收政府信息公开申请数量: [5, 2", "一、本年新收政府信息公开申请数量: [6, 1")
    _, problems = check_yaml(text, year=2021, last=last)
    r6 = [p for p in problems.errors if "R6" in p.message]
    assert len(r6) == 2 and "表三 列“自然人”：" in r6[0].message and "表三 列“商业企业”：" in r6[1].message
    assert "“二、上年结转政府信息公开申请数量”0" in r6[0].message
    assert "“2020年报告四、结转下年度继续办理”1" in r6[0].message and "上年结转说明" in r6[0].message
    assert r6[0].line == 3 and len(problems.errors) == 2


def test_r6_mismatch_explained_is_accepted_and_shown():
    last, _ = check_yaml(LAST_2020, year=2020)
    text = "上年结转说明: 2021年3月机构改革，原区经济和信息化局的商务职能及在办申请划入本局。\n" + \
        GOOD_2021.replace("二、上年结转政府信息公开申请数量: [1, 0", "二、上年结转政府信息公开申请数量: [0, 1") \
        .replace("一、本年新收政府信息公开申请数量: [5, 2", "一、本年新收政府信息公开申请数量: [6, 1")
    report, problems = check_yaml(text, year=2021, last=last)
    assert not problems, messages(problems)
    from xxgk.reports.render import report_markdown
    assert '<p class="xxgk-note">注：2021年3月机构改革' in report_markdown(report)


def test_r7_stock_and_flow_warns():
    last, _ = check_yaml("表二:\n  第二十条第（一）项:\n    行政规范性文件: {现行有效件数: 9}\n", year=2023)
    good = "表二:\n  第二十条第（一）项:\n    行政规范性文件: {本年制发件数: 3, 本年废止件数: 2, 现行有效件数: 10}\n"
    assert not check_yaml(good, year=2024, last=last)[1]
    _, problems = check_yaml(good.replace("现行有效件数: 10", "现行有效件数: 12"), year=2024, last=last)
    assert not problems.errors
    (warning,) = problems.warnings
    assert warning.message.startswith("[R7 ")
    assert "第二十条第（一）项“行政规范性文件”：“现行有效件数”12 = 12，而 “2023年报告现行有效件数”9 + “本年制发件数”3 - “本年废止件数”2 = 10" in warning.message


def test_r9_previous_item_counts_warn_in_2019_format():
    last, _ = check_yaml("表二:\n  第二十条第（五）项:\n    行政许可: {上一年项目数量: 8, 本年增/减: -1}\n", year=2019)
    good = "表二:\n  第二十条第（五）项:\n    行政许可: {上一年项目数量: 7}\n"
    assert not check_yaml(good, year=2020, last=last)[1]
    _, problems = check_yaml(good.replace("7}", "8}"), year=2020, last=last)
    assert [p.message[:4] for p in problems] == ["[R9 "] and not problems.errors


# --- R8 and section 六: the narrative -------------------------------------------------------------

def test_r8_numbers_in_the_narrative():
    ok = NARRATIVE_2021.replace("本年度工作情况。", "全年共收到政府信息公开申请8件，予以公开4件，被申请行政复议2件。")
    assert not check_yaml(GOOD_2021, narrative=ok)[1]
    bad = NARRATIVE_2021.replace("本年度工作情况。", "全年共收到政府信息公开申请9件，其中自然人申请5件。\n\n另有行政诉讼1件。")
    _, problems = check_yaml(GOOD_2021, narrative=bad)
    assert not problems.errors
    first, second = problems.warnings
    assert (first.file, first.line) == ("docs/reports/swj/2021.md", 3)
    assert "正文写“收到政府信息公开申请9件”，但表三“一、本年新收政府信息公开申请数量/总计”为 8" in first.message
    assert second.line == 5 and "“未经复议直接起诉/总计”0 + “复议后起诉/总计”0 = 0" in second.message


def test_section_six_must_mention_the_fee_from_2021():
    _, problems = check_yaml(GOOD_2021, narrative=NARRATIVE_2019)
    (warning,) = problems.warnings
    assert "“六、其他需要报告的事项”中没有提到“信息处理费”" in warning.message and warning.line == 9
    assert not check_yaml("", year=2020, narrative=NARRATIVE_2019)[1]


@pytest.mark.parametrize("narrative, fragment, line", [
    (NARRATIVE_2021.replace("## 五、存在的主要问题及改进情况", "## 五、政府信息公开工作存在的主要问题及改进情况"),
     "不是报告的正文部分", 5),
    (NARRATIVE_2021 + "\n## 三、收到和处理政府信息公开申请情况\n\n表格\n", "自动生成", 13),
    ("# 示例区商务局2021年报告\n\n" + NARRATIVE_2021, "报告标题由系统生成", 1),
    (NARRATIVE_2021.replace("## 一、总体情况\n", ""), "缺少正文部分“## 一、总体情况”", 1),
])
def test_narrative_sections(narrative, fragment, line):
    problem = only_error(check_yaml(GOOD_2021, narrative=narrative)[1], fragment)
    assert (problem.file, problem.line) == ("docs/reports/swj/2021.md", line)


def test_headings_inside_code_blocks_are_not_sections():
    narrative = NARRATIVE_2021.replace("本年度工作情况。", "```\n## 二、不是标题\n```")
    assert not check_yaml(GOOD_2021, narrative=narrative)[1]


# --- publication deadline (条例第四十九条) ----------------------------------------------------------

@pytest.mark.parametrize("org, year, published, expected", [
    ("swj", 2021, "2022-01-31", None),
    ("swj", 2021, "2022-02-01", "晚于条例第四十九条规定的期限 2022-01-31"),
    ("qzf", 2021, "2022-03-31", None),
    ("qzf", 2021, "2022-04-01", "晚于条例第四十九条规定的期限 2022-03-31"),
    ("swj", 2021, None, None),
])
def test_deadline_warning(org, year, published, expected):
    text = f"发布日期: {published}\n" if published else ""
    _, problems = check_yaml(text, org=org, year=year)
    assert not problems.errors
    late = [p for p in problems.warnings if "期限" in p.message]
    if expected:
        assert len(late) == 1 and expected in late[0].message
        assert (late[0].field, late[0].line) == ("发布日期", 1)
    else:
        assert not late


def test_published_before_the_year_ended_is_an_error():
    problem = only_error(check_yaml("发布日期: 2021-12-30\n")[1], "早于报告年度 2021 结束")
    assert problem.field == "发布日期"


# --- one altered cell of a published report ---------------------------------------------------------

def test_one_altered_cell_is_reported_with_its_labels():
    report, _ = check_yaml(GOOD_2021)
    data = json.loads(to_json(report))
    data["table3"]["（四）无法提供/1.本机关不掌握相关政府信息"][4] = 2  # 法律服务机构: 1 -> 2
    problems = Problems()
    checked = read_interchange_text(json.dumps(data, ensure_ascii=False, indent=2), "swj-2021.json", FORMATS, problems)
    from xxgk.reports.rules import check_report
    check_report(checked, problems)
    assert problems.errors
    for problem in problems.errors:
        assert problem.file == "swj-2021.json"
        assert "法律服务机构" in problem.message or "（四）无法提供/1.本机关不掌握相关政府信息" in problem.message
    r3 = only_error(problems, "R3")
    assert "行“（四）无法提供/1.本机关不掌握相关政府信息”列“总计”为 4" in r3.message and "“法律服务机构”2" in r3.message
    r2 = only_error(problems, "R2")
    assert "列“法律服务机构”" in r2.message
