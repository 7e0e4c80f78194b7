"""Queue behaviour through the services (R-Q1–R-Q6, R-N2 event log)."""

from __future__ import annotations

import json

import pytest
from sqlmodel import col, select

from appliance.core.errors import Conflict
from appliance.events.log import last_event_seq
from appliance.events.tables import Event
from appliance.jobs.tables import PrintJob
from appliance.queue.schemas import TicketView
from appliance.queue.tables import OvertimeLog, Ticket
from tests.support.station import Station, make_station


def test_numbers_per_category_and_reset_each_day_r_q2_r_q5(station: Station) -> None:
    q = station.services.queue
    assert [q.issue("A", "kiosk").number for _ in range(3)] == ["A001", "A002", "A003"]
    assert q.issue("B", "kiosk").number == "B001"
    station.clock.advance(days=1)
    assert q.issue("A", "kiosk").number == "A001"


def test_people_ahead_and_serving_windows_on_ticket_r_q2(station: Station) -> None:
    q = station.services.queue
    q.issue("B", "kiosk")
    q.issue("B", "kiosk")
    t = q.issue("B", "button")
    assert t.people_ahead == 2
    assert t.serving_windows == [1, 2]
    assert t.source == "button"
    # two open windows serve B, prior 8 min: 2 ahead * 8 / 2 windows
    assert t.est_wait_min == 8


def test_wait_estimate_learns_from_recent_services_r_q2(station: Station) -> None:
    q, clock = station.services.queue, station.clock
    for _ in range(5):
        q.issue("A", "kiosk")
        q.call_next("1")
        q.start("1")
        clock.advance(minutes=2)
        q.finish("1")
    q.issue("A", "kiosk")
    q.issue("A", "kiosk")
    t = q.issue("A", "kiosk")
    assert t.people_ahead == 2
    assert t.est_wait_min == 4  # 2 ahead * 2 min learned, one window serves A


def test_every_change_appends_an_event_with_gapless_seq(station: Station) -> None:
    q = station.services.queue
    before = last_event_seq(station.services.db)
    t = q.issue("A", "kiosk", phone="13812345678")
    q.call_next("1")
    q.finish("1")
    with station.services.db.read() as s:
        events = list(s.exec(select(Event).where(Event.seq > before).order_by(col(Event.seq))))
    types = [e.type for e in events]
    assert types == [
        "ticket.issued",
        "print_job.created",
        "sms.queued",  # 取号成功 SMS
        "ticket.called",
        "sms.queued",  # 请到 1 号窗口
        "ticket.finished",
    ]
    assert [e.seq for e in events] == list(range(before + 1, before + 7))
    issued = json.loads(events[0].payload)
    assert issued["number"] == t.number
    assert issued["phone"] == "138****5678"  # masked in the log (R-I3)
    assert all(e.id[14] == "7" for e in events)  # UUIDv7


def test_issue_writes_a_durable_receipt_job_in_same_transaction(station: Station) -> None:
    t = station.services.queue.issue("A", "kiosk")
    with station.services.db.read() as s:
        job = s.exec(select(PrintJob).where(PrintJob.ticket_id == t.id)).one()
    assert job.status == "pending"
    stored = json.loads(job.payload)
    assert stored["ticket"]["number"] == "A001"
    # the receipt is rendered from this payload: every ticket field, in order, datetimes as
    # str() ("2026-11-23 01:00:00+00:00"), exactly as before the wire types were Structs
    assert stored["station_name"] == station.settings.station_name
    assert list(stored["ticket"]) == list(TicketView.__struct_fields__)
    assert stored["ticket"]["issued_at"] == str(t.issued_at) == "2026-11-23 01:00:00+00:00"
    assert stored["ticket"]["called_at"] is None and stored["ticket"]["serving_windows"] == [1]


def test_priority_limit_over_a_real_queue_r_q4(station: Station) -> None:
    q = station.services.queue
    q.issue("A", "kiosk")  # ordinary A001
    for _ in range(3):
        q.issue("A", "kiosk", priority="vulnerable")  # A002..A004
    called = []
    for _ in range(4):
        called.append(q.call_next("1").number)
        q.finish("1")
    assert called == ["A002", "A003", "A001", "A004"]


def test_recall_start_finish_and_finish_twice_refused_r_q3(station: Station) -> None:
    q = station.services.queue
    q.issue("A", "kiosk")
    q.call_next("1")
    assert q.recall("1").recall_count == 1
    assert q.start("1").status == "serving"
    assert q.finish("1").status == "done"
    with pytest.raises(Conflict):
        q.finish("1")


def test_transfer_keeps_number_and_place_r_q3(station: Station) -> None:
    q, clock = station.services.queue, station.clock
    first = q.issue("A", "kiosk")
    clock.advance(minutes=1)
    q.issue("C", "kiosk")  # C001 waits at window 2 already
    q.call_next("1")
    moved = q.transfer("1", to_category="C")
    assert moved.number == first.number and moved.category_name == "民政残联"
    assert moved.status == "waiting"
    # it keeps its original place, so it is ahead of C001
    assert q.call_next("2").number == "A001"


def test_transfer_to_window_is_called_there_first_r_q3(station: Station) -> None:
    q = station.services.queue
    q.issue("B", "kiosk")
    q.issue("A", "kiosk")
    q.call_next("1")  # B001 or A001
    q.transfer("1", to_window="2")
    q.issue("C", "kiosk")
    assert q.call_next("2").status == "called"
    snap = station.services.windows.queue_snapshot()
    w2 = next(w for w in snap.windows if w.number == 2)
    assert w2.current is not None and w2.current.number in ("A001", "B001")


def test_no_show_rejoins_at_end_by_default_r_q3(station: Station) -> None:
    q = station.services.queue
    q.issue("A", "kiosk")
    q.issue("A", "kiosk")
    q.call_next("1")
    q.no_show("1")
    q.rejoin("A001")
    assert q.call_next("1").number == "A002"
    q.no_show("1")
    assert q.call_next("1").number == "A001"
    q.no_show("1")
    with pytest.raises(Conflict, match="重排次数已用完"):
        q.rejoin("A001")


def test_no_show_rejoin_forbidden_by_setting_r_q3(tmp_path) -> None:  # type: ignore[no-untyped-def]
    st = make_station(tmp_path, no_show_rejoin="forbid")
    q = st.services.queue
    q.issue("A", "kiosk")
    q.call_next("1")
    q.no_show("1")
    with pytest.raises(Conflict, match="重新取号"):
        q.rejoin("A001")
    st.services.close()


def test_pause_blocks_calls_and_alert_fires_past_absence_r_q6(station: Station) -> None:
    w, q, clock = station.services.windows, station.services.queue, station.clock
    q.issue("A", "kiosk")
    w.pause("1", "入户代办")
    with pytest.raises(Conflict, match="暂停服务"):
        q.call_next("1")
    clock.advance(minutes=15)
    assert w.check_absences() == []  # exactly at the limit: not yet
    clock.advance(seconds=1)
    alerts = w.check_absences()
    assert len(alerts) == 1 and "超过 15 分钟" in alerts[0].message
    assert w.check_absences() == []  # fires once
    assert [a.kind for a in station.services.alerts.open_alerts()] == ["absence"]
    display = w.display_snapshot()
    assert display.windows[0].paused and "入户代办" in display.notices[0]
    w.resume("1")
    assert station.services.alerts.open_alerts() == []
    assert q.call_next("1").number == "A001"


def test_overtime_logged_after_closing_r_q5(station: Station) -> None:
    q, clock = station.services.queue, station.clock
    clock.set(clock.now().replace(hour=9, minute=20))  # 17:20 Beijing
    t = q.issue("A", "kiosk")
    q.call_next("1")
    q.start("1")
    clock.advance(minutes=25)  # 17:45
    q.finish("1")
    with station.services.db.read() as s:
        log = s.exec(select(OvertimeLog).where(OvertimeLog.ticket_id == t.id)).one()
    assert log.minutes == 15


def test_closing_warning_on_ticket_r_q5(station: Station) -> None:
    q, clock = station.services.queue, station.clock
    clock.set(clock.now().replace(hour=9, minute=15))  # 17:15 Beijing
    for _ in range(4):
        q.issue("C", "kiosk")
    t = q.issue("C", "kiosk")  # 4 ahead * 10 min / 1 window = 40 min
    assert t.closing_warning and "今日可能无法办理" in t.closing_warning


def test_two_windows_never_get_the_same_ticket(station: Station) -> None:
    import threading

    q = station.services.queue
    for _ in range(20):
        q.issue("B", "kiosk")
    got: list[str] = []
    lock = threading.Lock()

    def work(window: str) -> None:
        for _ in range(10):
            try:
                t = q.call_next(window)
                q.finish(window)
            except Conflict:
                continue
            with lock:
                got.append(t.number)

    threads = [threading.Thread(target=work, args=(w,)) for w in ("1", "2")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(got) == len(set(got)) == 20
    with station.services.db.read() as s:
        assert all(t.status == "done" for t in s.exec(select(Ticket)))
