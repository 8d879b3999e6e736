"""政府信息公开指南: one page per organisation, generated from its 公开指南 contact data in
data/orgs.yml and the shared rules in data/portal.yml (time limits, 信息处理费); plus the
list of guides and the 公开制度 page.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from .. import site
from ..catalog import Entry
from ..reference import Org
from ..reports import site as report_site
from . import urls
from ..templating import render
from .markup import front_matter
from .settings import Settings

if TYPE_CHECKING:
    from ..project import Project

REGULATION = "《中华人民共和国政府信息公开条例》"
GUIDE_CATEGORY = "公开指南"  # the 信息类别 facet of guide pages in the search
CONTACT_LABELS = (("office", "受理机构"), ("address", "通信地址"), ("postcode", "邮政编码"), ("phone", "咨询电话"),
                  ("fax", "传真"), ("email", "电子邮箱"), ("hours", "受理时间"))


def contact_rows(org: Org) -> list[tuple[str, str]]:
    return [(label, org.guide[key]) for key, label in CONTACT_LABELS if org.guide.get(key)]


def channels(org: Org) -> str:
    """How this org takes applications, from the contact data it publishes."""
    found = ["当面提交", "邮寄"] + (["传真"] if org.guide.get("fax") else []) + (["电子邮件"] if org.guide.get("email") else [])
    return "、".join(found)


def fees(settings: Settings) -> dict:
    """信息处理费 for templates/xxgk/partials/fees.html."""
    return {"note": settings.fee_note, "basis": settings.fee_basis,
            "schemes": [{"name": s.name, "note": s.note, "unit": s.unit, "bands": s.band_texts(), "example": s.example()}
                        for s in settings.fee_schemes]}


def report_deadline(project: Project, org: Org) -> str | None:
    fmt = project.reports.formats.for_year(project.today.year - 1)
    if fmt is None or org.type not in fmt.deadlines:
        return None
    month, day = fmt.deadlines[org.type]
    return f"{month}月{day}日"


def org_guide(project: Project, settings: Settings, org: Org) -> str:
    office = project.ref.orgs.get(settings.office_org)
    supervisor = f"{office.guide['office']}（电话 {office.guide['phone']}）" if office else "政府信息公开工作主管部门"
    links = {"mandatory": urls.MANDATORY, "catalog": site.org_url(org.id), "search": "search/", "feed": urls.feed(org.id),
             "apply": urls.APPLY, "reports": report_site.org_url(org.id), "guides": urls.GUIDE}
    body = render(project.root, "xxgk/guide.md", base=urls.guide(org.id), org=org, contacts=contact_rows(org),
                  channels=channels(org), supervisor=supervisor, deadline=report_deadline(project, org),
                  workdays=project.ref.publish_workdays, address=settings.address, limits=settings.time_limits,
                  fees=fees(settings), links=links)
    # Searchable as the org's 公开指南 (facets read by the xxgk-search plugin; JSON is YAML).
    spec = json.dumps({"发布机构": org.id, "信息类别": GUIDE_CATEGORY}, ensure_ascii=False)
    return front_matter(meta={"search_index": spec}) + body


def guide_index(project: Project) -> str:
    guides = [{"name": o.name, "url": urls.guide(o.id), "office": o.guide["office"], "phone": o.guide["phone"]}
              for o in project.ref.orgs.values()]
    links = {"apply": urls.APPLY, "regulations": urls.REGULATIONS}
    return front_matter() + render(project.root, "xxgk/guide-index.md", base=urls.GUIDE, guides=guides, links=links)


def local_rules(project: Project, settings: Settings) -> list[Entry]:
    return [e for e in project.published()
            if (settings.local_topic is None or e.topic == settings.local_topic)
            and (not settings.local_categories or e.category in settings.local_categories)]


def regulations_page(project: Project, settings: Settings) -> str:
    return front_matter() + render(project.root, "xxgk/regulations.md", base=urls.REGULATIONS,
                                   national=settings.national_rules,
                                   rows=site.entry_rows(project, local_rules(project, settings)),
                                   links={"guides": urls.GUIDE})


def pages(project: Project, settings: Settings) -> dict[str, str]:
    found = {urls.src(urls.GUIDE): guide_index(project), urls.src(urls.REGULATIONS): regulations_page(project, settings)}
    for org in project.ref.orgs.values():
        found[urls.src(urls.guide(org.id))] = org_guide(project, settings, org)
    return found
