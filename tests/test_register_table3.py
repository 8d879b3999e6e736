"""Table 三 from the register: carry-over across years, reports relying on the register alone,
hand-entered figures compared cell by cell, and `xxgk report new` prefilled."""

from __future__ import annotations

import random
import re
from datetime import date, timedelta

from conftest import ROOT, run_xxgk
from reports_support import FORMATS, NARRATIVE_2021, REF, project_with_reports
from test_register_deadlines import item
from xxgk.problems import Problems
from xxgk.project import load_project
from xxgk.register.model import Application
from xxgk.register.table3 import matrix
from xxgk.reports.applications import outcome_keys
from xxgk.reports.interchange import table_data
from xxgk.reports.model import read_report
from xxgk.reports.rules import check_report

REGISTER = {
    "data/register/jyj/2021.yml": "申请:\n"
    + item("2021-001", "2021-03-01", 办理结果="（一）予以公开", 答复日期="2021-03-10")
    + item("2021-002", "2021-05-10", 申请人类型="商业企业", 征求意见工作日="12",
           办理结果="（三）不予公开/4.保护第三方合法权益", 答复日期="2021-06-18")
    # Received in December, replied in January: 四 of 2021, 二 and an outcome of 2022.
    + item("2021-003", "2021-12-20", 办理结果="（二）部分公开（区分处理的，只计这一情形，不计其他情形）", 答复日期="2022-01-18")
    + item("2021-004", "2021-12-27", 申请人类型="法律服务机构", 延期="{告知日期: 2022-01-20, 工作日: 10}",
           办理结果="（四）无法提供/1.本机关不掌握相关政府信息", 答复日期="2022-02-10"),
    "data/register/jyj/2022.yml": "申请:\n"
    + item("2022-001", "2022-12-26", 申请人类型="社会公益组织", 办理结果="（一）予以公开", 答复日期="2023-01-09"),
}
DAY = date(2026, 11, 27)  # the check date of conftest.TODAY
ONLY_TABLE4 = "发布日期: {published}\n表四:\n  行政复议: [0, 0, 0, 0]\n"


def report_files(year: int, table: str = "", *, draft: bool = False) -> dict[str, str]:
    head = ("草稿: true\n" if draft else "") + ONLY_TABLE4.format(published=f"{year + 1}-01-20")
    return {f"data/reports/jyj/{year}.yml": head + table, f"docs/reports/jyj/{year}.md": NARRATIVE_2021}


def grid_rows(report) -> dict[str, list[int]]:
    return table_data(report, "表三")


def test_reports_rely_on_the_register_with_carry_over_across_years(tmp_path):
    root = project_with_reports(tmp_path, {**REGISTER, **report_files(2021), **report_files(2022)})
    project = load_project(root, DAY)
    assert not [str(p) for p in project.problems.errors if "jyj" in p.file], [str(p) for p in project.problems]
    first, second = grid_rows(project.reports.get("jyj", 2021)), grid_rows(project.reports.get("jyj", 2022))
    assert first["一、本年新收政府信息公开申请数量"] == [2, 1, 0, 0, 1, 0, 4]
    assert first["二、上年结转政府信息公开申请数量"] == [0] * 7
    assert first["（一）予以公开"] == [1, 0, 0, 0, 0, 0, 1]
    assert first["（三）不予公开/4.保护第三方合法权益"] == [0, 1, 0, 0, 0, 0, 1]
    assert first["（七）总计"] == [1, 1, 0, 0, 0, 0, 2]
    assert first["四、结转下年度继续办理"] == [1, 0, 0, 0, 1, 0, 2]
    assert second["二、上年结转政府信息公开申请数量"] == first["四、结转下年度继续办理"]  # R6
    assert second["一、本年新收政府信息公开申请数量"] == [0, 0, 0, 1, 0, 0, 1]
    assert second["（二）部分公开（区分处理的，只计这一情形，不计其他情形）"] == [1, 0, 0, 0, 0, 0, 1]
    assert second["（四）无法提供/1.本机关不掌握相关政府信息"] == [0, 0, 0, 0, 1, 0, 1]
    assert second["四、结转下年度继续办理"] == [0, 0, 0, 1, 0, 0, 1]
    check = run_xxgk(root, "check")
    assert check.returncode == 0 and "已检查 3 个机构的依申请公开登记台账" in check.stdout, check.stdout


HAND = """表三:
  一、本年新收政府信息公开申请数量: [2, 1, 0, 0, 1, 0]
  （一）予以公开: [2, 0, 0, 0, 0, 0]
  （三）不予公开/4.保护第三方合法权益: [0, 1, 0, 0, 0, 0]
  四、结转下年度继续办理: [1, 0, 0, 0, 1, 0]
"""


def test_hand_entered_figures_that_differ_from_the_register_are_errors(tmp_path):
    root = project_with_reports(tmp_path, {**REGISTER, **report_files(2021, HAND)})
    project = load_project(root, DAY)
    mine = [p for p in project.problems if p.message.startswith("[台账核对]")]
    (problem,) = mine
    assert problem.is_error and problem.file == "data/reports/jyj/2021.yml" and problem.line == 6
    assert ("表三 行“（一）予以公开”列“自然人”：报告填写 2，而依申请公开登记台账 data/register/jyj/ 计得 1（2021-001）。"
            "请改为 1，或删除整个“表三”由系统按台账填写。") in problem.message
    assert not project.reports.get("jyj", 2021).valid
    # The same through `xxgk report check` and `xxgk check`.
    single = run_xxgk(root, "report", "check", "data/reports/jyj/2021.yml")
    assert single.returncode == 1 and "[台账核对] 表三 行“（一）予以公开”列“自然人”：报告填写 2" in single.stdout
    assert run_xxgk(root, "check").returncode == 1
    # Agreeing figures pass; a draft's difference is a warning until it is published.
    agreeing = HAND.replace("（一）予以公开: [2,", "（一）予以公开: [1,")
    root = project_with_reports(tmp_path / "agree", {**REGISTER, **report_files(2021, agreeing)})
    assert not [str(p) for p in load_project(root, DAY).problems.errors if "jyj" in p.file]
    root = project_with_reports(tmp_path / "draft", {**REGISTER, **report_files(2021, HAND, draft=True)})
    (warning,) = [p for p in load_project(root, DAY).problems if "[台账核对]" in p.message]
    assert warning.level == "警告" and "（草稿，发布前须改正）" in warning.message


def test_a_register_with_errors_gives_no_figures(tmp_path):
    broken = dict(REGISTER)
    broken["data/register/jyj/2022.yml"] += "    姓名: 某某\n"
    root = project_with_reports(tmp_path, {**broken, **report_files(2021)})
    project = load_project(root, DAY)
    assert not project.register.covers("jyj", 2021)
    assert grid_rows(project.reports.get("jyj", 2021))["一、本年新收政府信息公开申请数量"] == [0] * 7
    assert any("不得记录申请人" in str(p) for p in project.problems.errors)


def test_report_new_fills_table_three_and_statistics_from_the_register(tmp_path):
    root = project_with_reports(tmp_path, {**REGISTER, **report_files(2021)})
    result = run_xxgk(root, "report", "new", "jyj", "2022")
    assert result.returncode == 0, result.stderr
    assert "表三已按依申请公开登记台账 data/register/jyj/ 填写。" in result.stdout
    data = (root / "data/reports/jyj/2022.yml").read_text(encoding="utf-8")
    assert "  一、本年新收政府信息公开申请数量: [0, 0, 0, 1, 0, 0]\n" in data
    assert "  二、上年结转政府信息公开申请数量: [1, 0, 0, 0, 1, 0]\n" in data  # no “取自2021年报告” note
    assert "  （四）无法提供/1.本机关不掌握相关政府信息: [0, 0, 0, 0, 1, 0]\n" in data
    assert "  四、结转下年度继续办理: [0, 0, 0, 1, 0, 0]\n" in data
    narrative = (root / "docs/reports/jyj/2022.md").read_text(encoding="utf-8")
    assert "全年共收到政府信息公开申请{{ 台账.本年新收 }}件，上年结转{{ 台账.上年结转 }}件" in narrative
    assert "本年实际收取信息处理费共计{{ 台账.信息处理费 }}元。" in narrative and "共计0元" not in narrative
    # Published as scaffolded, once the editor has written over the “（请填写。…）” prompts (left in a published
    # report they are an error): consistent by construction, placeholders resolved.
    narrative_file = root / "docs/reports/jyj/2022.md"
    narrative_file.write_text(re.sub(r"^（请填写。.*）$", "本年度按计划推进，情况如实记录于此。", narrative, flags=re.M),
                              encoding="utf-8")
    data = re.sub(r"^索引号:.*$", "索引号: 770010079/2023-00001", data, flags=re.M)  # as the editor fills it
    (root / "data/reports/jyj/2022.yml").write_text(data.replace("草稿: true\n", "").replace(
        "发布日期:\n", "发布日期: 2023-01-20\n"), encoding="utf-8")
    check = run_xxgk(root, "check")
    assert check.returncode == 0 and "jyj/2022" not in check.stdout, check.stdout
    report = load_project(root, DAY).reports.get("jyj", 2022)
    body = report.narrative.section("一、总体情况").body
    assert "全年共收到政府信息公开申请1件，上年结转2件；办结2件，结转下年度继续办理1件。" in body


def test_report_new_without_a_register_keeps_last_years_carry_over(tmp_path):
    root = project_with_reports(tmp_path, report_files(2021, HAND.replace("（一）予以公开: [2,", "（一）予以公开: [1,")))
    result = run_xxgk(root, "report", "new", "jyj", "2022")
    assert result.returncode == 0 and "上年结转已按 2021 年报告填写。" in result.stdout
    assert "表三已按" not in result.stdout


def test_r1_to_r3_hold_by_construction():
    """Random registers over three years: the computed tables never break R1, R2, R3 or R6."""
    rng = random.Random(20211231)
    fmt = FORMATS.for_year(2022)
    columns = [c.key for c in fmt.tables["表三"].cols if not c.total]
    outcomes = outcome_keys(fmt)
    for _ in range(40):
        apps = []
        for n in range(rng.randint(0, 40)):
            received = date(2021, 1, 1) + timedelta(days=rng.randrange(3 * 365))
            replied = received + timedelta(days=rng.randrange(90)) if rng.random() < 0.9 else None
            apps.append(Application("f", "jyj", received.year, {}, (), number=str(n), received=received,
                                    applicant=rng.choice(columns), replied=replied,
                                    outcome=rng.choice(outcomes) if replied else None))
        last = None
        for year in (2021, 2022, 2023):
            problems = Problems()
            report = read_report({}, {}, f"data/reports/jyj/{year}.yml", FORMATS, problems, org="jyj", year=year,
                                 agency="示例区教育局")
            report.grids["表三"] = matrix(apps, year, report.format)
            check_report(report, problems, last=last)
            assert not problems, [str(p) for p in problems]
            last = report


def test_the_demo_reports_agree_with_the_register():
    project = load_project(ROOT, DAY)
    for org, year in (("swj", 2021), ("swj", 2022), ("qzf", 2021), ("qzf", 2022)):
        assert project.register.covers(org, year)
        report = project.reports.get(org, year)
        # The comparison with last year's report (issue 23: R10-R12, e.g. swj's 0 applications in 2020, 10 in
        # 2021) is no disagreement with the register.
        assert report.valid and not [str(p) for p in project.problems
                                     if p.file == report.file and not re.match(r"\[R1[0-2] ", p.message)]
    # qzf 2021 has no Table 三 figures of its own: all from the register, 二 from the 2020 file.
    assert "表三:" not in (ROOT / "data/reports/qzf/2021.yml").read_text(encoding="utf-8")
    rows = grid_rows(project.reports.get("qzf", 2021))
    assert rows["一、本年新收政府信息公开申请数量"] == [52, 14, 1, 2, 3, 2, 74]
    assert rows["二、上年结转政府信息公开申请数量"] == [3, 1, 0, 0, 0, 0, 4]
    assert rows["四、结转下年度继续办理"] == [0, 1, 0, 0, 0, 0, 1]
    assert REF.orgs["qzf"].type == "政府"
