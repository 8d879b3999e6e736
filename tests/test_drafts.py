"""Drafts never block (issue 13, part 4): a draft's problems are warnings marked 草稿中的问题, errors
again once it stops being a draft; `xxgk new` writes a draft that checks clean and builds."""

from __future__ import annotations

from datetime import date

from conftest import TODAY, front_matter, make_project, run_mkdocs_build, run_xxgk
from xxgk.project import load_project

DRAFT = "swj/2024/draft.md"


def test_a_drafts_problems_are_warnings_and_errors_again_when_published(tmp_path):
    text = front_matter(索引号=None, 保密审查=None, 草稿="true", 信息类别="政策文件", 主题分类="商贸、海关、旅游/国内贸易")
    root = make_project(tmp_path, {DRAFT: text})
    project = load_project(root, date.fromisoformat(TODAY))
    assert not project.problems.errors
    assert {p.field for p in project.problems.warnings} >= {"有效性", "主题分类"}
    assert all(p.draft for p in project.problems)
    assert project.published() == []
    check = run_xxgk(root, "check")
    assert check.returncode == 0, check.stdout
    assert "警告（草稿中的问题） docs/catalog/swj/2024/draft.md:" in check.stdout

    (root / "docs/catalog" / DRAFT).write_text(text.replace("草稿: true\n", ""), encoding="utf-8")
    project = load_project(root, date.fromisoformat(TODAY))
    assert {p.field for p in project.problems.errors} >= {"有效性", "主题分类", "索引号", "保密审查"}
    assert not any(p.draft for p in project.problems)


def test_a_draft_with_broken_yaml_does_not_block(tmp_path):
    text = front_matter(索引号=None, 保密审查=None, 草稿="true").replace("标题: ", "标题：")
    root = make_project(tmp_path, {DRAFT: text, "swj/2024/00001.md": front_matter()})
    check = run_xxgk(root, "check")
    assert check.returncode == 0, check.stdout
    assert "草稿中的问题" in check.stdout and "中文冒号" in check.stdout


def test_new_policy_draft_checks_clean_builds_and_guesses_no_topic(tmp_path):
    root = make_project(tmp_path)
    new = run_xxgk(root, "new", "swj", "--title", "示例区商务局关于促进消费的若干措施", "--category", "政策文件")
    assert new.returncode == 0, new.stderr
    path = root / f"docs/catalog/swj/{TODAY[:4]}/00001.md"
    text = path.read_text(encoding="utf-8")
    assert "有效性: 有效\n" in text
    assert "\n主题分类:\n" in text and "data/vocab.yml" in text  # left empty, with where to look
    check = run_xxgk(root, "check")
    assert check.returncode == 0, check.stdout
    assert f"警告（草稿中的问题） docs/catalog/swj/{TODAY[:4]}/00001.md:9 字段“主题分类”：必填字段为空" in check.stdout
    build = run_mkdocs_build(root, tmp_path / "site")
    assert build.returncode == 0, build.stderr[-3000:]
    assert not (tmp_path / "site/catalog/swj" / TODAY[:4] / "00001").exists()


def test_new_with_topic_fills_it_and_suggests_on_a_typo(tmp_path):
    root = make_project(tmp_path)
    wrong = run_xxgk(root, "new", "swj", "--topic", "商贸、海关、旅游/国内贸易")
    assert wrong.returncode == 2 and "您是否想写“商贸、海关、旅游\\国内贸易”" in wrong.stderr
    right = run_xxgk(root, "new", "swj", "--topic", "商贸、海关、旅游\\国内贸易")
    assert right.returncode == 0, right.stderr
    text = (root / f"docs/catalog/swj/{TODAY[:4]}/00001.md").read_text(encoding="utf-8")
    assert "主题分类: 商贸、海关、旅游\\国内贸易\n" in text
