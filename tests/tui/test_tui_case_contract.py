"""The staff terminal speaks the case API through its typed contract (R-K1–R-K2): the
requests it sends are ``appliance.cases.schemas`` types on the wire, and an answer that
does not fit its type is refused rather than half-read."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import httpx
import msgspec
import pytest

from appliance.cases.rules.materials import MaterialStatus, SpecialProcedure
from appliance.cases.schemas import (
    AgentIn,
    ApplicantIn,
    CaseActionIn,
    MarkIn,
    OpenCaseIn,
    PickupIn,
)
from tui.api_client import StationApi
from tui.case_forms import ACTION_FIELDS, DELIVERY_FIELDS, FormError, action_request, build_body


def recording_api(answer: Any) -> tuple[StationApi, list[tuple[str, Any]]]:
    """A client whose station answers ``answer`` to everything and records each request."""
    sent: list[tuple[str, Any]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append((request.url.path, json.loads(request.content) if request.content else None))
        return httpx.Response(201, json=answer)

    return StationApi("http://station", transport=httpx.MockTransport(handler)), sent


async def test_intake_request_is_the_wire_shape_r_k1() -> None:
    api, sent = recording_api({"case_number": 5})
    body = OpenCaseIn(
        item_code="410122-MZ-001",
        applicant=ApplicantIn(
            name="张桂兰",
            id_number="410122194001080021",
            phone="13800001234",
            agent=AgentIn(name="李小四", id_number="410122197912290031"),
        ),
        materials={
            "M1": MaterialStatus.RECEIVED,
            "M4": MarkIn(status=MaterialStatus.DEFECTIVE, note="未签字"),
        },
        ticket_id="t-1",
    )
    try:
        with pytest.raises(msgspec.ValidationError):  # the answer is no CaseDetail
            await api.open_case(body)
    finally:
        await api.aclose()
    assert sent == [
        (
            "/api/cases",
            {
                "item_code": "410122-MZ-001",
                "applicant": {
                    "name": "张桂兰",
                    "id_number": "410122194001080021",
                    "phone": "13800001234",
                    "agent": {"name": "李小四", "id_number": "410122197912290031"},
                },
                "materials": {"M1": "received", "M4": {"status": "defective", "note": "未签字"}},
                "ticket_id": "t-1",
            },
        )
    ]


async def test_decision_request_is_the_wire_shape_r_k2() -> None:
    api, sent = recording_api({})
    try:
        with pytest.raises(msgspec.ValidationError):
            await api.case_action(
                "YZ0001-20261123-0001",
                "deliver",
                CaseActionIn(delivery=PickupIn(collector_name="张桂兰", collector_id="X")),
            )
        with pytest.raises(msgspec.ValidationError):
            await api.case_action(
                "YZ0001-20261123-0001",
                "request_correction",
                CaseActionIn(deadline=date(2026, 12, 7)),
            )
    finally:
        await api.aclose()
    assert sent == [
        (
            "/api/cases/YZ0001-20261123-0001/actions/deliver",
            {"delivery": {"method": "pickup", "collector_name": "张桂兰", "collector_id": "X"}},
        ),
        ("/api/cases/YZ0001-20261123-0001/actions/request_correction", {"deadline": "2026-12-07"}),
    ]


def test_forms_make_typed_requests_r_k2() -> None:
    """Every decision form's fields are fields of ``CaseActionIn``; typed values come out."""
    for action, fields in ACTION_FIELDS.items():
        for f in fields:
            assert f.key.split(".")[0] in CaseActionIn.__struct_fields__, (action, f.key)
    fields = ACTION_FIELDS["request_correction"]
    request = action_request(build_body(fields, {"deadline": "2026年12月7日"}))
    assert request.deadline == date(2026, 12, 7)
    start = action_request(
        build_body(ACTION_FIELDS["start_special"], {"procedure": "hearing", "reason": "需听证"})
    )
    assert start.procedure is SpecialProcedure.HEARING
    pickup = build_body(
        DELIVERY_FIELDS["pickup"],
        {"collector_name": "张桂兰", "collector_id": "X", "signature_ref": "QS-1"},
    )
    delivered = action_request({"delivery": {"method": "pickup", **pickup}})
    assert isinstance(delivered.delivery, PickupIn) and delivered.delivery.signature_ref == "QS-1"
    with pytest.raises(FormError) as refused:
        action_request({"days": "很多"})
    assert refused.value.message == "填写的内容格式不正确，请检查后重试"
