"""Working-day calendar (工作日历, R-K3): statutory holidays, make-up workdays (调休) and deadlines.

Pure rules: the caller hands in the dated entries it holds and the years they cover.

* 承诺期限 is the Nth working day after the day of acceptance (the day itself never counts);
  即办件 (n = 0) are due the same day.
* The clock stops during special procedures (检验、专家评审、听证): a working day inside a
  pause (both ends inclusive) does not count.
* A year without calendar data is counted with weekends only; a deadline whose count passed
  through such a year is **provisional** (暂定) and must be recomputed when the data arrives.
  It is never an error: intake is never blocked for missing calendar data.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

HOLIDAY = "holiday"  # 放假
WORKDAY = "workday"  # 调休上班 (a make-up working day on a weekend)
ENTRY_KINDS = {HOLIDAY: "放假", WORKDAY: "调休上班"}
MAX_DAYS = 3650  # a guard against endless counting (ten years of days)


@dataclass(frozen=True)
class CalendarEntry:
    """One dated entry of the calendar (节假日安排): a holiday or a make-up workday."""

    day: date
    kind: str
    name: str = ""


@dataclass(frozen=True)
class Deadline:
    """A computed time limit (办理期限). ``provisional`` means 暂定: recompute later."""

    date: date
    provisional: bool = False
    reason: str = ""


def provisional_reason(years: Iterable[int]) -> str:
    listed = "、".join(f"{y} 年" for y in sorted(set(years)))
    return f"{listed}节假日安排尚未发布，期限暂按周末推算，数据到达后将重新计算"


@dataclass(frozen=True)
class WorkingCalendar:
    """The holidays and make-up workdays of the years in ``covered_years``."""

    holidays: frozenset[date]
    workdays: frozenset[date]
    covered_years: frozenset[int]

    @classmethod
    def from_entries(
        cls, entries: Iterable[CalendarEntry], covered_years: Iterable[int]
    ) -> WorkingCalendar:
        holidays: set[date] = set()
        workdays: set[date] = set()
        for e in entries:
            if e.kind == HOLIDAY:
                holidays.add(e.day)
            elif e.kind == WORKDAY:
                workdays.add(e.day)
            else:
                raise ValueError(f"unknown calendar entry kind {e.kind!r}")
        return cls(frozenset(holidays), frozenset(workdays), frozenset(covered_years))

    def is_covered(self, d: date) -> bool:
        return d.year in self.covered_years

    def is_workday(self, d: date) -> bool:
        """A working day: a make-up workday, or a weekday that is not a holiday."""
        if d in self.workdays:
            return True
        if d in self.holidays:
            return False
        return d.weekday() < 5

    def add_working_days(self, start: date, n: int) -> Deadline:
        """The Nth working day after ``start``; n = 0 (即办件) is ``start`` itself."""
        return self.deadline_with_pauses(start, n, ())

    def deadline_with_pauses(
        self, accepted: date, n: int, pauses: Sequence[tuple[date, date]] = ()
    ) -> Deadline:
        """The Nth counted working day after ``accepted``; working days inside a pause
        ``(first, last)`` (检验、专家评审、听证, both ends inclusive) are not counted."""
        if n < 0:
            raise ValueError("n must be >= 0")
        for first, last in pauses:
            if last < first:
                raise ValueError("a pause ends before it starts")
        uncovered: set[int] = set()
        if not self.is_covered(accepted):
            uncovered.add(accepted.year)
        d = accepted
        counted = 0
        steps = 0
        while counted < n:
            d += timedelta(days=1)
            steps += 1
            if steps > MAX_DAYS:
                raise ValueError("deadline too far away")
            if not self.is_covered(d):
                uncovered.add(d.year)
            if not self.is_workday(d):
                continue
            if any(first <= d <= last for first, last in pauses):
                continue
            counted += 1
        if uncovered:
            return Deadline(d, True, provisional_reason(uncovered))
        return Deadline(d, False, "")

    def working_days_between(self, start: date, end: date) -> int:
        """Working days in (start, end]; negative when ``end`` is before ``start``."""
        if end < start:
            return -self.working_days_between(end, start)
        count = 0
        d = start
        while d < end:
            d += timedelta(days=1)
            if self.is_workday(d):
                count += 1
        return count


def weekends_only() -> WorkingCalendar:
    """A calendar with no data at all: every deadline it computes is provisional."""
    return WorkingCalendar(frozenset(), frozenset(), frozenset())
