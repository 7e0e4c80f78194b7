"""Appointments at the county (R-Q7, R-Q8, R-N3): the stations' ``appointment.*`` events are
projected into ``appointment_fact`` — the newest state per appointment, the 一人多约 flag kept
once set, a late older event never undoing a newer one — and nothing personal is kept."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sync.county.apply import StoredEvent
from sync.county.appointment_handlers import appointment_facts
from sync.protocol import WireEvent
from tests.support.county import T0, County, FakeStation


def ev(st: FakeStation, type_: str, n: str, minutes: int, **payload: Any) -> WireEvent:
    body = {
        "number": f"YY-20261123-{n}",
        "channel": "phone",
        "status": "booked",
        "category": "A",
        "slot_date": "2026-11-23",
        "slot_time": "10:00",
        "priority": False,
        "multi_booking": False,
        "phone": "138****0001",
        **payload,
    }
    at = T0 + timedelta(minutes=minutes)
    return st.event(type_, body, entity="appointment", entity_id=f"a-{n}", at=at)


def facts(c: County) -> dict[str, tuple[Any, ...]]:
    rows = c.rows(
        "SELECT number, channel, status, slot_date::text, slot_time, priority, multi_booking "
        "FROM appointment_fact WHERE station_id=%s ORDER BY number",
        "ST01",
    )
    return {r[0][-3:]: tuple(r[1:]) for r in rows}


def test_appointment_events_reach_the_county_projection_r_q7(county: County) -> None:
    st = county.enrol("ST01", "东坡村便民服务站")
    events = [
        ev(st, "appointment.booked", "001", 0),
        ev(st, "appointment.booked", "002", 1, slot_time="09:00"),
        ev(st, "appointment.flagged", "002", 2, multi_booking=True, slot_time="09:00"),
        ev(st, "appointment.checked_in", "001", 40, status="checked_in"),
        ev(st, "appointment.forfeited", "002", 50, status="forfeited", slot_time="09:00"),
        ev(st, "appointment.booked", "003", 60, channel="outage", priority=True,
           slot_date="2026-11-24", slot_time="08:30"),
        ev(st, "appointment.moved", "003", 61, channel="outage", priority=True,
           slot_date="2026-11-25", slot_time="09:00"),
    ]  # fmt: skip
    county.send(st, events[:3])
    county.send(st, events[3:])
    assert facts(county) == {
        "001": ("phone", "checked_in", "2026-11-23", "10:00", False, False),
        "002": ("phone", "forfeited", "2026-11-23", "09:00", False, True),
        "003": ("outage", "booked", "2026-11-25", "09:00", True, False),
    }
    columns = {
        r[0]
        for r in county.rows(
            "SELECT column_name FROM information_schema.columns WHERE table_name='appointment_fact'"
        )
    }
    assert not columns & {"phone", "visitor_name", "name"}
    # an event older than the row (a backlog forced through late) changes nothing
    late = StoredEvent(
        "ST01", "late-event", 1, "appointment.booked", "appointment", "a-001",
        {"status": "booked", "number": "YY-20261123-001", "slot_time": "08:30"}, T0,
    )  # fmt: skip
    with county.services.db.tx() as s:
        appointment_facts(s, [late])
    assert facts(county)["001"] == ("phone", "checked_in", "2026-11-23", "10:00", False, False)
