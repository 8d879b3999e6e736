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


def check_yaml(text: str, *, year: int = 2021, org: str = "swj", last=None, narrative: str | None = None,
               formats=FORMATS):
    """Read and check one report given as our YAML; return (report, problems)."""
    problems = Problems()
    file = f"data/reports/{org}/{year}.yml"
    data, lines = parse_yaml(text, file)
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
