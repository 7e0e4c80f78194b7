""" "办不成事" deadlines (R-P1): 5 working days on the station calendar, one alert when a
complex entry runs past them, cleared when it closes; the county hears of it once."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from litestar.testing import TestClient

from appliance.core.roles import Principal, Role
from appliance.desk.rules import DeskKind
from appliance.desk.schemas import DeskCloseIn, DeskEntryIn
from appliance.desk.service.sweep import DeskSweep
from appliance.workers import SERVER_WORKERS, desk_watch
from tests.desk.desk_support import VISITOR, events, rows
from tests.support.station import GUIDE, Station, login

CLERK = Principal(staff_id="s-ck01", code="ck01", name="张伟", role=Role.WINDOW, window_id=None)


def complex_entry(station: Station) -> str:
    body = DeskEntryIn(problem="低保复核结果有疑问", kind=DeskKind.COMPLEX, visitor_name=VISITOR)
    return station.services.desk.register(body, CLERK).number


def at_beijing(day: date, hour: int = 9) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC) - timedelta(hours=8)


def test_deadline_skips_holidays_and_counts_make_up_days_r_p1(station: Station) -> None:
    """Registered on 30 Sep 2026: 国庆 1–7 Oct are off, Sat 10 Oct is a make-up workday."""
    station.clock.set(at_beijing(date(2026, 9, 30)))
    entry = station.services.desk.get(complex_entry(station))
    assert entry.due_on == date(2026, 10, 13) and not entry.due_provisional


def test_past_its_deadline_a_complex_entry_alerts_once_r_p1(
    station: Station, client: TestClient
) -> None:
    number = complex_entry(station)  # due Mon 30 Nov
    sweep = DeskSweep(station.services.db, station.settings.timezone, station.clock)
    station.clock.set(at_beijing(date(2026, 11, 30), 17))
    assert sweep.run().raised == []  # the last day itself is not late
    station.clock.set(at_beijing(date(2026, 12, 1)))
    assert sweep.run().raised == [number]
    assert sweep.run().raised == []  # one alert per entry, however often it runs
    [(kind, message)] = rows(station, "SELECT kind, message FROM alert WHERE cleared_at IS NULL")
    assert kind == "desk_overdue" and number in message and VISITOR not in message
    assert [t for t, _ in events(station, "desk.overdue")] == ["desk.overdue"]

    h = login(client, *GUIDE)
    listed = client.get("/api/desk?status=overdue", headers=h).json()
    assert [(e["number"], e["status_label"]) for e in listed] == [(number, "逾期未办结")]
    assert any(a["kind"] == "desk_overdue" for a in client.get("/api/alerts", headers=h).json())

    done = station.services.desk.close(number, DeskCloseIn(result="已答复服务对象"), CLERK)
    assert done.status_label == "逾期办结" and not done.overdue
    assert rows(station, "SELECT id FROM alert WHERE cleared_at IS NULL") == []
    [(_, closed)] = events(station, "desk.closed")
    assert closed["late"] is True
    station.clock.advance(days=1)
    assert sweep.run().raised == []  # a closed entry never alerts again


def test_open_list_puts_overdue_first_r_p1(station: Station) -> None:
    late = complex_entry(station)
    station.clock.advance(days=3)
    fresh = complex_entry(station)
    station.clock.set(at_beijing(date(2026, 12, 1)))
    listed = station.services.desk.ledger("open")
    assert [(e.number, e.overdue) for e in listed] == [(late, True), (fresh, False)]


def test_the_overdue_check_runs_as_a_server_worker_r_p1(station: Station) -> None:
    assert desk_watch in SERVER_WORKERS
    assert station.settings.desk_check_seconds == 300.0


def test_counts_by_day_and_staff_for_the_figures_r_p1(station: Station) -> None:
    complex_entry(station)
    simple = DeskEntryIn(problem="不会用自助机", kind=DeskKind.SIMPLE, resolution="当场指导")
    station.services.desk.register(simple, CLERK)
    head = Principal(
        staff_id="s-zz01", code="zz01", name="赵站长", role=Role.MANAGER, window_id="2"
    )
    station.services.desk.register(simple, head)
    station.clock.advance(days=1)
    station.services.desk.register(simple, CLERK)
    counts = station.services.desk.counts(date(2026, 11, 23), date(2026, 11, 24))
    got = [
        (c.day.isoformat(), c.staff_name, c.registered, c.simple, c.complex, c.closed)
        for c in counts
    ]
    assert got == [
        ("2026-11-23", "张伟", 2, 1, 1, 1),
        ("2026-11-23", "赵站长", 1, 1, 0, 1),
        ("2026-11-24", "张伟", 1, 1, 0, 1),
    ]
    assert station.services.desk.counts(date(2026, 11, 25), date(2026, 11, 30)) == []
