"""The supervising office's page (parsed from a real build), narrative statistics and the
第二十条第（一）项 cross-check with the catalog."""

from __future__ import annotations

import posixpath
from datetime import date

from bs4 import BeautifulSoup

from conftest import ROOT, front_matter, make_project, run_mkdocs_build
from reports_support import NARRATIVE_2021, project_with_reports
from test_register_deadlines import item
from xxgk.project import load_project

DAY = date(2026, 11, 27)

JYJ = "申请:\n" + "".join([
    item("J-1", "2021-03-01", 内容摘要="校外培训机构的年检结果", 办理结果="（一）予以公开", 答复日期="2021-03-08"),  # 5 working days
    item("J-2", "2021-11-01", 内容摘要="课后服务收费标准", 办理结果="（一）予以公开", 答复日期="2021-11-17"),  # 12
    item("J-3", "2021-12-01", 内容摘要="学区划分调整的论证材料", 申请人类型="商业企业"),  # due 12-29: overdue on 2022-01-10
    item("J-4", "2021-12-20", 内容摘要="某学校扩建项目的全部文件", 补正="{通知日期: 2021-12-22}"),  # waiting for the applicant
    item("J-5", "2022-01-05", 内容摘要="民办学校的年度检查报告"),  # due 2022-02-07 across 春节 (Sat 1-29, Sun 1-30 are workdays)
])


def build_as_of(tmp_path, day: str):
    root = make_project(tmp_path)
    (root / "data/register/jyj").mkdir(parents=True)
    text = JYJ.split("  - 编号: J-5")  # J-5 was received in 2022: it belongs in the 2022 file
    (root / "data/register/jyj/2021.yml").write_text(text[0], encoding="utf-8")
    (root / "data/register/jyj/2022.yml").write_text("申请:\n  - 编号: J-5" + text[1], encoding="utf-8")
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "  - xxgk  #" in text
    config.write_text(text.replace("  - xxgk  #", f'  - xxgk:\n      today: "{day}"\n  #', 1), encoding="utf-8")
    site = tmp_path / "site"
    result = run_mkdocs_build(root, site)
    assert result.returncode == 0, result.stderr[-3000:]
    return root, site, result


def test_the_supervising_page_lists_open_applications_by_due_date_without_personal_data(tmp_path):
    root, site, build = build_as_of(tmp_path, "2022-01-10")
    assert "申请“J-3”截至 2022-01-10 仍未答复，已超过答复期限 2021-12-29" in build.stderr  # the check's warning
    html = (site / "register/index.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "html.parser")
    main = soup.select_one(".md-content")
    assert main.h1.get_text() == "依申请公开办理情况"
    rows = [[td.get_text(strip=True) for td in tr.select("td")] for tr in main.select("table.xxgk-register-open tbody tr")]
    mine = [r for r in rows if r[1] == "区教育局"]
    assert [r[2] for r in mine] == ["J-3", "J-5", "J-4"]
    assert mine[0] == ["2021-12-29", "区教育局", "J-3", "2021-12-01", "网络", "商业企业", "已超过答复期限 7 个工作日"]
    assert mine[1][0] == "2022-02-07" and mine[1][-1] == "剩余 17 个工作日"
    assert mine[2][0] == "—" and mine[2][-1].startswith("等待申请人补正（2021-12-22 已通知补正）")
    dues = [r[0] for r in rows]
    known = [d for d in dues if d != "—"]
    assert known == sorted(known) and dues == known + ["—"] * (len(dues) - len(known))
    # The demo's applications carried over 31 December 2021 are open on 10 January too.
    assert "区商务局" in {r[1] for r in rows}
    overdue = main.select("table.xxgk-register-open td.xxgk-bad")
    assert [td.find_parent("tr").select("td")[2].get_text() for td in overdue] == ["J-3"]
    times = {(r[0], r[1]): r[2:] for r in ([td.get_text(strip=True) for td in tr.select("td")]
                                           for tr in main.select("table.xxgk-register-times tbody tr"))}
    assert times[("区教育局", "2021年")] == ["2", "8.5", "12", "0", "0"]
    # Nothing of what was asked for, nor who asked: only numbers, dates, channel and type.
    for summary in ("校外培训机构的年检结果", "学区划分调整的论证材料", "某学校扩建项目的全部文件", "区级促消费专项资金"):
        assert summary not in html
    for a in main.select("a[href]"):
        target = posixpath.normpath(posixpath.join("register/", a["href"]))
        assert (site / target / "index.html").is_file() or (site / target).is_file(), a["href"]


def test_the_demo_page(demo_site):
    soup = BeautifulSoup((demo_site / "register/index.html").read_text(encoding="utf-8"), "html.parser")
    main = soup.select_one(".md-content")
    times = {(r[0], r[1]): r[2:] for r in ([td.get_text(strip=True) for td in tr.select("td")]
                                           for tr in main.select("table.xxgk-register-times tbody tr"))}
    assert times[("区商务局", "2021年")][0] == "9" and times[("区政府", "2021年")][0] == "77"
    assert all(row[-1] == "0" for row in times.values())  # the demo answers every application in time
    assert "区政府：2021—2022年收到的申请（2020年只登记年末尚未答复的申请）" in main.get_text()


def test_the_demo_narratives_take_their_numbers_from_catalog_and_register(demo_site):
    project = load_project(ROOT, date.today())  # the demo build uses today too
    published = [e for e in project.published() if e.org == "qzf" and e.year == 2022]
    text = (demo_site / "reports/qzf/2022/index.html").read_text(encoding="utf-8")
    assert "{{" not in text
    assert f"区政府本级通过政府信息公开目录主动公开政府信息{len(published)}条" in text
    assert "全年共收到政府信息公开申请62件，上年结转1件。办结58件（其中经批准延期答复" in text
    assert "实际收取信息处理费共计200元" in text


def test_unknown_placeholders_are_errors_at_their_line(tmp_path):
    narrative = NARRATIVE_2021.replace("本年度工作情况。", "本年主动公开{{ 统计.主动公开 }}条。\n\n其中{{统计.主动公开.新闻}}条，"
                                                          "收到申请{{ 台账.本年新收 }}件。")
    root = project_with_reports(tmp_path, {
        "data/reports/jyj/2021.yml": "发布日期: 2022-01-20\n",
        "docs/reports/jyj/2021.md": narrative,
    })
    problems = [p for p in load_project(root, DAY).problems if p.file == "docs/reports/jyj/2021.md"]
    assert [(p.level, p.line) for p in problems] == [("错误", 5), ("错误", 5)]
    assert "“{{统计.主动公开.新闻}}”不是可用的统计项" in problems[0].message
    assert "“{{ 台账.本年新收 }}”无法取值：没有 2021 年完整、无错误的依申请公开登记台账（data/register/jyj/2021.yml）" \
        in problems[1].message


REVIEWED_2024_01_04 = "".join(f"\n  {role}: {{审查人: 甲, 日期: 2024-01-04}}" for role in ("业务科室", "信息发布人", "分管领导"))
POLICY = dict(信息类别="政策文件", 有效性="有效", 第二十条="[（一）]", 发布机构="jyj", 主题分类="科技、教育\\教育")


def test_article_20_figures_are_checked_against_the_catalog(tmp_path):
    entries = {
        "jyj/2024/00001.md": front_matter(索引号="770010079/2024-00001", 文号="示教〔2024〕3号", 成文日期="2024-03-01",
                                          发布日期="2024-03-05", **POLICY),
        # Written in 2023, published in 2024: issued in 2023.
        "jyj/2024/00002.md": front_matter(索引号="770010079/2024-00002", 文号="示教〔2023〕19号", 成文日期="2023-12-28",
                                          发布日期="2024-01-04", 保密审查=REVIEWED_2024_01_04, **POLICY),
        # No 文号: not counted.
        "jyj/2024/00003.md": front_matter(索引号="770010079/2024-00003", 文号=None, 成文日期="2024-04-01",
                                          发布日期="2024-04-03", **POLICY),
    }
    root = make_project(tmp_path, entries)
    rules = root / "data/rules.yml"
    rules.write_text(rules.read_text(encoding="utf-8").replace("规范性文件核对起始年度: 2025", "规范性文件核对起始年度: 2023"),
                     encoding="utf-8")
    for year, count in ((2023, 1), (2024, 2)):
        (root / f"data/reports/jyj").mkdir(parents=True, exist_ok=True)
        (root / f"data/reports/jyj/{year}.yml").write_text(
            f"发布日期: {year + 1}-01-20\n表二:\n  第二十条第（一）项:\n    行政规范性文件: {{本年制发件数: {count}}}\n",
            encoding="utf-8")
        (root / f"docs/reports/jyj").mkdir(parents=True, exist_ok=True)
        (root / f"docs/reports/jyj/{year}.md").write_text(NARRATIVE_2021, encoding="utf-8")
    project = load_project(root, DAY)
    found = [p for p in project.problems if "[目录核对]" in p.message]
    assert len(found) == 1, [str(p) for p in found]
    warning = found[0]
    assert warning.level == "警告" and (warning.file, warning.line) == ("data/reports/jyj/2024.yml", 4)
    assert ("表二 第二十条第（一）项“行政规范性文件”的“本年制发件数”为 2，而目录中 2024 年成文、已发布的规范性文件为 1 件："
            "示教〔2024〕3号") in warning.message
    # Before the year the catalog is complete from, nothing is compared.
    rules.write_text(rules.read_text(encoding="utf-8").replace("规范性文件核对起始年度: 2023", "规范性文件核对起始年度: 2025"),
                     encoding="utf-8")
    assert not [p for p in load_project(root, DAY).problems if "[目录核对]" in p.message]


def test_catalog_statistics_come_from_the_published_catalog():
    from collections import Counter

    from xxgk.register.stats import catalog_counts, variables
    project = load_project(ROOT, DAY)
    published = project.published()
    counts = catalog_counts(published)
    assert sum(counts.values()) == len(published)
    assert counts == Counter((e.org, e.year, e.category) for e in published)
    values = variables(published, project.ref.categories, project.register, "swj", 2021)
    assert values["统计.主动公开"] == len([e for e in published if e.org == "swj" and e.year == 2021])
    assert values["统计.主动公开.政策文件"] == counts[("swj", 2021, "政策文件")]
    assert values["统计.规范性文件"] == 1 and values["统计.规章"] == 0  # 示商发〔2021〕4号
    assert (values["台账.本年新收"], values["台账.上年结转"], values["台账.办结"], values["台账.结转下年度"]) == (10, 0, 9, 1)
    # Drafts and embargoed entries never count: the same as the one definition of published.
    assert all(e.is_published(DAY, project.ref.review_roles) for e in published)
    assert len(published) < len(project.catalog.entries)
