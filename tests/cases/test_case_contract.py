"""The case API's one typed contract (R-K1–R-K7): ``appliance.cases.schemas``.

A body of the wrong shape is refused by its type with a 400 a clerk can act on (the field
in Chinese and what it should be) and nothing changes; the answers keep their field
names and decode into the very types the staff terminal uses; the wire types stay pure.
"""

from __future__ import annotations

import ast
import dataclasses
import re
from pathlib import Path
from typing import Any

import msgspec
import pytest
from litestar.testing import TestClient

from appliance.cases.rules.commands import COMMANDS
from appliance.cases.schemas import CaseActionIn, CaseDetail, CaseNoticeView, CaseSummary
from appliance.cases.service.cases import CaseService
from appliance.core.errors import Invalid
from tests.cases.test_cases_api import applicant, open_body
from tests.support.fingerprint import fingerprint
from tests.support.station import WINDOW_CLERK, Station, login

ROOT = Path(__file__).resolve().parents[2]
CJK = re.compile(r"[\u4e00-\u9fff]")

OPEN_CASES: list[tuple[Any, str]] = [
    (open_body(item_code=5), "格式不正确：事项编码（应为文字）"),
    (open_body(applicant=applicant(agent={"name": 7})), "代理人姓名（应为文字）"),
    (open_body(channel="fax"), "收件渠道（“fax”不是可选的值，可选：counter、online、post）"),
    (open_body(materials={"M1": "lost"}), "可选：received、missing、defective"),
    (open_body(materials={"M1": {"note": "模糊"}}), "缺少必填项：材料收取状态"),
    (open_body(other_place={"place": "郑州市"}), "缺少必填项：异地办件类型"),
    ({"item_code": "410122-MZ-001"}, "缺少必填项：申请人"),
    (["not", "an", "object"], "请求内容应为 JSON 对象"),
]


@pytest.mark.parametrize(("body", "message"), OPEN_CASES)
def test_intake_of_the_wrong_shape_is_a_400_in_chinese_r_k1(
    client: TestClient, station: Station, body: Any, message: str
) -> None:
    clerk = login(client, *WINDOW_CLERK)
    before = fingerprint(station.services.db)
    r = client.post("/api/cases", json=body, headers=clerk)
    assert r.status_code == 400, r.text
    assert message in r.json()["message"]
    assert fingerprint(station.services.db) == before


ACTION_CASES: list[tuple[str, dict[str, Any], str]] = [
    ("request_correction", {"deadline": "2026-13-01"}, "期限（应为日期，如 2026-12-07）"),
    ("request_correction", {"deadline": 20261207}, "期限（应为日期"),
    ("extend", {"days": "五", "reason": "核实"}, "延期天数（应为整数）"),
    ("extend", {"days": True, "reason": "核实"}, "延期天数（应为整数）"),
    ("deliver", {"delivery": {"method": "drone"}}, "可选：pickup、mail、electronic"),
    ("deliver", {"delivery": {"address": "幸福路"}}, "缺少必填项：送达方式"),
    ("start_special", {"procedure": "magic", "reason": "x"}, "特别程序（“magic”不是可选的值"),
    ("forward", {"to_body": "县民政局", "materials": "M1"}, "材料（应为列表）"),
    ("accept_commitment", {"commitment": {"signed_by": 7}}, "承诺人签名（应为文字）"),
    ("refuse", {"reason": ["不符合条件"]}, "格式不正确：原因（应为文字）"),
]


@pytest.mark.parametrize(("action", "body", "message"), ACTION_CASES)
def test_decision_with_a_wrong_type_is_a_400_and_the_case_is_unchanged_r_k2(
    client: TestClient, station: Station, action: str, body: dict[str, Any], message: str
) -> None:
    clerk = login(client, *WINDOW_CLERK)
    number = client.post("/api/cases", json=open_body(), headers=clerk).json()["case_number"]
    before = fingerprint(station.services.db)
    case_before = client.get(f"/api/cases/{number}", headers=clerk).json()
    r = client.post(f"/api/cases/{number}/actions/{action}", json=body, headers=clerk)
    assert r.status_code == 400, r.text
    assert CJK.search(r.json()["message"]) and message in r.json()["message"], r.text
    assert fingerprint(station.services.db) == before
    assert client.get(f"/api/cases/{number}", headers=clerk).json() == case_before


def test_in_process_bodies_take_the_same_typed_path_r_k2(station: Station) -> None:
    """The demo and the benches hand the service plain mappings: they are checked as a
    request would be, before anything is written."""
    services = station.services
    service = CaseService(services.db, services.settings, services.clock)
    before = fingerprint(services.db)
    with pytest.raises(Invalid) as refused:
        service.open({**open_body(), "channel": "fax"}, "no-staff", "ck01")
    assert refused.value.status == 400 and "请求内容格式不正确" in refused.value.message
    assert fingerprint(services.db) == before


def test_every_command_field_is_a_field_of_the_action_request_r_k2() -> None:
    """``CaseActionIn`` carries every field some command reads, under the command's name."""
    request_fields = set(CaseActionIn.__struct_fields__)
    for action, command in COMMANDS.items():
        names = {f.name for f in dataclasses.fields(command) if f.init}
        assert names <= request_fields, (action, names - request_fields)


DETAIL_KEYS = {
    "case_number",
    "item_code",
    "item_name",
    "state",
    "state_label",
    "channel",
    "applicant",
    "materials",
    "received_on",
    "accepted_on",
    "due_on",
    "due_provisional",
    "ticket_id",
    "timeline",
    "legal_actions",
    "applicant_flags",
    "open_duplicates",
    "other_place",
}
SUMMARY_KEYS = {
    "case_number",
    "item_code",
    "item_name",
    "state",
    "state_label",
    "applicant_name",
    "phone",
    "due_on",
    "due_provisional",
    "created_at",
    "due_status",
    "due_status_label",
    "working_days_left",
    "urgency",
}


def test_answers_keep_their_fields_and_decode_into_the_shared_types_r_k1_r_k3(
    client: TestClient,
) -> None:
    clerk = login(client, *WINDOW_CLERK)
    body = open_body(
        applicant=applicant(agent={"name": "李小四", "id_number": "410122197912290031"}),
        other_place={"kind": "collect", "place": "郑州市金水区"},
    )
    opened = client.post("/api/cases", json=body, headers=clerk).json()
    number = opened["case_number"]
    step = client.post(f"/api/cases/{number}/actions/accept", json={}, headers=clerk).json()
    assert set(step) == {"case", "notices", "print_job_ids", "sms_queued"}
    detail = step["case"]
    assert set(detail) == DETAIL_KEYS
    assert set(detail["applicant"]) == {"kind", "name", "id_number", "id_type", "phone", "agent"}
    assert detail["applicant"]["id_type"] == "resident_id"
    assert detail["applicant"]["agent"] == {
        "name": "李小四",
        "id_number": "410122197912290031",
        "id_type": "resident_id",
        "phone": "",
    }
    assert detail["other_place"] == {"kind": "collect", "label": "代收", "place": "郑州市金水区"}
    assert set(detail["materials"][0]) == {
        "code",
        "name",
        "required",
        "tolerable",
        "status",
        "status_label",
        "note",
    }
    assert set(detail["timeline"][0]) == {
        "seq",
        "action",
        "action_label",
        "from_state",
        "to_state",
        "who",
        "at",
        "why",
        "details",
    }
    assert set(detail["legal_actions"][0]) == {"action", "label"}
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", detail["due_on"])

    # The terminal decodes the answers into the very types the server built them from.
    case = msgspec.convert(client.get(f"/api/cases/{number}", headers=clerk).json(), CaseDetail)
    assert case.applicant.agent is not None and case.applicant.agent.name == "李小四"
    assert case.due_on is not None and case.due_on.isoformat() == detail["due_on"]
    mine = client.get("/api/cases?mine=1", headers=clerk).json()
    assert set(mine[0]) == SUMMARY_KEYS
    assert msgspec.convert(mine, list[CaseSummary])[0].case_number == number
    notices = client.get(f"/api/cases/{number}/notices", headers=clerk).json()
    assert {n.kind for n in msgspec.convert(notices, list[CaseNoticeView])} == {
        "receipt",
        "acceptance",
    }


ALLOWED_ROOTS = ("msgspec", "appliance.cases.rules", "appliance.core")


@pytest.mark.parametrize("path", ["appliance/cases/schemas.py", "appliance/catalogue/schemas.py"])
def test_wire_types_are_pure(path: str) -> None:
    """Wire types import only stdlib, msgspec, the case rules and the core (no storage,
    no HTTP, no service): the staff terminal imports them."""
    tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        else:
            continue
        for name in names:
            root = name.split(".")[0]
            assert (
                name == "__future__"
                or name.startswith(ALLOWED_ROOTS)
                or root in {"datetime", "typing", "enum", "collections"}
            ), f"{path} imports {name}"
