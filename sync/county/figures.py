"""A station's figures at the county (统计, R-M1), from the same events by the same fold.

The county keeps every station event as received (``inbox_event``, payload as JSON). This
module reads one station's events of a period and hands them to the station's own pure
roll-up and figure rules (``appliance.figures.rules``), so the county and the station give
the same numbers for the same events by construction; ``tests/figures`` proves it on a
scripted day. Days follow Beijing time, as the station's do.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta, tzinfo

from sqlmodel import Session, col, select

from appliance.figures.rules.figures import FigureLine, days_between, figures
from appliance.figures.rules.rollup import DayRollup, FigureEvent, event_day, fold_day
from sync.county.dashboard.common import BEIJING
from sync.county.models import InboxEvent


def station_events(
    s: Session, station_id: str, start: date, end: date, tz: tzinfo = BEIJING
) -> list[FigureEvent]:
    """The station's stored events that may count on a day of [start, end] (one day more at
    the end: a ticket finished after midnight stays with its business day)."""
    first = datetime.combine(start, time(0), tz)
    after = datetime.combine(end + timedelta(days=2), time(0), tz)
    ev = InboxEvent
    rows = s.exec(
        select(ev)
        .where(
            col(ev.station_id) == station_id,
            col(ev.occurred_at) >= first,
            col(ev.occurred_at) < after,
        )
        .order_by(col(ev.seq))
    )
    return [FigureEvent(r.seq, r.type, r.entity_id, r.payload, r.occurred_at) for r in rows]


def station_rollups(
    s: Session, station_id: str, start: date, end: date, tz: tzinfo = BEIJING
) -> list[DayRollup]:
    """The daily roll-ups of [start, end], folded from the stored events."""
    by_day: dict[date, list[FigureEvent]] = defaultdict(list)
    for ev in station_events(s, station_id, start, end, tz):
        by_day[event_day(ev, tz)].append(ev)
    return [fold_day(day, by_day[day], tz) for day in days_between(start, end) if day in by_day]


def station_figures(
    s: Session,
    station_id: str,
    start: date,
    end: date,
    period: str = "all",
    by: str = "all",
    tz: tzinfo = BEIJING,
) -> list[FigureLine]:
    """The station's figures as the station computes them (``FigureService.lines``)."""
    return figures(station_rollups(s, station_id, start, end, tz), start, end, period, by)


__all__ = ["station_events", "station_figures", "station_rollups"]
