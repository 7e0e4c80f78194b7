"""Window ownership (issue 12, defect 6, R-Q6): a window's actions belong to the staff member
signed in at it — their account's assigned window — and the station head may act for any
window, which the event records. Everyone else gets 403 before any other answer."""

from __future__ import annotations

import json

import pytest
from litestar.testing import TestClient
from sqlmodel import col, select

from appliance.events.tables import Event
from tests.support.fingerprint import fingerprint
from tests.support.station import HELPER, MANAGER, WINDOW_CLERK, Station, login

ACTIONS = [
    ("call-next", None),
    ("call", {"ticket": "B001"}),
    ("recall", None),
    ("start", None),
    ("finish", None),
    ("no-show", None),
    ("transfer", {"to_category": "A"}),
    ("pause", {"reason": "会议"}),
    ("resume", None),
]


def last_event(station: Station, type_: str) -> dict[str, object]:
    with station.services.db.read() as s:
        ev = s.exec(
            select(Event).where(Event.type == type_).order_by(col(Event.seq).desc())
        ).first()
    assert ev is not None, type_
    payload: dict[str, object] = json.loads(ev.payload)
    return payload


@pytest.mark.parametrize(("action", "body"), ACTIONS)
def test_a_clerk_cannot_run_another_window_r_q6(
    client: TestClient, station: Station, action: str, body: dict[str, str] | None
) -> None:
    """ck01 (window 1) on window 2, whatever state window 2 is in: 403, nothing written."""
    station.services.queue.issue("B", "kiosk")
    if action in ("recall", "start", "finish", "no-show", "transfer"):
        station.services.queue.call_next("2")  # window 2 has a called ticket
    if action == "resume":
        station.services.windows.pause("2", "会议")
    clerk = login(client, *WINDOW_CLERK)
    before = fingerprint(station.services.db)
    r = client.post(f"/api/windows/2/{action}", headers=clerk, json=body)
    assert r.status_code == 403, r.text
    assert r.json()["error"] == "not_your_window"
    assert r.json()["message"] == "2 号窗口不是您登录的窗口，只有该窗口的工作人员或站长可以操作"
    assert fingerprint(station.services.db) == before


def test_call_next_on_an_empty_foreign_window_is_403_not_409_r_q6(
    client: TestClient, station: Station
) -> None:
    """The probe of the issue: call-next at someone else's window answered 409."""
    clerk = login(client, *WINDOW_CLERK)
    assert client.post("/api/windows/2/call-next", headers=clerk).status_code == 403
    r = client.post("/api/windows/1/call-next", headers=clerk)
    assert r.status_code == 409 and r.json()["error"] == "queue_empty"  # own window: as before


def test_the_head_acts_for_any_window_and_the_event_says_so_r_q6(
    client: TestClient, station: Station
) -> None:
    boss = login(client, *MANAGER)  # assigned window 2
    me = client.get("/api/auth/me", headers=boss).json()
    station.services.queue.issue("A", "kiosk")
    r = client.post("/api/windows/1/call-next", headers=boss)
    assert r.status_code == 201, r.text
    called = last_event(station, "ticket.called")
    assert called["acted_by"] == me["staff_id"] and called["on_behalf"] is True
    assert client.post("/api/windows/1/finish", headers=boss).status_code == 201
    assert last_event(station, "ticket.finished")["on_behalf"] is True
    assert client.post("/api/windows/1/pause", headers=boss, json={"reason": "会议"}).status_code
    assert last_event(station, "window.paused")["on_behalf"] is True
    assert client.post("/api/windows/1/resume", headers=boss).status_code == 201
    assert last_event(station, "window.resumed")["acted_by"] == me["staff_id"]

    station.services.queue.issue("B", "kiosk")
    assert client.post("/api/windows/2/call-next", headers=boss).status_code == 201
    own = last_event(station, "ticket.called")
    assert own["on_behalf"] is False and own["acted_by"] == me["staff_id"]


def test_the_clerk_runs_their_own_window_and_is_recorded_r_q6(
    client: TestClient, station: Station
) -> None:
    clerk = login(client, *WINDOW_CLERK)
    station.services.queue.issue("A", "kiosk")
    for action in ("call-next", "recall", "start", "finish"):
        assert client.post(f"/api/windows/1/{action}", headers=clerk).status_code == 201, action
    finished = last_event(station, "ticket.finished")
    assert finished["on_behalf"] is False and finished["acted_by"]


def test_a_helper_shares_window_2_but_not_window_1_r_q6(
    client: TestClient, station: Station
) -> None:
    helper = login(client, *HELPER)
    r = client.post("/api/windows/1/pause", headers=helper, json={"reason": "入户代办"})
    assert r.status_code == 403
    r = client.post("/api/windows/2/pause", headers=helper, json={"reason": "入户代办"})
    assert r.status_code == 201


def test_an_account_without_a_window_is_told_to_ask_the_head_r_q6(
    client: TestClient, station: Station
) -> None:
    station.services.staff.create("ck07", "吴刚", "window", "580246")  # no window assigned
    h = login(client, "ck07", "580246")
    r = client.post("/api/windows/1/call-next", headers=h)
    assert r.status_code == 403 and "未绑定窗口" in r.json()["message"]
