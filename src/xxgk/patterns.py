"""Regular expressions written in data/ (索引号格式, the report formats' 正文数字 patterns).

They are compiled with RE2, which runs in linear time: a pattern such as ^(\\d+)+$ cannot make a
check crawl as Python's backtracking `re` would. RE2 has no backreferences or lookarounds.
"""

from __future__ import annotations

import re

import re2

_OPTIONS = re2.Options()
_OPTIONS.log_errors = False  # RE2 would print its own (English) parse errors on stderr


def compile_pattern(pattern: str):
    """(compiled RE2 pattern, None), or (None, a Chinese message saying what is wrong)."""
    try:
        re.compile(pattern)
    except re.error as exc:
        where = f"第 {exc.pos + 1} 个字符附近" if exc.pos is not None else ""
        return None, (f"“{pattern}”不是有效的正则表达式（{where}有误），"
                      "请检查圆括号、方括号是否成对，反斜杠是否写对。")
    try:
        return re2.compile(pattern, _OPTIONS), None
    except re2.error:
        return None, (f"“{pattern}”使用了 RE2 语法不支持的写法（如反向引用 \\1、前后断言 (?=…)、(?<=…)）。"
                      "data/ 中的正则表达式须符合 RE2 语法，以保证检查不会因复杂模式而变慢。")
