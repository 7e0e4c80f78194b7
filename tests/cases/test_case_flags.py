"""容缺失信 (R-K2; XC 容缺受理: 不再适用容缺办理; GD 5.7.3): a lapsed commitment follows the applicant."""

from __future__ import annotations

from datetime import timedelta

from litestar.testing import TestClient
from sqlalchemy import text

from tests.cases.test_cases_api import ALL_RECEIVED, open_body
from tests.support.fingerprint import fingerprint
from tests.support.station import WINDOW_CLERK, Station, login

TOLERANT = {**ALL_RECEIVED, "M3": "missing"}  # M3 may be missing under 容缺


def _tolerant_case(client: TestClient, clerk: dict[str, str]) -> str:
    number = client.post("/api/cases", json=open_body(materials=TOLERANT), headers=clerk).json()[
        "case_number"
    ]
    r = client.post(
        f"/api/cases/{number}/actions/accept_tolerant",
        json={"deadline": "2026-11-27", "signed_by": "张桂兰"},
        headers=clerk,
    )
    assert r.status_code == 201, r.text
    return number


def test_lapse_records_the_applicant_and_bars_tolerant_acceptance(
    client: TestClient, station: Station
) -> None:
    clerk = login(client, *WINDOW_CLERK)
    first = _tolerant_case(client, clerk)
    station.clock.advance(days=7)  # past the 11-27 commitment deadline
    clerk = login(client, *WINDOW_CLERK)  # a new working day, a new session
    r = client.post(
        f"/api/cases/{first}/actions/lapse", json={"reason": "逾期未补齐"}, headers=clerk
    )
    assert r.status_code == 201, r.text
    with station.services.db.read() as s:
        rows = s.execute(text("SELECT id_number, case_number FROM tolerant_default")).all()
    assert rows == [("410122194001080021", first)]

    second = client.post("/api/cases", json=open_body(materials=TOLERANT), headers=clerk).json()
    assert second["applicant_flags"] and first in second["applicant_flags"][0]
    assert "accept_tolerant" not in {a["action"] for a in second["legal_actions"]}
    before = fingerprint(station.services.db)
    r = client.post(
        f"/api/cases/{second['case_number']}/actions/accept_tolerant",
        json={"deadline": "2026-12-10", "signed_by": "张桂兰"},
        headers=clerk,
    )
    assert r.status_code == 409, r.text  # like every other decision not open now
    assert "不再适用容缺受理" in r.text and first in r.text
    assert fingerprint(station.services.db) == before
    # the ordinary ways stay open: a correction notice for the missing material
    r = client.post(
        f"/api/cases/{second['case_number']}/actions/request_correction",
        json={"deadline": "2026-12-10"},
        headers=clerk,
    )
    assert r.status_code == 201, r.text


def test_another_applicant_is_not_affected(client: TestClient, station: Station) -> None:
    clerk = login(client, *WINDOW_CLERK)
    first = _tolerant_case(client, clerk)
    station.clock.advance(days=7)
    clerk = login(client, *WINDOW_CLERK)
    client.post(f"/api/cases/{first}/actions/lapse", json={"reason": "逾期未补齐"}, headers=clerk)
    other = open_body(materials=TOLERANT)
    other["applicant"] = {**other["applicant"], "name": "王大军", "id_number": "410122195503050513"}
    number = client.post("/api/cases", json=other, headers=clerk).json()["case_number"]
    deadline = (station.clock.now() + timedelta(days=10)).date().isoformat()
    r = client.post(
        f"/api/cases/{number}/actions/accept_tolerant",
        json={"deadline": deadline, "signed_by": "王大军"},
        headers=clerk,
    )
    assert r.status_code == 201, r.text
    assert r.json()["case"]["applicant_flags"] == []
