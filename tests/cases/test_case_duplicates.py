"""重复申请 (issue 16, item 6; R-K1): intake answers with the applicant's other open case of the
same item; another item, another applicant or a finished case is not a duplicate."""

from __future__ import annotations

import pytest
from litestar.testing import TestClient

from tests.cases.notice_support import AGED, ALL_AGED, REMOTE_CARE, Desk, applicant
from tests.support.station import Station


@pytest.fixture
def desk(client: TestClient, station: Station) -> Desk:
    return Desk(client, station)


def intake(desk: Desk, item: str = AGED, **who: str) -> dict[str, object]:
    body = {
        "item_code": item,
        "applicant": {**applicant(), **who},
        "materials": ALL_AGED if item == AGED else {"M1": "received"},
    }
    r = desk.client.post("/api/cases", json=body, headers=desk.headers)
    assert r.status_code == 201, r.text
    answer: dict[str, object] = r.json()
    return answer


def test_intake_warns_of_an_open_application_r_k1(desk: Desk) -> None:
    first = intake(desk)
    assert first["open_duplicates"] == []
    number = str(first["case_number"])
    desk.act(number, "accept")
    second = intake(desk)
    assert second["open_duplicates"] == [f"{number}（受理，2026-11-23 收件，办结期限 2026-12-14）"]
    shown = desk.client.get(f"/api/cases/{number}", headers=desk.headers).json()
    assert shown["open_duplicates"] == [
        f"{second['case_number']}（收件，2026-11-23 收件，受理期限 2026-11-30）"
    ]


def test_no_warning_for_other_items_people_or_finished_cases_r_k1(desk: Desk) -> None:
    number = str(intake(desk)["case_number"])
    assert intake(desk, id_number="410122195003070016", name="李秀兰")["open_duplicates"] == []
    assert intake(desk, REMOTE_CARE)["open_duplicates"] == []
    desk.act(number, "refuse", reason="不符合条件")
    third = intake(desk)
    assert number not in str(third["open_duplicates"])
