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
from ..fragments import Fragments
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


def feed_xml(project: Project, settings: Settings, org_id: str | None = None, entries: list[Entry] | None = None) -> bytes:
    """The feed of `org_id` (None: the whole portal); `entries`: the listed entries it is made of, when
    the caller has them (the org's, newest first)."""
    return _xml(_facts(project, settings, org_id, entries))


def _facts(project: Project, settings: Settings, org_id: str | None, entries: list[Entry] | None) -> dict:
    """Everything a feed shows, as plain data: the feed is written from this alone (and cached by it)."""
    ref = project.ref
    if entries is None:
        entries = [e for e in project.listed() if org_id is None or e.org == org_id]
    entries = entries[:LIMIT]
    site_name = settings.site_name
    return {
        "id": settings.absolute(urls.feed(org_id)),
        "title": f"{site_name}：{ref.orgs[org_id].name if org_id else '全部机构'}最新公开信息",
        "updated": timestamp(entries[0].published if entries else project.today),
        "owner": ref.orgs[org_id].name if org_id else ref.orgs[settings.office_org].name,
        "alternate": settings.absolute(org_url(org_id) if org_id else "catalog/"),
        "entries": [_entry_facts(project, settings, entry) for entry in entries],
    }


def _entry_facts(project: Project, settings: Settings, entry: Entry) -> dict:
    org = project.ref.orgs[entry.org]
    facts = [f"索引号：{entry.index_no}", f"发布机构：{org.name}", f"信息类别：{entry.category}"]
    if entry.doc_no:
        facts.append(f"文号：{entry.doc_no}")
    return {"url": settings.absolute(entry.url), "title": entry.title, "date": timestamp(entry.published),
            "author": org.name, "category": entry.category, "summary": "；".join(facts) + "。" + (entry.summary or "")}


def _xml(facts: dict) -> bytes:
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": "zh-CN"})
    _add(feed, "id", facts["id"])
    _add(feed, "title", facts["title"])
    _add(feed, "subtitle", "依据《中华人民共和国政府信息公开条例》主动公开的政府信息")
    _add(feed, "updated", facts["updated"])
    _add(_add(feed, "author"), "name", facts["owner"])
    _add(feed, "link", rel="self", type=ATOM_TYPE, href=facts["id"])
    _add(feed, "link", rel="alternate", type="text/html", href=facts["alternate"])
    _add(feed, "generator", "xxgk")
    for entry in facts["entries"]:
        item = _add(feed, "entry")
        _add(item, "id", entry["url"])
        _add(item, "title", entry["title"])
        _add(item, "updated", entry["date"])
        _add(item, "published", entry["date"])
        _add(_add(item, "author"), "name", entry["author"])
        _add(item, "link", rel="alternate", type="text/html", href=entry["url"])
        _add(item, "category", term=entry["category"], label=entry["category"])
        _add(item, "summary", entry["summary"], type="text")
    ET.indent(feed)
    return ET.tostring(feed, encoding="UTF-8", xml_declaration=True) + b"\n"


def files(project: Project, settings: Settings) -> dict[str, bytes]:
    listed = project.listed()
    by_org: dict[str, list[Entry]] = {}
    for entry in listed:  # one pass, not one per organisation
        by_org.setdefault(entry.org, []).append(entry)
    # A feed is written again only when what it shows changed (xxgk.fragments).
    fragments = Fragments(project.root, "feeds")

    def feed(org_id: str | None, entries: list[Entry]) -> bytes:
        facts = _facts(project, settings, org_id, entries)
        return fragments.made("feed", facts, lambda: _xml(facts))

    found = {urls.feed(): feed(None, listed)}
    for org_id in project.ref.orgs:
        found[urls.feed(org_id)] = feed(org_id, by_org.get(org_id, []))
    fragments.prune()
    return found
