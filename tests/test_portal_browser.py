"""The portal in a real browser (Debian's Chromium via Playwright): axe-core finds no serious or
critical violation, the keyboard reaches and works everything, phones get no horizontal scroll,
pages print as documents, and no page asks any host but the site's own for anything."""

from __future__ import annotations

import io
from datetime import date
from urllib.parse import urlsplit

import pytest
from pypdf import PdfReader

from conftest import ROOT
from xxgk.project import load_project
from xxgk.reports import site as report_site

AXE = ROOT / "node_modules/axe-core/axe.min.js"


def page_types() -> dict[str, str]:
    """One URL of every kind of page of the demo portal."""
    project = load_project(ROOT, date.today())
    entry = project.published()[0]
    report = project.reports.published(project.today)[0]
    return {
        "home": "", "listing": f"catalog/{entry.org}/{entry.year}/", "entry": entry.url,
        "report": report_site.page_url(report), "search": "search/?q=%E9%A2%84%E7%AE%97",  # 预算
        "dashboard": "dashboard/", "guide": f"guide/{entry.org}/", "apply": "apply/", "form": "apply/form/",
        "mandatory": "mandatory/", "stats": "stats/", "opendata": "opendata/", "reports": "reports/",
        "sitemap": "sitemap/", "contact": "contact/",
    }


PAGES = page_types()


def load(page, url: str, kind: str | None = None) -> None:
    page.goto(url)
    page.wait_for_load_state("networkidle")
    if kind == "search":  # results come from the Pagefind index, after the page has loaded
        page.wait_for_selector("[data-xxgk-results] .xxgk-result")


@pytest.fixture
def context_factory(browser):
    made = []

    def make(**options):
        context = browser.new_context(locale="zh-CN", **options)
        made.append(context)
        return context

    yield make
    for context in made:
        context.close()


# --- axe-core ------------------------------------------------------------------------------------

AXE_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 3).map(n => n.target.join(" "))}));
}"""


@pytest.mark.parametrize("width", [1280, 375])
@pytest.mark.parametrize("kind", list(PAGES))
def test_axe_finds_no_serious_or_critical_violation(context_factory, site_url, kind, width):
    assert AXE.is_file(), "axe-core missing: run `npm ci` (make test does)"
    page = context_factory(viewport={"width": width, "height": 900}).new_page()
    load(page, site_url + PAGES[kind], kind)
    # Evaluated through the DevTools protocol, so the page's own CSP stays in force.
    page.evaluate(AXE.read_text(encoding="utf-8"))
    violations = page.evaluate(AXE_RUN)
    assert page.evaluate("axe.version").startswith("4.")
    bad = [v for v in violations if v["impact"] in ("serious", "critical")]
    assert not bad, "\n".join(f"{v['impact']} {v['id']}: {v['help']} @ {v['nodes']}" for v in bad)


# --- keyboard ------------------------------------------------------------------------------------

FOCUSED = """() => {
  const e = document.activeElement;
  const look = s => [s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow, s.backgroundColor,
                     s.borderColor, s.color, s.textDecorationLine].join("|");
  const on = look(getComputedStyle(e));
  e.blur();
  const off = look(getComputedStyle(e));
  e.focus();
  return {tag: e.tagName, text: (e.innerText || e.getAttribute("aria-label") || "").trim(),
          href: e.getAttribute("href"), visible: on !== off};
}"""


def tab_to(page, text: str, limit: int = 80) -> list[dict]:
    """Press Tab until the focused element's text is `text`; return everything focused on the way."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        seen.append(page.evaluate(FOCUSED))
        if seen[-1]["text"] == text:
            return seen
    raise AssertionError(f"Tab never reached “{text}”: {[s['text'] for s in seen]}")


def test_keyboard_from_home_to_a_guide(context_factory, site_url):
    page = context_factory(viewport={"width": 1280, "height": 900}).new_page()
    load(page, site_url)
    seen = tab_to(page, "政府信息公开指南")
    assert seen[0]["text"] == "跳转至"  # the theme's skip link comes first
    assert any(s["tag"] == "INPUT" for s in seen)  # the search box is on the way
    hidden = [s["text"] for s in seen if not s["visible"]]
    assert not hidden, f"focus not visible on: {hidden}"
    page.keyboard.press("Enter")
    page.wait_for_url("**/guide/")
    seen = tab_to(page, "示例区商务局政府信息公开指南")
    page.keyboard.press("Enter")
    page.wait_for_url("**/guide/swj/")
    assert page.locator("h1").inner_text() == "示例区商务局政府信息公开指南"


def test_keyboard_sorts_the_dashboard(context_factory, site_url):
    page = context_factory(viewport={"width": 1280, "height": 900}).new_page()
    load(page, site_url + "dashboard/")
    assert page.locator("table.xxgk-dashboard[data-xxgk-sortable=ready]").count() == 1
    column = lambda n: page.locator("table.xxgk-dashboard tbody tr").evaluate_all(  # noqa: E731
        f"rows => rows.map(r => r.cells[{n}].getAttribute('data-sort'))")
    seen = tab_to(page, "年度")
    assert seen[-1]["tag"] == "BUTTON" and seen[-1]["visible"]
    page.keyboard.press("Enter")
    years = [int(v) for v in column(1)]
    assert years == sorted(years) and years[0] < years[-1]
    assert page.locator("table.xxgk-dashboard thead th").nth(1).get_attribute("aria-sort") == "ascending"
    page.keyboard.press("Space")
    assert [int(v) for v in column(1)] == sorted(years, reverse=True)
    assert page.locator("table.xxgk-dashboard thead th").nth(1).get_attribute("aria-sort") == "descending"
    tab_to(page, "主动公开", limit=10)
    page.keyboard.press("Enter")
    counts = [int(v) for v in column(5)]
    assert counts == sorted(counts) and counts[-1] > 0
    assert page.locator("th[aria-sort]").count() == 1


def test_keyboard_opens_a_charts_data_table(context_factory, site_url):
    page = context_factory(viewport={"width": 1280, "height": 900}).new_page()
    load(page, site_url + "stats/")
    details = page.locator("details.xxgk-chart__data").first
    assert not details.evaluate("d => d.open")
    tab_to(page, "查看数据表")
    page.keyboard.press("Enter")
    assert details.evaluate("d => d.open") and details.locator("table").is_visible()


# --- phones --------------------------------------------------------------------------------------

OVERFLOW = """() => {
  const vw = document.documentElement.clientWidth, found = [];
  for (const el of document.body.querySelectorAll("*")) {
    const r = el.getBoundingClientRect();
    if (!r.width || !r.height || r.right <= vw + 0.5) continue;
    let clipped = false;  // inside a scroller that itself fits (a wide table's wrapper) is fine
    for (let a = el.parentElement; a && a !== document.documentElement; a = a.parentElement) {
      if (getComputedStyle(a).overflowX !== "visible" && a.getBoundingClientRect().right <= vw + 0.5) { clipped = true; break; }
    }
    if (!clipped) found.push(el.tagName.toLowerCase() + "." + [...el.classList].join(".") + " right=" + r.right.toFixed(1));
  }
  return {width: vw, scroll: [document.documentElement.scrollWidth, document.body.scrollWidth], outside: found.slice(0, 5)};
}"""


@pytest.mark.parametrize("kind", list(PAGES))
def test_375px_screenshot_without_horizontal_scroll(context_factory, site_url, tmp_path, kind):
    context = context_factory(viewport={"width": 375, "height": 812}, is_mobile=True, has_touch=True)
    page = context.new_page()
    load(page, site_url + PAGES[kind], kind)
    for scrolled in (False, True):  # the header swaps its title for the page's once scrolled
        if scrolled:
            page.mouse.wheel(0, 1200)
            page.wait_for_timeout(300)
        found = page.evaluate(OVERFLOW)
        assert found["width"] == 375
        assert found["scroll"] == [375, 375] and not found["outside"], found
    shot = tmp_path / f"{kind}-375.png"
    page.screenshot(path=shot, full_page=True)
    assert int.from_bytes(shot.read_bytes()[16:20], "big") == 375  # PNG width


# --- print ---------------------------------------------------------------------------------------

CHROME = [".md-header", ".md-tabs", ".md-sidebar--primary", ".md-footer", ".xxgk-back", ".xxgk-search"]


@pytest.mark.parametrize("kind, pages", [("entry", (1, 3)), ("report", (2, 12)), ("form", (1, 1)), ("guide", (1, 5))])
def test_print_css_prints_the_document_only(context_factory, site_url, kind, pages):
    page = context_factory(viewport={"width": 1280, "height": 900}).new_page()
    load(page, site_url + PAGES[kind])
    page.emulate_media(media="print")
    shown = page.evaluate("""sels => sels.map(s => [...document.querySelectorAll(s)]
        .filter(e => getComputedStyle(e).display !== "none").length)""", CHROME)
    assert shown == [0] * len(CHROME), dict(zip(CHROME, shown))
    main = {"entry": ".xxgk-entry table.xxgk-meta", "report": "table.xxgk-report-table",
            "form": "table.xxgk-form__table", "guide": "table.xxgk-contact"}[kind]
    assert page.locator(main).first.is_visible()
    pdf = PdfReader(io.BytesIO(page.pdf(format="A4")))
    assert pages[0] <= len(pdf.pages) <= pages[1], len(pdf.pages)
    text = "".join(p.extract_text() for p in pdf.pages)
    assert "跳转至" not in text and "搜索政府信息" not in text


# --- no other hosts ------------------------------------------------------------------------------

EXTRA = {"feed": "feeds/all.xml", "catalog-json": "opendata/catalog.json", "evidence": "dashboard/evidence/",
         "regulations": "regulations/", "guides": "guide/", "404": "no-such-page/"}


def test_no_request_leaves_the_site(context_factory, site_url):
    own = urlsplit(site_url).netloc
    outside, failed = [], []
    # The page's CSP would stop an outside request before the route sees it; bypass it, so that
    # what is tested is what the pages reference, not what the policy catches.
    context = context_factory(viewport={"width": 1280, "height": 900}, bypass_csp=True)

    def guard(route):
        url = route.request.url
        if urlsplit(url).scheme in ("data", "blob") or urlsplit(url).netloc == own:
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    page.on("response", lambda r: r.status >= 400 and urlsplit(r.url).path != "/no-such-page/" and failed.append(r.url))
    visited = 0
    for kind, url in {**PAGES, **EXTRA}.items():
        load(page, site_url + url, kind)
        visited += 1
    # the search box on a page fetches the index as the visitor types
    page.goto(site_url)
    page.locator('form[data-xxgk-search="header"] input[name="q"]').fill("营商环境")
    page.wait_for_selector('form[data-xxgk-search="header"] .xxgk-result')
    assert visited == len(PAGES) + len(EXTRA)
    assert outside == [], f"requests to other hosts: {outside}"
    assert failed == [], f"failed requests: {failed}"
