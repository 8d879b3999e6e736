"""Reports that say nothing new (issue 23): R10 正文雷同, R11 表三与上年相同, R12 变化过大, declared in
data/formats/*.yml and checked against the same organisation's report of the year before."""

import re

from conftest import ROOT, run_xxgk
from reports_support import project_with_reports
from xxgk.reports.novelty import copied


def demo_pair(tmp_path, narrative_2022=None, data_2022=None):
    files = {}
    for year in (2021, 2022):
        files[f"data/reports/swj/{year}.yml"] = (ROOT / f"data/reports/swj/{year}.yml").read_text(encoding="utf-8")
        files[f"docs/reports/swj/{year}.md"] = (ROOT / f"docs/reports/swj/{year}.md").read_text(encoding="utf-8")
    if narrative_2022 is not None:
        files["docs/reports/swj/2022.md"] = narrative_2022(files["docs/reports/swj/2021.md"])
    if data_2022 is not None:
        files["data/reports/swj/2022.yml"] = data_2022(files["data/reports/swj/2021.yml"], files["data/reports/swj/2022.yml"])
    return project_with_reports(tmp_path, files)


def test_copied_share_ignores_figures_and_quotes_the_longest_passage():
    last = "2021年，我局收到政府信息公开申请10件，全部按期答复。\n\n我们将继续加强培训。"
    this = "2022年，我局收到政府信息公开申请12件，全部按期答复。\n\n今年新建了依申请公开网上平台，办理更加便捷。"
    share, passage = copied(this, last)
    assert 30 < share < 60
    assert passage.startswith("2022年，我局收到政府信息公开申请12件，全部按期答复")
    assert copied(last.replace("2021", "2022").replace("10件", "11件"), last)[0] == 100


def test_a_narrative_copied_with_the_years_changed_is_warned(tmp_path):
    root = demo_pair(tmp_path, narrative_2022=lambda last: last.replace("2021", "2022"))
    check = run_xxgk(root, "check")
    [line] = [line for line in check.stdout.splitlines() if "[R10 " in line]
    assert line.startswith("警告 docs/reports/swj/2022.md:") and "与 2021 年报告相同" in line and "最长的一段相同文字：“" in line
    assert run_xxgk(root, "report", "check", "data/reports/swj/2022.yml").stdout.count("[R10 ") == 1
    # The demo's own 2022 narrative says something new.
    assert "[R10 " not in run_xxgk(demo_pair(tmp_path / "own"), "check").stdout


def test_identical_table_three_and_jumps_are_warned_at_the_table(tmp_path):
    def same_table(last, this):
        table = re.search(r"^表三:\n(?:  .*\n)+", last, re.M)[0]
        return re.sub(r"^表三:\n(?:  .*\n)+", lambda _: table, this, count=1, flags=re.M)
    check = run_xxgk(demo_pair(tmp_path, data_2022=same_table), "check")
    assert re.search(r"警告 data/reports/swj/2022\.yml:\d+ 字段“表三”：\[R11 表三与上一年度报告完全相同\]", check.stdout), check.stdout

    def jump(last, this):
        return this.replace("  一、本年新收政府信息公开申请数量: [9, 4, 0, 1, 0, 0]",
                            "  一、本年新收政府信息公开申请数量: [400, 4, 0, 1, 0, 0]")
    check = run_xxgk(demo_pair(tmp_path / "jump", data_2022=jump), "check")
    assert "[R12 主要数字与上一年度相比变化过大] 表三“一、本年新收政府信息公开申请数量/总计”由 2021 年的 10 增至 405" in check.stdout
