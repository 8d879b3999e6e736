"""Reply deadlines of the application register on the Chinese working-day calendar.

Expected due dates are counted by hand from the State Council's holiday arrangements, so a
calendar that ignored holidays or adjusted workdays would fail here:
2021 春节 holidays 2-11..2-17, adjusted workdays Sun 2-7 and Sat 2-20;
2021 国庆 holidays 10-1..10-7, adjusted workdays Sun 9-26 and Sat 10-9; 2021 清明 4-3..4-5.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from reports_support import FORMATS, REF
from xxgk.problems import Problems
from xxgk.register import load

TODAY = date(2026, 11, 27)


def item(number: str = "2021-001", received: str = "2021-03-01", **fields: str) -> str:
    """One application in register YAML; fields by their Chinese key (values as YAML text)."""
    values = {"编号": number, "收到日期": received, "渠道": "网络", "申请人类型": "自然人", **fields}
    lines = [f"{key}: {value}" for key, value in values.items() if value is not None]
    return "  - " + "\n    ".join(lines) + "\n"


def register_of(tmp_path: Path, files: dict[str, str], today: date = TODAY):
    """Write data/register/<org>/<year>.yml files (given as lists of items) and load them."""
    for rel, items in files.items():
        path = tmp_path / "data/register" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(items if items.startswith(("申请", "范围", "#")) else "申请:\n" + items, encoding="utf-8")
    problems = Problems()
    return load(tmp_path, REF, FORMATS, today, problems), problems


def one(tmp_path, today: date = TODAY, **fields):
    year = str(fields.get("received", "2021-03-01"))[:4]
    register, problems = register_of(tmp_path, {f"swj/{year}.yml": item(**fields)}, today)
    (app,) = register.applications
    return app, problems


def texts(problems, level=None) -> list[str]:
    return [str(p) for p in problems if level is None or p.level == level]


REPLIED = {"办理结果": "（一）予以公开"}


def test_deadline_across_the_spring_festival(tmp_path):
    # From Fri 2-5: Sun 2-7 is a workday (1), 2-8..2-10 (4), holidays to 2-17, 2-18, 2-19 (6),
    # Sat 2-20 (7), then weekdays to the 20th working day on 3-10 (weekdays alone would give 3-5).
    app, problems = one(tmp_path, received="2021-02-05", 答复日期="2021-03-10", **REPLIED)
    assert app.clock.due == date(2021, 3, 10) and app.clock.used == 20 and not problems
    app, problems = one(tmp_path, received="2021-02-05", 答复日期="2021-03-11", **REPLIED)
    (error,) = problems.errors
    assert error.field == "答复日期" and error.line == 6
    assert "答复日期 2021-03-11 晚于答复期限 2021-03-10（自收到日期 2021-02-05 起 20 个工作日）" in error.message
    assert "没有登记延期" in error.message


def test_deadline_across_national_day(tmp_path):
    # From Fri 9-24: Sun 9-26 (1), 9-27..9-30 (5), holidays 10-1..10-7, 10-8 (6), Sat 10-9 (7), … 10-27 (20).
    app, problems = one(tmp_path, received="2021-09-24", 答复日期="2021-10-27", **REPLIED)
    assert app.clock.due == date(2021, 10, 27) and not problems
    _, problems = one(tmp_path, received="2021-09-24", 答复日期="2021-10-28", **REPLIED)
    assert len(problems.errors) == 1


def test_correction_must_be_requested_within_seven_working_days(tmp_path):
    # From Wed 9-29: 9-30 (1), holidays, 10-8 (2), Sat 10-9 (3), 10-11..10-14 (7).
    on_time = {"补正": "{通知日期: 2021-10-14, 补正日期: 2021-10-18}", "答复日期": "2021-11-01", **REPLIED}
    _, problems = one(tmp_path, received="2021-09-29", **on_time)
    assert not problems
    late = dict(on_time, 补正="{通知日期: 2021-10-15, 补正日期: 2021-10-18}")
    _, problems = one(tmp_path, received="2021-09-29", **late)
    (warning,) = problems
    assert warning.level == "警告" and warning.field == "补正.通知日期"
    assert "收到申请（2021-09-29）后第 8 个工作日才通知补正，超过条例第三十条规定的 7 个工作日" in warning.message


def test_the_reply_period_restarts_on_receipt_of_the_correction(tmp_path):
    # Corrected Mon 3-15: 3-16..3-19 (4), …, 4-2 (14), 清明 4-3..4-5, 4-6..4-9 (18), 4-12, 4-13 (20).
    fields = {"补正": "{通知日期: 2021-03-03, 补正日期: 2021-03-15}", "答复日期": "2021-04-13", **REPLIED}
    app, problems = one(tmp_path, **fields)
    assert app.clock.start == date(2021, 3, 15) and app.clock.due == date(2021, 4, 13) and not problems
    # Without the 补正 the same reply is late: 20 working days from 3-1 end on 3-29.
    app, problems = one(tmp_path, **dict(fields, 补正=None))
    assert app.clock.due == date(2021, 3, 29) and "晚于答复期限 2021-03-29" in problems.errors[0].message


def test_waiting_for_the_correction_stops_the_clock(tmp_path):
    app, problems = one(tmp_path, 补正="{通知日期: 2021-03-03}")
    assert app.clock.start is None and app.clock.due is None and app.awaiting_correction(TODAY)
    assert not problems  # open for years, but the applicant has not corrected: nothing is overdue
    # Closed because the applicant never corrected: no reply period applies.
    _, problems = one(tmp_path, 补正="{通知日期: 2021-03-03}", 答复日期="2021-04-20",
                      办理结果="（六）其他处理/1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请")
    assert not problems


def test_consultation_days_are_not_counted(tmp_path):
    # 20 + 10 working days from 3-1 end on 4-13 (清明 4-3..4-5 in between).
    fields = {"征求意见工作日": "10", "答复日期": "2021-04-13", "办理结果": "（三）不予公开/4.保护第三方合法权益"}
    app, problems = one(tmp_path, **fields)
    assert app.clock.due == date(2021, 4, 13) and app.clock.used == 20 and not problems
    _, problems = one(tmp_path, **dict(fields, 答复日期="2021-04-14"))
    assert "征求意见 10 个工作日" in problems.errors[0].message
    _, problems = one(tmp_path, **dict(fields, 征求意见工作日=None))
    assert len(problems.errors) == 1


def test_extension_adds_at_most_twenty_working_days(tmp_path):
    # 20 + 20 working days from 3-1: 4-13 is the 30th, then 4-14..4-23 (38), Sun 4-25 is a
    # workday before 劳动节 (39), 4-26 the 40th.
    fields = {"延期": "{告知日期: 2021-03-25, 工作日: 20}", "答复日期": "2021-04-26", **REPLIED}
    app, problems = one(tmp_path, **fields)
    assert app.clock.due == date(2021, 4, 26) and not problems
    _, problems = one(tmp_path, **dict(fields, 答复日期="2021-04-27"))
    (error,) = problems.errors
    assert "已延期 20 个工作日，仍超过期限" in error.message
    _, problems = one(tmp_path, **dict(fields, 延期="{告知日期: 2021-03-25, 工作日: 21}"))
    (error,) = problems.errors
    assert error.field == "延期.工作日" and "超过条例第三十三条规定的最长 20 个工作日" in error.message
    # Notified after the original 20 working days (3-29): a warning.
    _, problems = one(tmp_path, **dict(fields, 延期="{告知日期: 2021-03-30, 工作日: 20}"))
    assert [p.field for p in problems] == ["延期.告知日期"] and problems[0].level == "警告"


def test_open_applications_past_their_due_date_as_of_the_check_date(tmp_path):
    app, problems = one(tmp_path, today=date(2021, 3, 29))
    assert app.clock.due == date(2021, 3, 29) and not problems and not app.clock.overdue
    app, problems = one(tmp_path, today=date(2021, 3, 30))
    (warning,) = problems
    assert warning.level == "警告" and warning.line == 2 and app.clock.overdue
    assert "申请“2021-001”截至 2021-03-30 仍未答复，已超过答复期限 2021-03-29" in warning.message
    # Not yet received on the check date: nothing to say.
    _, problems = one(tmp_path, today=date(2021, 2, 1))
    assert not problems


def test_a_deadline_in_a_year_the_calendar_does_not_know_is_said_not_guessed(tmp_path):
    if REF.calendar.declared.get(2027):
        pytest.skip("data/holidays.yml declares 2027")
    app, problems = one(tmp_path, today=date(2026, 12, 28), received="2026-12-21")
    (warning,) = problems
    assert app.clock.due is None and app.clock.unknown_year == 2027
    assert warning.level == "警告" and "延伸到 2027 年" in warning.message and "data/holidays.yml" in warning.message
    # A reply inside the known year needs no 2027 to decide that it was on time.
    app, problems = one(tmp_path, today=date(2026, 12, 31), received="2026-12-21", 答复日期="2026-12-30", **REPLIED)
    assert not problems and app.clock.late is False


def test_carry_over_deadline_across_new_year(tmp_path):
    # Received Mon 2021-12-20: 12-21..12-31 (9), 元旦 2022-01-01..03, 1-4 … 1-18 (20).
    app, problems = one(tmp_path, received="2021-12-20", 答复日期="2022-01-18", **REPLIED)
    assert app.clock.due == date(2022, 1, 18) and not problems
