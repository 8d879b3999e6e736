"""Atom feeds (RFC 4287) of newly published entries: one for the portal, one per organisation.

Only `Catalog.published(today)` goes in. Dates are 发布日期 at midnight Beijing time, so a
feed changes only when the catalog does. Every required element is present: feed id, title,
updated, author, link rel=self; entry id, title, updated, author, link rel=alternate.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING
from xml.etree import ElementTree as ET

from ..catalog import Entry
from ..site import org_url
from . import urls
from .settings import Settings

if TYPE_CHECKING:
    from ..project import Project

ATOM = "http://www.w3.org/2005/Atom"
LIMIT = 50  # newest entries per feed
ATOM_TYPE = "application/atom+xml"


def timestamp(day: date) -> str:
    return f"{day.isoformat()}T00:00:00+08:00"


def _add(parent, tag: str, content: str | None = None, **attrs):
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
    if content is not None:
        element.text = content
    return element


def feed_xml(project: Project, settings: Settings, org_id: str | None = None) -> bytes:
    ref = project.ref
    entries = [e for e in project.listed() if org_id is None or e.org == org_id][:LIMIT]
    site_name = settings.site_name
    owner = ref.orgs[org_id].name if org_id else ref.orgs[settings.office_org].name
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": "zh-CN"})
    _add(feed, "id", settings.absolute(urls.feed(org_id)))
    _add(feed, "title", f"{site_name}：{ref.orgs[org_id].name if org_id else '全部机构'}最新公开信息")
    _add(feed, "subtitle", "依据《中华人民共和国政府信息公开条例》主动公开的政府信息")
    _add(feed, "updated", timestamp(entries[0].published if entries else project.today))
    _add(_add(feed, "author"), "name", owner)
    _add(feed, "link", rel="self", type=ATOM_TYPE, href=settings.absolute(urls.feed(org_id)))
    _add(feed, "link", rel="alternate", type="text/html",
         href=settings.absolute(org_url(org_id) if org_id else "catalog/"))
    _add(feed, "generator", "xxgk")
    for entry in entries:
        _entry(feed, project, settings, entry)
    ET.indent(feed)
    return ET.tostring(feed, encoding="UTF-8", xml_declaration=True) + b"\n"


def _entry(feed, project: Project, settings: Settings, entry: Entry) -> None:
    org = project.ref.orgs[entry.org]
    item = _add(feed, "entry")
    _add(item, "id", settings.absolute(entry.url))
    _add(item, "title", entry.title)
    _add(item, "updated", timestamp(entry.published))
    _add(item, "published", timestamp(entry.published))
    _add(_add(item, "author"), "name", org.name)
    _add(item, "link", rel="alternate", type="text/html", href=settings.absolute(entry.url))
    _add(item, "category", term=entry.category, label=entry.category)
    facts = [f"索引号：{entry.index_no}", f"发布机构：{org.name}", f"信息类别：{entry.category}"]
    if entry.doc_no:
        facts.append(f"文号：{entry.doc_no}")
    summary = "；".join(facts) + "。" + (entry.summary or "")
    _add(item, "summary", summary, type="text")


def files(project: Project, settings: Settings) -> dict[str, bytes]:
    found = {urls.feed(): feed_xml(project, settings)}
    for org_id in project.ref.orgs:
        found[urls.feed(org_id)] = feed_xml(project, settings, org_id)
    return found
