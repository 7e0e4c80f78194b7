"""The outage register (R-Q8), the public booking page's API and the county platform's
bookings arriving with the down-sync (R-Q7): every channel feeds the same book."""

from __future__ import annotations

import json
from datetime import date, timedelta

from litestar.testing import TestClient

from appliance.appointments.service.reference import apply_booking_reference
from appliance.uplink.tables import ReferenceRow
from tests.appointments.support import TODAY, TOMORROW, book, fingerprint, sms
from tests.support.station import GUIDE, T0, Station, login

PUBLIC = "/api/public/appointments"


def test_outage_visitors_get_a_priority_offer_for_the_next_open_day_r_q8(
    station: Station, client: TestClient
) -> None:
    h = login(client, *GUIDE)
    for phone in ("13800000001", "13800000002"):  # tomorrow's first slot is already full
        assert book(client, h, phone, day=TOMORROW, at="08:30").status_code == 201
    station.clock.set(T0 + timedelta(hours=2))
    body = {
        "kind": "power",
        "started_at": (T0 + timedelta(minutes=30)).isoformat(),
        "ended_at": (T0 + timedelta(hours=1, minutes=50)).isoformat(),
        "note": "全村停电",
        "visitors": [
            {"visitor_name": "李四", "phone": "13900000001", "category": "A"},
            {"visitor_name": "王五", "phone": "13900000002", "category": "C",
             "item_code": "410122-MZ-001"},
        ],
    }  # fmt: skip
    r = client.post("/api/outages", json=body, headers=h)
    assert r.status_code == 201, r.text
    outage = r.json()
    assert (outage["number"], outage["kind_label"], outage["offer_day"]) == (
        "TD-20261123-01",
        "停电",
        TOMORROW,
    )
    offers = outage["offers"]
    assert [(o["day"], o["time"], o["priority"], o["channel"]) for o in offers] == [
        (TOMORROW, "08:30", True, "outage"),
        (TOMORROW, "08:30", True, "outage"),
    ]  # above capacity: the offer never waits behind a full slot
    told = sms(station.services.db, "appointment_offer")
    assert [m.phone for m in told] == ["13900000001", "13900000002"]
    assert "因停电未能为您办理" in told[0].body and "11月24日 08:30–09:00" in told[0].body
    assert client.get(f"/api/outages/{outage['number']}", headers=h).json()["offers"]
    assert [o["number"] for o in client.get("/api/outages", headers=h).json()] == [outage["number"]]


def test_a_bad_outage_record_is_refused_and_changes_nothing_r_q8(
    station: Station, client: TestClient
) -> None:
    h = login(client, *GUIDE)
    start = T0.isoformat()
    visitor = {"visitor_name": "李四", "phone": "13900000001", "category": "A"}
    before = fingerprint(station.services.db)
    bad = [
        ({"kind": "power", "started_at": start, "visitors": []}, 400),
        ({"kind": "flood", "started_at": start, "visitors": [visitor]}, 400),
        ({"kind": "network", "started_at": start, "visitors": [{**visitor, "phone": "1"}]}, 400),
        ({"kind": "network", "started_at": start, "visitors": [{**visitor, "category": "Z"}]}, 404),
        ({"kind": "power", "started_at": "2026-11-23T08:00:00", "visitors": [visitor]}, 400),
        ({"kind": "network", "started_at": (T0 + timedelta(hours=1)).isoformat(),
          "visitors": [visitor]}, 400),
    ]  # fmt: skip
    for body, status in bad:
        r = client.post("/api/outages", json=body, headers=h)
        assert r.status_code == status, (body, r.text)
    assert fingerprint(station.services.db) == before


def test_the_public_page_books_with_sms_and_is_throttled_r_q7(
    station: Station, client: TestClient
) -> None:
    day = client.get(f"{PUBLIC}/slots?category=B&day={TOMORROW}").json()
    assert day["open"] and day["slots"][0]["free"] == 2
    body = {"category": "B", "day": TOMORROW, "time": "09:00", "phone": "13700000001",
            "visitor_name": "赵六", "item_code": "410122-YB-003"}  # fmt: skip
    r = client.post(PUBLIC, json=body)
    assert r.status_code == 201, r.text
    out = r.json()
    assert out["phone_masked"] == "137****0001" and out["slot_label"] == "09:00–09:30"
    assert "13700000001" not in r.text and "赵六" not in r.text
    [confirm] = sms(station.services.db, "appointment_booked")
    assert "异地就医备案" in confirm.body and "请带齐" in confirm.body
    h = login(client, *GUIDE)
    [listed] = client.get(f"/api/appointments?day={TOMORROW}", headers=h).json()
    assert listed["channel_label"] == "网上（本站预约页）" and listed["created_by"] == "网上预约"
    bad_phone = client.post(PUBLIC, json={**body, "phone": "1370000"})
    assert (bad_phone.status_code, bad_phone.json()["error"]) == (400, "bad_phone")
    client.post(PUBLIC, json={**body, "phone": "13700000002"})
    full = client.post(PUBLIC, json={**body, "phone": "13700000003"})
    assert full.status_code == 409 and "预约已满" in full.json()["message"]
    fifth = client.post(PUBLIC, json={**body, "time": "11:00", "phone": "13700000005"})
    assert fifth.status_code == 201  # five attempts an hour, refused or not
    before = fingerprint(station.services.db)
    limited = client.post(PUBLIC, json={**body, "time": "10:00", "phone": "13700000004"})
    assert limited.status_code == 429, limited.text  # the sixth attempt within the hour
    assert "预约过于频繁" in limited.json()["message"] and limited.headers["Retry-After"]
    assert fingerprint(station.services.db) == before
    station.clock.set(T0 + timedelta(hours=1, minutes=1))
    later = client.post(PUBLIC, json={**body, "time": "10:00", "phone": "13700000004"})
    assert later.status_code == 201


def _reference(station: Station, rows: dict[str, dict[str, str] | None], rev: int) -> None:
    with station.services.db.write() as s:
        for row_id, data in rows.items():
            row = s.get(ReferenceRow, ("booking", row_id)) or ReferenceRow(
                table_name="booking", id=row_id, rev=rev, updated_at=T0
            )
            row.rev, row.deleted = rev, data is None
            row.data = "{}" if data is None else json.dumps(data, ensure_ascii=False)
            s.add(row)


def test_county_platform_bookings_join_the_book_r_q7(station: Station, client: TestClient) -> None:
    good = {"category": "A", "date": TOMORROW, "time": "10:00", "phone": "13600000001",
            "name": "孙七"}  # fmt: skip
    _reference(
        station,
        {
            "cb-1": good,
            "cb-2": {**good, "phone": "13600000002"},
            "cb-3": {**good, "phone": "13600000003"},  # a full slot does not refuse the county
            "cb-bad": {**good, "date": "2026-11-28"},
        },
        1,
    )
    s = station.services
    result = apply_booking_reference(s.db, s.settings, station.clock)
    assert result.applied and "新增 3 条" in result.message and "cb-bad" in result.message
    again = apply_booking_reference(s.db, s.settings, station.clock)
    assert not again.applied  # applied once
    h = login(client, *GUIDE)
    rows = client.get(f"/api/appointments?day={TOMORROW}", headers=h).json()
    assert [(r["channel"], r["visitor_name"]) for r in rows][0] == ("county", "孙七")
    assert len(rows) == 3
    _reference(station, {"cb-2": None}, 2)
    assert "取消 1 条" in apply_booking_reference(s.db, s.settings, station.clock).message
    statuses = {
        r["phone"]: r["status"]
        for r in client.get(f"/api/appointments?day={TOMORROW}", headers=h).json()
    }
    assert statuses["13600000002"] == "cancelled" and statuses["13600000001"] == "booked"
    assert TODAY < TOMORROW


def test_the_down_sync_brings_county_bookings_into_the_book_r_q7(station: Station) -> None:
    """``apply_to_station_tables`` (run after every down-sync page) applies ``booking`` rows."""
    from sync.station.downsync import apply_to_station_tables

    row = {"category": "B", "date": TOMORROW, "time": "14:00", "phone": "13600000009"}
    _reference(station, {"cb-9": row}, 5)
    s = station.services
    messages = apply_to_station_tables(s.db, station.clock.now(), s.settings)
    assert any("县级平台预约：新增 1 条" in m for m in messages)
    [listed] = s.appointments.list(date.fromisoformat(TOMORROW))
    assert (listed.channel, listed.time, listed.category) == ("county", "14:00", "B")
