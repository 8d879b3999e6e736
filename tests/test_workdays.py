from datetime import date

import pytest

from xxgk.workdays import UnknownYear, WorkCalendar

cal = WorkCalendar()


def test_spring_festival_2024_and_adjusted_workday():
    assert not cal.is_workday(date(2024, 2, 12))  # 春节假期（周一）
    assert cal.is_workday(date(2024, 2, 4))  # 调休上班（周日）
    # 2024-02-10..17 off; the next working day after Friday 02-09 is Sunday 02-18 (调休上班).
    assert cal.add_workdays(date(2024, 2, 9), 1) == date(2024, 2, 18)


def test_national_day_2023():
    # 2023-09-29 to 2023-10-06 off; 2023-10-07 and 10-08 (weekend) are workdays.
    assert cal.workdays_between(date(2023, 9, 28), date(2023, 10, 9)) == 3


def test_workdays_between_is_exclusive_of_start():
    assert cal.workdays_between(date(2024, 3, 4), date(2024, 3, 4)) == 0
    assert cal.workdays_between(date(2024, 3, 4), date(2024, 3, 8)) == 4


def test_unknown_year_is_never_guessed():
    with pytest.raises(UnknownYear) as info:
        cal.is_workday(date(2031, 5, 6))
    assert "2031" in str(info.value) and "data/holidays.yml" in str(info.value)


def test_declared_year_from_data():
    declared = WorkCalendar({2031: ({date(2031, 5, 1)}, {date(2031, 5, 10)})})
    assert not declared.is_workday(date(2031, 5, 1))  # declared holiday (Thursday)
    assert declared.is_workday(date(2031, 5, 10))  # declared adjusted workday (Saturday)
    assert declared.is_workday(date(2031, 5, 2))
