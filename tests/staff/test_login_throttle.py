"""Login throttling (issue 12, defect 1): growing delays per staff code and per address, an
alert to the head and the county, no lock-out of the real user, the head's unlock, the PIN
verified outside the write lock and at the same cost for unknown codes (R-T1, R-T3, R-I3)."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable
from typing import Any

import pytest
from litestar.testing import TestClient
from sqlmodel import select

from appliance.core.rate_limit import TooManyAttempts
from appliance.events.tables import Event
from appliance.staff.service import login as login_module
from appliance.staff.service.accounts import StaffService
from appliance.staff.tables import StaffSession
from sync.station.outbox import pending_events
from tests.support.station import GUIDE, MANAGER, WINDOW_CLERK, Station, login

CODE, PIN = MANAGER


class Spy:
    """The real argon2 hasher, telling ``seen`` about every hash it verifies."""

    def __init__(self, seen: Callable[[str], object]) -> None:
        self.real = login_module.HASHER
        self.seen = seen

    def verify(self, hashed: str, pin: str) -> bool:
        self.seen(hashed)
        return self.real.verify(hashed, pin)

    def hash(self, pin: str) -> str:
        return self.real.hash(pin)


def wrong(client: TestClient, code: str = CODE, pin: str = "000000") -> Any:
    return client.post("/api/auth/login", json={"code": code, "pin": pin})


def test_thirty_wrong_pins_then_the_right_one_is_refused_with_429_r_t1(
    client: TestClient, station: Station
) -> None:
    """The probe of the issue: 30 wrong PINs for the head, then the right one at once."""
    statuses = [wrong(client).status_code for _ in range(30)]
    free = station.settings.login_free_failures
    # a few typos cost nothing; the next failure blocks, and a blocked try is not even checked
    assert statuses == [401] * (free + 1) + [429] * (30 - free - 1)
    r = client.post("/api/auth/login", json={"code": CODE, "pin": PIN})
    assert r.status_code == 429  # the right PIN waits too: a guesser learns nothing
    body = r.json()
    assert body["error"] == "login_throttled"
    assert body["message"] == (
        "该工号登录失败次数过多，请 2 秒后再试；如不是本人操作，请联系站长解除限制"
    )
    assert r.headers["Retry-After"] == "2" and body["retry_after"] == 2
    station.clock.advance(seconds=2)
    assert client.post("/api/auth/login", json={"code": CODE, "pin": PIN}).status_code == 201


def test_each_further_failure_doubles_the_delay_up_to_the_cap_r_t1(station: Station) -> None:
    staff = station.services.staff
    free = station.settings.login_free_failures
    cap = station.settings.login_max_delay_minutes * 60
    for _ in range(free):
        with pytest.raises(Exception, match="工号或密码错误"):
            staff.login(CODE, "000000", address="10.0.0.1")
    waits = []
    for i in range(12):
        with pytest.raises(Exception, match="工号或密码错误"):  # counted, then blocks
            staff.login(CODE, "000000", address=f"10.0.1.{i}")
        with pytest.raises(TooManyAttempts) as blocked:
            staff.login(CODE, PIN, address=f"10.0.2.{i}")
        waits.append(blocked.value.retry_after_seconds)
        station.clock.advance(seconds=waits[-1])
    assert waits == [2, 4, 8, 16, 32, 64, 128, 256, 512, cap, cap, cap]
    assert "15 分钟" in str(blocked.value.message)


def test_spraying_codes_from_one_address_throttles_the_address_r_t1(station: Station) -> None:
    staff = station.services.staff
    for i in range(10):  # ten different codes: no code reaches its own limit
        with pytest.raises(Exception, match="工号或密码错误"):
            staff.login(f"x{i}", "000000", address="10.0.0.66")
    with pytest.raises(TooManyAttempts) as blocked:
        staff.login("x10", "000000", address="10.0.0.66")
    assert "本机登录失败次数过多" in blocked.value.message
    # the same address is blocked even for a real account; another address is not
    with pytest.raises(TooManyAttempts):
        staff.login(*WINDOW_CLERK, address="10.0.0.66")
    assert staff.login(*WINDOW_CLERK, address="10.0.0.7").staff.code == "ck01"


def test_a_stranger_cannot_lock_the_real_user_out_r_t3(station: Station) -> None:
    """Guessing from elsewhere blocks the code there, never at its owner's own terminal; and
    every block ends by itself as the count decays."""
    staff = station.services.staff
    clerk, pin = WINDOW_CLERK
    staff.login(clerk, pin, address="127.0.0.1")  # the clerk's own terminal (the Pi)
    for i in range(40):
        with contextlib.suppress(Exception):
            staff.login(clerk, f"{100000 + i}", address=f"192.168.1.{50 + i % 2}")
        station.clock.advance(seconds=30)
    with pytest.raises(TooManyAttempts):
        staff.login(clerk, pin, address="192.168.1.99")  # any stranger's address: blocked
    assert staff.login(clerk, pin, address="127.0.0.1").staff.code == clerk  # not here

    station.clock.advance(minutes=station.settings.login_max_delay_minutes)
    assert staff.login(clerk, pin, address="192.168.1.99").staff.code == clerk  # it decays


def test_repeated_failures_alert_the_head_and_reach_the_county_r_t1_r_i3(
    client: TestClient, station: Station
) -> None:
    alerts = station.settings.login_alert_failures
    for _ in range(alerts):
        assert wrong(client, code="ck01").status_code in (401, 429)
        station.clock.advance(minutes=1)  # slow guessing: never blocked, still counted
    boss = login(client, *MANAGER)
    shown = client.get("/api/alerts", headers=boss).json()
    assert [a["kind"] for a in shown] == ["login_failures:ck01"]
    assert "工号 ck01" in shown[0]["message"] and "testclient" in shown[0]["message"]
    assert PIN not in shown[0]["message"]
    # one alert per episode, however long the guessing goes on
    for _ in range(3):
        station.clock.advance(minutes=1)
        wrong(client, code="ck01")
    assert len(client.get("/api/alerts", headers=boss).json()) == 1

    outbox = pending_events(station.services.db, 0, 10_000)  # what the sync agent sends
    raised = [e for e in outbox if e.type == "alert.raised"]
    assert len(raised) == 1
    payload = raised[0].payload
    assert payload["kind"] == "login_failures" and payload["code"] == "ck01"
    assert payload["failures"] == alerts


def test_the_head_unlocks_a_code_at_once_r_t1(client: TestClient, station: Station) -> None:
    for _ in range(8):  # paced so that each is counted
        assert wrong(client, code="ck01").status_code == 401
        station.clock.advance(minutes=1)
    assert wrong(client, code="ck01").status_code == 401
    clerk_code, clerk_pin = WINDOW_CLERK
    assert (
        client.post("/api/auth/login", json={"code": clerk_code, "pin": clerk_pin}).status_code
        == 429
    )
    guide = login(client, *GUIDE)
    assert client.post("/api/auth/unlock", json={"code": "ck01"}, headers=guide).status_code == 403
    boss = login(client, *MANAGER)
    r = client.post("/api/auth/unlock", json={"code": "ck01"}, headers=boss)
    assert r.status_code == 201, r.text
    assert r.json()["blocks_cleared"] >= 1 and r.json()["alerts_cleared"] == 1
    assert client.get("/api/alerts", headers=boss).json() == []
    # the per-address block of this test client still counts its own 12 failures: clear it too
    r = client.post("/api/auth/unlock", json={"address": "testclient"}, headers=boss)
    assert r.status_code == 201
    assert (
        client.post("/api/auth/login", json={"code": clerk_code, "pin": clerk_pin}).status_code
        == 201
    )
    with station.services.db.read() as s:
        unlocked = s.exec(select(Event).where(Event.type == "staff.login_unlocked")).all()
    assert [json.loads(e.payload)["code"] for e in unlocked] == ["ck01", None]


def test_the_pin_is_verified_outside_the_write_lock_r_t1(
    station: Station, monkeypatch: pytest.MonkeyPatch
) -> None:
    """argon2 (about 30 ms) must not hold the station's one writer lock: every login used to
    stall the kiosk and the windows."""
    db = station.services.db
    held: list[bool] = []
    monkeypatch.setattr(login_module, "HASHER", Spy(lambda _h: held.append(db._writer.locked())))
    station.services.staff.login(*WINDOW_CLERK, address="10.0.0.1")
    with pytest.raises(Exception, match="工号或密码错误"):
        station.services.staff.login("ck01", "999999", address="10.0.0.1")
    assert held == [False, False]


def test_unknown_codes_cost_one_verification_like_known_ones_r_i3(
    station: Station, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The reply time must not tell whether a code exists: an unknown code is verified
    against a dummy hash, as a known one is against its own."""
    calls: list[str] = []
    monkeypatch.setattr(login_module, "HASHER", Spy(lambda h: calls.append(h[:9])))
    staff: StaffService = station.services.staff
    for code in ("ck01", "nobody"):
        with pytest.raises(Exception, match="工号或密码错误"):
            staff.login(code, "999999", address="10.0.0.2")
    assert calls == ["$argon2id", "$argon2id"]


def test_a_failed_login_writes_nothing_r_t1(client: TestClient, station: Station) -> None:
    """Below the alert level a wrong PIN touches no table (no writer lock, no event)."""
    from tests.support.fingerprint import fingerprint

    before = fingerprint(station.services.db)
    for _ in range(station.settings.login_alert_failures - 1):
        assert wrong(client, code="yd01").status_code == 401
    assert fingerprint(station.services.db) == before
    with station.services.db.read() as s:
        assert s.exec(select(StaffSession)).first() is None
