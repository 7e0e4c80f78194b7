"""PIN length and the forced change (issue 12, defect 1): new PINs are at least
``pin_min_length`` (6 by default) long; an older, shorter PIN opens no session until it is
changed with the change-PIN call, which needs the old PIN (R-T1, R-T3)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from litestar.testing import TestClient
from sqlmodel import select

from appliance.events.tables import Event
from appliance.http.app import create_app
from appliance.staff.service.accounts import hash_pin
from tests.support.fingerprint import fingerprint
from tests.support.station import MANAGER, Station, login, make_station

OLD = "4321"  # a 4-digit PIN from before issue 12


@pytest.fixture
def short_pin(station: Station) -> str:
    """An account whose PIN predates the 6-digit minimum (only its hash is stored)."""
    station.services.staff.create("ck09", "孙丽", "window", "", pin_hash=hash_pin(OLD))
    return "ck09"


def change(client: TestClient, code: str, old: str, new: str) -> Any:
    return client.post("/api/auth/change-pin", json={"code": code, "old_pin": old, "new_pin": new})


@pytest.mark.parametrize(
    ("pin", "why"),
    [
        ("1234", "须为 6–64 位"),
        ("12345", "须为 6–64 位"),
        ("12 456", "不能含空格"),
        ("777777", "同一个字符"),
        ("123456", "连续数字"),
        ("987654", "连续数字"),
    ],
)
def test_new_pins_need_six_digits_and_not_a_trivial_one_r_t1(
    client: TestClient, station: Station, pin: str, why: str
) -> None:
    boss = login(client, *MANAGER)
    before = fingerprint(station.services.db)
    body = {"code": "ck08", "name": "钱进", "role": "window", "pin": pin}
    r = client.post("/api/staff", headers=boss, json=body)
    assert r.status_code == 400 and why in r.json()["message"], r.text
    assert fingerprint(station.services.db) == before


def test_the_minimum_is_a_setting_r_t1(tmp_path: Path) -> None:
    st = make_station(tmp_path, pin_min_length=8)
    try:
        with TestClient(create_app(st.settings, services=st.services)) as client:
            # the demo head's 6-digit PIN is now too short: it must change at login
            r = client.post(
                "/api/auth/login", json=dict(zip(("code", "pin"), MANAGER, strict=True))
            )
            assert r.status_code == 403 and "少于 8 位" in r.json()["message"]
            r = change(client, MANAGER[0], MANAGER[1], "58203914")
            assert r.status_code == 201
            boss = login(client, MANAGER[0], "58203914")
            body = {"code": "ck08", "name": "钱进", "role": "window", "pin": "580246"}
            r = client.post("/api/staff", headers=boss, json=body)
            assert r.status_code == 400 and "须为 8–64 位" in r.json()["message"]
    finally:
        st.services.close()


def test_a_short_pin_must_change_at_the_next_login_r_t1_r_t3(
    client: TestClient, station: Station, short_pin: str
) -> None:
    before = fingerprint(station.services.db)
    r = client.post("/api/auth/login", json={"code": short_pin, "pin": OLD})
    assert r.status_code == 403, r.text
    assert r.json()["error"] == "pin_change_required" and "请先修改密码" in r.json()["message"]
    assert "token" not in r.json()
    assert fingerprint(station.services.db) == before  # no session

    # a wrong old PIN, or a new one that is too short: refused, nothing written
    for old, new, status, text in [
        ("9999", "580246", 401, "工号或密码错误"),
        (OLD, "1234", 400, "须为 6–64 位"),
    ]:
        r = change(client, short_pin, old, new)
        assert r.status_code == status and text in r.json()["message"]
    assert fingerprint(station.services.db) == before

    r = change(client, short_pin, OLD, "580246")
    assert r.status_code == 201
    token = r.json()["token"]
    assert (
        client.get("/api/auth/me", headers={"Authorization": f"Bearer {token}"}).json()["code"]
        == short_pin
    )
    assert client.post("/api/auth/login", json={"code": short_pin, "pin": OLD}).status_code == 401
    assert login(client, short_pin, "580246")
    with station.services.db.read() as s:
        changed = s.exec(select(Event).where(Event.type == "staff.pin_changed")).all()
    assert (
        len(changed) == 1 and OLD not in changed[0].payload and "argon2" not in changed[0].payload
    )


def test_changing_the_pin_ends_every_other_session_r_t3(client: TestClient) -> None:
    code, pin = MANAGER
    other = login(client, code, pin)  # another terminal
    r = change(client, code, pin, pin)
    assert r.status_code == 400 and "不能与原密码相同" in r.json()["message"]
    r = change(client, code, pin, "602418")
    assert r.status_code == 201
    assert client.get("/api/queue", headers=other).status_code == 401
    fresh = {"Authorization": f"Bearer {r.json()['token']}"}
    assert client.get("/api/queue", headers=fresh).status_code == 200
