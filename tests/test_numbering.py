"""One 索引号 sequence per organisation and year for catalog entries and annual reports (xxgk.numbering),
on the demo as shipped, with the tests' date and today's real date."""

from __future__ import annotations

import re
import shutil
from datetime import date

import pytest
import yaml

from conftest import TODAY, demo_project, front_matter, run_xxgk
from xxgk import cli

DATES = [TODAY, date.today().isoformat()]


def demo_copy(tmp_path):
    return demo_project(tmp_path)


def xxgk(root, today, *args):
    return cli.main(["--root", str(root), "--today", today, *args])


def errors(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith("错误")]


@pytest.mark.parametrize("today", DATES)
def test_new_for_every_organisation_of_the_demo_then_check_has_no_errors(tmp_path, today, capsys):
    root = demo_copy(tmp_path)
    orgs = [org["标识"] for org in yaml.safe_load((root / "data/orgs.yml").read_text(encoding="utf-8"))]
    reports = {m.group(1) for p in (root / "data/reports").glob("*/*.yml")
               if (m := re.search(r"^索引号: (\S+)$", p.read_text(encoding="utf-8"), re.M))}
    for org in orgs:
        assert xxgk(root, today, "new", org, "--title", "测试动态", "--category", "部门动态") == 0
    created = re.findall(r"已创建 (\S+\.md)", capsys.readouterr().out)
    assert len(created) == len(orgs)
    for path in created:
        number = re.search(r"^索引号: (\S+)$", (root / path).read_text(encoding="utf-8"), re.M).group(1)
        assert number not in reports  # jyj's 2025 report holds 770010079/2026-00001
    assert xxgk(root, today, "check") == 0
    assert errors(capsys.readouterr().out) == []


def test_a_shared_number_is_reported_at_the_draft_naming_both(tmp_path, capsys):
    root = demo_copy(tmp_path)
    draft = root / "docs/catalog/jyj/2026/00001.md"
    draft.parent.mkdir(parents=True, exist_ok=True)
    draft.write_text(front_matter(索引号="770010079/2026-00001", 发布机构="jyj", 成文日期="2026-11-02",
                                  发布日期="2026-11-03", 保密审查=None, 草稿="true"), encoding="utf-8")
    check = run_xxgk(root, "check")
    assert check.returncode == 0, errors(check.stdout)  # a draft never stops the publication of the rest
    [line] = [line for line in check.stdout.splitlines() if "770010079/2026-00001" in line]
    assert line.startswith("警告（草稿中的问题） docs/catalog/jyj/2026/00001.md:2 字段“索引号”")
    assert "data/reports/jyj/2025.yml（已发布）" in line and "请为本草稿重新编号" in line
    assert "xxgk assign --renumber-taken docs/catalog/jyj/2026/00001.md" in line

    # `report check` of the report sees the catalog's entry too.
    report = run_xxgk(root, "report", "check", "data/reports/jyj/2025.yml")
    assert "docs/catalog/jyj/2026/00001.md" in report.stdout and "索引号重复" in report.stdout

    # Published, the entry is the newer one: the error is still the entry's, never the report's.
    draft.write_text(draft.read_text(encoding="utf-8").replace("草稿: true\n", "").replace(
        "发布日期: 2026-11-03", "发布日期: 2026-11-03\n保密审查:\n  业务科室: {审查人: 甲, 日期: 2026-11-03}\n"
        "  信息发布人: {审查人: 乙, 日期: 2026-11-03}\n  分管领导: {审查人: 丙, 日期: 2026-11-03}"), encoding="utf-8")
    check = run_xxgk(root, "check")
    assert check.returncode == 1
    [line] = errors(check.stdout)[:1]
    assert line.startswith("错误 docs/catalog/jyj/2026/00001.md:2 字段“索引号”") and "发布较晚的本文件" in line

    # The command that the message gives renumbers the entry and renames its file.
    fixed = run_xxgk(root, "assign", "--renumber-taken", "docs/catalog/jyj/2026/00001.md")
    assert fixed.returncode == 0, fixed.stderr
    assert not draft.exists() and "770010079/2026-00002" in (root / "docs/catalog/jyj/2026/00002.md").read_text()
    assert run_xxgk(root, "check").returncode == 0


def test_assign_gives_a_report_without_number_the_next_of_the_shared_sequence(tmp_path):
    root = demo_copy(tmp_path)
    report = root / "data/reports/jyj/2025.yml"
    report.write_text(report.read_text(encoding="utf-8").replace("索引号: 770010079/2026-00001", "索引号:"),
                      encoding="utf-8")
    entry = root / "docs/catalog/jyj/2026/00001.md"
    entry.parent.mkdir(parents=True, exist_ok=True)
    entry.write_text(front_matter(索引号="770010079/2026-00001", 发布机构="jyj", 成文日期="2026-11-02",
                                  发布日期="2026-11-03", 保密审查=None, 草稿="true"), encoding="utf-8")
    missing = run_xxgk(root, "check")
    assert "请运行 xxgk assign data/reports/jyj/2025.yml" in missing.stdout
    assigned = run_xxgk(root, "assign", "data/reports/jyj/2025.yml")
    assert assigned.returncode == 0, assigned.stderr
    assert re.search(r"^索引号: 770010079/2026-00002\n", report.read_text(encoding="utf-8"), re.M)
    again = run_xxgk(root, "assign", "data/reports/jyj/2025.yml")
    assert again.returncode == 1 and "索引号一经生成不得更改" in again.stderr
    check = run_xxgk(root, "check")
    assert check.returncode == 0 and "索引号" not in "".join(errors(check.stdout))


def test_a_missing_number_names_the_command_that_gives_one(tmp_path):
    root = demo_copy(tmp_path)
    entry = root / "docs/catalog/swj/2026/通知.md"
    entry.parent.mkdir(parents=True, exist_ok=True)
    entry.write_text(front_matter(索引号=None, 成文日期="2026-11-02", 发布日期="2026-11-03", 保密审查=(
        "\n  业务科室: {审查人: 甲, 日期: 2026-11-03}\n  信息发布人: {审查人: 乙, 日期: 2026-11-03}"
        "\n  分管领导: {审查人: 丙, 日期: 2026-11-03}")), encoding="utf-8")
    check = run_xxgk(root, "check")
    assert "xxgk new" not in check.stdout
    assert "请运行 xxgk assign docs/catalog/swj/2026/通知.md" in check.stdout


def test_import_draws_from_the_same_sequence_as_the_reports(tmp_path):
    from docx_support import gongwen

    root = demo_copy(tmp_path)
    source = gongwen(tmp_path / "通知.docx", org="示例区教育局", doc_no="示教发〔2026〕5号", to="各学校：",
                     title="示例区教育局关于开展2026年读书月活动的通知")
    result = run_xxgk(root, "import", str(source))
    assert result.returncode == 0, result.stderr
    # jyj's 2025 annual report holds 770010079/2026-00001: the import takes the next one.
    assert "770010079/2026-00002" in result.stdout and "docs/catalog/jyj/2026/00002.md" in result.stdout
    assert run_xxgk(root, "check").returncode == 0
