"""What the portal shows, computed from the catalog: listing tables, listing pages, entry views.

Every value that comes from YAML is HTML-escaped here or by autoescaping templates.
"""

from __future__ import annotations

import posixpath
from collections import Counter
from urllib.parse import quote

from .catalog import CATALOG_DIR, Entry
from .fragments import Fragments
from .project import Project
from .templating import relative_url, render  # noqa: F401  (relative_url: used from here too)


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


def entry_rows(project: Project, entries: list[Entry]) -> list[dict]:
    """The records of a catalog table (templates/xxgk/partials/catalog-row.html)."""
    orgs = project.ref.orgs
    return [{"index_no": e.index_no, "title": e.title, "url": e.url, "org": orgs[e.org].short_name,
             "date": e.published.isoformat()} for e in entries]


def _filtered(project: Project, *, org=None, category=None, topic=None, year=None, limit=None) -> list[Entry]:
    ref = project.ref
    if org is not None and org not in ref.orgs:
        raise ValueError(f"未声明的机构“{org}”：请使用 data/orgs.yml 中的标识。")
    return select(project.listed(), org=org, category=_term_name(ref.categories, category),
                  topic=_term_name(ref.topics, topic), year=year, limit=limit)


def catalog_table(project: Project, page_url: str, *, org=None, category=None, topic=None,
                  year=None, limit=None) -> str:
    """The standard catalog table: 索引号, 标题, 发布机构, 发布日期, newest first."""
    entries = _filtered(project, org=org, category=category, topic=topic, year=year, limit=limit)
    return render(project.root, "xxgk/partials/catalog-table.html", base=page_url, label=None,
                  rows=entry_rows(project, entries), empty="暂无公开信息。")


def facet_groups(project: Project, org: str | None = None, entries: list[Entry] | None = None) -> list[dict]:
    """Entry points by 发布机构, 年份, 信息类别 and 主题分类, with counts of published entries;
    `entries`: the listed entries of `org`, when the caller has them already."""
    if entries is None:
        entries = select(project.listed(), org=org)
    ref = project.ref
    by_org = Counter(e.org for e in entries)
    by_category = Counter(e.category for e in entries)
    by_topic = Counter(e.topic for e in entries)
    by_year = Counter(e.year for e in entries)
    item = lambda label, url, count: {"label": label, "url": url, "count": count}  # noqa: E731
    groups = []
    if org is None:
        groups.append({"title": "按发布机构", "items": [item(o.name, org_url(o.id), by_org[o.id]) for o in ref.orgs.values()]})
    years = sorted(by_year.items(), reverse=True)
    groups.append({"title": "按年份", "items": [item(f"{y}年", year_url(y) if org is None else org_year_url(org, y), n)
                                               for y, n in years]})
    groups.append({"title": "按信息类别", "items": [item(t.name, category_url(t.code), by_category[t.name])
                                                for t in ref.categories.values() if by_category[t.name]]})
    groups.append({"title": "按主题分类", "items": [item(t.name, topic_url(t.code), by_topic[t.name])
                                                for t in ref.topics.values() if by_topic[t.name]]})
    return groups


def catalog_facets(project: Project, page_url: str, org: str | None = None) -> str:
    return render(project.root, "xxgk/partials/catalog-facets.html", base=page_url, groups=facet_groups(project, org))


def listing_pages(project: Project) -> dict[str, str]:
    """Markdown of every generated listing page, by src_uri (templates/xxgk/listing.md). Names from
    data/ (organisations, vocabularies) are values given to the template, never template source."""
    ref = project.ref
    entries = project.listed()
    pages: dict[str, str] = {}
    # The same rows, facets and templates give the same page: rendered only when one changed.
    fragments = Fragments(project.root, "listings")
    # Each listing's entries, in the catalog's order: one pass over the entries, not one per listing.
    listed: dict[tuple, list[Entry]] = {}
    for e in entries:
        for key in (("org", e.org), ("org", e.org, e.year), ("category", e.category), ("topic", e.topic), ("year", e.year)):
            listed.setdefault(key, []).append(e)

    def add(url: str, title: str, found: list[Entry], *, facets_of: tuple | None = None) -> None:
        """`facets_of`: (org or None, its listed entries) on the pages that show the entry points."""
        rows = entry_rows(project, found)
        facets = facet_groups(project, *facets_of) if facets_of else None
        pages[f"{url}index.md"] = fragments.render("xxgk/listing.md", base=url, title=title, facets=facets, rows=rows)

    add(f"{CATALOG_DIR}/", "政府信息公开目录", entries[:50], facets_of=(None, entries))
    years_by_org: dict[str, set[int]] = {}
    for e in entries:
        years_by_org.setdefault(e.org, set()).add(e.year)
    for org in ref.orgs.values():
        mine = listed.get(("org", org.id), [])
        add(org_url(org.id), f"{org.name}信息公开目录", mine[:50], facets_of=(org.id, mine))
        for year in years_by_org.get(org.id, ()):
            add(org_year_url(org.id, year), f"{org.name}{year}年公开的政府信息", listed[("org", org.id, year)])
    for term in ref.categories.values():
        add(category_url(term.code), term.name, listed.get(("category", term.name), []))
    for term in ref.topics.values():
        add(topic_url(term.code), term.name.replace("\\", "·"), listed.get(("topic", term.name), []))
    for year in sorted({e.year for e in entries}):
        add(year_url(year), f"{year}年公开的政府信息", listed[("year", year)])
    fragments.prune()
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
        # 检索权重 of its 信息类别 (data/vocab.yml): how much its body counts in the site search.
        "search_weight": getattr(project.ref.categories.get(entry.category), "search_weight", None),
        "summary": entry.summary,
        "fields": fields,
        # The 落款 under the body, as on paper: the organ(s), then the 成文日期 (GB/T 9704 7.3.5).
        "signature": entry.signature,
        "signed": f"{entry.written.year}年{entry.written.month}月{entry.written.day}日",
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
