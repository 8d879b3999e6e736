"""The national inspection indicators (国办函〔2019〕19号) as warnings of `xxgk check` and on the
dashboard: stale and blank sections, the home page's age, backdated entries, broken links."""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import ROOT, TODAY, front_matter, make_project, run_mkdocs_build, run_xxgk
from xxgk.inspection import Period, first_commits, inspect
from xxgk.project import load_project

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def entry(number: int, category: str, day: str, **fields) -> str:
    """A published entry of 示例区商务局 written, reviewed and published on `day`."""
    review = "".join(f"\n  {role}: {{审查人: 甲, 日期: {day}}}" for role in ("业务科室", "信息发布人", "分管领导"))
    if category == "政策文件":
        fields.setdefault("有效性", "失效")
    return front_matter(索引号=f"770010036/{day[:4]}-{number:05d}", 信息类别=category, 成文日期=day, 发布日期=day,
                        保密审查=review, **fields)


def set_rules(root: Path, text: str) -> None:
    (root / "data/inspection.yml").write_text(text, encoding="utf-8")


def warnings(stdout: str) -> list[str]:
    return [line for line in stdout.splitlines() if line.startswith("警告 ")]


def test_periods_as_the_indicators_write_them():
    assert Period(6, "个月").deadline(date(2026, 5, 31)) == date(2026, 11, 30)
    assert Period(6, "个月").deadline(date(2026, 8, 31)) == date(2027, 2, 28)
    assert Period(2, "周").overdue(date(2026, 11, 13), date(2026, 11, 27)) is False  # exactly 2 weeks: still on time
    assert Period(2, "周").overdue(date(2026, 11, 12), date(2026, 11, 27)) is True


def test_stale_and_blank_sections_grouped_per_organisation(tmp_path):
    root = make_project(tmp_path, {
        "swj/2026/00001.md": entry(1, "部门动态", "2026-11-01"),  # 26 days > 2 weeks
        "swj/2026/00002.md": entry(2, "公告公示", "2026-05-20"),  # more than 6 months
        "swj/2026/00003.md": entry(3, "政策文件", "2026-06-01"),  # within 6 months
    })
    result = run_xxgk(root, "check")
    assert result.returncode == 0, result.stdout  # warnings only: never a publication error
    found = warnings(result.stdout)
    [swj] = [w for w in found if w.startswith("警告 docs/catalog/swj/ ")]
    assert "示例区商务局：2 个栏目未按期更新（部门动态最近一条发布于 2026-11-01，已 26 天，超过 2 周；" in swj
    assert "公告公示最近一条发布于 2026-05-20，已 191 天，超过 6 个月）" in swj
    assert "政策文件" not in swj.split("栏目空白")[0]
    assert "9 个栏目空白（政策解读、机关简介、规划计划、财政信息、人事信息、统计信息、行政执法、政府采购、工作报告）" in swj
    # An organisation with nothing published: one line, not twelve.
    [qzf] = [w for w in found if w.startswith("警告 docs/catalog/qzf/ ")]
    assert qzf.endswith("示例区人民政府没有任何已公开的信息：12 个栏目全部空白。")
    assert "警告 docs/index.md 首页最新信息发布于 2026-11-01，已 26 天未更新，超过 2 周" in result.stdout
    assert any("全站 69 个栏目空白，达到《政府网站与政务新媒体检查指标》单项否决的 5 个" in w for w in found)
    assert not any("全站" in w and "未按期更新" in w for w in found)  # 2 stale sections: below the veto
    assert "未核对发布日期是否早于首次提交日期：项目不在 Git 仓库中。" in result.stdout
    assert result.stdout.count("未核对发布日期") == 1


def test_update_periods_come_from_data(tmp_path):
    root = make_project(tmp_path, {"swj/2026/00001.md": entry(1, "部门动态", "2026-11-01")})
    set_rules(root, "首页更新期限: 30天\n栏目更新期限:\n  部门动态: 1个月\n")
    project = load_project(root, date.fromisoformat(TODAY))
    assert not project.problems
    found = inspect(project)
    assert found.stale() == [] and not found.home_stale and found.home_age == 26
    assert len(found.blank()) == 6 * 12 - 1
    assert project.ref.inspection.veto_count == 5 and project.ref.inspection.migrated_until is None


def test_mistakes_in_the_inspection_settings_are_located(tmp_path):
    root = make_project(tmp_path)
    set_rules(root, "首页更新期限: 两周\n栏目更新期限:\n  小道消息: 2周\n  部门动态: 每天\n发布日期容差天数: -1\n")
    problems = load_project(root, date.fromisoformat(TODAY)).problems
    messages = {(p.line, p.field): p.message for p in problems.errors}
    assert messages[(1, "首页更新期限")] == "应写成“14天”“2周”或“6个月”。"
    assert messages[(3, "栏目更新期限")] == "“小道消息”不是 data/vocab.yml 中的信息类别。"
    assert (4, "栏目更新期限.部门动态") in messages
    assert messages[(5, "发布日期容差天数")] == "应为不小于 0 的整数。"


def git(root: Path, *args: str, day: str | None = None) -> None:
    env = dict(os.environ, GIT_AUTHOR_NAME="甲", GIT_AUTHOR_EMAIL="a@example.org", GIT_COMMITTER_NAME="甲",
               GIT_COMMITTER_EMAIL="a@example.org", GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1")
    if day:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = f"{day}T10:00:00+08:00"
    subprocess.run(["git", "-C", str(root), *args], env=env, check=True, capture_output=True)


def commit(root: Path, files: dict[str, str], day: str) -> None:
    for rel, text in files.items():
        path = root / "docs/catalog" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", f"entries of {day}", day=day)


@pytest.fixture
def history(tmp_path):
    """A project in a Git repository whose commits carry planted dates."""
    root = make_project(tmp_path)
    set_rules(root, "迁入截止日期: 2026-01-01\n")
    git(root, "init", "-q", "-b", "main")
    # Migrated from the previous site with its original date: not checked.
    commit(root, {"swj/2025/00001.md": entry(1, "部门动态", "2025-03-03")}, "2025-12-30")
    commit(root, {"swj/2026/00001.md": entry(1, "部门动态", "2026-11-10")}, "2026-11-10")
    commit(root, {"swj/2026/00002.md": entry(2, "部门动态", "2026-11-20"),  # five days before its commit
                  "swj/2026/00003.md": entry(3, "部门动态", "2026-11-24")}, "2026-11-25")  # within the 1 day allowed
    # Moving a file keeps the day it was first committed.
    (root / "docs/catalog/swj/moved").mkdir()
    git(root, "mv", "docs/catalog/swj/2026/00001.md", "docs/catalog/swj/moved/00001.md")
    git(root, "commit", "-q", "-m", "move", day="2026-11-26")
    return root


@needs_git
def test_backdated_entries_are_found_from_one_pass_over_the_history(history):
    first, missing = first_commits(history)
    assert missing is None
    assert first["docs/catalog/swj/moved/00001.md"] == date(2026, 11, 10)
    assert first["docs/catalog/swj/2026/00002.md"] == date(2026, 11, 25)
    result = run_xxgk(history, "check")
    assert result.returncode == 0, result.stdout
    backdated = [w for w in warnings(result.stdout) if "发布日期早于首次提交日期" in w]
    assert backdated == ["警告 docs/catalog/swj/2026/00002.md:6 字段“发布日期”：发布日期早于首次提交日期：发布日期为 2026-11-20，"
                         "条目于 2026-11-25 首次提交，相差 5 天（允许 1 天）。伪造发稿日期属《政府网站与政务新媒体检查指标》"
                         "单项否决，请改为实际发布的日期。"]
    assert "迁入截止日期" in result.stdout  # the way out for content migrated with its dates
    # An entry not committed yet is not judged: it enters the history when it is committed.
    (history / "docs/catalog/swj/2026/00004.md").write_text(entry(4, "部门动态", "2026-11-01"), encoding="utf-8")
    assert [b.entry.file for b in inspect(load_project(history, date.fromisoformat(TODAY))).backdated] == [
        "docs/catalog/swj/2026/00002.md"]


@needs_git
def test_a_shallow_clone_is_said_once_instead_of_warning_on_every_entry(history, tmp_path):
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{history}", str(clone)], check=True,
                   capture_output=True, env=dict(os.environ, GIT_CONFIG_GLOBAL=os.devnull))
    result = run_xxgk(clone, "check")
    assert "发布日期早于首次提交日期" not in result.stdout
    [note] = [line for line in result.stdout.splitlines() if "未核对发布日期" in line]
    assert note.startswith("说明 ") and "浅克隆" in note and "fetch-depth: 0" in note and "GIT_DEPTH: 0" in note


def test_broken_links_and_attachments_in_the_built_site(tmp_path):
    files = tmp_path / "project/docs/catalog/swj/2026/files"
    files.mkdir(parents=True)
    (files / "名单.csv").write_text("单位,金额\n甲公司,100\n", encoding="utf-8")
    root = make_project(tmp_path, {"swj/2026/00001.md": entry(1, "部门动态", "2026-11-20",
                                                              附件="\n  - {名称: 名单, 文件: files/名单.csv}")})
    site = tmp_path / "site"
    build = run_mkdocs_build(root, site)
    assert build.returncode == 0, build.stderr[-3000:]
    clean = run_xxgk(root, "check", "--links", "--site", str(site))
    assert clean.returncode == 0 and "链接" not in "".join(warnings(clean.stdout)), clean.stdout
    assert "不含站外链接" in clean.stdout

    (site / "catalog/swj/2026/files/名单.csv").unlink()  # an attachment lost on the way
    page = site / "catalog/swj/2026/00001/index.html"
    page.write_text(page.read_text(encoding="utf-8").replace("</article>", '<a href="../../nosuch/">旧链接</a></article>'),
                    encoding="utf-8")
    broken = run_xxgk(root, "check", "--links", "--site", str(site))
    assert broken.returncode == 0  # warnings, not errors
    found = [w for w in warnings(broken.stdout) if "链接" in w]
    where = f"警告 {site}/catalog/swj/2026/00001/index.html "
    assert f"{where}链接“catalog/swj/2026/files/名单.csv”无法打开（文件不存在）。" in found
    assert f"{where}链接“catalog/swj/nosuch”无法打开（文件不存在）。" in found
    assert len(found) == 2


def test_links_without_a_built_site_are_said_not_guessed(tmp_path):
    root = make_project(tmp_path)
    result = run_xxgk(root, "check", "--links")
    assert "警告 site/ 未找到已生成的网站，未检查链接。请先运行 make build" in result.stdout


def test_the_demo_is_told_only_what_is_true_of_it():
    result = run_xxgk(ROOT, "check")
    assert result.returncode == 0, result.stdout
    demo = load_project(ROOT, date.fromisoformat(TODAY))
    found = warnings(result.stdout)
    # One line per organisation, the home page and the two whole-site counts; no entry is backdated
    # (the demo's entries and reports were migrated by 2026-11-30 with their dates), or the history is missing.
    assert "发布日期早于首次提交日期" not in result.stdout
    for org in demo.ref.orgs.values():
        assert sum(1 for w in found if w.startswith(f"警告 docs/catalog/{org.id}/ ")) == 1
    newest = max(e.published for e in demo.listed())  # entries and the reports listed with them
    assert f"首页最新信息发布于 {newest.isoformat()}" in result.stdout
    # (the demo's late and inconsistent reports give report warnings, not indicators)
    assert len([w for w in found if w.startswith(("警告 docs/catalog/", "警告 docs/index.md"))]) <= len(demo.ref.orgs) + 3


def test_dashboard_shows_the_indicators_per_organisation(demo_site):
    demo = load_project(ROOT, date.today())  # the demo build uses today
    found = inspect(demo)
    soup = BeautifulSoup((demo_site / "dashboard/index.html").read_text(encoding="utf-8"), "html.parser")
    assert soup.select_one("h2#inspection") is not None
    rows = soup.select("table.xxgk-dashboard-inspection tbody tr")
    assert len(rows) == len(demo.ref.orgs)
    for tr, org in zip(rows, demo.ref.orgs.values()):
        tds = [td.get_text() for td in tr.select("td")]
        stale, blank = found.stale(org.id), found.blank(org.id)
        assert tds[0] == org.short_name
        assert tds[1] == (f"{len(stale)} 个" if stale else "0") and tds[2] == (f"{len(blank)} 个" if blank else "0")
        if stale or blank:
            assert tr.select_one("a[href$='evidence/#%s-inspection']" % org.id) is not None
    evidence = BeautifulSoup((demo_site / "dashboard/evidence/index.html").read_text(encoding="utf-8"), "html.parser")
    swj = evidence.select_one("h3#swj-inspection").find_next("ul").get_text()
    assert all(s.category in swj for s in found.stale("swj") + found.blank("swj"))


@needs_git
def test_a_backdated_annual_report_is_found_like_an_entry(history):
    """Reports carry a 发布日期 too (issue 23): one committed long after the date it claims is found."""
    for folder in ("data/reports/swj", "docs/reports/swj"):
        (history / folder).mkdir(parents=True, exist_ok=True)
    report = (ROOT / "data/reports/swj/2021.yml").read_text(encoding="utf-8")
    (history / "data/reports/swj/2021.yml").write_text(report, encoding="utf-8")
    (history / "docs/reports/swj/2021.md").write_text((ROOT / "docs/reports/swj/2021.md").read_text(encoding="utf-8"),
                                                      encoding="utf-8")
    git(history, "add", "-A")
    git(history, "commit", "-q", "-m", "report", day="2026-11-26")
    result = run_xxgk(history, "check")
    published = next(line for line in report.splitlines() if line.startswith("发布日期:")).split(":", 1)[1].strip()
    line = report.splitlines().index(f"发布日期: {published}") + 1
    assert (f"警告 data/reports/swj/2021.yml:{line} 字段“发布日期”：发布日期早于首次提交日期：发布日期为 {published}，"
            "年度报告于 2026-11-26 首次提交") in result.stdout, result.stdout
