"""Case handling API (办件, R-K1–R-K2): the happy path and the bad inputs of issue 5's Proof."""

from __future__ import annotations

import json
from typing import Any

from litestar.testing import TestClient
from sqlalchemy import text

from tests.support.fingerprint import fingerprint
from tests.support.station import WINDOW_CLERK, Station, login

ITEM = "410122-MZ-001"  # 高龄津贴申请: 承诺件 (15 days), 容缺 allowed, M3 tolerable
ALL_RECEIVED = {"M1": "received", "M2": "received", "M3": "received", "M4": "received"}


def applicant(**over: Any) -> dict[str, Any]:
    base = {
        "kind": "person",
        "name": "张桂兰",
        "id_number": "410122194001080021",
        "phone": "13800001234",
    }
    return {**base, **over}


def open_body(**over: Any) -> dict[str, Any]:
    return {"item_code": ITEM, "applicant": applicant(), "materials": ALL_RECEIVED, **over}


def rows(station: Station, sql: str) -> list[Any]:
    with station.services.db.read() as s:
        return list(s.execute(text(sql)))


def test_happy_path_open_accept_notice_sms_events(client: TestClient, station: Station) -> None:
    clerk = login(client, *WINDOW_CLERK)
    r = client.post("/api/cases", json=open_body(), headers=clerk)
    assert r.status_code == 201, r.text
    case = r.json()
    number = case["case_number"]
    assert number == "YZ0001-20261123-0001"
    assert case["state"] == "received" and case["item_name"] == "高龄津贴申请"
    assert {a["action"] for a in case["legal_actions"]} >= {"accept", "refuse"}

    r = client.post(f"/api/cases/{number}/actions/accept", json={}, headers=clerk)
    assert r.status_code == 201, r.text
    step = r.json()
    assert step["case"]["state"] == "accepted"
    assert step["notices"] == ["acceptance"] and step["sms_queued"] is True
    assert step["case"]["due_on"] == "2026-12-14"  # 15 working days after Mon 23 Nov
    timeline = step["case"]["timeline"]
    assert [(t["action"], t["from_state"], t["to_state"], t["who"]) for t in timeline] == [
        ("accept", "received", "accepted", "ck01")
    ]

    jobs = rows(station, "SELECT kind, copies, payload FROM print_job WHERE kind = 'notice'")
    titles = sorted(json.loads(j[2])["notice"]["title"] for j in jobs)
    assert titles == ["受理通知书", "收件凭证"] and all(j[1] == 2 for j in jobs)  # 收件 + 受理
    jobs = [j for j in jobs if json.loads(j[2])["notice"]["title"] == "受理通知书"]
    notice = json.loads(jobs[0][2])["notice"]
    assert notice["title"] == "受理通知书" and notice["number"] == number
    from hwservice.printing import render_notice

    pdf, title = render_notice(json.loads(jobs[0][2]))
    assert pdf.startswith(b"%PDF") and title == "受理通知书"

    sms = rows(station, "SELECT kind, phone, body FROM sms_message")
    assert [(k, p) for k, p, _ in sms] == [("case_accepted", "13800001234")]
    assert number in sms[0][2] and "高龄津贴申请" in sms[0][2]

    events = [
        e[0] for e in rows(station, "SELECT type FROM event WHERE entity = 'case' ORDER BY seq")
    ]
    assert events == ["case.opened", "case.accept"]
    trs = rows(station, "SELECT seq, action, who FROM case_transition")
    assert trs == [(1, "accept", "ck01")]

    detail = client.get(f"/api/cases/{number}", headers=clerk).json()
    assert detail["state"] == "accepted" and len(detail["timeline"]) == 1
    mine = client.get("/api/cases?mine=1", headers=clerk).json()
    assert [c["case_number"] for c in mine] == [number]
    assert mine[0]["phone"] != "13800001234"  # masked


def test_list_mine_sorted_by_deadline(client: TestClient) -> None:
    clerk = login(client, *WINDOW_CLERK)
    quick = client.post(
        "/api/cases",
        json=open_body(item_code="410122-RS-001", materials={"M1": "received", "M2": "received"}),
        headers=clerk,
    ).json()
    slow = client.post("/api/cases", json=open_body(), headers=clerk).json()
    client.post(f"/api/cases/{slow['case_number']}/actions/accept", json={}, headers=clerk)
    client.post(f"/api/cases/{quick['case_number']}/actions/accept", json={}, headers=clerk)
    mine = client.get("/api/cases?mine=1", headers=clerk).json()
    assert [c["case_number"] for c in mine] == [quick["case_number"], slow["case_number"]]
    assert mine[0]["due_on"] <= mine[1]["due_on"]


def test_unknown_item_is_404_and_nothing_changes(client: TestClient, station: Station) -> None:
    clerk = login(client, *WINDOW_CLERK)
    before = fingerprint(station.services.db)
    r = client.post("/api/cases", json=open_body(item_code="NO-SUCH-ITEM"), headers=clerk)
    assert r.status_code == 404 and "找不到事项" in r.text
    assert fingerprint(station.services.db) == before


def test_missing_applicant_id_is_400(client: TestClient, station: Station) -> None:
    clerk = login(client, *WINDOW_CLERK)
    before = fingerprint(station.services.db)
    r = client.post(
        "/api/cases", json=open_body(applicant=applicant(id_number="  ")), headers=clerk
    )
    assert r.status_code == 400 and "申请人证件号码" in r.text
    assert fingerprint(station.services.db) == before


def test_illegal_decision_is_409_listing_legal_actions(
    client: TestClient, station: Station
) -> None:
    clerk = login(client, *WINDOW_CLERK)
    number = client.post("/api/cases", json=open_body(), headers=clerk).json()["case_number"]
    assert (
        client.post(f"/api/cases/{number}/actions/accept", json={}, headers=clerk).status_code
        == 201
    )
    before = fingerprint(station.services.db)
    r = client.post(
        f"/api/cases/{number}/actions/refuse", json={"reason": "不符合条件"}, headers=clerk
    )
    assert r.status_code == 409, r.text
    assert "不能不予受理" in r.text and "可进行的操作" in r.text
    assert fingerprint(station.services.db) == before


def test_tolerant_with_main_material_missing_is_refused(
    client: TestClient, station: Station
) -> None:
    clerk = login(client, *WINDOW_CLERK)
    marks = {"M1": "missing", "M2": "received", "M3": "missing", "M4": "received"}
    number = client.post("/api/cases", json=open_body(materials=marks), headers=clerk).json()[
        "case_number"
    ]
    before = fingerprint(station.services.db)
    body = {"deadline": "2026-12-01", "signed_by": "张桂兰"}
    r = client.post(f"/api/cases/{number}/actions/accept_tolerant", json=body, headers=clerk)
    assert r.status_code in (400, 409), r.text
    assert "主要申请材料不齐全" in r.text and "居民身份证" in r.text
    assert fingerprint(station.services.db) == before


def test_tolerant_when_only_tolerable_material_missing_is_accepted(client: TestClient) -> None:
    clerk = login(client, *WINDOW_CLERK)
    marks = {**ALL_RECEIVED, "M3": "missing"}
    number = client.post("/api/cases", json=open_body(materials=marks), headers=clerk).json()[
        "case_number"
    ]
    body = {"deadline": "2026-12-01", "signed_by": "张桂兰"}
    r = client.post(f"/api/cases/{number}/actions/accept_tolerant", json=body, headers=clerk)
    assert r.status_code == 201, r.text
    assert r.json()["notices"] == ["tolerant", "acceptance"]
    assert client.get(f"/api/cases/{number}", headers=clerk).json()["state"] == "tolerant_accepted"


def test_missing_command_field_and_unknown_action(client: TestClient, station: Station) -> None:
    clerk = login(client, *WINDOW_CLERK)
    number = client.post("/api/cases", json=open_body(), headers=clerk).json()["case_number"]
    before = fingerprint(station.services.db)
    r = client.post(f"/api/cases/{number}/actions/request_correction", json={}, headers=clerk)
    assert r.status_code == 400 and "缺少必填项" in r.text
    r = client.post(f"/api/cases/{number}/actions/fly", json={}, headers=clerk)
    assert r.status_code == 404 and "没有名为" in r.text
    r = client.post("/api/cases/YZ0001-20261123-0999/actions/accept", json={}, headers=clerk)
    assert r.status_code == 404 and "找不到办件" in r.text
    assert fingerprint(station.services.db) == before


def test_staff_cannot_take_the_system_auto_accept(client: TestClient, station: Station) -> None:
    """R-K2: 视为受理 is the sweep's, after the acceptance deadline; staff get a 403/409."""
    clerk = login(client, *WINDOW_CLERK)
    number = client.post("/api/cases", json=open_body(), headers=clerk).json()["case_number"]
    before = fingerprint(station.services.db)
    r = client.post(f"/api/cases/{number}/actions/auto_accept", json={"reason": "x"}, headers=clerk)
    assert r.status_code in (403, 409), r.text
    assert "由系统" in r.text and "不能手动操作" in r.text
    assert fingerprint(station.services.db) == before
