"""The preview shows errors (issue 13, part 5): under `mkdocs serve`, a failed build answers every page
request with a Chinese page listing the located problems — never a request left hanging — and the
browser comes back to the site by itself once the problem is fixed."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import urllib.error
import urllib.request

import pytest
from playwright.sync_api import expect

from conftest import front_matter, make_project
from test_preview import _fetch, _wait

ENTRY = "docs/catalog/swj/2024/00001.md"
TITLE = "示例区商务局关于开展2024年消费促进月活动的通知"


@pytest.fixture
def served(tmp_path):
    root = make_project(tmp_path, {"swj/2024/00001.md": front_matter()})
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = tmp_path / "serve.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--strict", "-a", f"127.0.0.1:{port}"],
                                cwd=root, env=dict(os.environ, NO_MKDOCS_2_WARNING="1"), stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}/"
    try:
        assert _wait(lambda: _fetch(base + "catalog/swj/2024/00001/"), 120), log.read_text("utf-8")
        assert _wait(lambda: "Watching paths for changes" in log.read_text("utf-8"), 30)
        yield root, base, log
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # a hanging request fails the test here
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def test_a_failed_build_shows_its_errors_and_the_fix_brings_the_page_back(served, browser_page):
    root, base, log = served
    page = browser_page
    page.goto(base + "catalog/swj/2024/00001/")
    expect(page.locator("h1")).to_contain_text(TITLE)

    path = root / ENTRY
    path.write_text(front_matter().replace("主题分类: ", "主题分类：").replace("\\", "/"), encoding="utf-8")
    # The open page reloads onto the error page: the file, the right line and the fix, in Chinese.
    problem = page.locator("#problems li").first
    expect(problem).to_contain_text(f"{ENTRY}:8", timeout=120_000)
    expect(problem).to_contain_text("用了中文冒号“：”")
    expect(page.locator("h1")).to_contain_text("网站没有生成")
    # Every page answers at once with the error page, none hangs.
    for url in (base, base + "catalog/swj/2024/00001/", base + "no/such/page/"):
        assert _status(url) == 500

    path.write_text(front_matter(), encoding="utf-8")
    expect(page.locator("h1")).to_contain_text(TITLE, timeout=120_000)
    assert _status(base + "catalog/swj/2024/00001/") == 200


def test_error_page_escapes_messages():
    from xxgk.preview import error_page
    from xxgk.problems import ERROR, Problem

    html = error_page([Problem(ERROR, "docs/x.md", 3, "标题", "“<script>alert(1)</script>”不对。")], RuntimeError())
    text = html.decode("utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text and "<script>alert(1)" not in text
    assert "docs/x.md:3" in text
