"""The county inbox: exactly once in effect, per-station order, quarantine, backlog (R-N3)
feeding the dashboard projections (R-M2)."""

from __future__ import annotations

import threading
from dataclasses import replace
from typing import Any

import pytest

from appliance.core.errors import Invalid
from sync.county.ingest import force_backlog
from sync.county.status import list_quarantine, station_health
from sync.protocol import AckReply, WireEvent
from tests.support.county import T0, County, raw_body


def _ack(r: Any) -> AckReply:
    assert r.status_code == 200, r.text
    return AckReply.from_json(r.json())


def _statuses(ack: AckReply) -> list[str]:
    return [res.status for res in ack.results]


def _stored(c: County, station: str = "ST01") -> list[tuple[int, str, str]]:
    return [
        (int(s), e, h)
        for s, e, h in c.rows(
            "SELECT seq, event_id, hash FROM inbox_event WHERE station_id=%s ORDER BY seq", station
        )
    ]


def test_happy_batch_is_stored_acked_and_projected(county: County) -> None:
    st = county.enrol()
    ticket = "t-1"
    events = [
        st.event(
            "ticket.issued",
            {
                "number": "A001",
                "category_id": "c1",
                "status": "waiting",
                "business_date": "2026-11-23",
            },
            entity_id=ticket,
            at=T0,
        ),
        st.event(
            "ticket.called",
            {"number": "A001", "status": "called", "window_number": 1},
            entity_id=ticket,
            at=T0.replace(minute=5),
        ),
        st.event(
            "ticket.finished",
            {"number": "A001", "status": "done", "window_number": 1},
            entity_id=ticket,
            at=T0.replace(minute=12),
        ),
        st.event(
            "device.state_changed",
            {"state": "offline", "label": "缺纸"},
            entity="device",
            entity_id="receipt_printer",
        ),
        st.event(
            "rating.keypad_pressed",
            {"level": 5, "window_number": 1, "number": "A001"},
            entity_id=ticket,
        ),
        st.event("staff.login", {"code": "zz01"}, entity="staff", entity_id="s1"),  # no handler
    ]
    ack = _ack(county.send(st, events))
    assert _statuses(ack) == ["accepted"] * 6
    assert ack.acked_through_seq == 6 and ack.backlog == 0
    assert ack.max_batch_bytes == county.services.settings.max_batch_bytes
    assert [(s, e, h) for s, e, h in _stored(county)] == [(e.seq, e.id, e.hash) for e in events]
    assert county.scalar("SELECT count(*) FROM inbox_event WHERE status='applied'") == 6
    fact = county.rows(
        "SELECT number, category_id, status, window_number, issued_at, called_at,"
        " finished_at FROM ticket_fact WHERE station_id='ST01'"
    )
    assert fact == [("A001", "c1", "done", "1", T0, T0.replace(minute=5), T0.replace(minute=12))]
    assert county.rows("SELECT device, state, label FROM device_state") == [
        ("receipt_printer", "offline", "缺纸")
    ]
    assert county.rows("SELECT ticket_id, level FROM rating_press") == [(ticket, 5)]
    health = station_health(county.services)[0]
    assert health.last_batch_at == T0 and health.received_through_seq == 6
    assert health.devices == {"receipt_printer": "offline"}


def test_replayed_batch_is_all_duplicates_and_changes_nothing(county: County) -> None:
    st = county.enrol()
    headers, body = st.batch(st.events(5))
    first = _ack(county.client.post("/sync/v1/batches", content=body, headers=headers))
    before = county.footprint()
    again = _ack(county.client.post("/sync/v1/batches", content=body, headers=headers))
    assert _statuses(first) == ["accepted"] * 5
    assert _statuses(again) == ["duplicate"] * 5
    assert again.acked_through_seq == 5
    assert county.footprint() == before


def test_conflict_is_quarantined_and_does_not_block_later_events(county: County) -> None:
    st = county.enrol()
    events = st.events(3)
    _ack(county.send(st, events))
    changed = replace(events[1], payload={"number": "A999", "status": "forged"}).sealed()
    later = st.events(2)
    ack = _ack(county.send(st, [changed, *later]))
    assert _statuses(ack) == ["conflict", "accepted", "accepted"]
    assert ack.acked_through_seq == 5 and ack.backlog == 0
    assert county.scalar("SELECT status FROM inbox_event WHERE seq=5") == "applied"
    stored_hash = county.scalar("SELECT hash FROM inbox_event WHERE event_id=%s", events[1].id)
    assert stored_hash == events[1].hash  # the first version stays
    q = list_quarantine(county.services, "ST01")
    assert [(r["event_id"], r["reason"], r["hash"]) for r in q] == [
        (events[1].id, "hash_conflict", changed.hash)
    ]
    # replaying the conflict is still a conflict, quarantined once
    assert _statuses(_ack(county.send(st, [changed]))) == ["conflict"]
    assert len(list_quarantine(county.services, "ST01")) == 1


def test_a_second_event_claiming_a_taken_seq_is_a_conflict(county: County) -> None:
    st = county.enrol()
    _ack(county.send(st, st.events(2)))
    st.seq = 1  # e.g. a station restored from an old backup renumbers
    ack = _ack(county.send(st, [st.event()]))
    assert _statuses(ack) == ["conflict"]
    assert list_quarantine(county.services)[0]["reason"] == "seq_taken"
    assert county.scalar("SELECT count(*) FROM inbox_event") == 2


def test_event_whose_hash_does_not_match_is_rejected_without_blocking(county: County) -> None:
    st = county.enrol()
    events = st.events(3)
    bad = WireEvent(**{**events[1].body(), "hash": "0" * 64})
    sent = [events[0], bad, events[2]]
    ack = _ack(county.send(st, sent, honest_body=raw_body(sent)))
    assert _statuses(ack) == ["accepted", "rejected", "accepted"]
    assert ack.acked_through_seq == 3  # seq 2 is received (quarantined), so it is acked
    assert county.scalar("SELECT count(*) FROM inbox_event WHERE status='applied'") == 2
    assert list_quarantine(county.services)[0]["reason"] == "hash_mismatch"


def test_gap_holds_a_backlog_until_filled(county: County) -> None:
    st = county.enrol()
    events = st.events(6)
    _ack(county.send(st, events[:2]))
    ack = _ack(county.send(st, events[3:]))  # seq 3 lost on the way
    assert _statuses(ack) == ["accepted"] * 3
    assert ack.acked_through_seq == 2 and ack.backlog == 3
    assert county.scalar("SELECT count(*) FROM inbox_event WHERE status='backlog'") == 3
    health = station_health(county.services)[0]
    assert health.backlog == 3 and "缺少序号 3" in (health.gap_alert or "")
    ack = _ack(county.send(st, [events[2]]))
    assert ack.acked_through_seq == 6 and ack.backlog == 0
    assert county.scalar("SELECT count(*) FROM inbox_event WHERE status='applied'") == 6
    assert station_health(county.services)[0].gap_alert is None


def test_admin_can_force_a_backlog_and_late_events_still_apply(county: County) -> None:
    st = county.enrol()
    tid = "t-9"
    issued = st.event("ticket.issued", {"number": "B001", "status": "waiting"}, entity_id=tid)
    finished = st.event(
        "ticket.finished",
        {"number": "B001", "status": "done"},
        entity_id=tid,
        at=T0.replace(minute=30),
    )
    with pytest.raises(Invalid):
        force_backlog(county.services, "ST01")
    ack = _ack(county.send(st, [finished]))  # seq 2 arrives, seq 1 is missing
    assert ack.acked_through_seq == 0 and ack.backlog == 1
    assert force_backlog(county.services, "ST01") == 1
    assert county.scalar("SELECT status FROM ticket_fact WHERE ticket_id=%s", tid) == "done"
    ack = _ack(county.send(st, [issued]))  # the late event applies on arrival...
    assert ack.acked_through_seq == 2 and ack.backlog == 0
    row = county.rows("SELECT status, issued_at, finished_at FROM ticket_fact")
    assert row == [("done", T0, T0.replace(minute=30))]  # ...without undoing newer state


def test_an_event_the_projection_cannot_use_is_quarantined_not_blocking(county: County) -> None:
    st = county.enrol()
    events = [st.event("rating.keypad_pressed", {"level": 9}, entity_id="t"), st.event()]
    ack = _ack(county.send(st, events))
    assert ack.acked_through_seq == 2
    assert county.rows("SELECT seq, status FROM inbox_event ORDER BY seq") == [
        (1, "failed"),
        (2, "applied"),
    ]
    assert [r["reason"] for r in list_quarantine(county.services)] == ["apply_failed"]


def test_the_same_batch_delivered_concurrently_is_stored_once(county: County) -> None:
    st = county.enrol()
    events = st.events(40)
    headers, body = st.batch(events)
    acks: list[AckReply] = []

    def go() -> None:
        acks.append(_ack(county.client.post("/sync/v1/batches", content=body, headers=headers)))

    threads = [threading.Thread(target=go) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(acks) == 4 and all(a.acked_through_seq == 40 for a in acks)
    assert sorted(_statuses(a)[0] for a in acks) == [
        "accepted",
        "duplicate",
        "duplicate",
        "duplicate",
    ]
    assert _stored(county) == [(e.seq, e.id, e.hash) for e in events]


def test_stations_are_independent(county: County) -> None:
    a, b = county.enrol("ST01"), county.enrol("ST02", "二号站")
    _ack(county.send(a, a.events(3)))
    ack = _ack(county.send(b, b.events(2)))
    assert ack.acked_through_seq == 2
    assert county.scalar("SELECT count(*) FROM inbox_event WHERE station_id='ST02'") == 2


def test_a_station_clock_years_off_is_data_not_control(county: County) -> None:
    st = county.enrol()
    old = T0.replace(year=2019)
    ack = _ack(county.send(st, [st.event(at=old)], created_at=old.isoformat()))
    assert ack.acked_through_seq == 1
    assert county.scalar("SELECT occurred_at FROM inbox_event") == old
    offset = station_health(county.services)[0].clock_offset_s or 0.0
    assert offset < -365 * 86400 * 7


def test_overlong_fields_are_rejected_not_a_server_error(county: County) -> None:
    """A station event with a 200-character entity id is quarantined; the batch goes on."""
    st = county.enrol()
    events = st.events(3)
    long = WireEvent(**{**events[1].body(), "entity_id": "x" * 200}).sealed()
    sent = [events[0], long, events[2]]
    ack = _ack(county.send(st, sent))
    assert _statuses(ack) == ["accepted", "rejected", "accepted"]
    assert ack.acked_through_seq == 3
    assert list_quarantine(county.services)[0]["reason"] == "field_too_long"
