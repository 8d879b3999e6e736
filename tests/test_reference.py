"""Bad reference data in data/ is reported with file, line and field."""

from datetime import date

import pytest

from conftest import ROOT, make_project
from xxgk.project import load_project


def load_with_orgs(tmp_path, orgs_yaml):
    root = make_project(tmp_path)
    (root / "data/orgs.yml").write_text(orgs_yaml, encoding="utf-8")
    return load_project(root, date(2026, 11, 27)).problems


GUIDE = "  公开指南: {工作机构: 办公室, 地址: 府前路1号, 邮编: '510900', 电话: 020-1, 办公时间: 工作日}\n"


@pytest.mark.parametrize("orgs, line, field, fragment", [
    ("- 标识: swj\n  名称: 示例区商务局\n  机构代码: '7700100'\n  类型: 部门\n" + GUIDE, 3, "机构代码", "应为 9 位"),
    ("- 标识: swj\n  名称: 示例区商务局\n  机构代码: 770010036\n  类型: 部门\n" + GUIDE, 3, "机构代码", "请用英文引号"),
    ("- 标识: swj\n  名称: 示例区商务局\n  机构代码: '770010036'\n  类型: 事业单位\n" + GUIDE, 4, "类型", "不在允许的取值中"),
    ("- 标识: SWJ\n  名称: 示例区商务局\n  机构代码: '770010036'\n  类型: 部门\n" + GUIDE, 1, "标识", "小写英文字母"),
    ("- 标识: swj\n  名称: 示例区商务局\n  机构代码: '770010036'\n  类型: 部门\n  上级: nosuch\n" + GUIDE,
     1, "上级", "不在机构名录中"),
    ("- 标识: swj\n  名称: 示例区商务局\n  机构代码: '770010036'\n  类型: 部门\n", 1, "公开指南", "缺少必填字段"),
])
def test_bad_org_data(tmp_path, orgs, line, field, fragment):
    problems = load_with_orgs(tmp_path, orgs)
    found = [p for p in problems.errors if fragment in p.message]
    assert found, [str(p) for p in problems]
    assert (found[0].file, found[0].line, found[0].field) == ("data/orgs.yml", line, field)


def test_duplicate_org_and_code(tmp_path):
    org = "- 标识: swj\n  名称: 示例区商务局\n  机构代码: '770010036'\n  类型: 部门\n" + GUIDE
    problems = load_with_orgs(tmp_path, org + org.replace("swj", "swj2"))
    assert any("机构代码必须唯一" in p.message for p in problems.errors)
    problems = load_with_orgs(tmp_path / "b", org + org)
    assert any(p.field == "标识" and "重复" in p.message and p.line == 6 for p in problems.errors)


def test_holiday_data_must_be_dates_of_its_year(tmp_path):
    root = make_project(tmp_path)
    (root / "data/holidays.yml").write_text("2031:\n  节假日: [2031-01-01, 2030-12-31]\n", encoding="utf-8")
    problems = load_project(root, date(2026, 11, 27)).problems
    assert [(p.file, p.field) for p in problems.errors] == [("data/holidays.yml", "节假日")]


def load_with_rules(tmp_path, pattern):
    root = make_project(tmp_path)
    path = root / "data/rules.yml"
    text = path.read_text(encoding="utf-8")
    old = "索引号格式: '^[0-9A-Z]{9}/\\d{4}-\\d{5}$'"
    assert old in text
    path.write_text(text.replace(old, f"索引号格式: '{pattern}'"), encoding="utf-8")
    project = load_project(root, date(2026, 11, 27))
    return project, [p for p in project.problems.errors if p.field == "索引号格式"]


@pytest.mark.parametrize("pattern, fragment", [
    ("^([0-9", "不是有效的正则表达式（第 3 个字符附近有误）"),
    ("^(?=7)[0-9A-Z]{9}/\\d{4}-\\d{5}$", "RE2 语法"),
    ("^([0-9A-Z]{9})/\\d{4}-\\d{5}\\1$", "RE2 语法"),
    ("^\\d{9}-\\d{4}$", "与本系统生成的索引号不符（例如“"),
])
def test_bad_index_pattern_is_located(tmp_path, pattern, fragment):
    _, found = load_with_rules(tmp_path, pattern)
    assert found and fragment in found[0].message, [str(p) for p in found]
    lines = (ROOT / "data/rules.yml").read_text(encoding="utf-8").splitlines()
    line = next(number for number, text in enumerate(lines, 1) if text.startswith("索引号格式:"))
    assert (found[0].file, found[0].line) == ("data/rules.yml", line)


def test_index_pattern_runs_in_linear_time(tmp_path):
    """^(X+)+ backtracks exponentially in Python's re; RE2 answers at once."""
    import time
    project, found = load_with_rules(tmp_path, "^([0-9A-Z]+)+/\\d{4}-\\d{5}$")
    assert not found
    start = time.monotonic()
    assert not project.ref.index_pattern.match("7" * 28 + "!")
    assert time.monotonic() - start < 0.5


def test_search_weight_of_a_category_is_read_and_a_bad_one_located(tmp_path):
    root = make_project(tmp_path)
    vocab = root / "data/vocab.yml"
    text = vocab.read_text(encoding="utf-8")
    project = load_project(root, date(2026, 11, 27))
    assert project.ref.categories["机关简介"].search_weight == 0.1  # data/vocab.yml: found by its title
    assert project.ref.categories["政策文件"].search_weight is None
    vocab.write_text(text.replace("检索权重: 0.1", "检索权重: 很低"), encoding="utf-8")
    [problem] = load_project(root, date(2026, 11, 27)).problems.errors
    line = next(i for i, l in enumerate(text.splitlines(), 1) if "{名称: 机关简介" in l)
    assert (problem.file, problem.line, problem.field) == ("data/vocab.yml", line, "信息类别")
    assert "0 到 10" in problem.message
