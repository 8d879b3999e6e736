"""Search in a real browser (Debian's Chromium via Playwright): header box, search page, facets."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from playwright.sync_api import expect

from search_support import build_search_site
from xxgk.search.devserver import serve

HEADER_BOX = 'form[data-xxgk-search="header"] input[name="q"]'
PANEL_RESULTS = 'form[data-xxgk-search="header"] .xxgk-result'
PAGE_RESULTS = "[data-xxgk-results] .xxgk-result"


@pytest.fixture(scope="module")
def search_url(tmp_path_factory):
    site = build_search_site(tmp_path_factory.mktemp("search-browser"))[1]
    with serve(site) as url:
        yield url


@pytest.fixture
def page(browser, search_url):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    outside = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith((search_url, "data:", "blob:")) else None)
    yield page
    context.close()
    assert not errors, errors
    assert not outside, f"requests to other hosts: {outside}"


def header_search(page, base, query):
    page.goto(base)
    page.locator(HEADER_BOX).fill(query)
    page.wait_for_selector(PANEL_RESULTS + ", form[data-xxgk-search='header'] .xxgk-search__note")
    return page.locator(PANEL_RESULTS)


def titles(results):
    return [t.strip() for t in results.locator(".xxgk-result__title").all_inner_texts()]


def test_header_box_finds_a_word_inside_a_compound(page, search_url):
    # Indexed as 外商|投资; the browser's own segmenter would not split the query the same way.
    results = header_search(page, search_url, "外商投资")
    assert sorted(titles(results)) == ["《示例区促进外商投资若干措施》政策解读",
                                       "示例区商务局关于印发《示例区促进外商投资若干措施》的通知"]
    first = results.filter(has_text="的通知")
    meta = first.locator(".xxgk-result__meta").inner_text()
    assert "770010036/2024-00001" in meta and "示例区商务局" in meta and "2024-03-05" in meta
    assert "外商" in first.locator(".xxgk-result__excerpt mark").first.inner_text()


def test_header_box_multi_word_query_without_spaces(page, search_url):
    # Chromium's own segmenter splits 营商 into 营|商 and would find nothing here.
    results = header_search(page, search_url, "优化营商环境一网通办")
    assert titles(results) == ["示例区发展和改革局关于优化营商环境的实施意见"]


@pytest.mark.parametrize("query, title", [
    ("770010052/2024-00001", "示例区财政局2024年部门预算公开"),
    ("示市监处罚〔2022〕7号", "示例区市场监督管理局行政处罚决定书（示市监处罚〔2022〕7号）"),
    ("示发改[2024]6号", "示例区发展和改革局关于优化营商环境的实施意见"),  # other brackets, as typed
])
def test_header_box_looks_up_identifiers(page, search_url, query, title):
    assert titles(header_search(page, search_url, query)) == [title]


@pytest.mark.parametrize("query", ["示例区财政局", "区财政局", "财政局"])
def test_an_organisation_name_is_searched_as_text(page, search_url, query):
    # Full-text results with highlights, the 发布机构 filter only offered beside them.
    results = header_search(page, search_url, query)
    assert set(titles(results)) >= {"示例区财政局2024年部门预算公开", "示例区财政局2023年部门决算公开"}
    expect(results.first.locator(".xxgk-result__excerpt mark", has_text="财政").first).to_be_visible()
    offer = page.locator("form[data-xxgk-search='header'] .xxgk-suggestion")
    expect(offer).to_have_text("只看区财政局发布的信息")
    assert parse_qs(urlsplit(offer.get_attribute("href")).query) == {"q": [query], "发布机构": ["示例区财政局"]}


def test_search_page_offers_the_organisation_filter_and_applies_it_on_request(page, search_url):
    page.goto(search_url + "search/?q=" + quote("商务局"))
    results = page.locator(PAGE_RESULTS)
    expect(results.first).to_be_visible()
    # Ranked by relevance with the words marked, not a date-ordered filter.
    assert "示例区商务局关于印发《示例区促进外商投资若干措施》的通知" in titles(results)
    expect(results.locator(".xxgk-result__excerpt mark").first).to_contain_text("商务")
    assert page.locator("[data-xxgk-sort]").input_value() == ""
    assert not page.locator('[data-facet="发布机构"] input:checked').count()
    assert "找到" in page.locator("[data-xxgk-status]").inner_text()
    offer = page.get_by_role("button", name="只看区商务局发布的信息")
    expect(offer).to_be_visible()
    offer.click()
    expect(page.locator('[data-facet="发布机构"] input[value="示例区商务局"]')).to_be_checked()
    expect(offer).to_be_hidden()
    assert parse_qs(urlsplit(page.url).query) == {"q": ["商务局"], "发布机构": ["示例区商务局"]}
    expect(results).to_have_count(3)  # its two entries and its guide
    assert all("示例区商务局" in m for m in results.locator(".xxgk-result__meta").all_inner_texts()
               if "索引号" in m)


@pytest.mark.parametrize("query", ["商务局", "外资总部", "预算", "告知承诺制", "过期食品", "申请"])
def test_excerpts_start_at_a_word_and_hold_no_hidden_words(page, search_url, query):
    page.goto(search_url + "search/?q=" + quote(query))
    expect(page.locator(PAGE_RESULTS).first).to_be_visible()
    excerpts = page.locator(PAGE_RESULTS + " .xxgk-result__excerpt").all_inner_texts()
    assert excerpts
    for text in excerpts:
        assert re.match(r"[\w《“（(]", text), text  # a word (or an opening quote or bracket), not 。，、.
        assert "mark>" not in text and "<" not in text, text  # the highlights stay markup
        # The names and keywords indexed for search are not page text: never in an excerpt.
        assert "xxgkterms" not in text and "示例区商务局 区商务局" not in text and "外商投资 外资总部" not in text, text


def test_guides_of_several_organisations_are_one_result(page, search_url):
    # Every organisation's guide says the same: one place in the list, a link to each guide.
    page.goto(search_url + "search/?q=" + quote("信息处理费"))
    group = page.locator(PAGE_RESULTS + "[data-xxgk-group]")
    expect(group).to_have_count(1)
    expect(group.locator(".xxgk-result__title")).to_have_text("公开指南（6 个机构）")
    links = group.locator(".xxgk-result__members a")
    expect(links).to_have_count(6)
    assert {urlsplit(a.get_attribute("href")).path.rstrip("/").rsplit("/", 1)[-1]
            for a in links.all()} == {"qzf", "swj", "fgj", "czj", "scjgj", "jyj"}
    assert "示例区商务局" in links.all_inner_texts()
    assert urlsplit(group.locator("a.xxgk-result__title").get_attribute("href")).path.endswith("/guide/")
    assert page.locator(PAGE_RESULTS).count() == 1 + page.locator(PAGE_RESULTS + ":not([data-xxgk-group])").count()
    # One guide alone stays an ordinary result; choosing the category lists them one by one.
    # (The 依申请公开, 联系我们 and guide index pages name every 受理机构 too: they are found beside it.)
    results = header_search(page, search_url, "商务局 受理机构")
    assert [t for t in titles(results) if t.startswith("示例") and t.endswith("政府信息公开指南")] == ["示例区商务局政府信息公开指南"]
    assert page.locator(PANEL_RESULTS + "[data-xxgk-group]").count() == 0


def test_guides_are_searchable_and_browsable(page, search_url):
    results = header_search(page, search_url, "商务局 受理机构")
    guide = results.filter(has=page.locator(".xxgk-result__title", has_text=re.compile("^示例区商务局政府信息公开指南$")))
    expect(guide).to_have_count(1)
    assert "示例区商务局" in guide.locator(".xxgk-result__meta").inner_text()
    # Browsing the facet sorts by 发布日期, which guides lack: they are still listed, all of them.
    page.goto(search_url + "search/?" + quote("信息类别") + "=" + quote("公开指南"))
    page.wait_for_selector(PAGE_RESULTS)
    assert len(titles(page.locator(PAGE_RESULTS))) == 6
    assert all(t.endswith("政府信息公开指南") for t in titles(page.locator(PAGE_RESULTS)))


def test_header_box_says_when_nothing_is_found(page, search_url):
    header_search(page, search_url, "鸵鸟")
    note = page.locator("form[data-xxgk-search='header'] .xxgk-search__note")
    assert "没有找到" in note.inner_text()


def test_follow_a_result(page, search_url):
    results = header_search(page, search_url, "部门决算")
    results.first.locator("a").click()
    page.wait_for_url("**/catalog/czj/2023/00001/")
    assert page.locator(".xxgk-entry h1").inner_text() == "示例区财政局2023年部门决算公开"


def test_keyboard_choice_and_enter_to_the_search_page(page, search_url):
    header_search(page, search_url, "预算")
    page.keyboard.press("ArrowDown")
    active = page.locator(".xxgk-result--active .xxgk-result__title").inner_text()
    page.keyboard.press("ArrowUp")  # back to none chosen: Enter now submits the query
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?q=*")
    assert parse_qs(urlsplit(page.url).query)["q"] == ["预算"]
    page.wait_for_selector(PAGE_RESULTS)
    assert active in titles(page.locator(PAGE_RESULTS))


def test_facet_filters_results_and_goes_into_the_address(page, search_url):
    page.goto(search_url + "search/?q=" + quote("预算"))
    page.wait_for_selector(PAGE_RESULTS)
    assert len(titles(page.locator(PAGE_RESULTS))) == 3
    group = page.locator('[data-facet="发布机构"]')
    assert "示例区教育局" in group.inner_text() and "示例区财政局" in group.inner_text()
    group.get_by_label("示例区教育局").check()
    expect(page.locator(PAGE_RESULTS)).to_have_count(1)
    assert titles(page.locator(PAGE_RESULTS)) == ["示例区教育局2024年部门预算公开"]
    assert parse_qs(urlsplit(page.url).query) == {"q": ["预算"], "发布机构": ["示例区教育局"]}
    # Values of one facet combine with "or": the other value keeps its count (决算 mentions 预算 too).
    assert group.locator("li", has_text="示例区财政局").locator(".xxgk-count").inner_text() == "2"
    group.get_by_label("示例区财政局").check()
    expect(page.locator(PAGE_RESULTS)).to_have_count(3)
    assert parse_qs(urlsplit(page.url).query)["发布机构"] == ["示例区教育局", "示例区财政局"]


def test_search_link_with_facets_and_sort(page, search_url):
    url = search_url + "search/?q=" + quote("预算") + "&" + quote("年份") + "=2024&sort=desc"
    page.goto(url)
    page.wait_for_selector(PAGE_RESULTS)
    assert titles(page.locator(PAGE_RESULTS)) == ["示例区教育局2024年部门预算公开", "示例区财政局2024年部门预算公开"]
    assert page.locator('[data-facet="年份"] input[value="2024"]').is_checked()
    assert page.locator("[data-xxgk-sort]").input_value() == "desc"
    assert page.locator("input.xxgk-search-page__input").input_value() == "预算"
    assert "找到 2 条" in page.locator("[data-xxgk-status]").inner_text()
    page.locator("[data-xxgk-sort]").select_option("asc")
    expect(page.locator(PAGE_RESULTS).first.locator(".xxgk-result__title")).to_contain_text("财政局")
    assert parse_qs(urlsplit(page.url).query)["sort"] == ["asc"]


def test_browse_by_facet_without_a_query(page, search_url):
    page.goto(search_url + "search/?" + quote("信息类别") + "=" + quote("政策文件"))
    page.wait_for_selector(PAGE_RESULTS)
    assert titles(page.locator(PAGE_RESULTS)) == ["示例区发展和改革局关于优化营商环境的实施意见",
                                                  "示例区商务局关于印发《示例区促进外商投资若干措施》的通知"]


def test_home_page_box_and_mobile_header(browser, search_url):
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    page.goto(search_url)
    assert not page.locator(HEADER_BOX).is_visible()  # phones: the header shows a search icon
    page.locator(".md-header .xxgk-search__mobile").click()
    page.wait_for_url("**/search/")
    page.goto(search_url)
    box = page.locator('form[data-xxgk-search="box"] input[name="q"]')
    box.fill("告知承诺制")
    page.wait_for_selector('form[data-xxgk-search="box"] .xxgk-result')
    assert page.locator('form[data-xxgk-search="box"] .xxgk-result__title').first.inner_text() == \
        "示例区发展和改革局关于优化营商环境的实施意见"
    box.press("Enter")
    page.wait_for_url("**/search/?q=*")
    page.wait_for_selector(PAGE_RESULTS)
    context.close()


def test_site_under_a_subpath(browser, tmp_path_factory):
    # Static hosts such as GitHub Pages serve the portal under /<name>/: result links must follow.
    site = build_search_site(tmp_path_factory.mktemp("search-subpath"))[1]
    parent = site.parent / "host"
    parent.mkdir()
    (parent / "xxgk").symlink_to(site, target_is_directory=True)
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    with serve(parent) as base:
        results = header_search(page, base + "xxgk/", "部门决算")
        assert titles(results) == ["示例区财政局2023年部门决算公开"]
        results.first.locator("a").click()
        page.wait_for_url(base + "xxgk/catalog/czj/2023/00001/")
    context.close()
