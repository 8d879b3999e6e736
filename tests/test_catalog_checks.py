"""Each bad-input case: the located Chinese message, `xxgk check` exit 1 and a failing build."""

import shutil
import threading
from datetime import date

import pytest

from conftest import TODAY, front_matter, make_project, run_mkdocs_build, run_xxgk
from xxgk.project import load_project

ENTRY = "swj/2024/00001.md"
FILE = f"docs/catalog/{ENTRY}"
REVIEW_MISSING_LEADER = ("\n  业务科室: {审查人: 甲, 日期: 2024-03-04}"
                         "\n  信息发布人: {审查人: 乙, 日期: 2024-03-04}")

# (case id, entries, expected line, field, fragment of the message)
ERROR_CASES = [
    ("unknown-field", {ENTRY: front_matter(发布曰期="2024-03-05")}, 15, "发布曰期", "不是可用的字段"),
    ("missing-title", {ENTRY: front_matter(标题=None)}, 1, "标题", "缺少必填字段"),
    ("unknown-org", {ENTRY: front_matter(发布机构="nosuch")}, 4, "发布机构", "“nosuch”不在允许的取值中"),
    ("unknown-category", {ENTRY: front_matter(信息类别="小道消息")}, 9, "信息类别", "不在允许的取值中"),
    ("unknown-article20", {ENTRY: front_matter(第二十条="[（十六）]")}, 15, "第二十条", "（十六）"),
    ("invalid-date", {ENTRY: front_matter(成文日期="2024-02-30")}, 5, "成文日期", "不是有效日期"),
    ("number-as-text", {ENTRY: front_matter(文号="123")}, 7, "文号", "请用英文引号括起来"),
    ("index-format", {ENTRY: front_matter(索引号="770010036-2024-1")}, 2, "索引号", "格式不对"),
    ("index-prefix", {ENTRY: front_matter(索引号="770010044/2024-00001")}, 2, "索引号", "机构代码“770010036”不一致"),
    ("index-year", {ENTRY: front_matter(索引号="770010036/2023-00001")}, 2, "索引号", "与发布日期的年份 2024 不一致"),
    ("index-duplicate", {ENTRY: front_matter(), "swj/2024/00002.md": front_matter()}, 2, "索引号", "的索引号重复"),
    ("published-before-written", {ENTRY: front_matter(成文日期="2024-03-09")}, 6, "发布日期", "早于成文日期"),
    ("attachment-missing", {ENTRY: front_matter(附件="\n  - {名称: 申报表, 文件: files/申报表.xlsx}")},
     16, "附件", "找不到附件文件"),
    ("review-incomplete", {ENTRY: front_matter(保密审查=REVIEW_MISSING_LEADER)}, 11, "保密审查", "缺少分管领导环节"),
    ("review-after-publication", {ENTRY: front_matter(发布日期="2024-03-04")}, 14, "保密审查", "晚于发布日期"),
    ("policy-without-validity", {ENTRY: front_matter(信息类别="政策文件")}, 1, "有效性", "必须注明有效性"),
    ("related-unknown", {ENTRY: front_matter(相关="[770010036/2024-00099]")}, 15, "相关", "找不到索引号"),
    ("duplicate-key", {ENTRY: front_matter() .replace("文号:", "标题: 重复\n文号:")}, 7, "标题", "重复"),
    ("no-front-matter", {ENTRY: "# 标题\n\n正文\n"}, 1, None, "YAML 头部"),
]


@pytest.mark.parametrize("entries, line, field, fragment", [c[1:] for c in ERROR_CASES],
                         ids=[c[0] for c in ERROR_CASES])
def test_bad_input_is_located_and_fails(tmp_path, entries, line, field, fragment):
    root = make_project(tmp_path, entries)
    problems = load_project(root, date.fromisoformat(TODAY)).problems
    matching = [p for p in problems.errors if fragment in p.message]
    assert matching, [str(p) for p in problems]
    problem = matching[0]
    assert problem.file.startswith("docs/catalog/swj/2024/0000")
    assert (problem.line, problem.field) == (line, field)

    check = run_xxgk(root, "check")
    assert check.returncode == 1 and fragment in check.stdout and problem.file in check.stdout

    build = run_mkdocs_build(root, tmp_path / "site")
    assert build.returncode != 0
    assert problem.file in build.stderr and fragment in build.stderr
    assert not (tmp_path / "site" / "catalog" / "swj" / "2024" / "00001" / "index.html").exists()


@pytest.fixture
def make_project_in_tmp(tmp_path):
    return lambda entries: make_project(tmp_path, entries)


def test_policy_without_interpretation_warns_after_configured_days(make_project_in_tmp):
    policy = {ENTRY: front_matter(信息类别="政策文件", 有效性="有效")}
    root = make_project_in_tmp(policy)
    assert not load_project(root, date(2024, 3, 20)).problems  # within 30 days: nothing yet
    project = load_project(root, date(2024, 4, 30))
    [warning] = project.problems
    assert warning.field == "相关" and "超过 30 天" in warning.message and "政策解读" in warning.message


def test_policy_with_interpretation_linked_from_either_side(make_project_in_tmp):
    entries = {
        ENTRY: front_matter(信息类别="政策文件", 有效性="有效"),
        "swj/2024/00002.md": front_matter(索引号="770010036/2024-00002", 信息类别="政策解读",
                                          相关="[770010036/2024-00001]"),
    }
    project = load_project(make_project_in_tmp(entries), date(2024, 9, 1))
    assert not project.problems, [str(p) for p in project.problems]


def test_late_publication_warns_in_working_days(make_project_in_tmp):
    # 2024-09-27 → 2024-11-05: 国庆 off, 09-29 and 10-12 worked; 24 working days > 20 (条例第二十六条).
    late = front_matter(成文日期="2024-09-27", 发布日期="2024-11-05", 保密审查=(
        "\n  业务科室: {审查人: 甲, 日期: 2024-11-01}\n  信息发布人: {审查人: 乙, 日期: 2024-11-01}"
        "\n  分管领导: {审查人: 丙, 日期: 2024-11-04}"))
    project = load_project(make_project_in_tmp({ENTRY: late}), date.fromisoformat(TODAY))
    [warning] = project.problems
    assert not warning.is_error and warning.field == "发布日期"
    assert "24 个工作日" in warning.message and "第二十六条" in warning.message


def test_information_formed_before_the_regulation_has_no_time_limit(tmp_path):
    # 条例 in force from 2008-05-01 (data/rules.yml 主动公开时限起始日期): a migrated 1996 document republished in
    # 2016 gets no working-day warning, neither "late" nor "1996 calendar unknown"; one formed after it does.
    def entry(written):
        return front_matter(索引号="770010036/2016-00001", 成文日期=written, 发布日期="2016-03-07", 保密审查=(
            "\n  业务科室: {审查人: 甲, 日期: 2016-03-04}\n  信息发布人: {审查人: 乙, 日期: 2016-03-04}"
            "\n  分管领导: {审查人: 丙, 日期: 2016-03-07}"))
    old = load_project(make_project(tmp_path / "old", {"swj/2016/00001.md": entry("1996-05-20")}), date.fromisoformat(TODAY))
    assert not old.problems, [str(p) for p in old.problems]
    later = load_project(make_project(tmp_path / "new", {"swj/2016/00001.md": entry("2008-05-01")}), date.fromisoformat(TODAY))
    [warning] = later.problems
    assert warning.field == "发布日期" and "第二十六条" in warning.message


def test_unknown_calendar_year_is_said_not_guessed(make_project_in_tmp):
    future = front_matter(索引号="770010036/2031-00001", 成文日期="2031-03-03", 发布日期="2031-03-05", 保密审查=(
        "\n  业务科室: {审查人: 甲, 日期: 2031-03-04}\n  信息发布人: {审查人: 乙, 日期: 2031-03-04}"
        "\n  分管领导: {审查人: 丙, 日期: 2031-03-05}"))
    project = load_project(make_project_in_tmp({"swj/2031/00001.md": future}), date.fromisoformat(TODAY))
    [warning] = project.problems
    assert "2031 年的法定节假日安排尚未收录" in warning.message
    assert project.published() == []  # embargoed until 2031-03-05


def test_draft_needs_no_index_or_review_and_is_never_published(make_project_in_tmp):
    draft = front_matter(索引号=None, 保密审查=None, 草稿="true")
    project = load_project(make_project_in_tmp({"swj/2024/draft.md": draft}), date.fromisoformat(TODAY))
    assert not project.problems
    assert project.catalog.entries and project.published() == []


def test_large_catalogs_are_read_in_parallel_with_the_same_result(tmp_path, monkeypatch):
    from xxgk import catalog
    from xxgk.problems import Problems
    from xxgk.reference import load_reference

    root = make_project(tmp_path, {
        "swj/2024/00001.md": front_matter(),
        "swj/2024/00002.md": front_matter(索引号="770010036/2024-00002", 标题=None),  # an error
        "swj/2024/00003.md": front_matter(索引号="770010036/2024-00003", 发布日期="2024-02-01"),  # another
    })

    def load(parallel_from):
        monkeypatch.setattr(catalog, "PARALLEL_FROM", parallel_from)
        shutil.rmtree(root / ".cache", ignore_errors=True)  # every entry read, none from the entry cache
        problems = Problems()
        ref = load_reference(root, problems)
        return catalog.load_catalog(root, ref, problems).entries, problems

    sequential, parallel = load(10**9), load(2)
    assert len(sequential[0]) == 3 and len(sequential[1].errors) >= 2
    assert parallel == sequential  # the same entries, in the same order, with the same problems
    # With another thread running (as under mkdocs serve) the workers are spawned, not forked.
    stop = threading.Event()
    waiting = threading.Thread(target=stop.wait)
    waiting.start()
    try:
        assert load(2) == sequential
    finally:
        stop.set()
        waiting.join()


def test_a_body_link_to_an_unlisted_or_missing_file_is_located(tmp_path):
    """Only an entry's 附件 are published from its folder: an image or link in the body to another
    file there would be broken on the portal. Listed files, pages, web addresses and code are fine."""
    body = ("\n正文第一段。\n\n![示意图](files/图1.png)\n\n见[附表](files/附表%201.xlsx#sheet)。\n\n"
            "![已列出](files/图2.png)\n\n```\n![代码中](files/no.png)\n```\n\n[网址](https://www.gov.cn/a.png)，"
            "[另一条目](00002.md)，<img src=\"files/图3.png\" alt=\"HTML\">\n")
    head = front_matter(附件="\n  - {名称: 图2, 文件: files/图2.png}")
    root = make_project(tmp_path, {ENTRY: head + body})
    files = root / "docs/catalog/swj/2024/files"
    files.mkdir()
    for name in ("图1.png", "图2.png", "图3.png"):
        (files / name).write_bytes(b"\x89PNG\r\n\x1a\n")
    result = run_xxgk(root, "check")
    assert result.returncode == 1
    mine = [line for line in result.stdout.splitlines() if "正文中的链接" in line]
    body_line = head.count("\n") + 1  # the body's first line
    assert mine == [
        f"错误 {FILE}:{body_line + 3} 正文中的链接“files/图1.png”指向的文件没有列在“附件”中，不会发布，"
        "页面上将是坏链接或空白图片：请在“附件”中列出它（名称、文件），或删除这个链接。",
        f"错误 {FILE}:{body_line + 5} 正文中的链接“files/附表 1.xlsx”指向的文件不存在：请改正文件名，或删除这个链接。",
        f"错误 {FILE}:{body_line + 13} 正文中的链接“files/图3.png”指向的文件没有列在“附件”中，不会发布，"
        "页面上将是坏链接或空白图片：请在“附件”中列出它（名称、文件），或删除这个链接。",
    ], result.stdout
