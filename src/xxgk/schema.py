"""Declarative reading of YAML mappings: one place that checks keys, types and presence.

A schema is a tuple of Field; `read` turns a mapping into {attr: value}, reporting every
problem with the file, the line and the field's Chinese name.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from datetime import date
from typing import Any, Callable

from .problems import Problems
from .yamlio import nearest_line

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class Field:
    key: str  # the Chinese key editors write
    attr: str  # the Python attribute it fills
    kind: str = "text"  # text | date | bool | texts | mapping | list
    required: bool = False
    choices: Callable[[], Any] | None = None  # returns allowed values, checked for text/texts
    declared: str | None = None  # where the choices are declared, e.g. data/vocab.yml 的“主题分类”


def parse_date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str) and _DATE.match(value.strip()):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def _convert(field: Field, value: Any):
    """Return (value, None) or (None, message)."""
    if field.kind == "text":
        if isinstance(value, str) and value.strip():
            return value.strip(), None
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return None, f"应为文字，却是数字 {value!r}；请用英文引号括起来，例如 \"{value}\"。"
        return None, "应为一段非空文字。"
    if field.kind == "date":
        parsed = parse_date(value)
        if parsed is None:
            return None, f"“{value}”不是有效日期，请写成 YYYY-MM-DD，例如 2024-03-08。"
        return parsed, None
    if field.kind == "bool":
        if isinstance(value, bool):
            return value, None
        return None, "应为 true 或 false。"
    if field.kind == "texts":
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list) or not all(isinstance(i, str) and i.strip() for i in items):
            return None, "应为文字列表，例如 [甲, 乙]。"
        return [i.strip() for i in items], None
    if field.kind == "mapping":
        if isinstance(value, dict):
            return value, None
        return None, "应为“名称: 值”形式的映射。"
    if field.kind == "list":
        if isinstance(value, list):
            return value, None
        return None, "应为列表（每项以“- ”开头）。"
    raise ValueError(field.kind)


_BY_KEY: dict[int, tuple[tuple, dict]] = {}  # id(fields) -> (fields, {key: Field}); schemas are few and long-lived


def _by_key(fields: tuple[Field, ...]) -> dict[str, Field]:
    cached = _BY_KEY.get(id(fields))
    if cached is None or cached[0] is not fields:
        if len(_BY_KEY) > 256:
            _BY_KEY.clear()
        cached = _BY_KEY[id(fields)] = (fields, {f.key: f for f in fields})
    return cached[1]


def suggest(value: str, allowed) -> str | None:
    """The allowed value the editor most likely meant: '/' written for '\\', then the closest spelling."""
    allowed = [str(a) for a in allowed]
    for wrong in ("/", "／", "＼"):
        if wrong in value and value.replace(wrong, "\\") in allowed:
            return value.replace(wrong, "\\")
    close = difflib.get_close_matches(value, allowed, n=1, cutoff=0.6)
    return close[0] if close else None


def choices_text(field: Field, allowed) -> str:
    """The allowed values, never cut off; values that themselves contain 、 are not joined with it."""
    values = [str(a) for a in allowed]
    if field.declared and (len(values) > 12 or any("、" in v for v in values)):
        return f"可选值见 {field.declared}。"
    if any("、" in v for v in values):
        return "可选值（每行一个）：\n" + "\n".join(f"    {v}" for v in values)
    return f"可选：{'、'.join(values)}。"


def read(data: dict, lines: dict, file: str, fields: tuple[Field, ...], problems: Problems,
         *, path: tuple = (), required: bool = True) -> dict:
    """Read `data` per `fields`; unknown keys and missing required fields are errors.

    `required=False` relaxes presence checks (e.g. for drafts).
    """
    by_key = _by_key(fields)
    result: dict = {f.attr: None for f in fields}
    line_of = lambda key: lines.get(path + (key,), lines.get(path))  # noqa: E731
    missing = [f.key for f in fields if f.required and data.get(f.key) in (None, "")] if required else []
    linked: set[str] = set()  # missing fields already named in a typo's message
    for key, value in data.items():
        field = by_key.get(str(key))
        if field is None:
            meant = suggest(str(key), by_key)
            if meant in missing and meant not in linked:
                linked.add(meant)
                problems.error(file, line_of(key), str(key),
                               f"不是可用的字段，您是否想写“{meant}”？“{meant}”是必填字段，目前缺少；请把“{key}”改为“{meant}”。")
            elif meant:
                problems.error(file, line_of(key), str(key), f"不是可用的字段，您是否想写“{meant}”？")
            else:
                problems.error(file, line_of(key), str(key),
                               f"不是可用的字段。可用字段：{'、'.join(by_key)}。请检查是否写错字。")
            continue
        if value is None:
            continue  # an empty field counts as absent
        converted, message = _convert(field, value)
        if message:
            problems.error(file, line_of(key), field.key, message)
            continue
        if field.choices is not None:
            allowed = field.choices()
            values = converted if field.kind == "texts" else [converted]
            for item in values:
                if item not in allowed:
                    meant = suggest(str(item), allowed)
                    hint = f"您是否想写“{meant}”？" if meant else choices_text(field, allowed)
                    problems.error(file, line_of(key), field.key, f"“{item}”不在允许的取值中。{hint}")
                    converted = None
        result[field.attr] = converted
    for key in missing:
        if key in linked:
            continue
        if path + (key,) in lines:  # written, but left empty
            where = f"可选值见 {by_key[key].declared}。" if by_key[key].declared else ""
            problems.error(file, lines[path + (key,)], key, f"必填字段为空，请填写。{where}")
        else:
            problems.error(file, lines.get(path, 1) if path else 1, key, "缺少必填字段，请补上。")
    return result


class FileReader:
    """Base for readers of one YAML file: problems reported at the line of a key path."""

    def __init__(self, file: str, lines: dict, problems: Problems):
        self.file, self.lines, self.problems = file, lines, problems

    def line(self, path: tuple) -> int:
        return nearest_line(self.lines, path)

    def error(self, path: tuple, field_name: str | None, message: str) -> None:
        self.problems.error(self.file, self.line(path), field_name, message)
