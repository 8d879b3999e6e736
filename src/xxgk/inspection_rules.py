"""The settings of the inspection checks (data/inspection.yml): update periods of the home page and of
each 信息类别, the veto count, the date tolerance, the cut-off of migrated history, link checking.
Reference data, read with the rest of it (xxgk.reference); the checks over a whole project that use
them are in xxgk.inspection."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .problems import InputError, Problems
from .schema import parse_date
from .yamlio import load_yaml_file

FILE = "data/inspection.yml"
_PERIOD = re.compile(r"^\s*(\d+)\s*(天|周|个月)\s*$")


@dataclass(frozen=True)
class Period:
    """An update period as the indicators write it: 14天, 2周, 6个月."""
    count: int
    unit: str  # 天, 周 or 个月

    def __str__(self) -> str:
        return f"{self.count} {self.unit}"

    def deadline(self, last: date) -> date:
        """The last day on which a section last updated on `last` is still up to date."""
        if self.unit == "个月":
            month = last.month - 1 + self.count
            year, month = last.year + month // 12, month % 12 + 1
            return date(year, month, min(last.day, calendar.monthrange(year, month)[1]))
        return date.fromordinal(last.toordinal() + self.count * (7 if self.unit == "周" else 1))

    def overdue(self, last: date, today: date) -> bool:
        return today > self.deadline(last)


def parse_period(value) -> Period | None:
    match = _PERIOD.match(value) if isinstance(value, str) else None
    if match is None or int(match.group(1)) <= 0:
        return None
    return Period(int(match.group(1)), match.group(2))


@dataclass
class Rules:
    """data/inspection.yml; the defaults are the 2019 indicators."""
    home: Period = Period(2, "周")
    periods: dict[str, Period] = field(default_factory=lambda: {
        "部门动态": Period(2, "周"), "公告公示": Period(6, "个月"), "政策文件": Period(6, "个月")})
    veto_count: int = 5
    tolerance_days: int = 1
    migrated_until: date | None = None
    external_links: bool = False
    cache_days: int = 1


def load_rules(root: Path, categories: dict, problems: Problems) -> Rules:
    rules = Rules()
    path = root / FILE
    if not path.exists():
        return rules
    try:
        data, lines = load_yaml_file(path, FILE)
    except InputError as exc:
        problems.append(exc.problem)
        return rules
    if data is None:
        return rules
    if not isinstance(data, dict):
        problems.error(FILE, 1, None, "文件内容应为“名称: 值”形式的映射。")
        return rules
    line = lambda *key: lines.get(key, 1)  # noqa: E731
    known = {"首页更新期限", "栏目更新期限", "单项否决栏目数", "发布日期容差天数", "迁入截止日期", "站外链接", "站外链接缓存天数"}
    for key in data:
        if key not in known:
            problems.error(FILE, line(key), str(key), f"不认识的设置。可写的设置有：{'、'.join(sorted(known))}。")
    if "首页更新期限" in data:
        period = parse_period(data["首页更新期限"])
        if period is None:
            problems.error(FILE, line("首页更新期限"), "首页更新期限", "应写成“14天”“2周”或“6个月”。")
        else:
            rules.home = period
    if "栏目更新期限" in data:
        raw = data["栏目更新期限"] or {}
        if not isinstance(raw, dict):
            problems.error(FILE, line("栏目更新期限"), "栏目更新期限", "应写成“信息类别: 期限”的映射，例如“部门动态: 2周”。")
            raw = {}
        rules.periods = {}
        for name, value in raw.items():
            where = line("栏目更新期限", name)
            period = parse_period(value)
            if name not in categories:
                problems.error(FILE, where, "栏目更新期限", f"“{name}”不是 data/vocab.yml 中的信息类别。")
            elif period is None:
                problems.error(FILE, where, f"栏目更新期限.{name}", "应写成“14天”“2周”或“6个月”。")
            else:
                rules.periods[name] = period
    for key, attr, least in (("单项否决栏目数", "veto_count", 1), ("发布日期容差天数", "tolerance_days", 0),
                             ("站外链接缓存天数", "cache_days", 0)):
        value = data.get(key, getattr(rules, attr))
        if isinstance(value, int) and not isinstance(value, bool) and value >= least:
            setattr(rules, attr, value)
        else:
            problems.error(FILE, line(key), key, f"应为不小于 {least} 的整数。")
    if data.get("迁入截止日期") is not None:
        rules.migrated_until = parse_date(data["迁入截止日期"])
        if rules.migrated_until is None:
            problems.error(FILE, line("迁入截止日期"), "迁入截止日期", "应为 YYYY-MM-DD 格式的日期，例如 2026-11-27。")
    value = data.get("站外链接", False)
    if isinstance(value, bool):
        rules.external_links = value
    else:
        problems.error(FILE, line("站外链接"), "站外链接", "应为 true 或 false。")
    return rules
