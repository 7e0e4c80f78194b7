"""Staff accounts follow the county's published list (R-T1, R-T3, R-N3)."""

from __future__ import annotations

import json

from litestar.testing import TestClient
from sqlmodel import select

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
            {"code": "ck02", "name": "赵敏", "role": "window", "pin_hash": hash_pin("4321")},
            {"code": "ck03", "name": "钱多", "role": "window"},  # no PIN from the county
        ],
    )
    result = apply_staff_reference(
        station.services.db, station.clock, station.settings.station_code
    )
    staff = staff_by_code(station)
    assert result.changed == 4 and "人员名单" in result.message
    assert staff["yd01"].post == "引导咨询（兼代办）"
    assert staff["ck01"].active is False  # no longer on the county's list
    assert client.get("/api/queue", headers=h).status_code == 401  # sessions revoked at once
    assert staff["ck02"].active is True and login(client, "ck02", "4321")
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
