"""网页编辑 in Chromium: the editor site of `make edit` (`xxgk build --editor` with decap-server as
its local backend, served apart from the portal) saving into a throw-away project. What the form writes
must pass `xxgk check` and reach the rebuilt portal; an edit of one field leaves the rest of the front
matter as it was."""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
import threading
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import expect

from conftest import ROOT, Quiet, free_port, make_project, run_mkdocs_build, run_xxgk

DECAP_SERVER = ROOT / "node_modules/decap-server/dist/index.js"
pytestmark = pytest.mark.skipif(not DECAP_SERVER.is_file(), reason="npm ci has not installed decap-server")

EXISTING = "docs/catalog/swj/2024/00001.md"  # the demo's richest entry: 附件, 相关, 第二十条, flow lists


@pytest.fixture
def editing(tmp_path, monkeypatch):
    """(project root, URL of admin/, build): as `make edit` sets it up, the editor site built with
    decap-server as its local backend and served on its own port; build() builds the portal."""
    root = make_project(tmp_path)
    for folder in ("docs/catalog/swj/2024", "data/reports/swj", "docs/reports/swj"):
        shutil.copytree(ROOT / folder, root / folder)
    port = free_port()
    monkeypatch.setenv("XXGK_EDIT_PORT", str(port))  # the port of `本地端口`, for this build

    def build() -> Path:
        site = tmp_path / "site"
        result = run_mkdocs_build(root, site)
        assert result.returncode == 0, result.stderr[-3000:]
        return site

    editor = tmp_path / "site-editor"
    made = run_xxgk(root, "build", "--editor", "--site", str(editor))  # XXGK_EDIT_PORT: local mode, as make edit
    assert made.returncode == 0, made.stdout + made.stderr
    env = dict(os.environ, PORT=str(port), BIND_HOST="127.0.0.1", GIT_REPO_DIRECTORY=str(root), MODE="fs")
    server = subprocess.Popen(["node", str(DECAP_SERVER)], env=env, stdout=subprocess.PIPE, text=True)
    for line in server.stdout:  # ready when it says it listens
        if "listening" in line:
            break
    threading.Thread(target=server.stdout.read, daemon=True).start()  # keep its pipe drained
    http = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(editor)))
    threading.Thread(target=http.serve_forever, daemon=True).start()
    yield root, f"http://127.0.0.1:{http.server_port}/admin/", build
    http.shutdown()
    server.terminate()
    server.wait()


def open_admin(page, url):
    other_hosts = []
    page.on("request", lambda r: r.url.startswith(("http:", "https:")) and not r.url.startswith("http://127.0.0.1")
            and other_hosts.append(r.url))
    violations = []
    page.on("console", lambda m: "Content Security Policy" in m.text and violations.append(m.text))
    page.goto(url)
    page.get_by_role("button", name="登录").click()  # the local backend needs no account
    expect(page.get_by_role("link", name="政府信息公开目录")).to_be_visible()
    return other_hosts, violations


def publish(page):
    page.get_by_role("button", name="发布", exact=True).click()
    page.get_by_role("menuitem", name="立即发布").click()
    expect(page.get_by_text("内容已保存")).to_be_visible()  # what Decap says when decap-server wrote the file


def test_a_new_entry_through_the_form_passes_the_check_and_is_published(browser_page, editing, tmp_path):
    root, url, build = editing
    page = browser_page
    other_hosts, violations = open_admin(page, url)
    page.get_by_text("＋ 目录条目").click()
    page.get_by_label("标题", exact=True).fill("示例区商务局关于网页编辑测试的通知")
    page.get_by_label("发布机构", exact=True).fill("示例区商务局")
    page.keyboard.press("Enter")
    page.get_by_label("成文日期", exact=True).fill("2025-03-03")
    page.get_by_label("发布日期", exact=True).fill("2025-03-10")
    page.get_by_label("主题分类", exact=True).fill("国内贸易")
    page.keyboard.press("Enter")
    page.get_by_label("信息类别", exact=True).fill("部门动态")
    page.keyboard.press("Enter")
    for index, (reviewer, day) in enumerate([("王芳", "2025-03-05"), ("赵磊", "2025-03-06"), ("陈刚", "2025-03-07")]):
        page.get_by_label("审查人 (可选)").nth(index).fill(reviewer)
        page.get_by_label("日期 (可选)").nth(index).fill(day)
    page.get_by_role("button", name="新增附件").click()
    page.get_by_label("名称", exact=True).fill("申报表")
    upload = tmp_path / "申报表.csv"
    upload.write_text("项目,金额\n展会补贴,10000\n", encoding="utf-8")
    page.get_by_role("button", name="选择文件").click()
    page.locator('input[type="file"]').set_input_files(upload)
    page.get_by_role("button", name="选用已选中项目").click()
    expect(page.get_by_text("files/申报表.csv").first).to_be_visible()
    page.locator('[data-slate-editor="true"]').last.click()
    page.keyboard.type("为测试网页编辑，现将有关事项通知如下。")
    publish(page)

    [written] = [p for p in (root / "docs/catalog/swj").glob("*/*.md") if not p.stem.isdigit()]
    assert (written.parent / "files/申报表.csv").read_bytes() == upload.read_bytes()
    data = yaml.safe_load(written.read_text(encoding="utf-8").split("---")[1])
    assert "索引号" not in data and data["发布机构"] == "swj" and data["主题分类"] == "商贸、海关、旅游\\国内贸易"
    assert data["附件"] == [{"名称": "申报表", "文件": "files/申报表.csv"}]
    # The merge request's CI job gives it the next free 索引号; then the check passes and it is published.
    assigned = run_xxgk(root, "assign", str(written))
    assert assigned.returncode == 0 and "770010036/2025-" in assigned.stdout, assigned.stderr
    # assign names the file after its serial, so that its address matches its 索引号.
    serial = re.search(r"770010036/2025-(\d{5})", assigned.stdout).group(1)
    assert not written.exists() and "文件已改名为" in assigned.stdout
    written = written.with_name(f"{serial}.md")
    check = run_xxgk(root, "check")
    assert check.returncode == 0, check.stdout
    src = written.relative_to(root / "docs").with_suffix("").as_posix()
    site = build()
    html = (site / src / "index.html").read_text(encoding="utf-8")
    assert "示例区商务局关于网页编辑测试的通知" in html and "申报表" in html
    assert (site / written.parent.relative_to(root / "docs") / "files/申报表.csv").is_file()
    assert other_hosts == [] and violations == []


def test_editing_one_field_keeps_the_rest_of_the_front_matter(browser_page, editing):
    root, url, _ = editing
    path = root / EXISTING
    before = yaml.safe_load(path.read_text(encoding="utf-8").split("---")[1])
    body = path.read_text(encoding="utf-8").split("---", 2)[2]
    page = browser_page
    open_admin(page, url)
    page.get_by_text(before["标题"]).click()
    title = page.get_by_label("标题", exact=True)
    expect(title).to_have_value(before["标题"])
    title.fill(before["标题"] + "（修订）")
    publish(page)

    after_text = path.read_text(encoding="utf-8")
    after = yaml.safe_load(after_text.split("---")[1])
    assert list(after) == list(before)  # same keys in the same order
    assert after.pop("标题") == before.pop("标题") + "（修订）"
    assert after == before  # every other value unchanged, dates and 索引号 included
    assert after_text.split("---", 2)[2].strip() == body.strip()
    assert run_xxgk(root, "check").returncode == 0


def test_a_report_narrative_is_saved_as_a_body_without_front_matter(browser_page, editing):
    root, url, build = editing
    path = root / "docs/reports/swj/2021.md"
    before = path.read_text(encoding="utf-8")
    page = browser_page
    open_admin(page, url)
    page.get_by_role("link", name="年度报告正文").click()
    page.get_by_text("swj 2021 年度").click()
    editor = page.locator('[data-slate-editor="true"]').last
    expect(editor).to_contain_text("本年度无其他需要报告的事项")
    editor.click(position={"x": 2, "y": 2})  # the start of the first line
    expect(editor).to_be_focused()
    page.keyboard.type("ABC")
    publish(page)

    after = path.read_text(encoding="utf-8")
    # What was typed and nothing else: no YAML header, {{ 统计.… }} kept as written.
    assert after.rstrip("\n") == "ABC" + before.rstrip("\n")
    assert "{{ 统计.主动公开 }}" in after
    build()


def test_local_mode_lists_newest_first_previews_names_and_says_where_it_saves(browser_page, editing):
    """`make edit`: the list starts with the newest entry, the preview shows the department's name
    (the file keeps its 标识), and nothing speaks of merge requests, which local mode has none of."""
    root, url, _ = editing
    page = browser_page
    open_admin(page, url)
    expect(page.get_by_text("保存后直接写入本机文件")).to_be_visible()
    cards = page.locator('a[href*="/collections/catalog/entries/"]')
    expect(cards.first).to_be_visible()
    expect(cards).to_have_count(len(list((root / "docs/catalog").rglob("*.md"))))
    dates = [re.search(r"\d{4}-\d{2}-\d{2}", text).group(0) for text in cards.all_inner_texts()]
    assert dates == sorted(dates, reverse=True) and dates[0] > dates[-1]  # newest first
    assert "合并请求" not in page.locator("body").inner_text()

    page.get_by_text("＋ 目录条目").click()
    page.get_by_label("标题", exact=True).fill("预览测试")
    page.get_by_label("发布机构", exact=True).fill("示例区商务局")
    page.keyboard.press("Enter")
    preview = page.frame_locator("#preview-pane")
    expect(preview.get_by_text("示例区商务局", exact=True)).to_be_visible()
    expect(preview.get_by_text("预览测试", exact=True)).to_be_visible()  # the other fields as before
    expect(preview.locator("body")).not_to_contain_text("swj")
    assert "合并请求" not in page.locator("body").inner_text()
    expect(page.get_by_text("xxgk check 会报错")).to_be_visible()  # the 保密审查 hint, for this machine
