"""Bounded work for every input, and no traceback: content that would make check, build or import
crawl is refused with a located Chinese error, quickly, and every other problem is still reported.

The `timeout=` of each command is a guard against a hang, never a measurement: before these limits
the same inputs took minutes (check 195 s, build over 900 s, report import 113 s and 7 GB)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from conftest import ROOT, TODAY, front_matter, make_project

GUARD = 240  # seconds; each command below finishes in a few


def xxgk(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "xxgk.cli", "--root", str(root), "--today", TODAY, *args],
                          cwd=root, capture_output=True, text=True, errors="replace", timeout=GUARD)


def build(root: Path, site: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(root / "mkdocs.yml"),
                           "-d", str(site)], cwd=root, env=env, capture_output=True, text=True, errors="replace",
                          timeout=GUARD)


def entry(number: int, body: str = "正文内容。", **fields) -> str:
    return front_matter(索引号=f"770010036/2024-{number:05d}", **fields).replace("正文内容。", body)


# An unrelated problem in another file: it must be reported next to the one under test.
OTHER = {"swj/2024/00009.md": entry(9, "联系人身份证号 11010519491231002X。")}
OTHER_ERROR = "错误 docs/catalog/swj/2024/00009.md:17 疑似居民身份证号"


def errors(result: subprocess.CompletedProcess) -> list[str]:
    out = result.stdout + result.stderr
    assert "Traceback" not in out, out
    return [line.split("ERROR   -  ", 1)[-1] for line in out.splitlines() if "错误 " in line]


def has(lines: list[str], start: str, *words: str) -> bool:
    return any(line.startswith(start) and all(w in line for w in words) for line in lines)


def set_limit(root: Path, key: str, value) -> None:
    path = root / "data/safety.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert key in data["正文"]
    data["正文"][key] = value
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


# --- 1. bounded work --------------------------------------------------------------------------------

def test_pathological_markdown_is_refused_by_check_and_build(tmp_path):
    tags = "\n".join(["<a " * 6667] * 10)  # ten lines of 20,000 characters
    root = make_project(tmp_path, {"swj/2024/00001.md": entry(1, tags),
                                   "swj/2024/00002.md": entry(2, "[" * 40000),
                                   "swj/2024/00003.md": entry(3, "![" * 20000),
                                   "swj/2024/00004.md": entry(4, "[\n" * 20000),
                                   **OTHER})
    for result in (xxgk(root, "check"), build(root, tmp_path / "site")):
        assert result.returncode == 1
        found = errors(result)
        for number in (1, 2, 3, 4):
            assert has(found, f"错误 docs/catalog/swj/2024/0000{number}.md:17 字段“正文”", "渲染时限秒", "“<”或“["), found
        assert has(found, OTHER_ERROR), found
    assert not (tmp_path / "site").exists()


def test_a_body_too_large_or_with_a_line_too_long(tmp_path):
    root = make_project(tmp_path, {"swj/2024/00001.md": entry(1, "公开内容。" * 150_000),  # 2.2 MB
                                   "swj/2024/00002.md": entry(2, "第一段。\n\n" + "长" * 100_001),
                                   **OTHER})
    found = errors(xxgk(root, "check"))
    assert has(found, "错误 docs/catalog/swj/2024/00001.md:1 字段“正文”", "MB", "最大兆字节"), found
    assert has(found, "错误 docs/catalog/swj/2024/00002.md:19 字段“正文”", "100001 个字符", "单行最大字符数"), found
    assert has(found, OTHER_ERROR), found


def test_the_limits_are_read_from_data(tmp_path):
    root = make_project(tmp_path, {"swj/2024/00001.md": entry(1, "一行\n" + "字" * 101)})
    set_limit(root, "单行最大字符数", 100)
    found = errors(xxgk(root, "check"))
    assert has(found, "错误 docs/catalog/swj/2024/00001.md:18 字段“正文”", "101 个字符"), found
    set_limit(root, "单行最大字符数", "很多")
    assert has(errors(xxgk(root, "check")), "错误 data/safety.yml:", "正文.单行最大字符数", "应为正数")


def test_the_build_stops_a_page_past_its_time_budget_and_renders_the_rest(tmp_path):
    """Constructs the check does not foresee: the build's own deadline stops the page. A list of
    60,000 items takes Python-Markdown seconds; its budget here is 0.05 s."""
    items = "- 列表项 *强调* `代码`\n" * 60_000
    root = make_project(tmp_path, {"swj/2024/00001.md": entry(1, items), "swj/2024/00002.md": entry(2, items),
                                   "swj/2024/00003.md": entry(3)})
    set_limit(root, "渲染时限秒", 0.05)
    assert xxgk(root, "check").returncode == 0
    result = build(root, tmp_path / "site")
    assert result.returncode == 1
    found = errors(result)
    for number in (1, 2):  # both pages are reported: the first did not stop the build
        assert has(found, f"错误 docs/catalog/swj/2024/0000{number}.md:16 字段“正文”", "0.05 秒的时限"), found
    assert "2 个页面超过生成时限，已停止构建" in result.stdout + result.stderr
    assert not (tmp_path / "site").exists()


def test_report_import_caps_the_cells_of_merged_tables(tmp_path):
    cells = '<td rowspan="100000000" colspan="100000000">x</td>' * 3000
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "spans.html").write_text(
        f"<html><body><h1>示例局2024年政府信息公开工作年度报告</h1>\n<table><tr>{cells}</tr></table></body></html>",
        encoding="utf-8")
    shutil.copy(ROOT / "tests/data/reports/bad-not-a-report.html", inbox / "other.html")
    root = make_project(tmp_path)
    result = xxgk(root, "report", "import", str(inbox), "--out", str(tmp_path / "out"))
    assert result.returncode == 1 and "Traceback" not in result.stdout + result.stderr
    assert f"错误 {inbox / 'spans.html'}：第 2 行的表格展开合并单元格（rowspan、colspan）后超过 100000 个单元格" in result.stdout
    assert f"错误 {inbox / 'other.html'}：" in result.stdout  # the next file is still read
    assert not (tmp_path / "out").exists()


# --- 2. generated files are written by their emitters ----------------------------------------------

def test_report_import_writes_yaml_and_comments_that_names_cannot_break(tmp_path):
    source = (ROOT / "tests/data/reports/city-2024-hz.html").read_text(encoding="utf-8")
    assert source.count("<h1>示例市2024年") == 1
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    name = inbox / "年报\n草稿: true\n发布日期: 2020-01-01\n.html"
    name.write_text(source.replace("<h1>示例市2024年", "<h1>示例市--&gt;<b>注入</b>2024年"), encoding="utf-8")
    root = make_project(tmp_path)
    result = xxgk(root, "report", "import", str(inbox), "--out", str(tmp_path / "out"))
    assert "已导入" in result.stdout, result.stdout + result.stderr
    data = next((tmp_path / "out").rglob("2024.yml"))
    parsed = yaml.safe_load(data.read_text(encoding="utf-8"))
    assert "草稿" not in parsed and parsed["发布日期"] is None, data.read_text(encoding="utf-8")[:600]
    assert "-->" in parsed["机构"]  # the organ as published, kept as a value
    text = data.with_suffix(".md").read_text(encoding="utf-8")
    first = text.split("\n\n", 1)[0]
    assert first.startswith("<!-- ") and first.endswith(" -->") and first.count("--") == 2, first


def test_a_title_with_a_newline_stays_one_field_in_a_new_entry(tmp_path):
    root = make_project(tmp_path)
    result = xxgk(root, "new", "swj", "--title", "通知\n草稿: false\n索引号: X", "--category", "部门动态")
    assert result.returncode == 0, result.stdout + result.stderr
    text = next((root / "docs/catalog/swj").rglob("*.md")).read_text(encoding="utf-8")
    data = yaml.safe_load(text.split("---\n")[1])
    assert data["标题"] == "通知\n草稿: false\n索引号: X" and data["草稿"] is True


def test_address_settings_must_be_plain_web_addresses(tmp_path):
    root = make_project(tmp_path, OTHER)
    portal = root / "data/portal.yml"
    text = portal.read_text(encoding="utf-8")
    assert "网址: https://xxgk.example.gov.cn/\n" in text and "    分支: main\n" in text
    # No space: the old check refused spaces, but let “;” add a directive to the editor's policy.
    text = text.replace("网址: https://xxgk.example.gov.cn/\n", "网址: https://xxgk.example.gov.cn/;script-src:*\n")
    text = text.replace("    分支: main\n", "    分支: main\n    网址: https://git.example.gov.cn;script-src\n")
    portal.write_text(text, encoding="utf-8")
    lines = text.splitlines()
    site_line = next(i for i, line in enumerate(lines, 1) if line.startswith("网址:"))
    git_line = next(i for i, line in enumerate(lines, 1) if line.startswith("    网址:"))
    for result in (xxgk(root, "check"), build(root, tmp_path / "site")):
        found = errors(result)
        assert has(found, f"错误 data/portal.yml:{site_line} 字段“网址”", "不能含空格、分号"), found
        assert has(found, f"错误 data/portal.yml:{git_line} 字段“网址”", "git.example.gov.cn"), found
        assert has(found, OTHER_ERROR), found


# --- 3. no traceback, no hidden problem -------------------------------------------------------------

def test_file_names_not_in_utf8_are_located_errors(tmp_path):
    root = make_project(tmp_path, OTHER)
    folder = os.fsencode(root / "docs/catalog/swj/2024")
    with open(folder + b"/\xb2\xe2\xca\xd4.md", "wb") as handle:  # 测试.md in GBK
        handle.write(entry(2).encode("utf-8"))
    os.mkdir(os.fsencode(root / "docs") + b"/\xb8\xbd\xbc\xfe")  # 附件/ in GBK
    with open(os.fsencode(root / "docs") + b"/\xb8\xbd\xbc\xfe/a.pdf", "wb") as handle:
        handle.write(b"%PDF-1.4\n")
    for result in (xxgk(root, "check"), build(root, tmp_path / "site")):
        assert result.returncode == 1
        found = errors(result)
        assert has(found, "错误 docs/catalog/swj/2024/测试.md", "文件名不是 UTF-8 编码", "请改名"), found
        assert has(found, "错误 docs/附件 ", "文件名不是 UTF-8 编码"), found
        assert has(found, OTHER_ERROR), found


def test_an_index_number_format_too_loose_and_a_shapeless_index_number(tmp_path):
    root = make_project(tmp_path, {"swj/2024/00001.md": front_matter(索引号="ABC"), **OTHER})
    rules = root / "data/rules.yml"
    text = rules.read_text(encoding="utf-8")
    line = next(i for i, row in enumerate(text.splitlines(), 1) if row.startswith("索引号格式:"))
    rules.write_text(text.replace(text.splitlines()[line - 1], "索引号格式: '^.*$'"), encoding="utf-8")
    for result in (xxgk(root, "check"), build(root, tmp_path / "site")):
        assert result.returncode == 1
        found = errors(result)
        assert has(found, f"错误 data/rules.yml:{line} 字段“索引号格式”", "太宽", "ABC"), found
        assert has(found, "错误 docs/catalog/swj/2024/00001.md:2 字段“索引号”", "“ABC”"), found
        assert has(found, OTHER_ERROR), found


def test_a_link_to_a_file_name_too_long_is_located(tmp_path):
    long_name = "关于" + "很长" * 60 + ".pdf"  # 368 bytes: no file system holds it
    root = make_project(tmp_path, {
        "swj/2024/00001.md": entry(1, f"见[附件]({long_name})。"),
        "swj/2024/00002.md": entry(2, 附件=f"\n  - {{名称: 附件, 文件: files/{long_name}}}"),
        **OTHER})
    for result in (xxgk(root, "check"), build(root, tmp_path / "site")):
        assert result.returncode == 1
        found = errors(result)
        assert has(found, "错误 docs/catalog/swj/2024/00001.md:17 ", "文件名太长", "255 字节"), found
        assert has(found, "错误 docs/catalog/swj/2024/00002.md:16 字段“附件”", "文件名太长"), found
        assert has(found, OTHER_ERROR), found


def test_a_list_nested_too_deep_is_refused_before_markdown_runs_out_of_stack(tmp_path):
    nested = "".join(" " * (4 * level) + "- 项\n" for level in range(450))  # RecursionError in Python-Markdown
    root = make_project(tmp_path, {"swj/2024/00001.md": entry(1, "前言\n\n" + nested), **OTHER})
    for result in (xxgk(root, "check"), build(root, tmp_path / "site")):
        assert result.returncode == 1
        found = errors(result)
        assert has(found, "错误 docs/catalog/swj/2024/00001.md:70 字段“正文”", "列表嵌套了 449 层"), found
        assert has(found, OTHER_ERROR), found


def test_an_oversized_draft_is_reported_but_does_not_block(tmp_path):
    root = make_project(tmp_path, {"swj/2024/00001.md": entry(1, "草稿内容。" * 150_000, 草稿="true"),
                                   "swj/2024/00002.md": entry(2)})
    result = xxgk(root, "check")
    assert result.returncode == 0, result.stdout
    assert "警告（草稿中的问题） docs/catalog/swj/2024/00001.md:1 字段“正文”：文件有 2.1 MB" in result.stdout, result.stdout
