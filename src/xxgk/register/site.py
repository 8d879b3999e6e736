"""依申请公开办理情况 (register/): the page for the supervising office.

Open applications by due date as of the build date, and per organisation and reply year
the median and maximum reply time in working days. It shows the register's number, dates,
channel and applicant type only — never the content of a request or anything about who
made it. The table builders are the portal's (xxgk.portal.markup); the 政务公开工作监测
page stays the portal's, this page links to it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from statistics import median
from typing import TYPE_CHECKING

from ..portal import urls
from ..portal.markup import heading, link, page, table, text
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
        lines.append(f"{text(project.ref.orgs[org_id].short_name)}：{span}收到的申请{extra}")
    return lines


def page_markdown(project: Project) -> str:
    base, today, rules = URL, project.today, project.register.rules
    items = open_items(project)
    overdue = sum(1 for i in items if i.css == "bad")
    waiting = sum(1 for i in items if i.app.awaiting_correction(today))
    orgs = project.ref.orgs
    blocks = [
        f"<p>截至 {today.isoformat()}，根据各机构的政府信息公开申请登记台账生成，供政府信息公开工作主管部门督促检查。"
        "本页只列登记编号、日期、渠道和申请人类型，不含申请内容和申请人的任何信息。"
        f"各机构年度报告、主动公开等情况见{link('政务公开工作监测', urls.DASHBOARD, base)}。</p>",
        f'<ul class="xxgk-summary-list"><li>在办申请 <strong>{len(items)}</strong> 件，其中已超过答复期限 '
        f"<strong>{overdue}</strong> 件，等待申请人补正 {waiting} 件。</li>"
        + "".join(f"<li>{line}</li>" for line in coverage(project)) + "</ul>",
        heading(2, "在办申请", "open"),
    ]
    if items:
        rows = [[f'<td class="xxgk-date">{i.due.isoformat() if i.due else "—"}</td>', text(orgs[i.app.org].short_name),
                 text(i.app.number), f'<td class="xxgk-date">{i.app.received.isoformat()}</td>', text(i.app.channel),
                 text(i.app.applicant), f'<td class="xxgk-{i.css}">{text(i.state)}</td>'] for i in items]
        blocks.append(table(["答复期限", "机构", "编号", "收到日期", "渠道", "申请人类型", "办理情况"], rows,
                            cls="xxgk-plain xxgk-register-open", label="在办申请，按答复期限排序"))
    else:
        blocks.append('<p class="xxgk-empty">暂无在办申请。</p>')
    blocks.append(heading(2, "办理用时", "times"))
    times = reply_times(project)
    if times:
        rows = [[text(orgs[t.org].short_name), f"{t.year}年", str(t.replied), t.median, t.maximum, str(t.extended),
                 f'<td class="xxgk-{"bad" if t.late else "ok"}">{t.late}</td>'] for t in times]
        blocks.append(table(["机构", "答复年度", "已答复（件）", "用时中位数（工作日）", "最长用时（工作日）", "其中延期（件）",
                             "超期答复（件）"], rows, cls="xxgk-plain xxgk-register-times", label="各机构各年度办理用时"))
    else:
        blocks.append('<p class="xxgk-empty">暂无已答复的申请。</p>')
    blocks.append(
        f'<p class="xxgk-note">答复期限依《条例》第三十三条：自收到申请之日起 {rules.reply_days} 个工作日内答复；'
        f"申请内容需要补正的，自收到补正的申请之日起计算（第三十条，补正应在收到申请之日起 {rules.correction_days} "
        f"个工作日内一次性告知）；经批准延期的，延长不超过 {rules.extension_days} 个工作日；征求第三方和其他机关意见的时间不计算在内。"
        "用时按同样的方法计算：自收到申请（或补正）的次日起至答复之日的工作日数，不含征求意见的工作日；"
        "等待申请人补正而未补正的申请不计用时。工作日按国务院公布的法定节假日和调休安排计算。</p>")
    return page("依申请公开办理情况", blocks, hide=("navigation",))


def pages(project: Project) -> dict[str, str]:
    return {SRC: page_markdown(project)}
