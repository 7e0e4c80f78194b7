"""A window with nobody at it does not look open (issue 16, item 2; R-Q1, R-Q2, R-Q6).

A window is staffed while its clerk is logged in. The hall display marks the others
无人值守; a ticket of a category that no staffed, open window serves says so and promises
no wait, and stops saying so once a clerk logs in.
"""

from __future__ import annotations

from litestar.testing import TestClient
from sqlmodel import col, select

from appliance.events.tables import Event
from appliance.jobs.tables import SmsMessage
from tests.support.station import WINDOW_CLERK, Station, login

UNSTAFFED = "目前无人值守：暂无工作人员在窗口办理此类业务，等候时间无法估计，请咨询引导台"


def staffed(client: TestClient) -> dict[int, bool]:
    return {w["number"]: w["staffed"] for w in client.get("/api/display").json()["windows"]}


def test_window_staffed_only_while_its_clerk_is_logged_in_r_q6(client: TestClient) -> None:
    assert not any(staffed(client).values())
    h = login(client, *WINDOW_CLERK)  # 王秀英, window 1
    assert staffed(client)[1] and not any(v for k, v in staffed(client).items() if k != 1)
    second = login(client, *WINDOW_CLERK)  # another terminal of hers
    client.post("/api/auth/logout", headers=second)
    assert staffed(client)[1]  # still logged in on the first
    client.post("/api/auth/logout", headers=h)
    assert not staffed(client)[1]


def test_ticket_of_an_unstaffed_category_says_so_r_q1_r_q2(client: TestClient) -> None:
    r = client.post("/api/kiosk/tickets", json={"category": "A"})
    assert r.status_code == 201, r.text
    ticket = r.json()
    assert ticket["unstaffed"] is True and ticket["closing_warning"] == UNSTAFFED
    progress = client.get(f"/api/tickets/{ticket['id']}/progress").json()
    assert progress["unstaffed"] is True
    h = login(client, *WINDOW_CLERK)
    progress = client.get(f"/api/tickets/{ticket['id']}/progress").json()
    assert progress["unstaffed"] is False and progress["closing_warning"] is None
    staffed_ticket = client.post("/api/kiosk/tickets", json={"category": "A"}).json()
    assert staffed_ticket["unstaffed"] is False
    client.post("/api/auth/logout", headers=h)
    progress = client.get(f"/api/tickets/{ticket['id']}/progress").json()
    assert progress["unstaffed"] is True


def test_the_sms_of_an_unstaffed_category_promises_no_wait_r_q1_r_q2(
    client: TestClient, station: Station
) -> None:
    def sms_bodies() -> list[str]:
        with station.services.db.read() as s:
            return [m.body for m in s.exec(select(SmsMessage).order_by(col(SmsMessage.created_at)))]

    body = {"category": "A", "phone": "13800138000"}
    assert client.post("/api/kiosk/tickets", json=body).status_code == 201
    [first] = sms_bodies()
    assert "等候时间无法估计" in first and "预计等候" not in first
    login(client, *WINDOW_CLERK)
    assert client.post("/api/kiosk/tickets", json=body).status_code == 201
    assert "预计等候约" in sms_bodies()[-1]


def test_a_window_whose_clerks_session_expired_is_unstaffed_again_r_q6(
    client: TestClient, station: Station
) -> None:
    """A clerk who leaves without logging out does not keep the window "staffed" for ever:
    once every session of theirs has expired, the server's watch releases the window."""
    login(client, *WINDOW_CLERK)
    assert staffed(client)[1]
    assert station.services.staff.release_expired_windows() == []  # still signed in
    station.clock.advance(hours=station.settings.session_hours, minutes=1)
    assert station.services.staff.release_expired_windows() == [1]
    assert not staffed(client)[1]
    with station.services.db.read() as s:
        [event] = s.exec(select(Event).where(Event.type == "window.unstaffed")).all()
    assert '"session_expired"' in event.payload
