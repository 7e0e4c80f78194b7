"""Working-day calendar service (工作日历, R-K3): the table, its seed, imports and deadlines.

Where the data comes from:

* migration 0004 seeds 2024–2026 (literal rows taken from ``chinesecalendar`` 1.11);
* ``seed_calendar_from_package`` fills any year 2004–2026 not yet known from the package
  (the demo seed calls it; the package raises ``NotImplementedError`` after 2026);
* ``CalendarService.import_file`` (``yizhan calendar import FILE``) and
  ``apply_holiday_reference`` (the county's ``holiday`` reference rows) replace the years
  their file lists, and add years the package does not know (2027…).

Calendar file (JSON), the county's format: a list of ``{"date": "YYYY-MM-DD",
"kind": "holiday"|"workday", "name": "春节"}``, or ``{"years": [2027], "days": [...]}`` to
declare a year covered even when a listed year has no entry. The years of a file are
replaced whole; other years are kept.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, delete, select

from appliance.calendar.rules import ENTRY_KINDS, CalendarEntry, Deadline, WorkingCalendar
from appliance.calendar.tables import CalendarDay, CalendarYear
from appliance.core.clock import Clock
from appliance.core.errors import Invalid
from appliance.db.database import Database
from appliance.events.log import append_event
from appliance.uplink.tables import ReferenceRow

PACKAGE_YEARS = range(2004, 2027)  # what chinesecalendar 1.11 knows
PACKAGE_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "中国人民抗日战争胜利70周年纪念日",
}
MAX_ENTRIES = 5000


@dataclass(frozen=True)
class CalendarChange:
    """What an import or a county publication did to the calendar."""

    years: list[int]
    entries: int
    source: str
    changed: bool


def package_entries(years: Iterable[int]) -> list[CalendarEntry]:
    """Entries of the given years from ``chinesecalendar`` (2004–2026 only)."""
    from chinese_calendar import constants  # the package is only needed here

    wanted = set(years)
    out = []
    for kind, table in (("holiday", constants.holidays), ("workday", constants.workdays)):
        for day, name in table.items():
            if day.year in wanted:
                out.append(CalendarEntry(day, kind, PACKAGE_NAMES.get(str(name), str(name))))
    return sorted(out, key=lambda e: e.day)


def parse_calendar(data: Any, what: str = "节假日安排") -> tuple[list[CalendarEntry], set[int]]:
    """Entries and covered years of a calendar document, or ``Invalid`` naming the item."""
    years: set[int] = set()
    days = data
    if isinstance(data, dict):
        raw_years = data.get("years", [])
        if not isinstance(raw_years, list) or not all(
            isinstance(y, int) and not isinstance(y, bool) and 2000 <= y <= 2100 for y in raw_years
        ):
            raise Invalid(f"{what}的“years”须为年份列表，如 [2027]", "bad_years")
        years.update(raw_years)
        days = data.get("days", [])
    if not isinstance(days, list):
        raise Invalid(f"{what}须为 JSON 数组，每项 {{date, kind, name}}", "not_a_list")
    if len(days) > MAX_ENTRIES:
        raise Invalid(f"{what}最多 {MAX_ENTRIES} 项", "too_many")
    entries: dict[date, CalendarEntry] = {}
    for i, item in enumerate(days, start=1):
        where = f"{what}第 {i} 项"
        if not isinstance(item, dict):
            raise Invalid(f"{where}：须为对象 {{date, kind, name}}", "not_an_object")
        try:
            day = date.fromisoformat(str(item.get("date", "")))
        except ValueError as exc:
            raise Invalid(
                f"{where}：日期“{item.get('date')}”不是 YYYY-MM-DD 格式", "bad_date"
            ) from exc
        kind = item.get("kind")
        if kind not in ENTRY_KINDS:
            raise Invalid(f"{where}：“kind”须为 holiday（放假）或 workday（调休上班）", "bad_kind")
        if kind == "workday" and day.weekday() < 5:
            raise Invalid(f"{where}：{day} 不是周末，不能标为调休上班", "bad_workday")
        name = str(item.get("name") or "").strip()[:50]
        if day in entries:
            raise Invalid(f"{where}：日期 {day} 重复", "duplicate_date")
        entries[day] = CalendarEntry(day, str(kind), name)
        years.add(day.year)
    if not years:
        raise Invalid(f"{what}是空的", "empty_calendar")
    return sorted(entries.values(), key=lambda e: e.day), years


def load_calendar(s: Session) -> WorkingCalendar:
    rows = s.exec(select(CalendarDay)).all()
    years = s.exec(select(CalendarYear.year)).all()
    return WorkingCalendar.from_entries(
        (CalendarEntry(date.fromisoformat(r.day), r.kind, r.name) for r in rows), years
    )


def _year_entries(s: Session, years: Iterable[int]) -> set[tuple[str, str, str]]:
    out: set[tuple[str, str, str]] = set()
    for year in years:
        rows = s.exec(
            select(CalendarDay).where(col(CalendarDay.day).startswith(f"{year:04d}-"))
        ).all()
        out.update((r.day, r.kind, r.name) for r in rows)
    return out


def replace_years(
    s: Session, entries: Sequence[CalendarEntry], years: set[int], source: str, clock: Clock
) -> bool:
    """In the caller's transaction: the given years become exactly ``entries``."""
    wanted = {(e.day.isoformat(), e.kind, e.name) for e in entries}
    known = {y.year: y.source for y in s.exec(select(CalendarYear)).all()}
    if _year_entries(s, years) == wanted and all(known.get(y) == source for y in years):
        return False
    now = clock.now()
    for year in years:
        s.exec(delete(CalendarDay).where(col(CalendarDay.day).startswith(f"{year:04d}-")))
        row = s.get(CalendarYear, year) or CalendarYear(year=year, source=source, updated_at=now)
        row.source, row.updated_at = source, now
        s.add(row)
    s.flush()
    for e in entries:
        s.add(CalendarDay(day=e.day.isoformat(), kind=e.kind, name=e.name, source=source))
    s.flush()
    span = f"{min(years)}-{max(years)}" if years else "none"
    append_event(
        s,
        "calendar.replaced",
        "calendar",
        span,
        {"years": sorted(years), "entries": len(entries), "source": source},
        now,
    )
    return True


class CalendarService:
    """Reads the calendar and computes deadlines; writes only through whole-year replaces."""

    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock
        self._cache: tuple[tuple[Any, ...], WorkingCalendar] | None = None

    def calendar(self) -> WorkingCalendar:
        """The current calendar (cached until a year is replaced)."""
        with self.db.read() as s:
            key = tuple(
                s.exec(
                    select(func.count(col(CalendarYear.year)), func.max(CalendarYear.updated_at))
                ).one()
            )
            if self._cache is not None and self._cache[0] == key:
                return self._cache[1]
            cal = load_calendar(s)
        self._cache = (key, cal)
        return cal

    def deadline(
        self, accepted: date, days: int, pauses: Sequence[tuple[date, date]] = ()
    ) -> Deadline:
        """承诺期限: the Nth working day after ``accepted`` (pauses not counted)."""
        return self.calendar().deadline_with_pauses(accepted, days, pauses)

    def replace(
        self, entries: Sequence[CalendarEntry], years: set[int], source: str
    ) -> CalendarChange:
        with self.db.write() as s:
            changed = replace_years(s, entries, years, source, self.clock)
        return CalendarChange(sorted(years), len(entries), source, changed)

    def import_file(self, path: Path) -> CalendarChange:
        """``yizhan calendar import FILE``: a malformed file changes nothing."""
        try:
            data = json.loads(path.read_bytes().decode("utf-8-sig"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise Invalid(
                f"无法读取节假日文件 {path.name}：不是有效的 UTF-8 JSON", "bad_file"
            ) from exc
        entries, years = parse_calendar(data)
        return self.replace(entries, years, "import")


def seed_calendar_from_package(
    db: Database, clock: Clock, years: Iterable[int] = PACKAGE_YEARS
) -> list[int]:
    """Fill years the station does not know yet from ``chinesecalendar``; never overwrites
    a year already present (seeded, imported or from the county). Returns the years added."""
    wanted = [y for y in years if y in PACKAGE_YEARS]
    with db.write() as s:
        known = set(s.exec(select(CalendarYear.year)).all())
        missing = sorted(set(wanted) - known)
        if missing:
            replace_years(s, package_entries(missing), set(missing), "chinesecalendar", clock)
    return missing


@dataclass(frozen=True)
class ReferenceApplied:
    """The result of applying one county reference table locally."""

    table: str
    applied: bool
    message: str


def apply_holiday_reference(db: Database, clock: Clock) -> ReferenceApplied:
    """Apply the county's ``holiday`` reference rows: their years replace ours, whole.

    Rows are ``{date, kind, name}`` (sync/county/dashboard/publish.py). A malformed set is
    refused whole and the calendar stays; no rows at all changes nothing."""
    with db.write() as s:
        rows = s.exec(
            select(ReferenceRow)
            .where(ReferenceRow.table_name == "holiday", col(ReferenceRow.deleted).is_(False))
            .order_by(col(ReferenceRow.id))
        ).all()
        if not rows:
            return ReferenceApplied("holiday", False, "县级中心尚未发布节假日安排")
        try:
            entries, years = parse_calendar([json.loads(r.data) for r in rows], "县级节假日安排")
        except (Invalid, json.JSONDecodeError) as exc:
            message = exc.message if isinstance(exc, Invalid) else "县级节假日安排不是有效的 JSON"
            return ReferenceApplied("holiday", False, message)
        changed = replace_years(s, entries, years, "county", clock)
    years_text = "、".join(map(str, sorted(years)))
    if not changed:
        return ReferenceApplied("holiday", False, f"节假日安排（{years_text}）已是最新")
    return ReferenceApplied(
        "holiday", True, f"已应用县级节假日安排：{years_text} 年，共 {len(entries)} 天"
    )
