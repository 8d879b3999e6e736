"""Statistics for the report narrative: published catalog entries and register figures.

A narrative (docs/reports/<org>/<year>.md) writes `{{ 名称 }}` where a number belongs;
the number is put in when the report is loaded, before any check, so the R8 text checks
and the page see it. Names (for the report's org and year):

  统计.主动公开             entries published (发布日期) in the year, from Catalog.published
  统计.主动公开.<信息类别>   the same, of one 信息类别 of data/vocab.yml (e.g. 统计.主动公开.政策文件)
  统计.规章 / 统计.规范性文件  the catalog's 规章 / 规范性文件 written (成文日期) in the year, see kind_of
  台账.本年新收 / 台账.上年结转 / 台账.办结 / 台账.结转下年度
                            applications of the register: as in Table 三 一、二、三（七）、四
  台账.补正 / 台账.延期      applications replied in the year after a 补正 / with an extension
  台账.信息处理费           信息处理费 (元) of the applications replied in the year

An unknown name is an error at its file and line; so is a 台账 name without a register.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date, timedelta
from decimal import Decimal

from ..catalog import POLICY, Entry
from ..problems import Problems
from .model import Register

PLACEHOLDER = re.compile(r"\{\{\s*([^{}\n]*?)\s*\}\}")
ARTICLE20_ITEM = "（一）"  # 条例第二十条第（一）项：行政法规、规章和规范性文件
RULE_KIND, NORM_KIND = "规章", "规范性文件"
VALID = "有效"  # 有效性 of a document in force
PUBLISHED, CATALOG, REGISTER = "统计.主动公开", "统计.", "台账."
REGISTER_NAMES = ("本年新收", "上年结转", "办结", "结转下年度", "补正", "延期", "信息处理费")


def catalog_counts(entries: list[Entry]) -> Counter:
    """Published entries by (org, year of 发布日期, 信息类别); pass Catalog.published(today)."""
    return Counter((e.org, e.year, e.category) for e in entries)


def kind_of(entry: Entry) -> str | None:
    """规章 or 规范性文件 for the 第二十条第（一）项 figures, else None.

    An entry counts when it is a 政策文件 that fulfils 第二十条（一） and has a 文号; it is a
    规章 when its 文号 is a government order (…令第N号), otherwise a 规范性文件.
    """
    if entry.category != POLICY or ARTICLE20_ITEM not in entry.article20 or not entry.doc_no:
        return None
    return RULE_KIND if "令" in entry.doc_no else NORM_KIND


def issued(entries: list[Entry], org: str, year: int) -> dict[str, list[Entry]]:
    """Published 规章 and 规范性文件 of `org` written in `year`, by kind."""
    return CatalogStats(entries).issued(org, year)


class CatalogStats:
    """catalog_counts and issued for every org and year, computed once (a report set asks for each of its reports)."""

    def __init__(self, entries: list[Entry]):
        self.counts = catalog_counts(entries)
        self.totals: Counter = Counter()  # (org, year) -> published entries
        for (org, year, _), n in self.counts.items():
            self.totals[(org, year)] += n
        self._issued: dict[tuple[str, int], dict[str, list[Entry]]] = {}
        for entry in entries:
            kind = kind_of(entry)
            if kind and entry.written:
                found = self._issued.setdefault((entry.org, entry.written.year), {RULE_KIND: [], NORM_KIND: []})
                found[kind].append(entry)

    def issued(self, org: str, year: int) -> dict[str, list[Entry]]:
        found = self._issued.get((org, year), {})
        return {kind: list(found.get(kind, ())) for kind in (RULE_KIND, NORM_KIND)}

    def in_force(self, org: str, year: int) -> dict[str, list[Entry]]:
        """Published 规章 and 规范性文件 of `org` in force (有效性: 有效) at the end of `year`, by kind;
        those counted in `issued`, of any year, published by then."""
        found: dict[str, list[Entry]] = {RULE_KIND: [], NORM_KIND: []}
        for (owner, written), kinds in self._issued.items():
            if owner != org or written > year:
                continue
            for kind, entries in kinds.items():
                found[kind] += [e for e in entries if e.validity == VALID and e.published.year <= year]
        return found


def register_figures(register: Register, org: str, year: int) -> dict[str, int | Decimal] | None:
    """台账.* for one org and year; None without a complete register of that year."""
    if not register.covers(org, year):
        return None
    first, last = date(year, 1, 1), date(year, 12, 31)
    apps = [a for a in register.of(org) if a.received_by(last)]
    replied = [a for a in apps if a.replied and first <= a.replied <= last]
    return {
        "本年新收": sum(1 for a in apps if a.received >= first),
        "上年结转": sum(1 for a in apps if a.open_on(first - timedelta(days=1))),
        "办结": len(replied),
        "结转下年度": sum(1 for a in apps if a.open_on(last)),
        "补正": sum(1 for a in replied if a.correction_notice),
        "延期": sum(1 for a in replied if a.extension_notice),
        "信息处理费": sum((a.fee for a in replied), 0),
    }


def variables(entries: list[Entry], categories, register: Register, org: str, year: int, *,
              stats: CatalogStats | None = None) -> dict[str, object]:
    """Every name a narrative of `org` for `year` may use, with its value (None: not available).
    `stats`: CatalogStats(entries), when already computed."""
    stats = stats or CatalogStats(entries)
    values: dict[str, object] = {PUBLISHED: stats.totals[(org, year)]}
    for category in categories:
        values[f"{PUBLISHED}.{category}"] = stats.counts[(org, year, category)]
    for kind, found in stats.issued(org, year).items():
        values[CATALOG + kind] = len(found)
    figures = register_figures(register, org, year)
    for name in REGISTER_NAMES:
        values[REGISTER + name] = figures[name] if figures else None
    return values


def number_text(value) -> str:
    return format(value, "f") if isinstance(value, Decimal) else str(value)


def resolve(text: str, first_line: int, file: str, values: dict[str, object], problems: Problems, *,
            missing_register: str) -> str:
    """`text` with every {{ 名称 }} replaced by its value; problems at the placeholder's line.

    `missing_register` says why 台账 names have no value (which register file is missing)."""
    if "{{" not in text:
        return text

    def replace(match: re.Match) -> str:
        name = match[1]
        line = first_line + text.count("\n", 0, match.start())
        if name not in values:
            shown = "、".join(n for n in values if not n.startswith(PUBLISHED + "."))
            problems.error(file, line, None, f"“{match[0]}”不是可用的统计项。可用：{shown}，"
                                             f"以及“{PUBLISHED}.信息类别”（如 {PUBLISHED}.政策文件）。")
            return match[0]
        if values[name] is None:
            problems.error(file, line, None, f"“{match[0]}”无法取值：{missing_register}")
            return match[0]
        return number_text(values[name])

    return PLACEHOLDER.sub(replace, text)
