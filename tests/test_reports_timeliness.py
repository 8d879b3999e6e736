"""Annual reports that are missing after their deadline or published late (issue 23): `xxgk check`
says what the 政务公开工作监测 page shows."""

import re
from datetime import date

from conftest import ROOT, run_xxgk
from reports_support import project_with_reports
from xxgk.portal import dashboard
from xxgk.portal.compliance import report_problems
from xxgk.problems import Problems
from xxgk.project import load_project


def overdue_on_dashboard(project) -> set[tuple[str, int]]:
    names = {org.short_name: org.id for org in project.ref.orgs.values()}
    rows, _ = dashboard.rows(project)
    return {(names[row[0]["text"]], int(row[1]["text"][:-1])) for row in rows if row[4]["text"].startswith("逾期未公布")}


def overdue_in_check(project) -> set[tuple[str, int]]:
    found = Problems()
    report_problems(project, found)
    names = {org.name: org.id for org in project.ref.orgs.values()}
    said = set()
    for problem in found:
        match = re.match(r"(.+?)(\d{4})年政府信息公开工作年度报告逾期未公布", problem.message)
        said.add((names[match[1]], int(match[2])))
    return said


def test_check_and_the_dashboard_agree_on_the_demo_for_several_dates():
    for today in (date(2026, 11, 27), date.today(), date(2026, 1, 31), date(2026, 2, 1)):
        project = load_project(ROOT, today)
        assert overdue_in_check(project) == overdue_on_dashboard(project), today
    # 商务局 has no 2024 or 2025 report: both are overdue after 31 January 2026, only 2024 before.
    assert overdue_in_check(load_project(ROOT, date(2026, 2, 1))) >= {("swj", 2024), ("swj", 2025)}
    assert ("swj", 2025) not in overdue_in_check(load_project(ROOT, date(2026, 1, 31)))


def test_missing_and_late_reports_are_warned_located(tmp_path):
    late = (ROOT / "data/reports/swj/2021.yml").read_text(encoding="utf-8")
    late = re.sub(r"^发布日期: .*$", "发布日期: 2022-03-03", late, flags=re.M)
    root = project_with_reports(tmp_path, {
        "data/reports/swj/2021.yml": late,
        "docs/reports/swj/2021.md": (ROOT / "docs/reports/swj/2021.md").read_text(encoding="utf-8"),
    })
    check = run_xxgk(root, "check")
    assert "警告 data/reports/swj/2021.yml:" in check.stdout
    assert "发布日期 2022-03-03 晚于条例第四十九条规定的期限 2022-01-31，逾期 31 天" in check.stdout
    # data/rules.yml 监测起始年度: 2024: the 2024 and 2025 reports of every organisation are missing.
    for org in load_project(root, date(2026, 11, 27)).ref.orgs.values():
        assert (f"警告 data/reports/{org.id}/ {org.name}2025年政府信息公开工作年度报告逾期未公布：应于 " in check.stdout)
    assert f"./xxgk report new swj 2024" in check.stdout
