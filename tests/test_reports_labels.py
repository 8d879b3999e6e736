"""Labels as published: the nearest official label in one line, unknown rows kept aside (no false
sums), rows missing from YAML or JSON listed, blanks said to count as 0; the tolerant matcher."""

import json

from reports_support import FORMATS, check_yaml, messages
from test_reports_cli import published_json
from xxgk.problems import Problems
from xxgk.reports.model import read_interchange_text
from xxgk.reports.rules import check_report
from xxgk.reports.words import Words, normalize


def test_unknown_row_names_the_nearest_label_in_one_line_and_no_false_sums():
    # A typo of “2.其他法律行政法规禁止公开” with a value of 1: before, the 1 was dropped and
    # R2 reported a false imbalance in two columns.
    text = ("表三:\n  一、本年新收政府信息公开申请数量: [1, 0, 0, 0, 0, 0]\n"
            "  （三）不予公开/2.其他法律行政止公开: [1, 0, 0, 0, 0, 0]\n")
    report, problems = check_yaml(text)
    [error] = problems.errors
    assert error.message == ("表三中没有行“（三）不予公开/2.其他法律行政止公开”。"
                             "最接近的官方标签是“（三）不予公开/2.其他法律行政法规禁止公开”。")
    assert len(error.message) < 120
    assert report.aside == {"表三": ["（三）不予公开/2.其他法律行政止公开"]}
    said = messages(problems)
    assert not any("两边不等" in m or "两者不等" in m for m in said), said
    not_checked = [m for m in said if "未核对" in m]
    assert len(not_checked) == 2  # R2 (the 总计 row) and R1 (the column equation), once each
    assert any(m.startswith("警告") and "[R2 " in m and "其数值已单列、未计入合计" in m for m in not_checked)
    assert any("[R1 " in m for m in not_checked)


def test_a_2021_report_that_keeps_the_single_old_row_six():
    text = "表三:\n  （六）其他处理: [1, 0, 0, 0, 0, 0]\n"
    _, problems = check_yaml(text, year=2022)
    [error] = problems.errors
    assert "表三中没有行“（六）其他处理”" in error.message
    assert error.message.endswith("本格式中“（六）其他处理”分为 3 行：“（六）其他处理/1.申请人无正当理由逾期不补正、"
                                  "行政机关不再处理其政府信息公开申请”、“（六）其他处理/2.申请人逾期未按收费通知要求缴纳费用、"
                                  "行政机关不再处理其政府信息公开申请”、“（六）其他处理/3.其他”，请分行填写。")


def test_rows_missing_from_yaml_are_listed():
    text = "表三:\n  一、本年新收政府信息公开申请数量: [1, 0, 0, 0, 0, 0]\n  （一）予以公开: [1, 0, 0, 0, 0, 0]\n"
    _, problems = check_yaml(text, zeros=False)
    [warning] = [p for p in problems.warnings if "缺少" in p.message]
    assert warning.message.startswith("表三缺少22行：“二、上年结转政府信息公开申请数量”、")
    assert "“（六）其他处理/3.其他”" in warning.message and "按 0 计入合计和核对" in warning.message
    assert not problems.errors


def test_rows_missing_from_json_are_listed():
    data = published_json()
    del data["table3"]["（三）不予公开/8.属于行政查询事项"], data["table4"]["复议后起诉"]
    problems = Problems()
    report = read_interchange_text(json.dumps(data, ensure_ascii=False), "x.json", FORMATS, problems)
    check_report(report, problems)
    said = [p.message for p in problems.warnings]
    assert "表三缺少1行：“（三）不予公开/8.属于行政查询事项”；这些单元格按 0 计入合计和核对。如确为 0，请照录 0。" in said
    assert any(m.startswith("表四缺少1类：“复议后起诉”") for m in said)


def test_blank_cells_say_what_the_checker_did():
    _, problems = check_yaml("表三:\n  （一）予以公开: [1, null, 0, 0, 0, 0]\n"
                             "  一、本年新收政府信息公开申请数量: [1, 0, 0, 0, 0, 0]\n")
    assert [p.message for p in problems.notes] == ["表三有 1 个空白单元格：核对时按 0 计入各项合计，页面显示为 0。"]
    assert not problems.errors


def test_tolerant_matching_of_published_labels():
    words = Words()
    labels = [row.label for row in FORMATS["2021"].tables["表三"].rows]
    assert words.match("1、属于国家秘密", labels) == ("1.属于国家秘密", 0)
    assert words.match("（1）属于国家秘密", labels) == ("1.属于国家秘密", 0)
    assert words.match("(1) 属于国家\n秘密", labels) == ("1.属于国家秘密", 0)
    assert words.match('3.危及"三安全一稳定"', labels) == ("3.危及“三安全一稳定”", 0)
    assert words.match("2.其他法律行政法规禁公开", labels) == ("2.其他法律行政法规禁止公开", 1)
    assert words.match("4.保护第三方合法权", labels) == ("4.保护第三方合法权益", 1)
    # Three characters missing: not taken for the official label (the import reports it, naming the nearest).
    assert words.match("2.其他法律行政止公开", labels) == (None, 3)
    assert words.nearest_label("2.其他法律行政止公开", labels) == "2.其他法律行政法规禁止公开"
    assert words.match("2.完全不同的内容", labels)[0] is None
    assert words.match("2.其他", labels)[0] is None  # one edit from “3.其他”, but another number
    assert normalize("（二）部分公开") == "(二)部分公开"


def test_a_numbered_row_of_its_group_may_differ_more():
    # 洪泽区 2023 and 2024 publish “2.其他法律行政止公开”: within （三）不予公开 the number 2. names the row.
    words = Words()
    group = [row.label for row in FORMATS["2021"].tables["表三"].rows if "（三）不予公开" in row.path]
    assert words.match_numbered("2.其他法律行政止公开", group) == ("2.其他法律行政法规禁止公开", 3)
    assert words.match_numbered("2、其他法律行政止公开", group) == ("2.其他法律行政法规禁止公开", 3)
    assert words.match_numbered("3.其他法律行政止公开", group)[0] is None  # another number: another row
    assert words.match_numbered("2.其他", group)[0] is None  # not similar enough
    assert words.match_numbered("其他法律行政止公开", group)[0] is None  # no number
    assert words.match_numbered("9.其他法律行政法规禁止公开", group)[0] is None  # no such number in the group
    assert Words(numbered_ratio=0.2).match_numbered("2.其他法律行政止公开", group)[0] is None  # the ratio is data


def test_amounts_are_exact():
    words = Words()
    assert words.split_amount("75394432.52元") == (words.split_amount("75394432.52")[0], "元")
    number, unit = words.split_amount("83.8778万元")
    assert str(words.convert(number, unit, "万元")) == "83.8778"
    number, unit = words.split_amount("251000元")
    assert str(words.convert(number, unit, "万元")) == "25.1"
    assert words.split_amount("约25万") is None
