"""The clock without an RTC (R-N2): the server refuses a clock it can prove wrong and serves
only the clock screen until the station head sets the time, or the county's time is taken;
ordering never uses the clock, so time going back within a day breaks nothing."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from litestar.testing import TestClient
from sqlmodel import select

from appliance.clock.controller import create_clock_app
from appliance.clock.rules import clock_verdict, parse_local_time
from appliance.clock.service import ClockGuard
from appliance.core.clock import FrozenClock
from appliance.events.tables import Event
from appliance.queue.rules.tickets import TicketSource
from tests.support.station import MANAGER, T0, WINDOW_CLERK, Station, login

TZ = ZoneInfo("Asia/Shanghai")
BUILT = date(2026, 11, 22)


class ClockSetter:
    """Stands in for clock_settime: moves the station's frozen clock."""

    def __init__(self, clock: FrozenClock) -> None:
        self.clock = clock
        self.calls: list[datetime] = []

    def set(self, at: datetime) -> None:
        self.calls.append(at)
        self.clock.set(at)


def test_verdict_build_date_and_last_event() -> None:
    assert not clock_verdict(datetime(1970, 1, 1, tzinfo=UTC), BUILT, TZ, None).ok
    early = clock_verdict(datetime(2026, 11, 21, 8, tzinfo=UTC), BUILT, TZ, None)
    assert "早于本软件的发布日期 2026-11-22" in early.reason
    assert clock_verdict(T0, BUILT, TZ, T0 + timedelta(minutes=1)).ok  # within tolerance
    behind = clock_verdict(T0, BUILT, TZ, T0 + timedelta(hours=1))
    assert not behind.ok and "早于最近一条记录的时间（约 2026-11-23 09:58）" in behind.reason
    assert parse_local_time("2026-12-03 09:30", TZ) == datetime(2026, 12, 3, 1, 30, tzinfo=UTC)
    with pytest.raises(ValueError, match="看不懂"):
        parse_local_time("明天上午", TZ)


@pytest.fixture
def wrong(station: Station) -> tuple[ClockGuard, ClockSetter, list[bool]]:
    """The station after a power cut: its clock booted an hour behind its last event."""
    station.services.queue.issue("A", TicketSource.KIOSK, "normal")  # an event at T0
    station.clock.set(T0 - timedelta(hours=1))
    setter = ClockSetter(station.clock)
    guard = ClockGuard(station.services.db, station.settings, station.clock, setter)
    return guard, setter, []


def test_restricted_server_answers_only_health_and_the_clock_r_n2(
    wrong: tuple[ClockGuard, ClockSetter, list[bool]], station: Station
) -> None:
    guard, setter, fixed = wrong
    with TestClient(create_clock_app(guard, lambda: fixed.append(True))) as c:
        health = c.get("/api/health").json()
        assert health["ok"] is False and health["station_code"] == "YZ0001"
        status = c.get("/api/clock").json()
        assert status["ok"] is False and "断电后时钟回退" in status["reason"]
        r = c.get("/api/queue")
        assert r.status_code == 503 and r.json()["error"] == "clock_wrong"
        assert "校准时间" in r.json()["message"]
        assert c.post("/api/kiosk/tickets", json={"category": "A"}).status_code == 503

        body = {"code": WINDOW_CLERK[0], "pin": WINDOW_CLERK[1], "local_time": "2026-11-23 10:30"}
        r = c.post("/api/clock/set", json=body)  # not the station head
        assert r.status_code == 403 and "只有站长" in r.json()["message"]
        body = {"code": MANAGER[0], "pin": MANAGER[1], "local_time": "2026-11-23 08:00"}
        r = c.post("/api/clock/set", json=body)  # still before the last record
        assert r.status_code == 400 and "填写的时间不对" in r.json()["message"]
        assert c.post("/api/clock/set", json={**body, "local_time": "9:30"}).status_code == 400
        assert setter.calls == [] and fixed == []

        r = c.post("/api/clock/set", json={**body, "local_time": "2026-11-23 10:30"})
        assert r.status_code == 201, r.text
        assert r.json()["ok"] is True and fixed == [True]
    assert setter.calls == [datetime(2026, 11, 23, 2, 30, tzinfo=UTC)]
    with station.services.db.read() as s:
        event = s.exec(select(Event).where(Event.type == "clock.set")).one()
    assert '"source": "staff"' in event.payload and event.occurred_at == setter.calls[0]


def test_pin_guessing_is_limited(wrong: tuple[ClockGuard, ClockSetter, list[bool]]) -> None:
    guard, _setter, fixed = wrong
    with TestClient(create_clock_app(guard, lambda: fixed.append(True))) as c:
        body = {"code": MANAGER[0], "pin": "000000", "local_time": "2026-11-23 10:30"}
        codes = [c.post("/api/clock/set", json=body).status_code for _ in range(6)]
    assert codes == [403] * 5 + [429]


def test_county_time_moves_a_lagging_clock_forward_only(
    wrong: tuple[ClockGuard, ClockSetter, list[bool]],
) -> None:
    guard, setter, _fixed = wrong
    assert guard.adopt_county_time(T0 - timedelta(hours=1, seconds=30)) is None  # within skew
    assert guard.adopt_county_time(T0 - timedelta(hours=2)) is None  # county behind: not taken
    county = T0 + timedelta(minutes=5)
    assert guard.adopt_county_time(county) == pytest.approx(3900)
    assert setter.calls == [county] and guard.verdict().ok


def _issue_across_a_clock_correction(client: TestClient, station: Station) -> list[str]:
    """A001 at 09:00, A002 at 09:40, then the clock is corrected back to 09:10: A003."""
    numbers = [client.post("/api/kiosk/tickets", json={"category": "A"}).json()["number"]]
    station.clock.set(T0 + timedelta(minutes=40))
    numbers.append(client.post("/api/kiosk/tickets", json={"category": "A"}).json()["number"])
    station.clock.set(T0 + timedelta(minutes=10))
    numbers.append(client.post("/api/kiosk/tickets", json={"category": "A"}).json()["number"])
    return numbers


def test_time_going_back_keeps_numbers_and_the_event_log_r_n2(
    client: TestClient, station: Station
) -> None:
    """Ticket numbers and the event log follow seq, not the clock."""
    assert _issue_across_a_clock_correction(client, station) == ["A001", "A002", "A003"]
    with station.services.db.read() as s:
        events = list(s.exec(select(Event).order_by(Event.seq)))
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    issued = [e for e in events if e.type == "ticket.issued"]
    assert [e.occurred_at for e in issued][-2:] == [
        T0 + timedelta(minutes=40),
        T0 + timedelta(minutes=10),  # the time as it was, the order by seq
    ]


def test_time_going_back_keeps_the_calling_order_r_n2(client: TestClient, station: Station) -> None:
    """A ticket issued after the clock was set back still waits behind earlier ones."""
    numbers = _issue_across_a_clock_correction(client, station)
    clerk = login(client, *WINDOW_CLERK)
    called = []
    for _ in numbers:
        r = client.post("/api/windows/1/call-next", headers=clerk)
        assert r.status_code in (200, 201), r.text
        called.append(r.json()["number"])
        assert client.post("/api/windows/1/finish", headers=clerk).status_code in (200, 201)
    assert called == numbers
