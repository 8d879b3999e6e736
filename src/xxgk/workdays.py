"""The Chinese working-day calendar: statutory holidays and adjusted workdays.

`chinese-calendar` knows the State Council's arrangements for the years it ships;
later years are declared by the maintainers in data/holidays.yml. A year known to
neither is never guessed: callers get UnknownYear and must say so.
"""

from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar


class UnknownYear(Exception):
    def __init__(self, year: int):
        super().__init__(year)
        self.year = year

    def __str__(self) -> str:
        return (
            f"{self.year} 年的法定节假日安排尚未收录（chinese-calendar 库与 data/holidays.yml 均无），"
            "无法按工作日核对；请在 data/holidays.yml 中补录该年安排"
        )


class WorkCalendar:
    def __init__(self, declared: dict[int, tuple[set[date], set[date]]] | None = None):
        # year -> (holidays, adjusted workdays) declared in data/holidays.yml
        self.declared = declared or {}
        self._known: dict[date, bool] = {}  # the library validates every call; catalogs ask about the same days

    def is_workday(self, day: date) -> bool:
        known = self._known.get(day)
        if known is None:
            known = self._known[day] = self._is_workday(day)
        return known

    def _is_workday(self, day: date) -> bool:
        if day.year in self.declared:
            holidays, workdays = self.declared[day.year]
            if day in workdays:
                return True
            return day.weekday() < 5 and day not in holidays
        try:
            return chinese_calendar.is_workday(day)
        except NotImplementedError:
            raise UnknownYear(day.year) from None

    def add_workdays(self, start: date, count: int) -> date:
        """The `count`-th working day after `start` (start itself not counted)."""
        day = start
        while count > 0:
            day += timedelta(days=1)
            if self.is_workday(day):
                count -= 1
        return day

    def workdays_between(self, start: date, end: date) -> int:
        """Working days in (start, end]; 0 if end is not after start."""
        count, day = 0, start
        while day < end:
            day += timedelta(days=1)
            count += self.is_workday(day)
        return count
