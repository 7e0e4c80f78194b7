"""One day's roll-up (日汇总) folded from that day's events (R-M1).

The station and the county run this same fold over the same events, so they agree by
construction. An event belongs to a station-local day: a ticket event to its ticket's
``business_date`` (a service finished after midnight stays with its ticket), every other
event to the local date it happened.

A roll-up holds one ``Bucket`` per dimension key: ``all``, ``category:<id>``,
``staff:<id>`` and ``item:<code>``. Counts add across days; waiting and service times are
kept as samples (seconds) so that medians and p90 over any period are exact.

Pure: stdlib only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from typing import Any

ALL = "all"
LEVELS = (1, 2, 3, 4, 5)
COMMENT_BOX = "comment_box"
DEFAULTED = "default"
DECISIONS = frozenset({"case.approve", "case.reject"})  # 办结: 准予 / 不予批准
# Ticket events that put a ticket (back) into the waiting line, and the one that takes it out.
JOINS = frozenset({"ticket.issued", "ticket.rejoined", "ticket.transferred"})


@dataclass(frozen=True)
class FigureEvent:
    """One event as the figures read it (station ``event`` row or county ``inbox_event``)."""

    seq: int
    type: str
    entity_id: str
    payload: Mapping[str, Any]
    at: datetime


@dataclass
class Bucket:
    """The counts of one dimension key on one day (or, merged, over a period)."""

    tickets: int = 0  # 取号
    served: int = 0  # 办结的服务
    no_shows: int = 0  # 过号 (tickets, not calls)
    waits: list[int] = field(default_factory=list)  # seconds: issued → first call
    services: list[int] = field(default_factory=list)  # seconds: start → finish
    cases: int = 0  # 办件 received
    decided: int = 0  # 办结 (准予 / 不予批准)
    on_time: int = 0  # decided on or before the 办结期限 (or without one)
    late: int = 0  # decided after it
    overdue: int = 0  # cases that fell overdue (case.overdue)
    levels: dict[int, int] = field(default_factory=lambda: dict.fromkeys(LEVELS, 0))
    visitor_ratings: int = 0  # keypad, tablet, QR, SMS
    comment_box: int = 0  # 意见箱 (transcribed)
    defaulted: int = 0  # 默认评价 (not counted in the levels)
    followups: int = 0  # 差评回访 opened
    followups_closed: int = 0
    real_name_followups: int = 0
    real_name_closed: int = 0
    complaints: int = 0  # 投诉 registered
    complaints_closed: int = 0
    desk: int = 0  # 办不成事 entries registered
    desk_closed: int = 0
    overtime_minutes: int = 0  # 延时服务

    def add(self, other: Bucket) -> None:
        for name in COUNTS:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.waits.extend(other.waits)
        self.services.extend(other.services)
        for level, n in other.levels.items():
            self.levels[int(level)] = self.levels.get(int(level), 0) + n


COUNTS = tuple(
    name for name in Bucket.__dataclass_fields__ if name not in {"waits", "services", "levels"}
)


@dataclass
class DayRollup:
    """One station-local day: a bucket per key and the waiting line's peak per hour."""

    day: str
    buckets: dict[str, Bucket] = field(default_factory=dict)
    queue_by_hour: list[int] = field(default_factory=lambda: [0] * 24)
    events: int = 0

    def bucket(self, key: str) -> Bucket:
        found = self.buckets.get(key)
        if found is None:
            found = self.buckets[key] = Bucket()
        return found


def event_day(ev: FigureEvent, tz: tzinfo) -> date:
    """The station-local day an event counts on."""
    if ev.type.startswith("ticket."):
        day = ev.payload.get("business_date")
        if isinstance(day, str) and len(day) == 10:
            return date.fromisoformat(day)
    return ev.at.astimezone(tz).date()


def _keys(*pairs: tuple[str, object]) -> list[str]:
    return [ALL] + [f"{kind}:{value}" for kind, value in pairs if value]


@dataclass
class _Ticket:
    category: str = ""
    staff: str = ""
    issued: datetime | None = None
    called: datetime | None = None
    started: datetime | None = None
    finished: datetime | None = None
    no_show: bool = False


def _tickets(events: list[FigureEvent], out: DayRollup, tz: tzinfo) -> None:
    tickets: dict[str, _Ticket] = {}
    waiting = 0
    for ev in events:
        if not ev.type.startswith("ticket."):
            continue
        t = tickets.setdefault(ev.entity_id, _Ticket())
        p = ev.payload
        staff = p.get("staff_id")
        if staff:
            t.staff = str(staff)
        if ev.type == "ticket.issued":
            t.issued, t.category = ev.at, str(p.get("category_id") or "")
        elif ev.type == "ticket.called":
            t.called = t.called or ev.at
            t.started = ev.at  # a call starts the service unless 开始办理 follows
        elif ev.type == "ticket.started":
            t.started = ev.at
        elif ev.type == "ticket.finished":
            t.finished = ev.at
        elif ev.type == "ticket.no_show":
            t.no_show = True
        if ev.type in JOINS:
            waiting += 1
        elif ev.type == "ticket.called":
            waiting = max(0, waiting - 1)
        hour = ev.at.astimezone(tz).hour
        out.queue_by_hour[hour] = max(out.queue_by_hour[hour], waiting)
    for t in tickets.values():
        for key in _keys(("category", t.category), ("staff", t.staff)):
            b = out.bucket(key)
            b.tickets += t.issued is not None
            b.no_shows += t.no_show
            if t.issued is not None and t.called is not None:
                b.waits.append(max(0, round((t.called - t.issued).total_seconds())))
            if t.finished is not None:
                b.served += 1
                begin = t.started or t.called or t.finished
                b.services.append(max(0, round((t.finished - begin).total_seconds())))


def _case(ev: FigureEvent, out: DayRollup, tz: tzinfo) -> None:
    p = ev.payload
    keys = _keys(("item", p.get("item_code")), ("staff", p.get("staff_id")))
    for key in keys:
        b = out.bucket(key)
        if ev.type == "case.opened":
            b.cases += 1
        elif ev.type in DECISIONS:
            b.decided += 1
            due = p.get("due_on")
            late = bool(due) and ev.at.astimezone(tz).date().isoformat() > str(due)
            b.late += late
            b.on_time += not late
        elif ev.type == "case.overdue":
            b.overdue += 1


def _rating(ev: FigureEvent, out: DayRollup) -> None:
    p = ev.payload
    keys = _keys(
        ("category", p.get("category_id")),
        ("staff", p.get("staff_id")),
        ("item", p.get("item_code")),
    )
    real = bool(p.get("real_name"))
    for key in keys:
        b = out.bucket(key)
        if ev.type == "rating.given":
            source, level = str(p.get("source") or ""), int(p.get("level") or 0)
            if source == DEFAULTED or level not in LEVELS:
                b.defaulted += source == DEFAULTED
                continue
            b.levels[level] += 1
            if source == COMMENT_BOX:
                b.comment_box += 1
            else:
                b.visitor_ratings += 1
        elif ev.type == "rating.followup_opened":
            b.followups += 1
            b.real_name_followups += real
        elif ev.type == "rating.followup_step" and p.get("closed"):
            b.followups_closed += 1
            b.real_name_closed += real


def _other(ev: FigureEvent, out: DayRollup) -> None:
    p = ev.payload
    for key in _keys(("staff", p.get("staff_id"))):
        b = out.bucket(key)
        if ev.type == "complaint.registered":
            b.complaints += 1
        elif ev.type == "complaint.closed":
            b.complaints_closed += 1
        elif ev.type == "desk.registered":
            b.desk += 1
        elif ev.type == "desk.closed":
            b.desk_closed += 1
        elif ev.type == "overtime.logged":
            b.overtime_minutes += int(p.get("minutes") or 0)


def fold_day(day: date, events: Iterable[FigureEvent], tz: tzinfo) -> DayRollup:
    """The roll-up of ``day`` from its events (others are ignored), in ``seq`` order."""
    mine = sorted((ev for ev in events if event_day(ev, tz) == day), key=lambda e: e.seq)
    out = DayRollup(day.isoformat(), events=len(mine))
    out.bucket(ALL)
    _tickets(mine, out, tz)
    for ev in mine:
        kind = ev.type.split(".", 1)[0]
        if kind == "case":
            _case(ev, out, tz)
        elif kind == "rating":
            _rating(ev, out)
        elif kind in {"complaint", "desk", "overtime"}:
            _other(ev, out)
    return out


__all__ = [
    "ALL",
    "COUNTS",
    "Bucket",
    "DayRollup",
    "FigureEvent",
    "event_day",
    "fold_day",
]
