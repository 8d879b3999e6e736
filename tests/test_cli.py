import subprocess
import sys
from datetime import date

from conftest import TODAY, front_matter, make_project, run_xxgk
from xxgk.project import load_project


def test_check_passes_on_clean_project(tmp_path):
    root = make_project(tmp_path, {"swj/2024/00001.md": front_matter()})
    result = run_xxgk(root, "check")
    assert result.returncode == 0, result.stdout
    assert "共 0 个错误" in result.stdout and "已检查 1 个条目，其中 1 个已发布" in result.stdout
    # Only the inspection indicators speak (its one 2024 entry is long out of date: tests/test_inspection.py)
    # and the dashboard's reports past their deadline (it has none: tests/test_reports_timeliness.py).
    assert all("未按期更新" in line or "空白" in line or "首页" in line or "年度报告逾期未公布" in line
               for line in result.stdout.splitlines() if line.startswith("警告"))


def test_new_assigns_next_free_index_and_never_overwrites(tmp_path):
    root = make_project(tmp_path, {"swj/2026/00001.md": front_matter(
        索引号="770010036/2026-00001", 成文日期="2026-03-02", 发布日期="2026-03-03", 保密审查=(
            "\n  业务科室: {审查人: 甲, 日期: 2026-03-02}\n  信息发布人: {审查人: 乙, 日期: 2026-03-03}"
            "\n  分管领导: {审查人: 丙, 日期: 2026-03-03}"))})
    first = run_xxgk(root, "new", "swj", "--title", "示例区商务局2026年第一批外贸补贴公示", "--category", "公告公示")
    assert first.returncode == 0, first.stderr
    created = root / "docs/catalog/swj/2026/00002.md"
    text = created.read_text(encoding="utf-8")
    assert "索引号: 770010036/2026-00002" in text and "草稿: true" in text
    assert f"发布日期: {TODAY}" in text

    created.write_text(text.replace("在此撰写正文。", "编辑已写的正文。"), encoding="utf-8")
    second = run_xxgk(root, "new", "swj")
    assert second.returncode == 0
    assert "编辑已写的正文。" in created.read_text(encoding="utf-8")  # untouched
    assert (root / "docs/catalog/swj/2026/00003.md").exists()

    project = load_project(root, date.fromisoformat(TODAY))
    assert not project.problems.errors, [str(p) for p in project.problems]
    assert [e.index_no for e in project.published()] == ["770010036/2026-00001"]  # scaffolds are drafts


def test_new_rejects_unknown_org_and_category(tmp_path):
    root = make_project(tmp_path)
    result = run_xxgk(root, "new", "nosuch")
    assert result.returncode == 2 and "未知机构“nosuch”" in result.stderr
    result = run_xxgk(root, "new", "swj", "--category", "小道消息")
    assert result.returncode == 2 and "未知信息类别" in result.stderr
    assert not (root / "docs/catalog/swj").exists()


def test_check_option_errors_are_chinese(tmp_path):
    root = make_project(tmp_path)
    result = run_xxgk(root, "--today", "2024-13-01", "check")
    assert result.returncode == 2 and "不是有效日期" in result.stderr


def test_check_covers_portal_settings(tmp_path):
    root = make_project(tmp_path)
    with open(root / "data/portal.yml", "a", encoding="utf-8") as handle:
        handle.write("网址错字: 1\n")
    result = run_xxgk(root, "check")
    assert result.returncode == 1 and "data/portal.yml:" in result.stdout and "网址错字" in result.stdout


def test_assign_gives_a_hand_written_draft_the_next_index(tmp_path):
    draft = front_matter(索引号=None, 保密审查=None, 草稿="true")
    root = make_project(tmp_path, {"swj/2024/00001.md": front_matter(), "swj/2024/draft-x.md": draft})
    result = run_xxgk(root, "assign", str(root / "docs/catalog/swj/2024/draft-x.md"))
    assert result.returncode == 0, result.stderr
    # Renamed after its serial, so that its address is …/00002/ like every other entry's.
    assert "文件已改名为 docs/catalog/swj/2024/00002.md" in result.stdout
    assert not (root / "docs/catalog/swj/2024/draft-x.md").exists()
    text = (root / "docs/catalog/swj/2024/00002.md").read_text(encoding="utf-8")
    assert text.startswith("---\n索引号: 770010036/2024-00002\n") and text.endswith("正文内容。\n")
    again = run_xxgk(root, "assign", str(root / "docs/catalog/swj/2024/00002.md"))
    assert again.returncode == 1 and "索引号一经生成不得更改" in again.stderr


def test_assign_never_overwrites_a_file_of_the_serials_name(tmp_path):
    draft = front_matter(索引号=None, 保密审查=None, 草稿="true", 发布日期="2024-03-05")
    other = front_matter(索引号="770010036/2025-00001", 草稿="true", 成文日期="2025-03-01", 发布日期="2025-03-05")
    # The draft sits in the 2025 folder, where a 00001.md of 2025 already exists.
    root = make_project(tmp_path, {"swj/2025/00001.md": other, "swj/2025/草稿.md": draft})
    result = run_xxgk(root, "assign", str(root / "docs/catalog/swj/2025/草稿.md"))
    assert result.returncode == 1 and "已存在，未做任何改动" in result.stderr
    assert (root / "docs/catalog/swj/2025/草稿.md").read_text(encoding="utf-8") == draft
    assert (root / "docs/catalog/swj/2025/00001.md").read_text(encoding="utf-8") == other


ARGPARSE_ENGLISH = ("usage", "options", "positional", "error", "show this help", "arguments", "required", "invalid",
                    "choice", "unrecognized", "expected", "Traceback")


def _english(text: str) -> list[str]:
    return [word for word in ARGPARSE_ENGLISH if word.lower() in text.lower()]


def test_help_and_argument_errors_are_chinese(tmp_path):
    root = make_project(tmp_path)
    for args, status in [(["--help"], 0), (["check", "--help"], 0), (["new", "--help"], 0), (["assign", "--help"], 0),
                         (["report", "new", "--help"], 0), ([], 2), (["new"], 2), (["nosuch"], 2),
                         (["report", "new", "swj", "二〇二四"], 2), (["check", "--bogus"], 2)]:
        result = run_xxgk(root, *args)
        output = result.stdout + result.stderr
        assert result.returncode == status, (args, output)
        assert not _english(output), (args, _english(output), output)
        assert ("用法：" in output) and (("选项" in output) if status == 0 else ("错误：" in output)), (args, output)
    assert "缺少必需的参数：机构" in run_xxgk(root, "new").stderr
    assert "检查 docs/catalog/" in run_xxgk(root, "check", "--help").stdout  # a description, not just usage


def test_today_is_accepted_after_the_command_and_shown_in_its_help(tmp_path):
    root = make_project(tmp_path)
    assert "--today 日期" in run_xxgk(root, "new", "--help").stdout
    result = subprocess.run([sys.executable, "-m", "xxgk.cli", "new", "swj", "--today", "2025-06-01", "--root", str(root)],
                            cwd=root, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert (root / "docs/catalog/swj/2025/00001.md").exists()


def test_build_speaks_chinese_and_stops_on_a_broken_link(tmp_path):
    """`make build` runs `xxgk build`: MkDocs' own lines are translated, nothing is left in English."""
    import re

    root = make_project(tmp_path, {"swj/2024/00001.md": front_matter()})
    built = run_xxgk(root, "build", "--site", str(tmp_path / "site"))
    assert built.returncode == 0, built.stderr
    assert "网站已生成，用时" in built.stderr and (tmp_path / "site/index.html").is_file()
    index = root / "docs/index.md"
    index.write_text(index.read_text(encoding="utf-8") + "\n见[说明](nothere.md)。\n", encoding="utf-8")
    stopped = run_xxgk(root, "build", "--site", str(tmp_path / "site"))
    assert stopped.returncode == 1
    assert "错误 docs/index.md：链接“nothere.md”指向的文件不存在，请改正链接或补上该文件。" in stopped.stderr
    assert stopped.stderr.rstrip().endswith("构建已停止：有 1 个问题，请按上面的提示改正后重试。")
    for output in (built.stderr, stopped.stderr):
        english = [line for line in output.splitlines() if not re.search(r"[\u4e00-\u9fff]", line)]
        assert not english, english


def test_serve_speaks_chinese_and_names_a_busy_address(tmp_path):
    """`make serve` runs `xxgk serve`: the preview's lines are Chinese; a second preview on the same
    address is refused at once with the fix, before any build."""
    import re
    import socket
    import urllib.request

    root = make_project(tmp_path, {"swj/2024/00001.md": front_matter()})
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        address = f"127.0.0.1:{probe.getsockname()[1]}"
    server = subprocess.Popen([sys.executable, "-m", "xxgk.cli", "--root", str(root), "serve", "--addr", address],
                              cwd=root, stderr=subprocess.PIPE, text=True)
    lines = []
    try:
        for line in server.stderr:  # each line as it comes: the state, not a timer
            lines.append(line.rstrip("\n"))
            if "预览地址" in line:
                break
        assert lines and f"预览地址：http://{address}/ （按 Ctrl+C 停止预览）" in lines[-1], lines
        with urllib.request.urlopen(f"http://{address}/", timeout=30) as response:
            assert response.status == 200
        second = run_xxgk(root, "serve", "--addr", address)
        assert second.returncode == 1
        assert f"错误：地址 {address} 已被占用" in second.stderr and "正在生成网站" not in second.stderr
    finally:
        server.terminate()
        server.wait(timeout=30)
    english = [line for line in lines if not re.search(r"[\u4e00-\u9fff]", line)]
    assert not english, english


def test_check_lists_a_warning_said_of_many_files_once_per_file_up_to_the_limit(tmp_path):
    """Fourteen policies without a 解读 (a migrated history): ten listed, the rest counted in one line;
    --all lists all fourteen; errors are never left out; data/rules.yml sets the number."""
    entries = {f"swj/2024/{n:05d}.md": front_matter(
        索引号=f"770010036/2024-{n:05d}", 标题=f"示例区商务局关于印发第{n}号管理办法的通知", 信息类别="政策文件",
        第二十条="[（一）]", 有效性="有效") for n in range(1, 15)}
    root = make_project(tmp_path, entries)
    warning = "政策文件发布已超过 30 天，仍未关联政策解读。"

    listed = run_xxgk(root, "check")
    assert listed.returncode == 0, listed.stdout
    assert sum(warning in line for line in listed.stdout.splitlines()) == 11  # ten files and the summary
    assert "另有 4 个文件有同样的警告" in listed.stdout and "xxgk check --all" in listed.stdout
    assert "共 0 个错误，" in listed.stdout  # the total counts every warning

    # The build's log says it the same way.
    from conftest import run_mkdocs_build
    built = run_mkdocs_build(root, tmp_path / "site")
    assert built.returncode == 0, built.stderr[-2000:]
    assert sum(warning in line for line in built.stderr.splitlines()) == 11
    assert "另有 4 个文件有同样的警告" in built.stderr

    everything = run_xxgk(root, "check", "--all")
    assert sum(warning in line for line in everything.stdout.splitlines()) == 14
    assert "另有" not in everything.stdout

    rules = root / "data/rules.yml"
    rules.write_text(rules.read_text(encoding="utf-8").replace("同类警告列出个数: 10", "同类警告列出个数: 3"),
                     encoding="utf-8")
    assert "另有 11 个文件有同样的警告" in run_xxgk(root, "check").stdout

    # Errors said of many files are all listed, whatever the number.
    for n in range(1, 15):
        entry = root / f"docs/catalog/swj/2024/{n:05d}.md"
        entry.write_text(entry.read_text(encoding="utf-8").replace("有效性: 有效", "有效性: 大概有效"), encoding="utf-8")
    failed = run_xxgk(root, "check")
    assert failed.returncode == 1
    errors = [line for line in failed.stdout.splitlines() if line.startswith("错误") and "不在允许的取值中" in line]
    assert len(errors) == 14 and "另有" not in failed.stdout
