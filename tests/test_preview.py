"""Editing preview under `mkdocs serve` (xxgk.preview): an edit to an entry's body re-renders that
page alone; a change to its front matter rebuilds the site; a body that now holds personal data
never reaches the served page."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from conftest import front_matter, make_project

ID_NUMBER = "11010519491231002X"  # valid check digit (GB 11643 example)
SECOND = dict(索引号="770010036/2024-00002", 标题="示例区商务局关于第二批消费券发放的通知")


def _fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return None


def _wait(condition, seconds: float) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.2)
    return False


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("preview")
    root = make_project(tmp, {"swj/2024/00001.md": front_matter(), "swj/2024/00002.md": front_matter(**SECOND)})
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = tmp / "serve.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"], cwd=root,
                                env=dict(os.environ, NO_MKDOCS_2_WARNING="1"), stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)
    base = f"http://127.0.0.1:{port}/"
    try:
        assert _wait(lambda: _fetch(base + "catalog/swj/2024/00001/"), 120), log.read_text("utf-8")
        time.sleep(1)  # the watcher starts after the first build
        yield root, base, log
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)


def _builds(log) -> int:
    return log.read_text("utf-8").count("Building documentation")


def test_body_edit_rerenders_only_that_entry(served):
    root, base, log = served
    builds = _builds(log)
    path = root / "docs/catalog/swj/2024/00001.md"
    path.write_text(front_matter().replace("正文内容。", "正文已修改：活动延长至四月底。"), encoding="utf-8")
    assert _wait(lambda: "活动延长至四月底" in (_fetch(base + "catalog/swj/2024/00001/") or ""), 15)
    assert "预览：已重新生成 1 个条目页面" in log.read_text("utf-8")
    assert _builds(log) == builds  # no full rebuild


def test_front_matter_edit_rebuilds_the_listings(served):
    root, base, log = served
    builds = _builds(log)
    path = root / "docs/catalog/swj/2024/00002.md"
    path.write_text(front_matter(**{**SECOND, "标题": "示例区商务局关于第三批消费券发放的通知"}), encoding="utf-8")
    # The new title shows in the org-year listing, which only a full build updates.
    assert _wait(lambda: "第三批消费券" in (_fetch(base + "catalog/swj/2024/") or ""), 120)
    assert _builds(log) == builds + 1


def test_personal_data_in_a_body_edit_is_never_served(served):
    root, base, log = served
    previews = log.read_text("utf-8").count("预览：已重新生成")
    path = root / "docs/catalog/swj/2024/00001.md"
    path.write_text(front_matter().replace("正文内容。", f"联系人身份证号{ID_NUMBER}。"), encoding="utf-8")
    # Not re-rendered on its own: the full build runs, names file and line, and stops.
    assert _wait(lambda: "docs/catalog/swj/2024/00001.md:17 疑似居民身份证号" in log.read_text("utf-8"), 120)
    assert log.read_text("utf-8").count("预览：已重新生成") == previews
    # MkDocs holds requests after a failed rebuild; whatever is served must not hold the number.
    assert ID_NUMBER not in (_fetch(base + "catalog/swj/2024/00001/") or "")
