"""Shared fixtures: the real demo site built once, and small throw-away projects for bad input."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
from http.server import SimpleHTTPRequestHandler
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TODAY = "2026-11-27"  # fixed reference date, so embargo and deadline checks are repeatable

# Copied into every throw-away project: the real configuration, data and theme.
PROJECT_FILES = ["mkdocs.yml", "data", "overrides", "macros", "docs/index.md", "docs/assets"]


def run_mkdocs_build(root: Path, site: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(root / "mkdocs.yml"), "-d", str(site)],
        cwd=root, env=env, capture_output=True, text=True,
    )


def run_xxgk(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "xxgk.cli", "--root", str(root), "--today", TODAY, *args],
        cwd=root, capture_output=True, text=True,
    )


def front_matter(**fields) -> str:
    """A valid published entry of 示例区商务局, with fields replaced (value None removes one)."""
    values = {
        "索引号": "770010036/2024-00001",
        "标题": "示例区商务局关于开展2024年消费促进月活动的通知",
        "发布机构": "swj",
        "成文日期": "2024-03-01",
        "发布日期": "2024-03-05",
        "文号": "示商发〔2024〕1号",
        "主题分类": "商贸、海关、旅游\\国内贸易",
        "信息类别": "部门动态",
        "关键词": "[消费促进]",
        "保密审查": "\n  业务科室: {审查人: 甲, 日期: 2024-03-04}"
                    "\n  信息发布人: {审查人: 乙, 日期: 2024-03-04}"
                    "\n  分管领导: {审查人: 丙, 日期: 2024-03-05}",
    }
    values.update({k.replace("_", ""): v for k, v in fields.items()})
    numbered = re.fullmatch(r"(\w{9})/(\d{4})-(\d{5})", str(values["索引号"] or ""))
    if "文号" not in fields and numbered and values["索引号"] != "770010036/2024-00001":
        # One 文号 per document: two entries of one 文号 are a warning (a document published twice).
        code, year, serial = numbered.groups()
        values["文号"] = f"示{'商' if code == '770010036' else code}发〔{year}〕{int(serial)}号"
    lines = [f"{key}: {value}" for key, value in values.items() if value is not None]
    return "---\n" + "\n".join(lines) + "\n---\n\n正文内容。\n"


def make_project(tmp_path: Path, entries: dict[str, str] | None = None) -> Path:
    """A copy of the real project with only the given entries (paths under docs/catalog/)."""
    root = tmp_path / "project"
    for name in PROJECT_FILES:
        source, target = ROOT / name, root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            # Reports are left out: a throw-away project holds only what its test gives it.
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__", "reports"))
        else:
            shutil.copy2(source, target)
    if (ROOT / "node_modules").is_dir():  # Decap CMS for /admin/ (网页编辑), installed by `npm ci`
        (root / "node_modules").symlink_to(ROOT / "node_modules")
    for rel, text in (entries or {}).items():
        path = root / "docs" / "catalog" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def demo_project(tmp_path: Path, name: str = "demo") -> Path:
    """A copy of the demo project as an editor's folder holds it (configuration, data, pages, templates)."""
    root = tmp_path / name
    root.mkdir()
    for part in ("mkdocs.yml", "data", "docs", "overrides", "macros"):
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, root / part, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, root / part)
    return root


def free_port() -> int:
    """A free TCP port on loopback, for a server a test starts (decap-server)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Quiet(SimpleHTTPRequestHandler):
    """A built site served on loopback without a log line per request; .yml as text (Decap's config)."""
    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, ".yml": "text/yaml"}

    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory) -> Path:
    """The real demo portal, built once with --strict."""
    site = tmp_path_factory.mktemp("demo") / "site"
    result = run_mkdocs_build(ROOT, site)
    assert result.returncode == 0, result.stderr[-4000:]
    return site


@pytest.fixture(scope="session")
def site_url(demo_site):
    """The demo site served over HTTP on loopback, as a visitor's browser sees it."""
    import functools
    import threading
    from http.server import ThreadingHTTPServer

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(demo_site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()


CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (never a downloaded browser)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def browser_page(browser):
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    yield page
    context.close()
