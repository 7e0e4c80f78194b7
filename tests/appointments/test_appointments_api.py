"""预约 API (R-Q7): slots from opening hours and capacity, booking refused when the slot is
full, check-in into a ticket at its slot (R-Q4), forfeiting, cancel and move with the visitor
told, 一人多约 flagged and left out of the on-time figures. Refusals change nothing.

The station's today is Monday 2026-11-23, 09:00 (``T0``); slots are 30 minutes from 08:30 to
17:30, two bookings per category and slot."""

from __future__ import annotations

import threading
from datetime import timedelta
from pathlib import Path

from litestar.testing import TestClient

from appliance.appointments.schemas import BookIn
from appliance.appointments.service.sweep import AppointmentSweep
from appliance.core.roles import Principal, Role
from appliance.workers import SERVER_WORKERS, appointment_watch
from tests.appointments.support import TODAY, TOMORROW, book, fingerprint, sms
from tests.support.station import (
    GUIDE,
    MANAGER,
    T0,
    WINDOW_CLERK,
    Station,
    login,
    make_station,
)


def sweep(station: Station) -> tuple[list[str], list[str]]:
    s = station.services
    report = AppointmentSweep(s.db, s.settings, station.clock).run()
    return report.forfeited, report.reminded


def test_slots_follow_opening_hours_and_capacity_r_q7(client: TestClient) -> None:
    h = login(client, *GUIDE)
    day = client.get(f"/api/appointments/slots?category=A&day={TODAY}", headers=h).json()
    assert day["open"] and day["category_name"] == "综合受理"
    assert [s["time"] for s in day["slots"]][:3] == ["08:30", "09:00", "09:30"]
    assert day["slots"][-1]["label"] == "17:00–17:30" and len(day["slots"]) == 18
    assert day["slots"][0]["past"] and not day["slots"][1]["past"]
    assert {s["capacity"] for s in day["slots"]} == {2}
    saturday = client.get("/api/appointments/slots?category=A&day=2026-11-28", headers=h).json()
    assert not saturday["open"] and "不是工作日" in saturday["message"]


def test_booking_a_full_slot_is_refused_409_and_changes_nothing_r_q7(
    station: Station, client: TestClient
) -> None:
    h = login(client, *GUIDE)
    first = book(client, h, "13800000001", visitor_name="张三", channel="phone")
    assert first.status_code == 201, first.text
    a = first.json()
    assert (a["number"], a["status"], a["channel_label"]) == ("YY-20261123-001", "booked", "电话")
    assert a["slot_label"] == "10:00–10:30" and a["visitor_name"] == "张三"
    assert book(client, h, "13800000002").status_code == 201
    before = fingerprint(station.services.db)
    full = book(client, h, "13800000003")
    assert full.status_code == 409, full.text
    assert full.json()["error"] == "slot_full" and "预约已满" in full.json()["message"]
    assert fingerprint(station.services.db) == before
    day = client.get(f"/api/appointments/slots?category=A&day={TODAY}", headers=h).json()
    ten = next(s for s in day["slots"] if s["time"] == "10:00")
    assert (ten["taken"], ten["free"]) == (2, 0)
    assert book(client, h, "13800000003", at="10:30").status_code == 201  # the next one is free
    assert book(client, h, "13800000004", category="B").status_code == 201  # per category
    booked = sms(station.services.db, "appointment_booked")
    assert len(booked) == 4 and "预约号 YY-20261123-001" in booked[0].body


def test_bad_bookings_are_refused_in_chinese_r_q7(station: Station, client: TestClient) -> None:
    h = login(client, *GUIDE)
    before = fingerprint(station.services.db)
    cases = [
        ({"phone": "12345"}, 400, "bad_phone"),
        ({"phone": "13800000001", "day": "2026-11-28"}, 400, "closed_day"),
        ({"phone": "13800000001", "day": "2026-11-20"}, 400, "past_day"),
        ({"phone": "13800000001", "time": "08:30"}, 400, "past_slot"),
        ({"phone": "13800000001", "time": "10:10"}, 400, "bad_slot"),
        ({"phone": "13800000001", "category": "Z"}, 404, "unknown_category"),
        ({"phone": "13800000001", "notice_by": "print"}, 400, "no_item"),
        ({"phone": "13800000001", "channel": "online"}, 400, "bad_channel"),
    ]
    for extra, status, code in cases:
        body = {"category": "A", "day": TODAY, "time": "10:00", **extra}
        r = client.post("/api/appointments", json=body, headers=h)
        assert (r.status_code, r.json()["error"]) == (status, code), (extra, r.text)
        assert any("\u4e00" <= ch <= "\u9fff" for ch in r.json()["message"])
    assert fingerprint(station.services.db) == before
    assert book(client, h, "13800000001").status_code == 201
    twice = book(client, h, "13800000001")
    assert (twice.status_code, twice.json()["error"]) == (409, "duplicate")


def test_check_in_turns_the_appointment_into_a_priority_ticket_r_q7_r_q4(
    station: Station, client: TestClient
) -> None:
    h = login(client, *GUIDE)
    a = book(client, h, "13800000001").json()  # 10:00–10:30
    before = fingerprint(station.services.db)
    early = client.post(f"/api/appointments/{a['number']}/check-in", headers=h)
    assert (early.status_code, early.json()["error"]) == (409, "too_early")
    assert "09:50" in early.json()["message"]  # 10 minutes before the slot
    assert fingerprint(station.services.db) == before
    station.clock.set(T0 + timedelta(minutes=50))  # 09:50
    walk_in = client.post("/api/kiosk/tickets", json={"category": "A"})
    assert walk_in.status_code == 201, walk_in.text
    r = client.post(f"/api/appointments/{a['number']}/check-in", headers=h)
    assert r.status_code == 201, r.text
    out = r.json()
    assert out["appointment"]["status"] == "checked_in"
    assert out["ticket_number"].startswith("A") and out["appointment"]["ticket_number"]
    # a visitor who took a number earlier still waits: the appointment is called first
    clerk = login(client, *WINDOW_CLERK)
    called = client.post("/api/windows/1/call-next", headers=clerk).json()
    assert (called["number"], called["priority"], called["source"]) == (
        out["ticket_number"],
        "appointment",
        "appointment",
    )
    again = client.post(f"/api/appointments/{a['number']}/check-in", headers=h)
    assert (again.status_code, again.json()["error"]) == (409, "checked_in")


def test_a_missed_slot_is_forfeited_and_cannot_be_checked_in_r_q7(
    station: Station, client: TestClient
) -> None:
    h = login(client, *GUIDE)
    a = book(client, h, "13800000001", at="09:00").json()  # 09:00–09:30, grace 15 minutes
    assert sweep(station) == ([], [])
    station.clock.set(T0 + timedelta(minutes=46))  # 09:46
    late = client.post(f"/api/appointments/{a['id']}/check-in", headers=h)
    assert (late.status_code, late.json()["error"]) == (409, "forfeited")
    assert sweep(station)[0] == [a["number"]]
    assert sweep(station)[0] == []  # a pass is idempotent
    before = fingerprint(station.services.db)
    r = client.post(f"/api/appointments/{a['number']}/check-in", headers=h)
    assert (r.status_code, r.json()["error"]) == (409, "forfeited")
    assert "过时作废" in r.json()["message"]
    assert fingerprint(station.services.db) == before
    assert client.get(f"/api/appointments/{a['number']}", headers=h).json()["status_label"] == (
        "过时作废"
    )


def test_cancel_and_move_need_a_reason_and_tell_the_visitor_r_q7(
    station: Station, client: TestClient
) -> None:
    h = login(client, *GUIDE)
    a = book(client, h, "13800000001").json()
    book(client, h, "13800000002", at="11:00")
    book(client, h, "13800000003", at="11:00")
    before = fingerprint(station.services.db)
    path = f"/api/appointments/{a['number']}"
    no_reason = client.post(f"{path}/cancel", json={"reason": "  "}, headers=h)
    assert (no_reason.status_code, no_reason.json()["error"]) == (400, "no_reason")
    full = client.post(
        f"{path}/move", json={"day": TODAY, "time": "11:00", "reason": "窗口调整"}, headers=h
    )  # noqa: E501
    assert (full.status_code, full.json()["error"]) == (409, "slot_full")
    assert fingerprint(station.services.db) == before
    moved = client.post(
        f"{path}/move", json={"day": TOMORROW, "time": "14:00", "reason": "系统升级"}, headers=h
    )
    assert moved.status_code == 201, moved.text
    assert (moved.json()["day"], moved.json()["time"], moved.json()["moved"]) == (
        TOMORROW,
        "14:00",
        1,
    )
    [told] = sms(station.services.db, "appointment_moved")
    assert "11月24日 14:00–14:30" in told.body and "系统升级" in told.body
    r = client.post(f"{path}/cancel", json={"reason": "经办人员外出培训"}, headers=h)
    assert r.status_code == 201 and r.json()["status"] == "cancelled"
    [cancelled] = sms(station.services.db, "appointment_cancelled")
    assert "经办人员外出培训" in cancelled.body and cancelled.phone == "13800000001"
    again = client.post(f"{path}/cancel", json={"reason": "重复"}, headers=h)
    assert (again.status_code, again.json()["error"]) == (409, "not_booked")


def test_one_person_with_several_bookings_a_day_is_flagged_and_left_out_r_q7(
    station: Station, client: TestClient
) -> None:
    h = login(client, *GUIDE)
    one = book(client, h, "13800000001", at="09:30").json()
    assert not one["multi_booking"]
    two = book(client, h, "13800000001", at="15:00", category="B").json()
    other = book(client, h, "13800000009", at="09:30").json()
    listed = {a["number"]: a for a in client.get("/api/appointments", headers=h).json()}
    assert listed[one["number"]]["multi_booking"] and listed[two["number"]]["multi_booking"]
    assert not listed[other["number"]]["multi_booking"]
    station.clock.set(T0 + timedelta(minutes=35))  # 09:35: the honest visitor checks in
    assert client.post(f"/api/appointments/{other['number']}/check-in", headers=h).is_success
    station.clock.set(T0 + timedelta(hours=8))  # 17:00: the others missed their slots
    sweep(station)
    stats = client.get(f"/api/appointments/stats?day={TODAY}", headers=h).json()
    assert (stats["booked"], stats["checked_in"], stats["forfeited"]) == (3, 1, 2)
    assert (stats["flagged"], stats["counted"], stats["on_time"]) == (2, 1, 1)
    assert stats["on_time_rate"] == 1.0


def test_the_reminder_goes_out_the_day_before_once_r_q7(
    station: Station, client: TestClient
) -> None:
    h = login(client, *GUIDE)
    a = book(client, h, "13800000001", day=TOMORROW, at="09:00").json()
    book(client, h, "13800000002", at="16:00")  # today's is not reminded
    assert sweep(station)[1] == [a["number"]]
    assert sweep(station)[1] == []
    [reminder] = sms(station.services.db, "appointment_reminder")
    assert reminder.phone == "13800000001" and "11月24日 09:00–09:30" in reminder.body
    assert client.get(f"/api/appointments/{a['number']}", headers=h).json()["reminded"]


def test_the_guide_is_printed_or_its_materials_sent_at_booking_r_q7(
    station: Station, client: TestClient
) -> None:
    h = login(client, *GUIDE)
    item = "410122-MZ-001"  # 高龄津贴申请, category C
    printed = book(client, h, "13800000001", category="", item_code=item, notice_by="print")
    assert printed.status_code == 201, printed.text
    assert (printed.json()["category"], printed.json()["item_name"]) == ("C", "高龄津贴申请")
    jobs = client.get("/api/print-jobs", headers=login(client, *MANAGER)).json()
    assert any(j["kind"] == "notice" for j in jobs)
    texted = book(client, h, "13800000002", category="", item_code=item, notice_by="sms")
    assert texted.status_code == 201
    body = sms(station.services.db, "appointment_booked")[-1].body
    assert "高龄津贴申请" in body and "请带齐" in body


def test_the_station_head_exports_the_book_r_q7(client: TestClient) -> None:
    h = login(client, *GUIDE)
    book(client, h, "13800000001", visitor_name="=cmd")
    manager = login(client, *MANAGER)
    csv = client.get(f"/api/appointments/export.csv?start={TODAY}&end={TODAY}", headers=manager)
    assert csv.status_code == 200
    text = csv.content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("预约号,预约渠道") and "'=cmd" in text
    xlsx = client.get("/api/appointments/export.xlsx", headers=manager)
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    assert client.get("/api/appointments/export.csv", headers=h).status_code == 403


def test_the_sweep_runs_as_a_server_worker_r_q7(tmp_path: Path) -> None:
    """``appointment_watch`` forfeits a missed slot on its own (polled, no timing bound)."""
    station = make_station(tmp_path, appointment_sweep_seconds=0.05)
    try:
        assert appointment_watch in SERVER_WORKERS
        clerk = Principal("x", "yd01", "张伟", Role.GUIDE, None)
        body = BookIn(category="A", day=T0.date(), time="09:00", phone="13800000001")
        number = station.services.appointments.book(body, clerk).number
        station.clock.set(T0 + timedelta(hours=1))
        stop = threading.Event()
        worker = threading.Thread(target=appointment_watch, args=(station.services, stop))
        worker.start()
        try:
            for _ in range(600):
                if station.services.appointments.get(number).status == "forfeited":
                    break
                stop.wait(0.05)
        finally:
            stop.set()
            worker.join()
        assert station.services.appointments.get(number).status == "forfeited"
    finally:
        station.services.close()
