"""Staff accounts, sessions, attendance and the public board (R-T1, R-T2, R-T3)."""

from __future__ import annotations

from litestar.testing import TestClient
from sqlmodel import select

from appliance.staff.tables import Attendance, Staff
from tests.support.fingerprint import fingerprint
from tests.support.station import GUIDE, MANAGER, WINDOW_CLERK, Station, login


def test_pins_are_argon2_hashed_r_t1(station: Station) -> None:
    with station.services.db.read() as s:
        staff = list(s.exec(select(Staff)))
    assert staff and all(st.pin_hash.startswith("$argon2id$") for st in staff)
    assert all(WINDOW_CLERK[1] not in st.pin_hash for st in staff)


def test_login_returns_token_and_me(client: TestClient) -> None:
    h = login(client, *WINDOW_CLERK)
    me = client.get("/api/auth/me", headers=h).json()
    assert me["code"] == "ck01" and me["role"] == "window" and me["name"] == "王秀英"


def test_deactivation_revokes_every_session_at_once_r_t3(client: TestClient) -> None:
    first = login(client, *WINDOW_CLERK)
    second = login(client, *WINDOW_CLERK)  # another terminal
    boss = login(client, *MANAGER)
    assert client.get("/api/queue", headers=first).status_code == 200
    r = client.post("/api/staff/ck01/deactivate", headers=boss)
    assert r.status_code == 201 and r.json()["active"] is False
    for h in (first, second):
        r = client.get("/api/queue", headers=h)
        assert r.status_code == 401
    r = client.post("/api/auth/login", json={"code": "ck01", "pin": WINDOW_CLERK[1]})
    assert r.status_code == 401 and "停用" in r.json()["message"]
    assert client.post("/api/staff/ck01/deactivate", headers=boss).status_code == 409
    board = client.get("/api/board").json()
    assert "王秀英" not in [b["name"] for b in board]


def test_manager_creates_staff_who_can_log_in_r_t1(client: TestClient) -> None:
    boss = login(client, *MANAGER)
    r = client.post(
        "/api/staff",
        headers=boss,
        json={
            "code": "ts02",
            "name": "赵敏",
            "role": "complaints",
            "pin": "580246",
            "phone": "13900001111",
        },
    )
    assert r.status_code == 201
    assert r.json()["role_label"] == "投诉受理"
    assert r.json()["phone_masked"] == "139****1111"
    h = login(client, "ts02", "580246")
    assert client.get("/api/auth/me", headers=h).json()["role"] == "complaints"


def test_clock_in_out_recorded_r_t2(client: TestClient, station: Station) -> None:
    h = login(client, *GUIDE)
    assert client.post("/api/staff/me/clock-in", headers=h).json()["on_duty"] is True
    assert client.post("/api/staff/me/clock-in", headers=h).status_code == 409
    station.clock.advance(hours=8)
    r = client.post("/api/staff/me/clock-out", headers=h)
    assert r.json()["on_duty"] is False and r.json()["whereabouts"] == "下班"
    with station.services.db.read() as s:
        rows = list(s.exec(select(Attendance).order_by(Attendance.at)))  # type: ignore[arg-type]
    assert [a.kind for a in rows] == ["in", "out"]
    assert (rows[1].at - rows[0].at).total_seconds() == 8 * 3600


def test_whereabouts_shown_on_board_r_t2(client: TestClient) -> None:
    h = login(client, *GUIDE)
    assert (
        client.post(
            "/api/staff/me/whereabouts", headers=h, json={"whereabouts": "入户代办"}
        ).status_code
        == 201
    )
    board = {b["name"]: b for b in client.get("/api/board").json()}
    assert board["张伟"]["whereabouts"] == "入户代办"


def test_board_shows_only_what_r_t1_lists_r_i3(client: TestClient) -> None:
    board = client.get("/api/board").json()
    assert len(board) == 5  # one demo account per role
    for entry in board:
        assert set(entry) == {"name", "post", "phone", "photo", "whereabouts", "on_duty"}
    text = str(board)
    assert "ck01" not in text and "argon2" not in text and "window" not in text


def test_the_last_active_head_cannot_be_deactivated_r_t1_r_t3(
    client: TestClient, station: Station
) -> None:
    """Issue 12, defect 8: a head deactivating themselves (the only head) is a 409 with nothing
    written; with a second head the first may go, and then the second is the last."""
    boss = login(client, *MANAGER)
    before = fingerprint(station.services.db)
    r = client.post("/api/staff/zz01/deactivate", headers=boss)
    assert r.status_code == 409 and r.json()["error"] == "last_manager"
    assert "唯一在用的站长" in r.json()["message"]
    assert fingerprint(station.services.db) == before
    assert client.get("/api/staff", headers=boss).status_code == 200  # still in charge

    r = client.post(
        "/api/staff",
        headers=boss,
        json={"code": "zz02", "name": "周强", "role": "manager", "pin": "860524"},
    )
    assert r.status_code == 201
    assert client.post("/api/staff/zz01/deactivate", headers=boss).status_code == 201
    second = login(client, "zz02", "860524")
    r = client.post("/api/staff/zz02/deactivate", headers=second)
    assert r.status_code == 409 and r.json()["error"] == "last_manager"


def test_board_follows_sign_in_and_sign_out_r_t1_r_t2(client: TestClient) -> None:
    """Issue 16, item 1: nobody who has not signed in (签到) is 在岗 on the board; signing in
    makes them 在岗, signing out 下班, and 在岗 cannot be chosen without signing in."""
    board = {b["name"]: b for b in client.get("/api/board").json()}
    assert all(not b["on_duty"] and b["whereabouts"] != "在岗" for b in board.values())
    assert board["王秀英"]["whereabouts"] == "未签到"
    h = login(client, *WINDOW_CLERK)
    r = client.post("/api/staff/me/whereabouts", headers=h, json={"whereabouts": "在岗"})
    assert r.status_code == 409 and "尚未签到" in r.json()["message"]
    assert client.post("/api/staff/me/clock-in", headers=h).status_code == 201
    board = {b["name"]: b for b in client.get("/api/board").json()}
    assert (board["王秀英"]["whereabouts"], board["王秀英"]["on_duty"]) == ("在岗", True)
    client.post("/api/staff/me/whereabouts", headers=h, json={"whereabouts": "会议"})
    assert {b["name"]: b for b in client.get("/api/board").json()}["王秀英"][
        "whereabouts"
    ] == "会议"
    assert client.post("/api/staff/me/clock-out", headers=h).status_code == 201
    board = {b["name"]: b for b in client.get("/api/board").json()}
    assert (board["王秀英"]["whereabouts"], board["王秀英"]["on_duty"]) == ("下班", False)
