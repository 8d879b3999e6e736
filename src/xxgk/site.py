"""What the portal shows, computed from the catalog: listing tables, listing pages, entry views.

Every value that comes from YAML is HTML-escaped here or by autoescaping templates.
"""

from __future__ import annotations

import posixpath
from collections import Counter
from html import escape
from urllib.parse import quote

from .catalog import CATALOG_DIR, Entry
from .project import Project


def relative_url(target: str, base: str) -> str:
    """Link from the page at site URL `base` to site URL `target` (both without leading /)."""
    base_dir = base if base.endswith("/") or not base else posixpath.dirname(base) + "/"
    rel = posixpath.relpath("/" + target, "/" + base_dir)
    if target.endswith("/") or not target:
        rel = rel.rstrip("/") + "/"
        if rel == "./":
            return "./"
    return rel


# Listing pages, by site URL prefix: what each one filters on.
def org_url(org_id: str) -> str:
    return f"{CATALOG_DIR}/{org_id}/"


def org_year_url(org_id: str, year: int) -> str:
    return f"{CATALOG_DIR}/{org_id}/{year}/"


def category_url(code: str) -> str:
    return f"{CATALOG_DIR}/by-category/{code}/"


def topic_url(code: str) -> str:
    return f"{CATALOG_DIR}/by-topic/{code}/"


def year_url(year: int) -> str:
    return f"{CATALOG_DIR}/by-year/{year}/"


def select(entries: list[Entry], *, org=None, category=None, topic=None, year=None, limit=None):
    found = [
        e for e in entries
        if (org is None or e.org == org)
        and (category is None or e.category == category)
        and (topic is None or e.topic == topic)
        and (year is None or e.year == int(year))
    ]
    return found[:limit] if limit else found


def _term_name(terms: dict, value: str | None) -> str | None:
    """Accept a term by its name or by its code."""
    if value is None or value in terms:
        return value
    by_code = {t.code: t.name for t in terms.values()}
    if value not in by_code:
        raise ValueError(f"未声明的分类“{value}”：请使用 data/vocab.yml 中的名称或代码。")
    return by_code[value]


def catalog_table(project: Project, page_url: str, *, org=None, category=None, topic=None,
                  year=None, limit=None) -> str:
    """The standard catalog table: 索引号, 标题, 发布机构, 发布日期, newest first."""
    ref = project.ref
    if org is not None and org not in ref.orgs:
        raise ValueError(f"未声明的机构“{org}”：请使用 data/orgs.yml 中的标识。")
    entries = select(project.published(), org=org, category=_term_name(ref.categories, category),
                     topic=_term_name(ref.topics, topic), year=year, limit=limit)
    if not entries:
        return '<p class="xxgk-empty">暂无公开信息。</p>'
    orgs = project.ref.orgs
    rows = "\n".join(
        "<tr>"
        f'<td class="xxgk-index">{escape(e.index_no)}</td>'
        f'<td><a href="{escape(relative_url(e.url, page_url))}">{escape(e.title)}</a></td>'
        f"<td>{escape(orgs[e.org].short_name)}</td>"
        f'<td class="xxgk-date">{e.published.isoformat()}</td>'
        "</tr>"
        for e in entries
    )
    return (
        '<div class="xxgk-table-wrap"><table class="xxgk-catalog">'
        "<thead><tr><th scope=\"col\">索引号</th><th scope=\"col\">标题</th>"
        "<th scope=\"col\">发布机构</th><th scope=\"col\">发布日期</th></tr></thead>"
        f"<tbody>\n{rows}\n</tbody></table></div>"
    )


def _link_list(items: list[tuple[str, str, int]], page_url: str) -> str:
    links = "".join(
        f'<li><a href="{escape(relative_url(url, page_url))}">{escape(label)}</a>'
        f'<span class="xxgk-count">{count}</span></li>'
        for label, url, count in items
    )
    return f'<ul class="xxgk-facets">{links}</ul>'


def catalog_facets(project: Project, page_url: str, org: str | None = None) -> str:
    """Entry points by 发布机构, 信息类别, 年份 and 主题分类, with counts of published entries."""
    entries = select(project.published(), org=org)
    ref = project.ref
    by_org = Counter(e.org for e in entries)
    by_category = Counter(e.category for e in entries)
    by_topic = Counter(e.topic for e in entries)
    by_year = Counter(e.year for e in entries)
    parts = []
    if org is None:
        parts.append(("按发布机构", [(o.name, org_url(o.id), by_org[o.id]) for o in ref.orgs.values()]))
        years = [(f"{y}年", year_url(y), n) for y, n in sorted(by_year.items(), reverse=True)]
    else:
        years = [(f"{y}年", org_year_url(org, y), n) for y, n in sorted(by_year.items(), reverse=True)]
    parts.append(("按年份", years))
    parts.append(("按信息类别", [(t.name, category_url(t.code), by_category[t.name])
                            for t in ref.categories.values() if by_category[t.name]]))
    parts.append(("按主题分类", [(t.name, topic_url(t.code), by_topic[t.name])
                            for t in ref.topics.values() if by_topic[t.name]]))
    return "\n".join(
        f'<section class="xxgk-facet"><h2>{escape(title)}</h2>{_link_list(items, page_url)}</section>'
        for title, items in parts
    )


def listing_pages(project: Project) -> dict[str, str]:
    """Markdown of every generated listing page, by src_uri: the title and our HTML, no template
    code. Names from data/ (organisations, vocabularies) are escaped values here, never Jinja source."""
    from .portal.markup import md_text  # portal.markup builds on this module

    ref = project.ref
    entries = project.published()
    pages: dict[str, str] = {}

    def add(url: str, title: str, *blocks: str) -> None:
        pages[f"{url}index.md"] = f"# {md_text(title)}\n\n" + "\n\n".join(blocks) + "\n"

    def table(url: str, **filters) -> str:
        return catalog_table(project, url, **filters)

    url = f"{CATALOG_DIR}/"
    add(url, "政府信息公开目录", catalog_facets(project, url), "## 最新公开", table(url, limit=50))
    years_by_org: dict[str, set[int]] = {}
    for e in entries:
        years_by_org.setdefault(e.org, set()).add(e.year)
    for org in ref.orgs.values():
        url = org_url(org.id)
        add(url, f"{org.name}信息公开目录", catalog_facets(project, url, org=org.id), "## 最新公开",
            table(url, org=org.id, limit=50))
        for year in years_by_org.get(org.id, ()):
            url = org_year_url(org.id, year)
            add(url, f"{org.name}{year}年公开的政府信息", table(url, org=org.id, year=year))
    for term in ref.categories.values():
        add(category_url(term.code), term.name, table(category_url(term.code), category=term.code))
    for term in ref.topics.values():
        add(topic_url(term.code), term.name.replace("\\", "·"), table(topic_url(term.code), topic=term.code))
    for year in sorted({e.year for e in entries}):
        add(year_url(year), f"{year}年公开的政府信息", table(year_url(year), year=year))
    return pages


def entry_view(project: Project, entry: Entry, page_url: str) -> dict:
    """Plain strings for the entry template (which autoescapes them)."""
    ref = project.ref
    org = ref.orgs[entry.org]
    fields = [
        ("索引号", entry.index_no),
        ("发布机构", org.name),
        ("主题分类", entry.topic),
        ("信息类别", entry.category),
        ("成文日期", entry.written.isoformat()),
        ("发布日期", entry.published.isoformat()),
        ("文号", entry.doc_no or "无"),
    ]
    if entry.validity:
        fields.append(("有效性", entry.validity))
    if entry.keywords:
        fields.append(("关键词", "、".join(entry.keywords)))
    related = [
        {"category": r.category, "title": r.title, "url": relative_url(r.url, page_url),
         "date": r.published.isoformat()}
        for r in project.catalog.related(entry) if r.is_published(project.today, ref.review_roles)
    ]
    return {
        "title": entry.title,
        "summary": entry.summary,
        "fields": fields,
        "article20": [(item, ref.article20.get(item, "")) for item in entry.article20],
        "attachments": [
            # File names may hold spaces, #, ?, %, & or Chinese: the link is percent-encoded.
            {"name": a.name, "url": quote(relative_url(a.src_uri, page_url)),
             "type": posixpath.splitext(a.src_uri)[1][1:].upper()}
            for a in entry.attachments
        ],
        "related": related,
        "org_url": relative_url(org_url(org.id), page_url),
        "org_name": org.name,
    }
