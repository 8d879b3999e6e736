"""The portal on a phone (375 px wide), in Chromium: 表三 scrolls with its row labels kept in view,
and what a thumb taps is at least 44 × 44 px (WCAG 2.5.5): footer links, the search filters."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

PHONE = {"width": 375, "height": 740}
TARGET = 44


@pytest.fixture
def phone(browser):
    context = browser.new_context(locale="zh-CN", viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    page = context.new_page()
    yield page
    context.close()


def boxes(page, selector):
    return page.evaluate("""(selector) => Array.from(document.querySelectorAll(selector)).map(e => {
        const r = e.getBoundingClientRect();
        return {text: e.textContent.trim(), x: r.x, y: r.y, right: r.right, width: r.width, height: r.height};
    })""", selector)


def test_table_three_scrolls_under_its_row_labels(phone, site_url):
    page = phone
    page.goto(site_url + "reports/swj/2022/")
    wrap = page.locator(".xxgk-table-wrap:has(table.xxgk-grid)").first
    expect(wrap).to_have_class("xxgk-table-wrap xxgk-scrolls")  # wider than the phone: it scrolls
    table = wrap.locator("table")
    expect(table).to_have_class("xxgk-report-table xxgk-grid xxgk-sticky")
    wrap.scroll_into_view_if_needed()
    frame = wrap.bounding_box()
    assert wrap.evaluate("e => e.scrollWidth") > frame["width"] + 150
    # The visible cue, in words, besides the shadows at the edge.
    assert "滑动" in wrap.evaluate("e => getComputedStyle(e, '::before').content")

    labels = 'table.xxgk-grid tbody th[scope="row"]'
    before = boxes(page, labels)
    numbers = boxes(page, "table.xxgk-grid tbody td")
    assert len(before) > 20 and any(b["text"].startswith("三、") for b in before)
    wrap.evaluate("e => { e.scrollLeft = e.scrollWidth; }")
    page.wait_for_function("() => document.querySelector('.xxgk-table-wrap.xxgk-scrolls').scrollLeft > 150")
    after = boxes(page, labels)
    moved = boxes(page, "table.xxgk-grid tbody td")
    assert numbers[0]["x"] - moved[0]["x"] > 150  # the numbers scrolled
    for old, new in zip(before, after):
        assert abs(old["x"] - new["x"]) < 1, new["text"]  # each label where it was …
        assert new["x"] >= frame["x"] - 1 and new["right"] <= frame["x"] + frame["width"] * 2 / 3, new["text"]  # … in view
    # … and on top: what is under the middle of each label is the label, not a number that scrolled there.
    page.evaluate("() => window.scrollTo(0, 0)")
    on_top = page.evaluate("""() => Array.from(document.querySelectorAll('table.xxgk-grid tbody th[scope="row"]'))
        .filter(th => th.closest('table') === document.querySelector('table.xxgk-grid'))
        .map(th => {
            th.scrollIntoView({block: "center"});
            const r = th.getBoundingClientRect();
            const hit = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
            return th.contains(hit);
        })""")
    assert on_top and all(on_top)
    # The leaf labels can be read: wider than a few characters, never one character a line.
    leaf = [b for b in after if b["text"].startswith("4.保护第三方")][0]
    assert leaf["width"] >= 100


def test_footer_links_and_search_filters_are_big_enough_to_tap(phone, site_url):
    page = phone
    page.goto(site_url)
    links = boxes(page, ".xxgk-footer a")
    assert len(links) >= 3
    small = [(b["text"], round(b["width"]), round(b["height"])) for b in links
             if b["width"] < TARGET or b["height"] < TARGET]
    assert not small

    page.goto(site_url + "search/?q=通知")
    expect(page.locator(".xxgk-facet-group label").first).to_be_attached()
    groups = page.locator(".xxgk-facet-group")
    for index in range(groups.count()):
        summary = groups.nth(index).locator("summary")
        box = summary.bounding_box()
        assert box["width"] >= TARGET and box["height"] >= TARGET, summary.text_content()
        if groups.nth(index).get_attribute("open") is None:
            summary.click()
        expect(groups.nth(index).locator("label").first).to_be_visible()
    filters = boxes(page, ".xxgk-facet-group label")
    assert len(filters) > 10
    small = [(b["text"], round(b["width"]), round(b["height"])) for b in filters
             if b["width"] < TARGET or b["height"] < TARGET]
    assert not small
    # The whole label is the target: a tap on its text ticks the box.
    page.locator(".xxgk-facet-group label").first.click()
    expect(page.locator(".xxgk-facet-group input[type=checkbox]").first).to_be_checked()
