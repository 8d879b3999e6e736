"""The citizens' words of the search (data/search-words.yml): read, checked, shipped to the worker."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from xxgk.problems import InputError
from xxgk.search.words import FILE, load_words

ROOT = Path(__file__).resolve().parents[1]


def write(tmp_path: Path, text: str) -> Path:
    (tmp_path / "data").mkdir()
    (tmp_path / FILE).write_text(text, encoding="utf-8")
    return tmp_path


def test_the_shipped_list_is_long_enough_and_readable():
    words = load_words(ROOT)
    assert len(words["phrases"]) >= 60
    assert words["phrases"]["年报"] == ["年度报告"]
    for phrase in ("怎么申请", "如何申请", "申请公开"):
        assert words["phrases"][phrase] == ["依申请公开"]
    assert words["phrases"]["收费"] == ["信息处理费"]
    assert "联系我们" in words["phrases"]["联系方式"]
    assert "怎么" in words["fillers"] and "吗" in words["fillers"]
    # Small enough to ride in the manifest every first query loads.
    assert len(json.dumps(words, ensure_ascii=False).encode()) < 6000


def test_a_project_without_the_list_searches_as_typed(tmp_path):
    assert load_words(tmp_path) == {"phrases": {}, "fillers": []}


@pytest.mark.parametrize("text, line, wanted", [
    ("说法:\n  年报: 年度报告\n  收费: [a, b, c, d, e]\n", 3, "1 到 4 种"),
    ("说法:\n  年 报: 年度报告\n", 2, "不含空格"),
    ("说法:\n  年报:\n", 2, "不能为空"),
    ("说法: [年报]\n", 1, "一行一条"),
    ("说法:\n  年报: 年度报告\n同义词:\n  a: b\n", 3, "不认识的部分“同义词”"),
    ("虚词: 怎么\n", 1, "应为列表"),
    ("说法:\n  年报: \"年度报告\n", 2, "引号"),
])
def test_mistakes_are_named_in_chinese_with_the_line(tmp_path, text, line, wanted):
    with pytest.raises(InputError) as caught:
        load_words(write(tmp_path, text))
    problem = caught.value.problem
    assert problem.file == FILE
    assert problem.line == line, str(problem)
    assert wanted in problem.message, problem.message
