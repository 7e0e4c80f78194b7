"""Intake checks ID numbers, phones and control characters (R-K1, R-I3; defect 5).

Each refusal is a 400 in Chinese that names the field and what is wrong, and writes
nothing: no case, no notice, no print job.
"""

from __future__ import annotations

from typing import Any

import pytest
from litestar.testing import TestClient

from tests.cases.notice_support import AGED, ALL_AGED, Desk, applicant
from tests.support.fingerprint import fingerprint
from tests.support.station import Station


@pytest.fixture
def desk(client: TestClient, station: Station) -> Desk:
    return Desk(client, station)


def post(desk: Desk, **patch: Any) -> Any:
    body = {"item_code": AGED, "applicant": {**applicant(), **patch}, "materials": ALL_AGED}
    return desk.client.post("/api/cases", json=body, headers=desk.headers)


@pytest.mark.parametrize(
    ("patch", "words"),
    [
        ({"id_number": "41012219400108002\U0001f600"}, ["申请人证件号码", "字母、数字"]),
        ({"id_number": "41012219400108\x0021"}, ["申请人证件号码", "字母、数字"]),
        ({"id_number": "410122194001010021"}, ["申请人证件号码", "校验位"]),
        ({"id_number": "41012219400108"}, ["申请人证件号码", "18 位"]),
        ({"phone": "1" * 10_000}, ["联系电话", "最多 20 个字"]),
        ({"phone": "\U0001f4de\U0001f4de"}, ["联系电话", "11 位手机号码"]),
        ({"phone": 13800001234}, ["联系电话", "应为文字"]),
        ({"phone": "0371-6000001"}, ["联系电话", "11 位手机号码"]),
        ({"name": "张\x00三"}, ["申请人名称", "控制字符"]),
        ({"name": "张三\n"}, ["申请人名称", "控制字符"]),
        ({"name": "\u202e三张"}, ["申请人名称", "控制字符"]),
        ({"id_type": "driving_licence"}, ["申请人证件类型", "可选"]),
    ],
)
def test_bad_applicant_fields_are_refused_in_chinese_and_nothing_is_written_r_k1(
    desk: Desk, patch: dict[str, Any], words: list[str]
) -> None:
    before = fingerprint(desk.station.services.db)
    r = post(desk, **patch)
    assert r.status_code == 400, r.text
    message = r.json()["message"]
    assert all(w in message for w in words), message
    assert fingerprint(desk.station.services.db) == before


def test_the_agents_id_is_checked_too_r_k1(desk: Desk) -> None:
    agent = {"name": "李小四", "id_number": "410122197912290032"}
    r = post(desk, agent=agent)
    assert r.status_code == 400 and "代理人证件号码" in r.json()["message"]
    r = post(desk, agent={**agent, "id_type": "passport", "id_number": "E12345678"})
    assert r.status_code == 201, r.text
    assert r.json()["applicant"]["agent"]["id_type"] == "passport"


def test_documents_that_are_not_resident_ids_by_the_clerks_choice_r_k1(desk: Desk) -> None:
    r = post(desk, id_type="passport", id_number="e12345678")
    assert r.status_code == 201, r.text
    assert r.json()["applicant"]["id_number"] == "E12345678"  # normalised
    assert r.json()["applicant"]["id_type"] == "passport"
    r = post(desk, id_type="hmt_permit", id_number="H12345678")
    assert r.status_code == 201, r.text
    r = post(desk, id_type="other", id_number="X")
    assert r.status_code == 400 and "4–32" in r.json()["message"]


def test_an_organisation_gives_its_credit_code_r_k1(desk: Desk) -> None:
    org = {"kind": "organisation", "name": "示范村股份经济合作社"}
    r = post(desk, **org, id_number="914403001922038216")
    assert r.status_code == 201, r.text
    assert r.json()["applicant"]["id_type"] == "uscc"
    r = post(desk, **org, id_number="914403001922038217")
    assert r.status_code == 400 and "统一社会信用代码" in r.json()["message"]


def test_an_applicant_without_a_phone_says_so_r_k1(desk: Desk) -> None:
    assert post(desk, phone="无").status_code == 201
    r = post(desk, phone="")
    assert r.status_code == 400 and "联系电话" in r.json()["message"]
