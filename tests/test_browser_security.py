"""Content-Security-Policy and referrer policy, checked where they act: in the browser."""

from datetime import date

import pytest

from conftest import ROOT
from xxgk.project import load_project

VIOLATIONS = """() => window.__violations || []"""
RECORD = """document.addEventListener('securitypolicyviolation',
  e => (window.__violations = window.__violations || []).push(e.violatedDirective + ' ' + e.blockedURI));"""


def page_urls():
    entry = load_project(ROOT, date.today()).published()[0]
    return ["", "catalog/", "catalog/swj/", entry.url, "404.html"]


@pytest.mark.parametrize("url", page_urls())
def test_policy_allows_the_theme_and_nothing_inline_else(browser_page, site_url, url):
    page = browser_page
    page.add_init_script(RECORD)
    errors = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.goto(site_url + url)
    page.wait_for_load_state("networkidle")
    assert page.evaluate(VIOLATIONS) == [] and not [e for e in errors if "Content Security Policy" in e], errors
    assert page.evaluate("typeof __md_get") == "function"  # the theme's inline script ran (hash allowed)
    policy = page.locator('meta[http-equiv="Content-Security-Policy"]').get_attribute("content")
    assert "default-src 'self'" in policy and "'unsafe-inline'" not in policy.split("style-src")[0]
    assert page.locator('meta[name="referrer"]').get_attribute("content") == "strict-origin-when-cross-origin"


def test_injected_inline_script_is_blocked(browser_page, site_url):
    page = browser_page
    page.add_init_script(RECORD)
    page.goto(site_url)
    page.evaluate("""() => { const s = document.createElement('script'); s.textContent = 'window.__ran = 1';
                              document.body.appendChild(s); }""")
    assert page.evaluate("window.__ran") is None
    assert any(v.startswith("script-src") for v in page.evaluate(VIOLATIONS))


# --- Scripts planted in content (issue 12): the sanitiser removes them, and the policy would block them anyway.

import contextlib
from pathlib import Path
import functools
import shutil
import subprocess
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

from conftest import front_matter, make_project

PLANTED_ENTRY = ("\n<script>window.__pwned = 'entry'</script>\n\n<img src=\"nothing.png\" onerror=\"window.__pwned = 'img'\">\n"
                 "\n<a id=\"planted\" href=\"javascript:window.__pwned = 'link'\">链接</a>\n")
PLANTED_NARRATIVE = "\n<script>window.__pwned = 'narrative'</script>\n"


def build_bypassing(root, site, *, sanitiser: bool):
    """Build as if the check had missed the planted HTML (and, with sanitiser=False, the sanitiser too),
    to show what each remaining layer does on its own. The patched layers are not part of the page cache's key:
    the build cache goes first, so that every page is rendered with them."""
    from xxgk.buildcache import cache_dir

    shutil.rmtree(cache_dir(root), ignore_errors=True)
    code = ("import sys, xxgk.catalog, xxgk.content, xxgk.mkdocs_plugin\n"
            "xxgk.content.raw_html_problems = lambda text: []\n"
            "xxgk.catalog._check_body_links = lambda *args: None\n"  # the planted nothing.png is missing
            + ("" if sanitiser else "xxgk.mkdocs_plugin.sanitize = lambda html: html\n")
            + "from mkdocs.__main__ import cli\n"
            f"cli(['build', '--strict', '-f', {str(root / 'mkdocs.yml')!r}, '-d', {str(site)!r}])\n")
    result = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True,
                            env={**__import__("os").environ, "NO_MKDOCS_2_WARNING": "1"})
    assert result.returncode == 0, result.stderr[-3000:]


@contextlib.contextmanager
def served(site):
    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()


@pytest.fixture(scope="module")
def planted_project(tmp_path_factory):
    root = make_project(tmp_path_factory.mktemp("planted"), {"swj/2024/00001.md": front_matter() + PLANTED_ENTRY})
    shutil.copytree(ROOT / "data/reports/swj", root / "data/reports/swj")
    shutil.copytree(ROOT / "docs/reports/swj", root / "docs/reports/swj")
    narrative = root / "docs/reports/swj/2022.md"
    narrative.write_text(narrative.read_text(encoding="utf-8") + PLANTED_NARRATIVE, encoding="utf-8")
    return root


@pytest.mark.parametrize("sanitiser", [True, False], ids=["sanitised", "policy-alone"])
def test_scripts_planted_in_an_entry_and_a_narrative_never_run(browser_page, planted_project, tmp_path, sanitiser):
    site = tmp_path / "site"
    build_bypassing(planted_project, site, sanitiser=sanitiser)
    page = browser_page
    page.add_init_script(RECORD)
    with served(site) as url:
        for path in ("catalog/swj/2024/00001/", "reports/swj/2022/"):
            page.goto(url + path)
            page.wait_for_load_state("networkidle")
            if path.startswith("catalog"):
                link = page.locator("#planted")
                link.click() if link.count() else None
            assert page.evaluate("window.__pwned") is None
            assert page.evaluate("typeof __md_get") == "function"  # the theme's own inline scripts still ran
            scripts = page.evaluate("[...document.scripts].map(s => s.textContent).join(' ')")
            if sanitiser:
                assert "__pwned" not in scripts and "__pwned" not in page.content()
            else:  # the planted script stands in the page, and the policy refuses it
                assert "__pwned" in scripts
                assert any(v.startswith("script-src") for v in page.evaluate(VIOLATIONS))


def test_attachments_with_awkward_names_download(browser_page, tmp_path):
    names = ["a b.csv", "c#d.csv", "e?f.csv", "g%h.csv", "i&j.csv", "名单 2024.csv"]
    attachments = "".join("\n  - {名称: %s, 文件: 'files/%s'}" % (f"附件{i}", n) for i, n in enumerate(names))
    root = make_project(tmp_path, {"swj/2024/00001.md": front_matter(附件=attachments)})
    folder = root / "docs/catalog/swj/2024/files"
    folder.mkdir(parents=True)
    for n in names:
        (folder / n).write_text(f"内容,{n}\n", encoding="utf-8")
    site = tmp_path / "site"
    build_bypassing(root, site, sanitiser=True)
    page = browser_page
    with served(site) as url:
        page.goto(url + "catalog/swj/2024/00001/")
        for i, n in enumerate(names):
            link = page.get_by_role("link", name=f"附件{i}")
            href = link.evaluate("a => a.href")  # resolved by the browser, as a click would
            with page.expect_download() as download:
                link.click()
            assert download.value.url == href, (n, href)  # the file's own content names it:
            assert Path(download.value.path()).read_text(encoding="utf-8") == f"内容,{n}\n"
