"""Reply deadlines on the Chinese working-day calendar (条例第三十条、第三十二条、第三十三条).

- The reply period is 20 working days from receipt (the day of receipt not counted); when
  a 补正 was requested it runs from receipt of the corrected application.
- A 补正 must be requested within 7 working days of receipt (later: a warning).
- An extension adds at most 20 working days (more: an error, in model.py).
- Days of consultation with third parties or other agencies are not counted: they lengthen
  the period by as many working days.
A reply after the due date is an error; an application still open after it, as of the
check date, is a warning. Where the calendar does not know a year the answer depends on,
we say so (a warning) and never guess; where the answer does not depend on it (a reply
inside known years), we decide without it.
"""

from __future__ import annotations

from datetime import date

from ..problems import Problems
from ..workdays import UnknownYear, WorkCalendar
from .model import Application, Clock, RegisterFile
from .settings import RegisterRules


def start_of(app: Application) -> date | None:
    """When the reply period starts; None while a requested 补正 has not come in."""
    if app.correction_notice is not None:
        return app.corrected
    return app.received


def allowed_days(app: Application, rules: RegisterRules) -> int:
    extension = app.extension_days if app.extension_notice else 0
    return rules.reply_days + app.consult_days + extension


def is_after(cal: WorkCalendar, start: date, days: int, day: date) -> bool:
    """Is `day` later than the `days`-th working day after `start`? Needs the calendar only up to `day`."""
    count = cal.workdays_between(start, day)
    # With exactly `days` working days, a non-working `day` lies after the due date (a weekend after it).
    return count > days or (count == days and not cal.is_workday(day))


def reply_clock(app: Application, cal: WorkCalendar, rules: RegisterRules) -> Clock:
    start = start_of(app)
    clock = Clock(start, allowed_days(app, rules), None)
    if start is None:
        return clock
    try:
        clock.due = cal.add_workdays(start, clock.allowed)
    except UnknownYear as exc:
        clock.unknown_year = exc.year
    if app.replied is not None:
        try:
            clock.used = max(0, cal.workdays_between(start, app.replied) - app.consult_days)
            clock.late = is_after(cal, start, clock.allowed, app.replied)
        except UnknownYear as exc:
            clock.unknown_year = exc.year
    return clock


def _period_text(app: Application, clock: Clock, rules: RegisterRules) -> str:
    origin = f"补正日期 {clock.start}" if app.correction_notice else f"收到日期 {clock.start}"
    parts = [f"{rules.reply_days} 个工作日"]
    if app.consult_days:
        parts.append(f"征求意见 {app.consult_days} 个工作日")
    if app.extension_notice:
        parts.append(f"延期 {app.extension_days} 个工作日")
    return f"自{origin} 起 {' + '.join(parts)}"


def check_application(app: Application, cal: WorkCalendar, rules: RegisterRules, today: date,
                      problems: Problems) -> None:
    file = app.file
    if app.correction_notice and app.received:
        try:
            if is_after(cal, app.received, rules.correction_days, app.correction_notice):
                used = cal.workdays_between(app.received, app.correction_notice)
                problems.warning(file, app.field_line("补正", "通知日期"), "补正.通知日期",
                                 f"收到申请（{app.received}）后第 {used} 个工作日才通知补正，超过条例第三十条规定的 "
                                 f"{rules.correction_days} 个工作日。")
        except UnknownYear as exc:
            problems.warning(file, app.field_line("补正", "通知日期"), "补正.通知日期", f"无法核对补正告知期限：{exc}。")
    clock = app.clock = reply_clock(app, cal, rules)
    if clock.start is None:
        if app.replied is not None and app.outcome and "逾期不补正" not in app.outcome:
            problems.warning(file, app.field_line("补正"), "补正",
                             "登记了补正通知日期，但没有补正日期：申请人已补正的，请填写补正日期，以便核对答复期限。")
        return
    period = _period_text(app, clock, rules)
    unknown = (f"答复期限（{period}）延伸到 {clock.unknown_year} 年，{UnknownYear(clock.unknown_year)}"
               if clock.unknown_year else "")
    if app.replied is not None:
        if clock.late is None:
            problems.warning(file, app.field_line("答复日期"), "答复日期", f"无法核对是否按期答复：{unknown}。")
        elif clock.late:
            due = f"答复期限 {clock.due}（{period}）" if clock.due else f"答复期限（{period}）"
            why = (f"已延期 {app.extension_days} 个工作日，仍超过期限" if app.extension_notice
                   else "且没有登记延期")
            problems.error(file, app.field_line("答复日期"), "答复日期",
                           f"答复日期 {app.replied} 晚于{due}，{why}：不符合条例第三十三条。请核对日期，"
                           "或补登延期（告知日期和工作日）与征求意见工作日。")
    elif app.received_by(today):
        try:
            overdue = clock.due < today if clock.due else is_after(cal, clock.start, clock.allowed, today)
        except UnknownYear:
            overdue = None
        if overdue:
            clock.overdue = True
            due = f"答复期限 {clock.due}" if clock.due else "答复期限"
            problems.warning(file, app.field_line("编号"), "答复日期",
                             f"申请“{app.number}”截至 {today} 仍未答复，已超过{due}（{period}）。"
                             "请尽快答复并登记办理结果和答复日期。")
        elif clock.due is None:
            problems.warning(file, app.field_line("编号"), "答复日期", f"申请“{app.number}”尚未答复，{unknown}。")
    if app.extension_notice:
        try:
            late_notice = is_after(cal, clock.start, rules.reply_days + app.consult_days, app.extension_notice)
        except UnknownYear:
            late_notice = False  # the reply check above already says what cannot be known
        if late_notice:
            problems.warning(file, app.field_line("延期", "告知日期"), "延期.告知日期",
                             f"延期告知日期 {app.extension_notice} 已超过原答复期限（自{'补正' if app.correction_notice else '收到'}"
                             f"之日起 {rules.reply_days + app.consult_days} 个工作日）：延期须在原期限内经批准并告知申请人。")


def check_file(found: RegisterFile, cal: WorkCalendar, rules: RegisterRules, today: date, problems: Problems) -> None:
    """Deadlines of every application of a register file without errors of its own; `today` is the
    check date (--today). Sets each one's clock."""
    for app in found.applications:
        if app.valid:
            check_application(app, cal, rules, today, problems)
