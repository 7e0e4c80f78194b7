"""Staff accounts follow the county's published list (R-T1, R-T3, R-N3)."""

from __future__ import annotations

import json

from litestar.testing import TestClient
from sqlmodel import select

from appliance.events.tables import Event
from appliance.staff.service.accounts import hash_pin
from appliance.staff.service.reference import apply_staff_reference
from appliance.staff.tables import Staff
from appliance.uplink.tables import ReferenceRow
from tests.support.station import WINDOW_CLERK, Station, login


def publish(station: Station, staff: list[dict[str, object]], rev: int = 1) -> None:
    code = station.settings.station_code
    with station.services.db.write() as s:
        row = s.get(ReferenceRow, ("staff", code)) or ReferenceRow(
            table_name="staff", id=code, rev=rev, updated_at=station.clock.now()
        )
        row.rev, row.data = (
            rev,
            json.dumps({"station_id": code, "staff": staff}, ensure_ascii=False),
        )
        s.add(row)


def staff_by_code(station: Station) -> dict[str, Staff]:
    with station.services.db.read() as s:
        return {st.code: st for st in s.exec(select(Staff))}


def test_county_list_updates_creates_and_deactivates_r_t3(
    station: Station, client: TestClient
) -> None:
    h = login(client, *WINDOW_CLERK)  # ck01 is logged in at a terminal
    publish(
        station,
        [
            {"code": "zz01", "name": "李建国", "role": "manager", "post": "站长"},
            {"code": "yd01", "name": "张伟", "role": "guide", "post": "引导咨询（兼代办）"},
            {"code": "ck02", "name": "赵敏", "role": "window", "pin_hash": hash_pin("630815")},
            {"code": "ck03", "name": "钱多", "role": "window"},  # no PIN from the county
        ],
    )
    result = apply_staff_reference(
        station.services.db, station.clock, station.settings.station_code
    )
    staff = staff_by_code(station)
    # yd01 updated, ck02 and ck03 created, ck01, bd01 and ts01 no longer listed
    assert result.changed == 6 and "人员名单" in result.message
    assert staff["yd01"].post == "引导咨询（兼代办）"
    assert staff["ck01"].active is False  # no longer on the county's list
    assert client.get("/api/queue", headers=h).status_code == 401  # sessions revoked at once
    assert staff["ck02"].active is True and login(client, "ck02", "630815")
    assert staff["ck03"].active is False  # nobody could log in without a PIN
    again = apply_staff_reference(station.services.db, station.clock, station.settings.station_code)
    assert again.changed == 0 and again.message == ""


def test_malformed_list_changes_nothing(station: Station) -> None:
    publish(station, [{"name": "无工号"}])
    before = staff_by_code(station)
    result = apply_staff_reference(
        station.services.db, station.clock, station.settings.station_code
    )
    assert result.changed == 0 and "格式不正确" in result.message
    assert {c: s.active for c, s in staff_by_code(station).items()} == {
        c: s.active for c, s in before.items()
    }


def test_a_county_hash_of_a_short_pin_forces_a_change_at_first_login_r_t1(
    station: Station, client: TestClient
) -> None:
    """The station cannot see a PIN's length in a hash: the first login with a 4-digit PIN
    the county published opens no session and asks for a new PIN (issue 12, defect 1)."""
    publish(
        station,
        [
            {"code": "zz01", "name": "李建国", "role": "manager"},
            {"code": "ck01", "name": "王秀英", "role": "window"},
            {"code": "ck02", "name": "赵敏", "role": "window", "pin_hash": hash_pin("4321")},
        ],
    )
    apply_staff_reference(station.services.db, station.clock, station.settings.station_code)
    r = client.post("/api/auth/login", json={"code": "ck02", "pin": "4321"})
    assert r.status_code == 403 and r.json()["error"] == "pin_change_required"
    assert "少于 6 位" in r.json()["message"] and "token" not in r.json()
    r = client.post(
        "/api/auth/change-pin", json={"code": "ck02", "old_pin": "4321", "new_pin": "630815"}
    )
    assert r.status_code == 201 and r.json()["staff"]["code"] == "ck02"
    assert login(client, "ck02", "630815")


def test_a_list_without_an_active_head_is_applied_with_an_alert_r_t3(
    station: Station, client: TestClient
) -> None:
    """Who left loses access even if they were the head (R-T3), so the list is applied; the
    station is told (alert, event for the county) instead of failing the sync. A later list
    that names a head clears the alert."""
    publish(station, [{"code": "ck01", "name": "王秀英", "role": "window"}])
    result = apply_staff_reference(
        station.services.db, station.clock, station.settings.station_code
    )
    assert staff_by_code(station)["zz01"].active is False
    assert "没有在用的站长" in result.message
    clerk = login(client, *WINDOW_CLERK)
    alerts = client.get("/api/alerts", headers=clerk).json()
    assert [a["kind"] for a in alerts] == ["no_manager"]
    with station.services.db.read() as s:
        raised = s.exec(select(Event).where(Event.type == "alert.raised")).all()
    assert [json.loads(e.payload)["kind"] for e in raised] == ["no_manager"]

    again = apply_staff_reference(station.services.db, station.clock, station.settings.station_code)
    assert again.changed == 0  # still no head: no second alert
    assert len(client.get("/api/alerts", headers=clerk).json()) == 1

    publish(
        station,
        [
            {"code": "ck01", "name": "王秀英", "role": "window"},
            {"code": "zz02", "name": "周强", "role": "manager", "pin_hash": hash_pin("860524")},
        ],
        rev=2,
    )
    result = apply_staff_reference(
        station.services.db, station.clock, station.settings.station_code
    )
    assert "没有在用的站长" not in result.message
    assert client.get("/api/alerts", headers=clerk).json() == []
