"""The register's schema: no personal data, no unknown fields, outcomes of the right format."""

from __future__ import annotations

import pytest

from test_register_deadlines import item, register_of

ID_NUMBER = "11010519491231002X"  # a valid check digit (the national standard's example)
MOBILE = "13912345678"


def test_the_demo_registers_are_clean():
    from datetime import date

    from conftest import ROOT
    from xxgk.project import load_project
    project = load_project(ROOT, date(2026, 11, 27))
    mine = [str(p) for p in project.problems if p.file.startswith("data/register/")]
    assert not mine, mine
    assert project.register.orgs() == ["qzf", "swj"] and len(project.register) >= 150
    apps = project.register.applications
    assert any(a.extension_notice for a in apps) and any(a.corrected for a in apps) and any(a.consult_days for a in apps)
    assert any(a.received.year < a.replied.year for a in apps)  # carried over 31 December


@pytest.mark.parametrize("key, fragment", [
    ("申请人姓名: 张三", "登记台账不得记录申请人的姓名"),
    ("联系电话: \"020-12345678\"", "登记台账不得记录申请人的姓名"),
    ("通讯地址: 某路1号", "登记台账不得记录申请人的姓名"),
    ("答复日: 2021-03-05", "不是可用的字段"),
])
def test_unknown_and_personal_fields_are_refused(tmp_path, key, fragment):
    register, problems = register_of(tmp_path, {"swj/2021.yml": item() + f"    {key}\n"})
    (error,) = problems.errors
    assert error.file == "data/register/swj/2021.yml" and error.line == 6 and fragment in error.message
    assert "swj" in register.broken and not register.covers("swj", 2021)


@pytest.mark.parametrize("field, value, kind, masked", [
    ("内容摘要", f"申请人身份证号{ID_NUMBER}的低保审批材料", "居民身份证号", "110105********002X"),
    ("备注", f"已电话联系{MOBILE}", "手机号码", "139****5678"),
    ("编号", f"2021-{MOBILE}", "手机号码", "139****5678"),
])
def test_personal_data_in_free_text_is_an_error(tmp_path, field, value, kind, masked):
    text = item(**{field: value}) if field != "编号" else item(number=value)
    _, problems = register_of(tmp_path, {"swj/2021.yml": text})
    (error,) = problems.errors
    assert error.field == field and f"疑似{kind}“{masked}”" in error.message
    assert value not in str(error)  # the message never repeats the number itself


def test_official_numbers_are_not_personal_data(tmp_path):
    _, problems = register_of(tmp_path, {"swj/2021.yml": item(备注="已告知申请人可致电020-87000236查询", 办理结果="（一）予以公开",
                                                                    答复日期="2021-03-10")})
    assert not problems


@pytest.mark.parametrize("fields, fragment", [
    ({"办理结果": "（六）其他处理", "答复日期": "2021-03-10"}, "这是《中华人民共和国政府信息公开工作年度报告格式（试行）》"),
    ({"办理结果": "4.保护第三方合法权益", "答复日期": "2021-03-10"}, "应写完整的标签路径“（三）不予公开/4.保护第三方合法权益”"),
    ({"办理结果": "（一）予以公开"}, "办理结果和答复日期应同时填写"),
    ({"答复日期": "2021-02-26", "办理结果": "（一）予以公开"}, "答复日期 2021-02-26 早于收到日期 2021-03-01"),
    ({"办理结果": "（六）其他处理/1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", "答复日期": "2021-03-10"},
     "没有登记补正通知日期"),
    ({"补正": "{补正日期: 2021-03-05}"}, "字段“通知日期”：缺少必填字段"),
    ({"延期": "{告知日期: 2021-03-10}"}, "缺少必填字段“工作日”"),
    ({"征求意见工作日": "2.5"}, "应为非负整数（工作日数）"),
    ({"渠道": "微信"}, "“微信”不在允许的取值中"),
    ({"申请人类型": "法人或其他组织"}, "“法人或其他组织”不在允许的取值中"),
])
def test_application_mistakes_are_located(tmp_path, fields, fragment):
    _, problems = register_of(tmp_path, {"swj/2021.yml": item(**fields)})
    assert problems.errors and any(fragment in str(p) for p in problems.errors), [str(p) for p in problems]
    assert all(p.file == "data/register/swj/2021.yml" and p.line and p.line >= 2 for p in problems)


def test_outcome_follows_the_format_of_the_reply_year(tmp_path):
    # Received in 2020, replied in 2020 under the 2019 trial format (one （六）其他处理 row) …
    _, problems = register_of(tmp_path, {"swj/2020.yml": item("2020-001", "2020-03-02", 办理结果="（六）其他处理",
                                                                 答复日期="2020-03-20")})
    assert not problems
    # … and replied in 2021 under the 2021 format, where that row is split.
    _, problems = register_of(tmp_path, {"swj/2020.yml": item("2020-001", "2020-12-21", 办理结果="（六）其他处理/3.其他",
                                                                 答复日期="2021-01-05")})
    assert not problems


def test_numbers_are_unique_per_org_and_files_hold_their_year(tmp_path):
    _, problems = register_of(tmp_path, {
        "swj/2021.yml": item("A-1", "2021-03-01") + item("A-2", "2021-04-01"),
        "swj/2022.yml": item("A-1", "2022-03-01") + item("A-3", "2021-12-01"),
        "qzf/2022.yml": item("A-1", "2022-03-01"),  # another org may use the same number
    })
    messages = [str(p) for p in problems.errors]
    assert len(messages) == 2
    assert any("data/register/swj/2022.yml:2" in m and "与 data/register/swj/2021.yml 第 2 行的申请重复" in m for m in messages)
    assert any("收到日期 2021-12-01 不在 2022 年" in m and "data/register/swj/2021.yml" in m for m in messages)


def test_a_starting_register_holds_only_applications_open_at_year_end(tmp_path):
    text = "范围: 年末未办结\n申请:\n" + item("2020-118", "2020-12-14") + item("2020-119", "2020-11-02", 办理结果="（一）予以公开",
                                                                                答复日期="2020-11-20")
    register, problems = register_of(tmp_path, {"qzf/2020.yml": text, "qzf/2021.yml": item("2021-001", "2021-01-04")})
    (error,) = problems.errors
    assert error.line == 12 and "只登记 2020 年12月31日尚未答复的申请" in error.message
    assert not register.covers("qzf", 2020) and not register.covers("qzf", 2021)  # an error: no figures at all


def test_org_and_file_names(tmp_path):
    _, problems = register_of(tmp_path, {"nosuch/2021.yml": item(), "swj/2021年.yml": item()})
    messages = sorted(str(p) for p in problems.errors)
    assert len(messages) == 2
    assert "data/register/nosuch/2021.yml:1 目录名“nosuch”不是 data/orgs.yml 中的机构标识" in messages[0]
    assert "data/register/swj/2021年.yml:1 登记台账文件应按收到年度命名" in messages[1]
