"""The site's furniture (《政府网站发展指引》): the footer on every page (主办、承办、联系方式、
网站标识码 and the two 备案号 as links to their registries), the 网站地图 page built from the nav
and the catalog's sections, and the 联系我们 page from data/portal.yml 网站信息 and each
organisation's 公开指南 contacts. Markup lives in templates: partials/copyright.html (the footer,
through Material's partial of that name), xxgk/sitemap.md and xxgk/contact.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

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
    }


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
    more.append({"title": "联系我们", "url": urls.CONTACT})
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
