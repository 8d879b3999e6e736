"""Messages an editor can act on (issue 13, part 3): the mistakes a Chinese input method makes in
YAML, typos in field names and vocabulary values, and lists of choices — located, in Chinese, with the fix."""

from __future__ import annotations

import re
from datetime import date

import pytest

from conftest import TODAY, front_matter, make_project
from xxgk.problems import InputError
from xxgk.project import load_project
from xxgk.yamlio import parse_yaml

ENTRY = "swj/2024/00001.md"
ENGLISH = re.compile(r"[A-Za-z]{4,}")  # PyYAML's English (could, expected, token, scanning …)

# (case, front matter text, line of the mistake in the file, fragments of the message)
SYNTAX = [
    ("full-width colon", "标题：示例区通知\n发布机构: swj\n", 3, ["用了中文冒号“：”", "“标题: 示例区通知”"]),
    ("no space", "标题:示例区通知\n发布机构: swj\n", 3, ["冒号后缺少空格", "“标题: 示例区通知”"]),
    ("full-width space", "标题:\u3000示例区通知\n发布机构: swj\n", 3, ["全角空格", "“标题: 示例区通知”"]),
    ("tab", "保密审查:\n\t业务科室: {审查人: 甲, 日期: 2024-03-04}\n发布机构: swj\n", 4, ["制表符（Tab）"]),
    ("indentation", "保密审查:\n    业务科室: {审查人: 甲}\n  信息发布人: {审查人: 乙}\n", 5, ["缩进不对"]),
    ("last line", "发布机构: swj\n标题：示例区通知\n", 4, ["用了中文冒号“：”"]),
    ("quote", "标题: \"示例区通知\n发布机构: swj\n", 3, ["引号没有配对"]),
]


@pytest.mark.parametrize("text, line, fragments", [c[1:] for c in SYNTAX], ids=[c[0] for c in SYNTAX])
def test_input_method_mistakes_get_their_own_message_at_the_right_line(text, line, fragments):
    # As in an entry: the front matter starts on line 2, after 索引号 on line 2.
    with pytest.raises(InputError) as info:
        parse_yaml("索引号: 770010036/2024-00001\n" + text, "docs/x.md", line_offset=1)
    problem = info.value.problem
    assert problem.line == line, str(problem)
    assert f"第 {line} 行" in problem.message
    for fragment in fragments:
        assert fragment in problem.message, problem.message
    assert not ENGLISH.search(problem.message.replace("YAML", "")), problem.message


def _problems(tmp_path, **fields):
    root = make_project(tmp_path, {ENTRY: front_matter(**fields)})
    return load_project(root, date.fromisoformat(TODAY)).problems


def test_a_typo_of_a_missing_required_field_is_one_linked_message(tmp_path):
    text = front_matter().replace("发布日期:", "发布日其:")
    root = make_project(tmp_path, {ENTRY: text})
    problems = load_project(root, date.fromisoformat(TODAY)).problems
    mentioning = [p for p in problems.errors if "发布日" in str(p)]
    assert len(mentioning) == 1, [str(p) for p in problems]
    assert mentioning[0].line == 6 and "您是否想写“发布日期”" in mentioning[0].message


def test_a_typo_of_an_optional_field_is_suggested(tmp_path):
    problems = _problems(tmp_path, 关建词="[消费]")
    assert any("您是否想写“关键词”" in p.message for p in problems.errors), [str(p) for p in problems]


def test_slash_for_backslash_in_topic_is_suggested(tmp_path):
    problems = _problems(tmp_path, 主题分类="商贸、海关、旅游/国内贸易")
    (problem,) = [p for p in problems.errors if p.field == "主题分类"]
    assert "您是否想写“商贸、海关、旅游\\国内贸易”" in problem.message


def test_vocabulary_typo_is_suggested(tmp_path):
    problems = _problems(tmp_path, 信息类别="部门动恋")
    assert any("您是否想写“部门动态”" in p.message for p in problems.errors)


def test_choices_containing_the_list_separator_point_at_their_declaration(tmp_path):
    problems = _problems(tmp_path, 主题分类="完全不相干的分类")
    (problem,) = [p for p in problems.errors if p.field == "主题分类"]
    assert "可选值见 data/vocab.yml 的“主题分类”" in problem.message
    assert "……" not in problem.message and "、".join(["商贸", "海关"]) not in problem.message
