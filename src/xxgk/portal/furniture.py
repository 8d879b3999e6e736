"""The site's furniture (《政府网站发展指引》): the footer on every page (主办、承办、联系方式、
网站标识码, the two 备案号 as links to their registries, the 党政机关网站标识 and 我为政府网站找错),
the 网站地图 page built from the nav and the catalog's sections, the 联系我们 page from
data/portal.yml 网站信息 and each organisation's 公开指南 contacts, and on every page the
“当前位置” breadcrumb and the page metadata that government sites publish for the national
monitoring (GB/T 42147-2022: SiteName, SiteDomain, SiteIDCode, ColumnName, ColumnType and, on entry
and report pages, ArticleTitle, PubDate, ContentSource, Keywords, Description, Url). Markup lives in
templates: partials/copyright.html (the footer, through Material's partial of that name),
partials/xxgk-page-meta.html, partials/xxgk-crumbs.html, xxgk/sitemap.md and xxgk/contact.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from .. import site
from ..reports import site as report_site
from ..templating import render
from . import urls
from .guide import contact_rows
from .home import SECTIONS
from .markup import front_matter
from .settings import ICP_REGISTRY, POLICE_REGISTRY, Settings

if TYPE_CHECKING:
    from ..project import Project


def footer(settings: Settings) -> dict:
    """What partials/copyright.html shows; links are site URLs (the template makes them relative)."""
    info = settings.site_info
    return {
        "host": info.host, "operator": info.operator, "phone": info.phone, "email": info.email,
        "site_code": info.site_code,
        "icp": {"text": info.icp, "url": ICP_REGISTRY} if info.icp else None,
        "police": {"text": info.police, "url": POLICE_REGISTRY + info.police_code} if info.police else None,
        "links": [{"label": "网站地图", "url": urls.SITEMAP_PAGE}, {"label": "联系我们", "url": urls.CONTACT}],
        "conac": info.conac or None, "conac_image": CONAC_IMAGE, "jiucuo": info.jiucuo or None,
    }


CONAC_IMAGE = "assets/xxgk-conac.svg"  # the 党政机关网站标识 as a local image (never the registry's script)
# Pages a visitor reaches from the navigation, the footer or the pages themselves, besides mkdocs.yml's
# nav and the home page's sections (home.SECTIONS): listed in 网站地图, titled in the breadcrumb.
MORE_PAGES = (("政府信息公开申请表", urls.FORM), ("依申请公开办理情况", urls.REGISTER), ("站内搜索", urls.SEARCH),
              ("网站地图", urls.SITEMAP_PAGE), ("联系我们", urls.CONTACT))
# 栏目类型 of 《政府网站发展指引》 (信息发布、解读回应、办事服务、互动交流) by the section's URL.
COLUMN_TYPES = {urls.APPLY: "办事服务", urls.FORM: "办事服务", urls.SEARCH: "办事服务", urls.CONTACT: "互动交流"}
COLUMN_TYPE = "信息发布"
INTERPRETATION = "政策解读"  # entries of this 信息类别 are 解读回应


def section_titles(nav) -> dict[str, str]:
    """Site URL -> title of every section: mkdocs.yml's nav first, then home.SECTIONS and MORE_PAGES."""
    found = {"": "首页"}
    for item in nav_items(nav):
        if item["url"] is not None:
            found.setdefault(item["url"], item["title"])
    for title, url, _ in SECTIONS:
        found.setdefault(url, title)
    for title, url in MORE_PAGES:
        found.setdefault(url, title)
    return found


def page_furniture(project: Project, settings: Settings, nav, url: str, title: str, entry=None, report=None) -> dict:
    """The breadcrumb and the page metadata of one page (site URL `url`); `entry` or `report` on theirs."""
    titles = section_titles(nav)
    parts = [p for p in url.split("/") if p]
    crumbs = []
    if parts:
        crumbs.append({"title": "首页", "url": ""})
        orgs = project.ref.orgs
        for depth in range(1, len(parts)):
            prefix = "/".join(parts[:depth]) + "/"
            if prefix in titles:
                crumbs.append({"title": titles[prefix], "url": prefix})
            elif depth == 2 and parts[1] in orgs and parts[0] in ("catalog", "guide", "reports"):
                crumbs.append({"title": orgs[parts[1]].name, "url": prefix})
        crumbs.append({"title": title, "url": None})  # the page itself, not a link
    # The section: the longest of the page's own URL and its parents that has a title.
    prefixes = ["/".join(parts[:depth]) + "/" for depth in range(len(parts), 0, -1)]
    section = next((prefix for prefix in prefixes if prefix in titles), "")
    column, kind = titles[section], COLUMN_TYPES.get(section, COLUMN_TYPE)
    info = settings.site_info
    meta = [("SiteName", settings.site_name), ("SiteDomain", urlsplit(settings.address).netloc),
            ("SiteIDCode", info.site_code)]
    record = None
    if entry is not None:
        kind = "解读回应" if entry.category == INTERPRETATION else kind
        record = (entry.title, entry.published, entry.org, ",".join(entry.keywords), entry.summary or "")
    elif report is not None:
        record = (report.title, report.published, report.org, "政府信息公开工作年度报告", report.title)
    meta += [("ColumnName", column), ("ColumnType", kind)]
    if record:
        article, published, org, keywords, description = record
        source = project.ref.orgs[org].name if org in project.ref.orgs else ""
        meta += [("ArticleTitle", article), ("PubDate", published.isoformat() if published else ""),
                 ("ContentSource", source), ("Keywords", keywords), ("Description", description),
                 ("Url", settings.absolute(url))]
    return {"crumbs": crumbs, "meta": [(name, value) for name, value in meta if value]}


def nav_items(nav) -> list[dict]:
    """mkdocs.yml's nav as {title, url (site URL), children}: `index.md` -> "", `guide/index.md` -> guide/."""
    items = []
    for item in nav or []:
        if isinstance(item, str):
            title, target = None, item
        else:
            (title, target), = item.items()
        if isinstance(target, list):
            items.append({"title": title, "url": None, "children": nav_items(target)})
        elif "://" not in str(target):
            url = str(target).removesuffix("index.md").removesuffix(".md")
            if url and not url.endswith("/"):
                url += "/"
            items.append({"title": title or url, "url": url, "children": []})
    return items


def sitemap_page(project: Project, nav) -> str:
    """网站地图: the nav, the portal's other sections, then every entry point of the catalog."""
    in_nav = {item["url"] for item in nav_items(nav)}
    more = [{"title": label, "url": url} for label, url, _ in SECTIONS if url not in in_nav]
    more += [{"title": label, "url": url} for label, url in MORE_PAGES if url != urls.SITEMAP_PAGE]
    orgs = [{"name": o.name, "catalog": site.org_url(o.id), "guide": urls.guide(o.id),
             "reports": report_site.org_url(o.id)} for o in project.ref.orgs.values()]
    return front_matter() + render(project.root, "xxgk/sitemap.md", base=urls.SITEMAP_PAGE, nav=nav_items(nav),
                                   more=more, orgs=orgs, groups=site.facet_groups(project))


def contact_page(project: Project, settings: Settings) -> str:
    office = project.ref.orgs.get(settings.office_org)
    orgs = [{"name": o.name, "guide": urls.guide(o.id), "contacts": contact_rows(o)} for o in project.ref.orgs.values()]
    return front_matter() + render(project.root, "xxgk/contact.md", base=urls.CONTACT, site=footer(settings),
                                   office=office.name if office else None, orgs=orgs,
                                   links={"apply": urls.APPLY, "guides": urls.GUIDE})


def pages(project: Project, settings: Settings, nav) -> dict[str, str]:
    return {urls.src(urls.SITEMAP_PAGE): sitemap_page(project, nav),
            urls.src(urls.CONTACT): contact_page(project, settings)}
