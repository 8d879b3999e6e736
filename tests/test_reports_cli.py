"""`xxgk report check`, `xxgk report new`, and report errors failing `xxgk check` and the build."""

import json

from conftest import ROOT, run_mkdocs_build, run_xxgk
from reports_support import project_with_reports


def published_json(year: int = 2021, org: str = "swj") -> dict:
    """The interchange JSON of a demo report, as `xxgk report check` of a department would get it."""
    from datetime import date

    from xxgk.project import load_project
    from xxgk.reports.interchange import to_interchange
    project = load_project(ROOT, date(2026, 11, 27))
    return to_interchange(project.reports.get(org, year))


def test_report_check_accepts_our_yaml():
    result = run_xxgk(ROOT, "report", "check", "data/reports/swj/2020.yml")
    assert result.returncode == 0, result.stdout
    assert "检查通过" in result.stdout and "示例区商务局2020年政府信息公开工作年度报告" in result.stdout


def test_report_check_accepts_published_json_and_fails_an_altered_one(tmp_path):
    data = published_json()
    path = tmp_path / "swj-2021.json"
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    ok = run_xxgk(ROOT, "report", "check", str(path))
    assert ok.returncode == 0, ok.stdout

    data["table3"]["（一）予以公开"][0] += 1  # 自然人, total left as published
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    bad = run_xxgk(ROOT, "report", "check", str(path))
    assert bad.returncode == 1
    assert f"错误 {path}:" in bad.stdout
    assert "行“（一）予以公开”列“总计”为 5，而同行各列之和" in bad.stdout  # R3
    assert "行“（七）总计”列“自然人”为 5，而同列各项之和" in bad.stdout  # R2


def test_report_check_blank_cells_as_published(tmp_path):
    data = published_json()
    data["table3"]["（三）不予公开/1.属于国家秘密"] = [None] * 7  # a row left blank: counts as 0
    data["table3"]["（一）予以公开"][6] = None  # a blank 总计 in a non-zero row: reported
    path = tmp_path / "blank.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = run_xxgk(ROOT, "report", "check", str(path))
    assert result.returncode == 1
    assert result.stdout.count("错误") == 2  # one problem line + the summary line
    assert "行“（一）予以公开”列“总计”为空白，但同行各列之和不为零" in result.stdout


def test_report_check_unreadable_inputs(tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text('{"agency": "示例区商务局", "year": 2021,\n "table3": {', encoding="utf-8")
    result = run_xxgk(ROOT, "report", "check", str(broken))
    assert result.returncode == 1 and "不是有效的 JSON" in result.stdout and f"{broken}:2" in result.stdout
    duplicate = tmp_path / "dup.json"
    duplicate.write_text('{"agency": "甲", "year": 2021, "year": 2022}', encoding="utf-8")
    result = run_xxgk(ROOT, "report", "check", str(duplicate))
    assert result.returncode == 1 and "重复" in result.stdout
    missing = run_xxgk(ROOT, "report", "check", str(tmp_path / "nosuch.yml"))
    assert missing.returncode == 1 and "文件不存在" in missing.stdout


def test_report_new_scaffolds_with_carry_over_and_never_overwrites(tmp_path):
    root = project_with_reports(tmp_path, demo=True)
    result = run_xxgk(root, "report", "new", "czj", "2026")
    assert result.returncode == 0, result.stderr
    data = (root / "data/reports/czj/2026.yml").read_text(encoding="utf-8")
    # czj 2025: 四、结转下年度继续办理 = [1, 0, 0, 0, 0, 0]
    assert "  二、上年结转政府信息公开申请数量: [1, 0, 0, 0, 0, 0]  # 取自2025年报告：四、结转下年度继续办理\n" in data
    assert "  （一）予以公开: [0, 0, 0, 0, 0, 0]\n" in data and "草稿: true" in data
    assert "索引号: 770010052/2027-00001\n" in data  # the report is its own catalog entry, numbered with it
    narrative = (root / "docs/reports/czj/2026.md").read_text(encoding="utf-8")
    assert [line for line in narrative.splitlines() if line.startswith("## ")] == \
        ["## 一、总体情况", "## 五、存在的主要问题及改进情况", "## 六、其他需要报告的事项"]

    # A draft: its inconsistencies are warnings, the build goes on without publishing it.
    check = run_xxgk(root, "check")
    assert check.returncode == 0, check.stdout
    assert "（草稿，发布前须改正）" in check.stdout and "R1" in check.stdout

    again = run_xxgk(root, "report", "new", "czj", "2026")
    assert again.returncode == 1 and "已存在，未做任何改动" in again.stderr
    assert (root / "data/reports/czj/2026.yml").read_text(encoding="utf-8") == data

    # Published as is, the scaffold's R1 imbalance is an error.
    (root / "data/reports/czj/2026.yml").write_text(data.replace("草稿: true\n", ""), encoding="utf-8")
    check = run_xxgk(root, "check")
    assert check.returncode == 1 and "错误 data/reports/czj/2026.yml:" in check.stdout and "R1" in check.stdout

    assert run_xxgk(root, "report", "new", "nosuch", "2025").returncode == 2
    assert run_xxgk(root, "report", "new", "czj", "2018").returncode == 2


def test_report_new_without_last_year(tmp_path):
    root = project_with_reports(tmp_path)
    result = run_xxgk(root, "report", "new", "jyj", "2024")
    assert result.returncode == 0 and "上年结转按 0 填写" in result.stdout
    assert "二、上年结转政府信息公开申请数量: [0, 0, 0, 0, 0, 0]\n" in \
        (root / "data/reports/jyj/2024.yml").read_text(encoding="utf-8")
    assert run_xxgk(root, "check").returncode == 0


def test_a_report_error_fails_check_and_build(tmp_path):
    good = (ROOT / "data/reports/swj/2021.yml").read_text(encoding="utf-8")
    bad = good.replace("  （一）予以公开: [3, 2, 0, 0, 0, 0]", "  （一）予以公开: [3, 2, 0, 0, 0, 0, 6]")
    assert bad != good
    root = project_with_reports(tmp_path, {
        "data/reports/swj/2021.yml": bad,
        "docs/reports/swj/2021.md": (ROOT / "docs/reports/swj/2021.md").read_text(encoding="utf-8"),
    })
    check = run_xxgk(root, "check")
    assert check.returncode == 1
    assert "错误 data/reports/swj/2021.yml:" in check.stdout and "行“（一）予以公开”列“总计”为 6" in check.stdout
    build = run_mkdocs_build(root, tmp_path / "site")
    assert build.returncode != 0 and "行“（一）予以公开”列“总计”为 6" in build.stderr
    assert not (tmp_path / "site" / "reports" / "swj" / "2021" / "index.html").exists()


def test_narrative_without_data_and_data_without_narrative(tmp_path):
    root = project_with_reports(tmp_path, {
        "docs/reports/swj/2021.md": "## 一、总体情况\n",
        "data/reports/czj/2023.yml": "表三: {}\n",
    })
    check = run_xxgk(root, "check")
    assert check.returncode == 1
    assert "错误 docs/reports/swj/2021.md:1 没有对应的表格数据 data/reports/swj/2021.yml" in check.stdout
    assert "错误 data/reports/czj/2023.yml:1 缺少报告正文 docs/reports/czj/2023.md" in check.stdout


def test_drafts_and_embargoed_reports_are_not_published(tmp_path):
    files = {}
    for year in (2020, 2021, 2022):
        files[f"data/reports/swj/{year}.yml"] = (ROOT / f"data/reports/swj/{year}.yml").read_text(encoding="utf-8")
        files[f"docs/reports/swj/{year}.md"] = (ROOT / f"docs/reports/swj/{year}.md").read_text(encoding="utf-8")
    files["data/reports/swj/2021.yml"] = "草稿: true\n" + files["data/reports/swj/2021.yml"]
    files["data/reports/swj/2022.yml"] = files["data/reports/swj/2022.yml"].replace(
        "发布日期: 2023-01-19", "发布日期: 2099-01-10").replace(  # not yet: embargoed
        "索引号: 770010036/2023-00003", "索引号: 770010036/2099-00001")
    root = project_with_reports(tmp_path, files)
    build = run_mkdocs_build(root, tmp_path / "site")
    assert build.returncode == 0, build.stderr[-3000:]
    site = tmp_path / "site" / "reports"
    assert (site / "swj/2020/index.html").is_file() and (site / "swj/2020/swj-2020.json").is_file()
    for year in (2021, 2022):
        assert not (site / f"swj/{year}").exists()
    listing = (site / "swj/index.html").read_text(encoding="utf-8") + (site / "index.html").read_text(encoding="utf-8")
    assert "2020年政府信息公开工作年度报告" in listing
    assert "2021年政府信息公开工作年度报告" not in listing and "2022年政府信息公开工作年度报告" not in listing


def test_placeholders_of_report_new_are_never_published(tmp_path):
    """The `（请填写。…）` hints of `report new` left in a published narrative fail check and build,
    located at their line; in a draft they are a warning."""
    narrative = (ROOT / "docs/reports/swj/2021.md").read_text(encoding="utf-8")
    lines = narrative.split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith("## 五、")) + 2
    lines.insert(at, "（请填写。存在的主要问题及改进情况。）")
    data = (ROOT / "data/reports/swj/2021.yml").read_text(encoding="utf-8")
    root = project_with_reports(tmp_path, {"data/reports/swj/2021.yml": data,
                                           "docs/reports/swj/2021.md": "\n".join(lines)})
    check = run_xxgk(root, "check")
    assert check.returncode == 1, check.stdout
    assert f"错误 docs/reports/swj/2021.md:{at + 1} " in check.stdout and "请填写" in check.stdout
    build = run_mkdocs_build(root, tmp_path / "site")
    assert build.returncode != 0 and "请填写" in build.stderr
    assert run_xxgk(root, "report", "check", "data/reports/swj/2021.yml").returncode == 1

    (root / "data/reports/swj/2021.yml").write_text("草稿: true\n" + data, encoding="utf-8")
    check = run_xxgk(root, "check")
    assert check.returncode == 0 and "（草稿，发布前须改正）还留有“（请填写" in check.stdout
