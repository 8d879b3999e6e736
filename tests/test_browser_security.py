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
