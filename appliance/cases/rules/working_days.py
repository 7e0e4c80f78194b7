"""Working days (工作日, R-K3) behind a small Protocol.

The station's calendar (statutory holidays and 调休 make-up days, in
``appliance/calendar/rules.py``) plugs in by having the two methods below;
``WeekendsOnly`` is the fallback and the test double. A date in a year the
calendar does not cover is still counted (weekends only, by the calendar's own
fallback) but the result is marked *provisional*.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Protocol


class WorkingDays(Protocol):
    """A working-day calendar (工作日历)."""

    def is_workday(self, day: date) -> bool:
        """True when ``day`` is a working day (make-up Saturdays included)."""
        ...

    def covered(self, year: int) -> bool:
        """True when holiday data exists for ``year`` (else results are provisional)."""
        ...


class DateCoverage(Protocol):
    """A calendar that reports coverage per date (``appliance.calendar.rules.WorkingCalendar``)."""

    def is_workday(self, d: date) -> bool: ...

    def is_covered(self, d: date) -> bool: ...


@dataclass(frozen=True)
class ByDateCoverage:
    """Adapts a ``DateCoverage`` calendar to ``WorkingDays`` (a year is covered when its
    first day is)."""

    inner: DateCoverage

    def is_workday(self, day: date) -> bool:
        return self.inner.is_workday(day)

    def covered(self, year: int) -> bool:
        return self.inner.is_covered(date(year, 1, 1))


class WeekendsOnly:
    """Monday to Friday are working days; no holiday data for any year."""

    def is_workday(self, day: date) -> bool:
        return day.weekday() < 5

    def covered(self, year: int) -> bool:
        return False


@dataclass(frozen=True)
class FixedCalendar:
    """Weekends plus listed holidays and make-up workdays, covering listed years (tests)."""

    holidays: frozenset[date] = frozenset()
    makeup_workdays: frozenset[date] = frozenset()
    years: frozenset[int] = frozenset()

    def is_workday(self, day: date) -> bool:
        if day in self.makeup_workdays:
            return True
        if day in self.holidays:
            return False
        return day.weekday() < 5

    def covered(self, year: int) -> bool:
        return year in self.years


@dataclass(frozen=True)
class Stop:
    """A stopped stretch of the clock (计时中止), ``[start, end)``.

    Working days from ``start`` up to the day before ``end`` do not count: the day
    a special procedure starts is not counted, the day the case resumes is.
    ``end`` is None while the procedure runs. In the calendar module's terms this is
    the inclusive pause ``(start, end - 1 day)``.
    """

    start: date
    end: date | None = None

    def covers(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day < self.end)


def add_working_days(
    calendar: WorkingDays, start: date, days: int, stops: Iterable[Stop] = ()
) -> date:
    """The ``days``-th working day after ``start`` that no stop covers (0 → ``start``)."""
    if days < 0:
        raise ValueError("days must be >= 0")
    stopped = tuple(stops)
    day = start
    left = days
    while left > 0:
        day += timedelta(days=1)
        if calendar.is_workday(day) and not any(s.covers(day) for s in stopped):
            left -= 1
    return day


def on_working_day(calendar: WorkingDays, day: date) -> date:
    """A date given to an applicant lands on a working day: ``day`` itself, or the first
    working day after it (民法典第二百零三条: 期限的最后一日是法定休假日的，以法定休假日结束的
    次日为期限的最后一日)."""
    while not calendar.is_workday(day):
        day += timedelta(days=1)
    return day


def subtract_working_days(calendar: WorkingDays, end: date, days: int) -> date:
    """The ``days``-th working day before ``end`` (0 → ``end``)."""
    if days < 0:
        raise ValueError("days must be >= 0")
    day = end
    left = days
    while left > 0:
        day -= timedelta(days=1)
        if calendar.is_workday(day):
            left -= 1
    return day


def working_days_between(calendar: WorkingDays, start: date, end: date) -> int:
    """Working days in ``(start, end]`` (negative when ``end`` is before ``start``)."""
    if end < start:
        return -working_days_between(calendar, end, start)
    n = 0
    day = start
    while day < end:
        day += timedelta(days=1)
        if calendar.is_workday(day):
            n += 1
    return n


def provisional(calendar: WorkingDays, *days: date) -> bool:
    """True when any year spanned by ``days`` has no calendar data."""
    if not days:
        return False
    years = range(min(d.year for d in days), max(d.year for d in days) + 1)
    return not all(calendar.covered(y) for y in years)
