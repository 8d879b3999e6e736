"""法定主动公开内容: the fifteen items of 条例第二十条, each with the published entries that
fulfil it (an entry's 第二十条 field) — by organisation at a glance, then item by item.
An item without any entry is shown as such, never hidden.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..catalog import Entry
from . import urls
from .. import site
from ..fragments import Fragments
from .markup import front_matter

if TYPE_CHECKING:
    from ..project import Project


def anchor(number: int) -> str:
    return f"item-{number}"


def fulfilled(project: Project) -> dict[str, list[Entry]]:
    """Published entries by item （一）…（十五）, in the order of data/vocab.yml, newest first."""
    found: dict[str, list[Entry]] = {item: [] for item in project.ref.article20}
    for entry in project.published():
        for item in entry.article20:
            found[item].append(entry)
    return found


def page_markdown(project: Project) -> str:
    orgs = list(project.ref.orgs.values())
    items = [{"item": item, "text": project.ref.article20[item], "anchor": anchor(number),
              "counts": [sum(1 for e in entries if e.org == o.id) for o in orgs], "rows": site.entry_rows(project, entries)}
             for number, (item, entries) in enumerate(fulfilled(project).items(), 1)]
    empty = [i["item"] for i in items if not i["rows"]]
    # Rendered again only when its rows or the templates changed (xxgk.fragments).
    fragments = Fragments(project.root, "mandatory")
    page = fragments.render("xxgk/mandatory.md", base=urls.MANDATORY, orgs=[o.short_name for o in orgs],
                            items=items, empty=empty)
    fragments.prune()
    return front_matter() + page


def pages(project: Project) -> dict[str, str]:
    return {urls.src(urls.MANDATORY): page_markdown(project)}
