"""Every text field at its longest still lays out on the notices (R-K1, R-K2, R-I3).

The text types of ``appliance.core.text`` bound each field; these flows fill every field of
intake and of each decision to its bound and check that each step answers 201 with its
notices rendered (a 10,000-character name used to end in reportlab's LayoutError, a 500),
and that one character more is a 400 in Chinese naming the field and the limit.
"""

from __future__ import annotations

from typing import Any

import pytest
from litestar.testing import TestClient

from appliance.core.text import LONG_MAX, NAME_MAX, SHORT_MAX, TEXT_MAX
from tests.cases.notice_support import AGED, ALL_AGED, DISABLED, REMOTE_CARE, Desk, applicant
from tests.support.station import Station

# Wide characters wrap worst; a long run without spaces tests breaking anywhere.
NAME = "欧阳" + "国" * (NAME_MAX - 2)
SHORT = "县" * (SHORT_MAX - 10) + "ABCDEFGHIJ"
TEXT = "理" * (TEXT_MAX - 20) + "\n" + "由" * 19
LONG = ("法" * 79 + "\n") * (LONG_MAX // 80)


@pytest.fixture
def desk(client: TestClient, station: Station) -> Desk:
    return Desk(client, station)


def longest_applicant() -> dict[str, Any]:
    return {
        **applicant(),
        "name": NAME,
        "agent": {"name": NAME, "id_number": "410122197912290031", "phone": "13900005678"},
    }


def open_longest(
    desk: Desk, item: str = AGED, marks: dict[str, Any] | None = None, elsewhere: bool = True
) -> str:
    """A case with every intake field at its longest (异地办件 too unless ``elsewhere`` is
    off: a case decided elsewhere has no local outcome)."""
    other = {"other_place": {"kind": "collect", "place": SHORT}} if elsewhere else {}
    return desk.open(item, materials=marks or ALL_AGED, applicant=longest_applicant(), **other)


def defective(count: int) -> dict[str, Any]:
    return {f"M{i}": {"status": "defective", "note": SHORT} for i in range(1, count + 1)}


def test_intake_and_correction_at_their_longest_r_k1_r_k2(desk: Desk) -> None:
    number = open_longest(desk, DISABLED, defective(6))
    step = desk.act(number, "request_correction", deadline="2026-12-07", reason=TEXT)
    assert step["notices"] == ["correction"]
    number = open_longest(desk)
    desk.act(number, "refuse", reason=TEXT)


def test_commitments_at_their_longest_r_k2(desk: Desk) -> None:
    number = open_longest(desk, marks={**ALL_AGED, "M3": "missing"})
    desk.act(number, "accept_tolerant", deadline="2026-12-04", signed_by=NAME)
    number = open_longest(desk, REMOTE_CARE, {"M1": "received", "M2": "received"})
    commitment = {k: LONG for k in ("legal_basis", "conditions", "services", "verification")}
    step = desk.act(number, "accept_commitment", commitment={**commitment, "signed_by": NAME})
    assert step["notices"] == ["commitment", "acceptance"]


def test_handover_extension_and_outcomes_at_their_longest_r_k3_r_k4_r_k5(desk: Desk) -> None:
    number = open_longest(desk, DISABLED, {f"M{i}": "received" for i in range(1, 7)})
    desk.act(number, "accept")
    materials = [f"M{i}" for i in range(1, 7)]
    desk.act(number, "forward", to_body=SHORT, received_by=NAME, materials=materials, note=TEXT)
    number = open_longest(desk, elsewhere=False)
    desk.act(number, "accept")
    desk.act(number, "extend", as_head=True, days=10, reason=TEXT)
    desk.act(number, "reject", reason=TEXT, decided_by=SHORT, contact=SHORT)
    desk.act(number, "notify_pickup", arrived_on="2026-11-23")
    number = open_longest(desk, elsewhere=False)
    desk.act(number, "accept")
    desk.act(number, "approve", decided_by=SHORT, document_no=SHORT)
    desk.act(number, "notify_pickup", arrived_on="2026-11-23")
    pickup = {
        "method": "pickup",
        "collector_name": NAME,
        "collector_id": "A" * 32,
        "signature_ref": SHORT,
    }
    desk.act(number, "deliver", delivery=pickup)


@pytest.mark.parametrize(
    ("patch", "label", "limit"),
    [
        ({"name": "张" * (NAME_MAX + 1)}, "申请人名称", f"最多 {NAME_MAX} 个字"),
        ({"name": "张" * 10_000}, "申请人名称", f"最多 {NAME_MAX} 个字"),
        ({"id_number": "4" * 10_000}, "申请人证件号码", "最多 32 个字"),
        ({"phone": "1" * 10_000}, "联系电话", "最多 20 个字"),
    ],
)
def test_one_character_too_many_is_a_400_naming_the_field_r_i3(
    desk: Desk, patch: dict[str, str], label: str, limit: str
) -> None:
    body = {"item_code": AGED, "applicant": {**applicant(), **patch}, "materials": ALL_AGED}
    r = desk.client.post("/api/cases", json=body, headers=desk.headers)
    assert r.status_code == 400, r.text
    assert label in r.json()["message"] and limit in r.json()["message"]
