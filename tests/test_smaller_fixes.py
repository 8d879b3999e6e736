"""The smaller problems of issue 13 (part 7): report new fills 现行有效件数 from the catalog, report
check on a narrative checks its figures file, the register reports every error of a file."""

from __future__ import annotations

from conftest import front_matter, make_project, run_xxgk


def _review(year: int) -> str:
    return (f"\n  业务科室: {{审查人: 甲, 日期: {year}-03-04}}\n  信息发布人: {{审查人: 乙, 日期: {year}-03-04}}"
            f"\n  分管领导: {{审查人: 丙, 日期: {year}-03-05}}")


def _norm(year: int, serial: int, validity: str = "有效") -> str:
    """A published 规范性文件 of swj (政策文件 under 第二十条（一） with a 文号 that is not an order)."""
    return front_matter(索引号=f"770010036/{year}-{serial:05d}", 成文日期=f"{year}-03-01", 发布日期=f"{year}-03-05",
                        保密审查=_review(year), 信息类别="政策文件", 有效性=validity, 第二十条="[（一）]",
                        文号=f"示商规〔{year}〕{serial}号")


def test_report_new_fills_documents_in_force_so_the_new_report_checks_clean(tmp_path):
    root = make_project(tmp_path, {"swj/2024/00001.md": _norm(2024, 1), "swj/2024/00002.md": _norm(2024, 2, "废止"),
                                   "swj/2025/00001.md": _norm(2025, 1)})
    # Last year's report, consistent with the catalog: one document in force.
    assert run_xxgk(root, "report", "new", "swj", "2024").returncode == 0
    last = root / "data/reports/swj/2024.yml"
    last.write_text(last.read_text(encoding="utf-8").replace(
        "行政规范性文件: {本年制发件数: 0, 本年废止件数: 0, 现行有效件数: 0}",
        "行政规范性文件: {本年制发件数: 1, 本年废止件数: 0, 现行有效件数: 1}"), encoding="utf-8")

    result = run_xxgk(root, "report", "new", "swj", "2025")
    assert result.returncode == 0, result.stderr
    assert "“现行有效件数”已按目录" in result.stdout
    data = (root / "data/reports/swj/2025.yml").read_text(encoding="utf-8")
    assert "行政规范性文件: {本年制发件数: 1, 本年废止件数: 0, 现行有效件数: 2}" in data  # the 废止 one is not counted
    check = run_xxgk(root, "report", "check", str(root / "data/reports/swj/2025.yml"))
    assert "现行有效件数" not in check.stdout, check.stdout


def test_report_check_on_the_narrative_checks_its_figures(tmp_path):
    root = make_project(tmp_path)
    assert run_xxgk(root, "report", "new", "swj", "2025").returncode == 0
    result = run_xxgk(root, "report", "check", str(root / "docs/reports/swj/2025.md"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "data/reports/swj/2025.yml" in result.stdout and "YAML" not in result.stdout
    missing = run_xxgk(root, "report", "check", str(root / "docs/reports/swj/2023.md"))
    assert missing.returncode == 1 and "report new swj 2023" in missing.stderr and "YAML" not in missing.stderr


def test_the_register_reports_every_error_of_a_file(tmp_path):
    root = make_project(tmp_path)
    app = ("  - 编号: 2024-00{n}\n    收到日期: 2024-03-01\n    渠道: {channel}\n    申请人类型: 自然人\n"
           "    办理结果: （一）予以公开\n    答复日期: 2024-02-01\n")
    (root / "data/register/swj/2024.yml").write_text(
        "申请:\n" + app.format(n=1, channel="微信") + app.format(n=2, channel="网络"), encoding="utf-8")
    check = run_xxgk(root, "check")
    assert check.returncode == 1
    assert "data/register/swj/2024.yml:4 字段“渠道”" in check.stdout
    # The first application's reply date is wrong too: reported although its 渠道 already was.
    assert "data/register/swj/2024.yml:7 字段“答复日期”" in check.stdout, check.stdout
    assert "data/register/swj/2024.yml:13 字段“答复日期”" in check.stdout
