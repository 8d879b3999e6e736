"""What a page gives the search index besides its text: facets, result metadata, sort key.

Templates render a SearchView with partials/xxgk-search-data.html inside their
data-pagefind-body element. Facet and field names are the Chinese names users see.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ..catalog import Entry
from ..reference import Reference
from ..schema import parse_date

ORG, CATEGORY, TOPIC, YEAR = "发布机构", "信息类别", "主题分类", "年份"
FACETS = (ORG, CATEGORY, TOPIC, YEAR)  # the order the search page shows them in
INDEX_NO, DATE, DOC_NO, KEYWORDS = "索引号", "发布日期", "文号", "关键词"
PAGE_KEYS = (*FACETS, DATE, INDEX_NO, DOC_NO, KEYWORDS)
# Pagefind answers a search without words (browsing a facet) by downloading its whole index, so
# every indexed page carries a word to search for instead.
# Must equal MARKS and PAGE_MARK in docs/assets/xxgk-search-worker.js.
MARKS, PAGE_MARK = "标记", "xxgkpage"
# Opens the hidden names and keywords at the end of a page's indexed text: the search worker's
# excerpts stop before it, so they never show those words. Must equal TERMS_MARK there.
TERMS_MARK = "xxgkterms"
# A filter (not a facet) on the pages the search shows as one group: finding them then downloads
# only this small filter. Must equal GROUP_FILTER there.
GROUP = "xxgkgroup"


@dataclass
class SearchView:
    filters: list[tuple[str, str]] = field(default_factory=list)
    meta: list[tuple[str, str]] = field(default_factory=list)
    sort: list[tuple[str, str]] = field(default_factory=list)
    # Indexed but not shown: words a reader may search for that the page text may lack.
    terms: list[str] = field(default_factory=list)
    terms_mark: str = TERMS_MARK
    # Metadata words that let the search list pages without a query (see MARKS).
    marks: list[str] = field(default_factory=lambda: [PAGE_MARK])


def topic_label(topic: str) -> str:
    return topic.replace("\\", "·")


def entry_search_view(ref: Reference, entry: Entry) -> SearchView:
    org = ref.orgs[entry.org]
    day = entry.published.isoformat()
    view = SearchView(
        filters=[(ORG, org.name), (CATEGORY, entry.category), (TOPIC, topic_label(entry.topic)),
                 (YEAR, str(entry.year))],
        meta=[(INDEX_NO, entry.index_no), (ORG, org.name), (DATE, day)],
        sort=[(DATE, day)],
        terms=[org.name, org.short_name, *entry.keywords],
    )
    if entry.doc_no:
        view.meta.append((DOC_NO, entry.doc_no))
        view.terms.append(entry.doc_no)
    return view


def page_search_view(spec, ref: Reference | None) -> SearchView:
    """A page outside the catalog (report, guide) that asks to be indexed in its front matter:
    `search_index: true`, or a mapping of the keys in PAGE_KEYS."""
    if spec is True:
        return SearchView()
    if not isinstance(spec, dict):
        raise ValueError("应为 true 或“名称: 值”形式的映射。")
    unknown = [str(k) for k in spec if k not in PAGE_KEYS]
    if unknown:
        raise ValueError(f"不认识的键“{'、'.join(unknown)}”，可用：{'、'.join(PAGE_KEYS)}。")
    view = SearchView()
    org = spec.get(ORG)
    if org is not None:
        org = str(org)
        short = None
        if ref is not None:  # accept an org's 标识 as well as its name
            found = ref.orgs.get(org) or next((o for o in ref.orgs.values() if o.name == org), None)
            if found is not None:
                org, short = found.name, found.short_name
        view.filters.append((ORG, org))
        view.meta.append((ORG, org))
        view.terms.append(org)
        if short and short != org:  # as entries: a reader may type the short name (区人社局)
            view.terms.append(short)
    for key in (CATEGORY, TOPIC):
        if spec.get(key):
            view.filters.append((key, topic_label(str(spec[key]))))
    day = spec.get(DATE)
    parsed = None
    if day is not None:
        parsed = day if isinstance(day, date) else parse_date(str(day))
        if parsed is None:
            raise ValueError(f"发布日期“{day}”应写成 YYYY-MM-DD。")
        view.meta.append((DATE, parsed.isoformat()))
        view.sort.append((DATE, parsed.isoformat()))
    year = spec.get(YEAR) or (parsed.year if parsed else None)
    if year is not None:
        view.filters.append((YEAR, str(year)))
    for key in (INDEX_NO, DOC_NO):
        if spec.get(key):
            view.meta.append((key, str(spec[key])))
            view.terms.append(str(spec[key]))
    keywords = spec.get(KEYWORDS) or []
    view.terms.extend(str(k) for k in ([keywords] if isinstance(keywords, str) else keywords))
    return view
