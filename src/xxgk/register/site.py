"""依申请公开办理情况 (register/): the page for the supervising office.

Open applications by due date as of the build date, and per organisation and reply year
the median and maximum reply time in working days. It shows the register's number, dates,
channel and applicant type only — never the content of a request or anything about who
made it. Markup: templates/xxgk/register.md; the 政务公开工作监测 page stays the portal's,
this page links to it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from statistics import median
from typing import TYPE_CHECKING

from ..portal import urls
from ..portal.markup import front_matter
from ..templating import render
from ..workdays import UnknownYear
from .model import SCOPE_OPEN, Application

if TYPE_CHECKING:
    from ..project import Project

URL = "register/"
SRC = f"{URL}index.md"


@dataclass
class OpenItem:
    app: Application
    due: date | None
    state: str  # text for the 办理情况 column
    css: str  # ok / pending / bad


def _days_text(n: int) -> str:
    return f"{n} 个工作日"


def open_items(project: Project) -> list[OpenItem]:
    """Applications received and not replied as of project.today, by due date (none last)."""
    cal, today = project.ref.calendar, project.today
    found = []
    for app in project.register.applications:
        if not app.valid or not app.open_on(today):
            continue
        clock = app.clock
        if app.awaiting_correction(today):
            item = OpenItem(app, None, f"等待申请人补正（{app.correction_notice} 已通知补正）", "pending")
        elif clock is None or clock.due is None:
            year = clock.unknown_year if clock else None
            item = OpenItem(app, None, f"答复期限无法确定：{year} 年的节假日安排尚未收录" if year else "答复期限无法确定", "pending")
        else:
            try:
                if clock.overdue:
                    item = OpenItem(app, clock.due, f"已超过答复期限 {_days_text(cal.workdays_between(clock.due, today))}", "bad")
                else:
                    item = OpenItem(app, clock.due, f"剩余 {_days_text(cal.workdays_between(today, clock.due))}", "ok")
            except UnknownYear as exc:
                item = OpenItem(app, clock.due, f"办理中（{exc.year} 年节假日安排尚未收录）", "pending")
        if app.extension_notice:
            item.state += f"；已延期 {app.extension_days} 个工作日"
        found.append(item)
    orgs = list(project.ref.orgs)
    return sorted(found, key=lambda i: (i.due is None, i.due or date.max, orgs.index(i.app.org), i.app.number))


@dataclass
class ReplyTimes:
    org: str
    year: int  # of the reply
    replied: int
    used: list[int]  # working days of those whose reply period could be counted
    extended: int
    late: int

    @property
    def median(self) -> str:
        if not self.used:
            return "—"
        value = median(self.used)
        return str(int(value)) if value == int(value) else f"{value:.1f}"

    @property
    def maximum(self) -> str:
        return str(max(self.used)) if self.used else "—"


def reply_times(project: Project) -> list[ReplyTimes]:
    groups: dict[tuple[str, int], ReplyTimes] = {}
    for app in project.register.applications:
        if not app.valid or app.replied is None or app.replied > project.today:
            continue
        item = groups.setdefault((app.org, app.replied.year), ReplyTimes(app.org, app.replied.year, 0, [], 0, 0))
        item.replied += 1
        item.extended += app.extension_notice is not None
        if app.clock and app.clock.used is not None:
            item.used.append(app.clock.used)
            item.late += bool(app.clock.late)
    orgs = list(project.ref.orgs)
    return sorted(groups.values(), key=lambda t: (orgs.index(t.org), -t.year))


def coverage(project: Project) -> list[str]:
    """Which years each organisation keeps a register for, in words."""
    lines = []
    for org_id in project.ref.orgs:
        files = sorted((y, f) for (o, y), f in project.register.files.items() if o == org_id)
        if not files:
            continue
        full = [y for y, f in files if f.scope != SCOPE_OPEN]
        partial = [y for y, f in files if f.scope == SCOPE_OPEN]
        span = f"{full[0]}—{full[-1]}年" if len(full) > 1 else f"{full[0]}年" if full else ""
        extra = f"（{'、'.join(map(str, partial))}年只登记年末尚未答复的申请）" if partial else ""
        lines.append(f"{project.ref.orgs[org_id].short_name}：{span}收到的申请{extra}")
    return lines


def page_markdown(project: Project) -> str:
    today, orgs = project.today, project.ref.orgs
    items = open_items(project)
    open_rows = [{"due": i.due.isoformat() if i.due else "—", "org": orgs[i.app.org].short_name, "number": i.app.number,
                  "received": i.app.received.isoformat(), "channel": i.app.channel, "applicant": i.app.applicant,
                  "state": i.state, "css": i.css} for i in items]
    times = [{"org": orgs[t.org].short_name, "year": t.year, "replied": t.replied, "median": t.median,
              "maximum": t.maximum, "extended": t.extended, "late": t.late} for t in reply_times(project)]
    return front_matter() + render(
        project.root, "xxgk/register.md", base=URL, today=today.isoformat(), open=open_rows,
        overdue=sum(1 for i in items if i.css == "bad"), waiting=sum(1 for i in items if i.app.awaiting_correction(today)),
        coverage=coverage(project), times=times, rules=project.register.rules, links={"dashboard": urls.DASHBOARD})


def pages(project: Project) -> dict[str, str]:
    return {SRC: page_markdown(project)}
