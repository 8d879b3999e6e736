"""Helpers shared by the annual-report tests (tests/test_reports_*.py); no tests here."""

from __future__ import annotations

import shutil
from pathlib import Path

from bs4 import BeautifulSoup

from conftest import ROOT, make_project
from xxgk.problems import Problems
from xxgk.reference import load_reference
from xxgk.reports.formats import load_formats
from xxgk.reports.model import float_sources, read_narrative, read_report
from xxgk.reports.render import table_html
from xxgk.reports.rules import check_report
from xxgk.yamlio import parse_yaml

_problems = Problems()
FORMATS = load_formats(ROOT, _problems)
REF = load_reference(ROOT, _problems)
assert not _problems.errors, [str(p) for p in _problems]

NARRATIVE_2021 = """## 一、总体情况

本年度工作情况。

## 五、存在的主要问题及改进情况

无。

## 六、其他需要报告的事项

本年度未收取信息处理费。
"""
NARRATIVE_2019 = NARRATIVE_2021.replace("本年度未收取信息处理费。", "无。")


def with_zeros(data: dict, fmt) -> dict:
    """A snippet lists the rows under test; the other rows of the tables it gives are 0, as
    `report new` writes them (a table given in part would warn about its missing rows)."""
    from xxgk.reports.formats import BlockTable
    for name, table in fmt.tables.items():
        given = data.get(name)
        if not isinstance(given, dict):
            continue
        if isinstance(table, BlockTable):
            for block in table.blocks:
                rows = given.setdefault(block.caption, {})
                if isinstance(rows, dict):
                    for row in block.rows:
                        rows.setdefault(row, {c.label: f"0{c.unit}" if c.unit else 0 for c in block.columns})
        elif table.labeled:
            for row in table.rows:
                if not row.total:
                    given.setdefault(row.key, [0] * sum(1 for c in table.cols if not c.total))
        else:
            for group, cols in table.groups().items():
                given.setdefault(group, [0] * sum(1 for c in cols if not table.cols[c].total))
    return data


def check_yaml(text: str, *, year: int = 2021, org: str = "swj", last=None, narrative: str | None = None,
               formats=FORMATS, zeros: bool = True):
    """Read and check one report given as our YAML; return (report, problems).
    zeros: the rows a snippet leaves out of a table it gives are 0 (with_zeros)."""
    problems = Problems()
    file = f"data/reports/{org}/{year}.yml"
    data, lines = parse_yaml(text, file)
    if zeros and isinstance(data, dict):
        fmt = formats.get(str(data.get("格式"))) or formats.for_year(year)
        if fmt is not None:
            data = with_zeros(data, fmt)
    report = read_report(data or {}, lines, file, formats, problems, org=org, year=year,
                         agency=REF.orgs[org].name, sources=float_sources(text))
    if report is not None:
        if narrative is not None:
            report.narrative = read_narrative(narrative, f"docs/reports/{org}/{year}.md")
        check_report(report, problems, last=last, org=REF.orgs[org])
    return report, problems


def messages(problems, level: str | None = None) -> list[str]:
    return [str(p) for p in problems if level is None or p.level == level]


def soup_of(report, name: str) -> BeautifulSoup:
    return BeautifulSoup(table_html(report, name, name), "html.parser")


def project_with_reports(tmp_path: Path, files: dict[str, str] | None = None, *, demo: bool = False) -> Path:
    """A throw-away project; `files` by path under the root; `demo` copies the real reports too."""
    root = make_project(tmp_path)
    if demo:
        for folder in ("data/reports", "docs/reports"):
            shutil.copytree(ROOT / folder, root / folder)
    for rel, text in (files or {}).items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root
