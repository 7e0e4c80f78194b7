"""The scripted day of the golden figures (R-M1): a real station's queue, complaint and
办不成事 desk, plus case and rating events as their features write them, on 2026-11-23
(Beijing). ``GOLDEN`` is what the figures of that day must be, at the station and the county.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import text

from appliance.complaints.rules import AnswerVia, Channel, Finding
from appliance.complaints.schemas import CloseIn, ComplaintIn, StepTextIn, VerifyIn
from appliance.core.roles import Principal, Role
from appliance.desk.rules import DeskKind
from appliance.desk.schemas import DeskEntryIn
from appliance.events.log import append_event
from tests.support.station import Station

DAY = "2026-11-23"
START = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)  # 09:00 in Beijing
HANDLER = Principal(
    staff_id="s-ts01", code="ts01", name="赵丽", role=Role.COMPLAINTS, window_id=None
)

# The whole station on the day: exact numbers worked out by hand from the script below.
GOLDEN: dict[str, Any] = {
    "tickets": 4,
    "served": 3,
    "no_shows": 1,
    "wait_median_min": 20.5,  # waits 12, 21, 21, 20 min → sorted 12 20 21 21 → (20+21)/2
    "wait_p90_min": 21.0,
    "service_median_min": 12.0,  # services 12, 9, 25 min
    "service_p90_min": 25.0,
    "cases": 2,
    "decided": 2,
    "on_time": 1,
    "late": 1,
    "on_time_pct": 50.0,
    "overdue": 1,
    "ratings": 3,  # 5 (keypad), 4 (keypad), 1 (comment box); the defaulted one apart
    "levels": [1, 1, 0, 0, 1],
    "visitor_ratings": 2,
    "comment_box": 1,
    "defaulted": 1,
    "satisfaction_pct": 66.7,
    "active_pct": 40.0,  # 2 visitor ratings / (3 served + 2 decided)
    "followups": 1,
    "followups_closed": 1,
    "followup_pct": 100.0,
    "real_name_followups": 1,
    "real_name_closed": 1,
    "complaints": 2,
    "complaints_closed": 1,
    "desk": 1,
    "desk_closed": 0,
    "overtime_minutes": 15,  # finished 17:45, closing 17:30
}


def at(hh: int, mm: int) -> datetime:
    """Beijing hh:mm on the day, as UTC."""
    return START + timedelta(hours=hh - 9, minutes=mm)


def _hand_events(station: Station, clerk: str) -> None:
    """Case and rating events with the payloads the case and rating features write."""
    cat = station_category(station, "A")
    rows: list[tuple[datetime, str, str, str, dict[str, Any]]] = [
        (at(10, 0), "case.opened", "case", "c1", {"item_code": "X1", "staff_id": clerk}),
        (at(10, 5), "case.opened", "case", "c2", {"item_code": "X2", "staff_id": clerk}),
        (at(11, 0), "case.approve", "case", "c1", {"item_code": "X1", "due_on": DAY}),
        (at(11, 5), "case.reject", "case", "c0", {"item_code": "X1", "due_on": "2026-11-20"}),
        (at(6, 0), "case.overdue", "case", "c9", {"item_code": "X2", "due_on": "2026-11-20"}),
    ]
    ratings = [
        (at(9, 26), "r1", 5, "keypad", False),
        (at(9, 41), "r2", 4, "keypad", False),
        (at(15, 0), "r3", 1, "comment_box", True),
        (at(16, 0), "r4", 4, "default", False),
    ]
    for when, rid, level, source, real in ratings:
        body = {"level": level, "source": source, "real_name": real, "category_id": cat}
        rows.append((when, "rating.given", "rating", rid, {**body, "staff_id": clerk}))
    rows.append((at(15, 1), "rating.followup_opened", "rating_followup", "f1", {"real_name": True}))
    closed = {"real_name": True, "closed": True, "step": "close"}
    rows.append((at(16, 30), "rating.followup_step", "rating_followup", "f1", closed))
    with station.services.db.write() as s:
        for when, type_, entity, entity_id, payload in rows:
            append_event(s, type_, entity, entity_id, payload, when)


def station_category(station: Station, prefix: str) -> str:
    with station.services.db.read() as s:
        return str(
            s.execute(text("SELECT id FROM category WHERE prefix = :p"), {"p": prefix}).scalar_one()
        )


def staff_id(station: Station, code: str) -> str:
    with station.services.db.read() as s:
        return str(
            s.execute(text("SELECT id FROM staff WHERE code = :c"), {"c": code}).scalar_one()
        )


def run_day(station: Station, between: Callable[[], object] = lambda: None) -> None:
    """The scripted day. Waiting times: t1 12 min, t2 21, t3 21, t4 20; services: t1 12 min
    (start 09:13 → 09:25), t3 9 (call 09:31 → 09:40, no separate start), t4 25 (17:20 →
    17:45, 15 of them after closing); t2 a no-show."""
    q, clock = station.services.queue, station.clock
    clerk = staff_id(station, "ck01")
    cat = station_category(station, "A")

    def step(hh: int, mm: int) -> None:
        clock.set(at(hh, mm))

    step(9, 0)
    q.issue(cat, "kiosk")
    step(9, 5)
    q.issue(cat, "kiosk")
    step(9, 10)
    q.issue(cat, "kiosk")
    step(9, 12)
    q.call_next("1", clerk)
    step(9, 13)
    q.start("1")
    step(9, 25)
    q.finish("1")
    step(9, 26)
    q.call_next("1", clerk)
    step(9, 30)
    q.no_show("1")
    step(9, 31)
    q.call_next("1", clerk)
    step(9, 40)
    q.finish("1")
    step(17, 0)
    q.issue(cat, "kiosk")
    step(17, 20)
    q.call_next("1", clerk)
    step(17, 45)
    q.finish("1")
    between()  # e.g. a read of the figures mid-day
    complaints = station.services.complaints
    step(14, 0)
    one = complaints.register(ComplaintIn(content="叫号屏不亮", channel=Channel.BOX), HANDLER)
    complaints.verify(one.number, VerifyIn(text="属实", finding=Finding.SUBSTANTIATED), HANDLER)
    complaints.handle(one.number, StepTextIn(text="已修好"), HANDLER)
    complaints.close(one.number, CloseIn(answer="已修好，谢谢", via=AnswerVia.POSTED), HANDLER)
    complaints.register(ComplaintIn(content="厕所没有纸", channel=Channel.WEB), HANDLER)
    station.services.desk.register(
        DeskEntryIn(problem="户口迁移跨省办理", kind=DeskKind.COMPLEX), HANDLER
    )
    between()
    _hand_events(station, clerk)
