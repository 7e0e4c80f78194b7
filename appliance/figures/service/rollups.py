"""Keeping the daily roll-ups in step with the event log (R-M1).

Every read first compares the newest event ``seq`` with ``figure_mark``. When events were
written since, the days they touch are rebuilt from all of those days' events and the mark
moves, in one write transaction; otherwise the roll-ups are read as they are, in one read
snapshot. So a read never sees a roll-up behind the log, and an event written while a
read is under way is picked up by the next read.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any

import msgspec
from sqlalchemy import func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from appliance.events.tables import Event
from appliance.figures.rules.rollup import ALL, DayRollup, FigureEvent, event_day, fold_day
from appliance.figures.tables import FigureDay, FigureMark

MARK_ID = 1


COLUMNS = (
    col(Event.seq),
    col(Event.type),
    col(Event.entity_id),
    col(Event.payload),
    col(Event.occurred_at),
)


def as_figure_event(row: Sequence[Any]) -> FigureEvent:
    """An event row (plain columns: no ORM object per event) as the fold reads it."""
    seq, type_, entity_id, payload, at = row
    return FigureEvent(seq, type_, entity_id, json.loads(payload), at)


def stale(s: Session) -> bool:
    """Were events written since the roll-ups were last brought up to date?"""
    mark = s.get(FigureMark, MARK_ID)
    last = int(s.exec(select(func.max(Event.seq))).one() or 0)
    return last != (mark.seq if mark else 0)


def _day_events(s: Session, day: date, tz: tzinfo) -> list[FigureEvent]:
    """Every event that may count on ``day``: that day and the next (a ticket finished after
    midnight stays with its business day)."""
    first = datetime.combine(day, time(0), tz)
    after = first + timedelta(days=2)
    rows = s.execute(
        sa_select(*COLUMNS).where(col(Event.occurred_at) >= first, col(Event.occurred_at) < after)
    )
    return [as_figure_event(row) for row in rows]


def store_day(s: Session, rollup: DayRollup, now: datetime) -> None:
    total = rollup.buckets[ALL]
    row = s.get(FigureDay, rollup.day) or FigureDay(day=rollup.day, data="", built_at=now)
    row.data = msgspec.json.encode(rollup).decode()
    row.events = rollup.events
    row.followups, row.followups_closed = total.followups, total.followups_closed
    row.complaints, row.complaints_closed = total.complaints, total.complaints_closed
    row.built_at = now
    s.add(row)


def refresh(s: Session, tz: tzinfo, now: datetime) -> int:
    """Rebuild the days touched by events after the mark; the number of days rebuilt."""
    mark = s.get(FigureMark, MARK_ID) or FigureMark(id=MARK_ID, seq=0)
    new = [
        as_figure_event(row)
        for row in s.execute(
            sa_select(*COLUMNS).where(col(Event.seq) > mark.seq).order_by(col(Event.seq))
        )
    ]
    if not new:
        return 0
    by_day: dict[date, list[FigureEvent]] = defaultdict(list)
    for fe in new:
        by_day[event_day(fe, tz)].append(fe)
    known = set(
        s.exec(select(FigureDay.day).where(col(FigureDay.day).in_([d.isoformat() for d in by_day])))
    )
    for day, events in sorted(by_day.items()):
        # A day without a roll-up has no event before the mark: its new events are all of it.
        found = _day_events(s, day, tz) if day.isoformat() in known else events
        store_day(s, fold_day(day, found, tz), now)
    mark.seq = new[-1].seq
    s.add(mark)
    s.flush()
    return len(by_day)


def load_days(s: Session, start: date, end: date) -> list[DayRollup]:
    """The stored roll-ups of [start, end] (days without events have none)."""
    rows = s.exec(
        select(FigureDay.data).where(
            col(FigureDay.day) >= start.isoformat(), col(FigureDay.day) <= end.isoformat()
        )
    )
    return [msgspec.json.decode(data, type=DayRollup) for data in rows]


def open_counts(s: Session) -> tuple[int, int]:
    """(open follow-ups, open complaints) over every day so far."""
    opened, closed, filed, done = s.exec(
        select(
            func.coalesce(func.sum(FigureDay.followups), 0),
            func.coalesce(func.sum(FigureDay.followups_closed), 0),
            func.coalesce(func.sum(FigureDay.complaints), 0),
            func.coalesce(func.sum(FigureDay.complaints_closed), 0),
        )
    ).one()
    return max(0, int(opened) - int(closed)), max(0, int(filed) - int(done))


__all__ = ["as_figure_event", "load_days", "open_counts", "refresh", "stale", "store_day"]
