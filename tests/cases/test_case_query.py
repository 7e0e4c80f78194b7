"""Public progress query (办件进度查询, R-K7): the check, masking, no enumeration, limits."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import TestClient

from appliance.cases.schemas import CaseQueryIn
from appliance.core.clock import FrozenClock
from appliance.core.errors import NotFound
from appliance.core.rate_limit import FailureLimit, FailureLimiter
from appliance.http.app import create_app
from tests.support.station import T0, WINDOW_CLERK, Station, login, make_station

ITEM = "410122-MZ-001"  # 高龄津贴申请: 承诺件, 15 working days
ALL_RECEIVED = {"M1": "received", "M2": "received", "M3": "received", "M4": "received"}
APPLICANT_ID = "410122194001080021"
APPLICANT_PHONE = "13800001234"
AGENT_ID = "410122198501280036"
AGENT_PHONE = "13900005678"
API = "/api/public/case-query"
NOT_FOUND = "未找到该办件，请核对办件编号和手机号后4位"
MOBILE_RE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
ID_NUMBER_RE = re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)")


def new_case(client: TestClient, clerk: dict[str, str], **applicant: Any) -> str:
    body = {
        "item_code": ITEM,
        "materials": ALL_RECEIVED,
        "applicant": {
            "kind": "person",
            "name": "张桂兰",
            "id_number": APPLICANT_ID,
            "phone": APPLICANT_PHONE,
            **applicant,
        },
    }
    r = client.post("/api/cases", json=body, headers=clerk)
    assert r.status_code == 201, r.text
    number: str = r.json()["case_number"]
    return number


def act(client: TestClient, clerk: dict[str, str], number: str, action: str, **body: Any) -> None:
    r = client.post(f"/api/cases/{number}/actions/{action}", json=body, headers=clerk)
    assert r.status_code == 201, r.text


def ask(client: TestClient, number: str, last4: str) -> Any:
    return client.post(API, json={"case_number": number, "phone_last4": last4})


@pytest.fixture
def clerk(client: TestClient) -> dict[str, str]:
    return login(client, *WINDOW_CLERK)


def test_happy_path_masked_progress_with_pickup_r_k7(
    client: TestClient, clerk: dict[str, str]
) -> None:
    agent = {"name": "李四平", "id_number": AGENT_ID, "phone": AGENT_PHONE}
    number = new_case(client, clerk, agent=agent)
    act(client, clerk, number, "accept")
    act(client, clerk, number, "approve", decided_by="县民政局", document_no="民〔2026〕12号")
    act(client, clerk, number, "notify_pickup", arrived_on="2026-11-23")

    r = ask(client, number.lower(), "1234")  # typed in lower case: forgiven
    assert r.status_code == 200, r.text
    assert r.headers["cache-control"] == "no-store"
    v = r.json()
    assert v["case_number"] == number and v["item_name"] == "高龄津贴申请"
    assert v["applicant_name"] == "张*兰" and v["agent_name"] == "李*平"
    assert v["state"] == "ready_for_pickup" and v["state_label"] == "待取件"
    assert v["received_on"] == "2026-11-23" and v["accepted_on"] == "2026-11-23"
    assert v["due_on"] == "2026-12-14" and v["due_provisional"] is False
    assert v["overdue"] is False and v["due_status_label"] == "按时办结"
    assert v["outcome_title"] == "待取件"
    assert any("请携带申请人身份证件到窗口领取" in line for line in v["outcome_lines"])
    assert "办理结果：准予（文号：民〔2026〕12号）" in v["outcome_lines"]
    assert [(s["label"], s["state_label"]) for s in v["steps"]] == [
        ("收件", "收件"),
        ("受理", "受理"),
        ("准予办结", "已办结-准予"),
        ("取件通知", "待取件"),
    ]
    assert v["steps"][0]["at"] == "2026-11-23 09:00"  # station time, not UTC
    assert v["steps"][2]["note"] == "决定机关：县民政局"

    # Nothing that identifies a person beyond the masked names: no ID, no phone, no staff.
    text = r.text
    for secret in (
        APPLICANT_ID,
        AGENT_ID,
        APPLICANT_PHONE,
        AGENT_PHONE,
        "张桂兰",
        "李四平",
        "王秀英",
        "ck01",
        "1234",
        "5678",
    ):
        assert secret not in text, secret
    assert not MOBILE_RE.search(text) and not ID_NUMBER_RE.search(text)
    assert "who" not in v["steps"][1] and "id_number" not in text


def test_check_is_the_applicants_phone_not_the_agents_r_k7(
    client: TestClient, clerk: dict[str, str]
) -> None:
    number = new_case(
        client, clerk, agent={"name": "李四平", "id_number": AGENT_ID, "phone": AGENT_PHONE}
    )
    assert ask(client, number, "5678").status_code == 404
    assert ask(client, number, "1234").status_code == 200


def test_agents_phone_when_the_applicant_left_none_r_k7(
    client: TestClient, clerk: dict[str, str]
) -> None:
    with_agent = new_case(
        client,
        clerk,
        phone="无",
        agent={"name": "李四平", "id_number": AGENT_ID, "phone": AGENT_PHONE},
    )
    assert ask(client, with_agent, "5678").status_code == 200
    # No phone at all: nothing can open it, and the answer is the plain 404.
    nobody = new_case(client, clerk, phone="无")
    for digits in ("0000", "1234", "5678"):
        r = ask(client, nobody, digits)
        assert r.status_code == 404 and r.json()["message"] == NOT_FOUND


def test_unknown_number_and_wrong_digits_look_the_same_r_k7(
    client: TestClient, clerk: dict[str, str]
) -> None:
    number = new_case(client, clerk)
    wrong_digits = ask(client, number, "4321")
    unknown = ask(client, "YZ0001-20261123-0999", "1234")
    assert wrong_digits.status_code == unknown.status_code == 404
    assert wrong_digits.content == unknown.content
    assert wrong_digits.json() == {"error": "case_not_found", "message": NOT_FOUND, "status": 404}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"phone_last4": "1234"}, "请输入办件编号"),
        ({"case_number": "  ", "phone_last4": "1234"}, "请输入办件编号"),
        ({"case_number": "ABC", "phone_last4": "1234"}, "格式不正确"),
        ({"case_number": "YZ0001-20261340-0001", "phone_last4": "1234"}, "日期无效"),
        ({"case_number": "D" * 41, "phone_last4": "1234"}, "办件编号过长"),
        ({"case_number": "YZ0001-20261123-0001"}, "请输入手机号后4位"),
        ({"case_number": "YZ0001-20261123-0001", "phone_last4": "123"}, "应为4位数字"),
        ({"case_number": "YZ0001-20261123-0001", "phone_last4": "12345"}, "应为4位数字"),
        ({"case_number": "YZ0001-20261123-0001", "phone_last4": "12a4"}, "应为4位数字"),
        ({"case_number": ["YZ0001-20261123-0001"], "phone_last4": "1234"}, "应为文字"),
        ({"case_number": "YZ0001-20261123-0001", "phone_last4": True}, "应为文字"),
    ],
)
def test_bad_input_is_a_400_in_chinese_r_k7(
    client: TestClient, body: dict[str, Any], message: str
) -> None:
    r = client.post(API, json=body)
    assert r.status_code == 400, r.text
    assert message in r.json()["message"]


def test_bad_input_is_not_counted_as_a_guess_r_k7(
    client: TestClient, clerk: dict[str, str], station: Station
) -> None:
    number = new_case(client, clerk)
    for _ in range(30):
        assert (
            client.post(API, json={"case_number": number, "phone_last4": "12"}).status_code == 400
        )
    assert client.post(API, json=["not", "an", "object"]).status_code == 400
    assert station.services.case_query.by_client.failures("testclient") == 0
    assert ask(client, number, "1234").status_code == 200


def test_full_width_input_is_understood_r_k7(client: TestClient, clerk: dict[str, str]) -> None:
    number = new_case(client, clerk)
    wide = number.replace("-", "－").replace("DEMO", "ＤＥＭＯ")
    assert ask(client, wide, "１２３４").status_code == 200


def test_failures_per_client_address_are_limited_r_k7(
    client: TestClient, clerk: dict[str, str], station: Station
) -> None:
    number = new_case(client, clerk)
    # 10 failed guesses on 10 different numbers (so no single number reaches its own limit).
    for seq in range(900, 910):
        assert ask(client, f"YZ0001-20261123-0{seq}", "1234").status_code == 404
    r = ask(client, number, "1234")  # even the right answer waits now
    assert r.status_code == 429
    assert r.headers["retry-after"] == "600"
    body = r.json()
    assert body["error"] == "too_many_attempts" and body["retry_after"] == 600
    assert "请于 09:10 后再试（约 10 分钟）" in body["message"]
    # Another address is not affected.
    other = station.services.case_query.query(
        CaseQueryIn(case_number=number, phone_last4="1234"), "10.0.0.9"
    )
    assert other.case_number == number

    station.clock.advance(minutes=9, seconds=59)
    later = ask(client, number, "1234")
    assert later.status_code == 429 and later.headers["retry-after"] == "1"
    station.clock.advance(seconds=1)  # the window has passed
    assert ask(client, number, "1234").status_code == 200


def test_strangers_cannot_lock_the_applicant_out_r_k7(
    client: TestClient, clerk: dict[str, str], station: Station
) -> None:
    """Defect 11: wrong guesses on one case from many addresses used to block the real
    applicant for an hour. Now only the guessing addresses wait; the case stays open to
    the right digits from anywhere else, and to its QR link."""
    number = new_case(client, clerk)
    q = station.services.case_query
    for i in range(30):  # thirty guesses from thirty addresses
        with pytest.raises(NotFound):
            q.query(CaseQueryIn(case_number=number, phone_last4=f"{i:04d}"), f"10.0.0.{i}")
    assert ask(client, number, "1234").status_code == 200


def test_successful_queries_are_not_counted_r_k7(
    client: TestClient, clerk: dict[str, str], station: Station
) -> None:
    number = new_case(client, clerk)
    for _ in range(40):
        assert ask(client, number, "1234").status_code == 200
    q = station.services.case_query
    assert q.by_client.failures("testclient") == 0
    for _ in range(4):
        assert ask(client, number, "9999").status_code == 404
    assert ask(client, number, "1234").status_code == 200  # 4 failures: still under 5


def test_limits_are_settings_r_k7(tmp_path: Path) -> None:
    st = make_station(tmp_path, case_query_ip_max_failures=2, case_query_ip_window_minutes=1)
    try:
        with TestClient(create_app(st.settings, services=st.services)) as c:
            assert ask(c, "YZ0001-20261123-0901", "1234").status_code == 404
            assert ask(c, "YZ0001-20261123-0902", "1234").status_code == 404
            r = ask(c, "YZ0001-20261123-0903", "1234")
            assert r.status_code == 429 and r.headers["retry-after"] == "60"
    finally:
        st.services.close()


def test_correction_and_refusal_tell_what_to_do_r_k7(
    client: TestClient, clerk: dict[str, str]
) -> None:
    body = {
        "item_code": ITEM,
        "materials": {**ALL_RECEIVED, "M2": "missing"},
        "applicant": {"name": "张桂兰", "id_number": APPLICANT_ID, "phone": APPLICANT_PHONE},
    }
    number = client.post("/api/cases", json=body, headers=clerk).json()["case_number"]
    act(client, clerk, number, "request_correction", deadline="2026-11-30")
    v = ask(client, number, "1234").json()
    assert v["state_label"] == "补正中" and v["outcome_title"] == "需要补正材料"
    assert v["outcome_lines"][-1] == "请于2026年11月30日前携带以上材料到窗口补正"
    assert v["due_on"] is None and v["accepted_on"] is None
    act(client, clerk, number, "refuse", reason="不符合申领年龄条件")
    v = ask(client, number, "1234").json()
    assert v["outcome_title"] == "不予受理"
    assert v["outcome_lines"][0] == "理由：不符合申领年龄条件"
    assert "行政复议" in v["outcome_lines"][1]


def test_mail_delivery_shows_only_the_ends_of_the_tracking_number_r_k7(
    client: TestClient, clerk: dict[str, str]
) -> None:
    number = new_case(client, clerk)
    act(client, clerk, number, "accept")
    act(client, clerk, number, "approve", decided_by="县民政局")
    delivery = {
        "method": "mail",
        "address": "河南省中牟县东岗村幸福路8号",
        "tracking_no": "SF1234567890",
        "recipient": "张桂兰",
    }
    act(client, clerk, number, "deliver", delivery=delivery)
    r = ask(client, number, "1234")
    v = r.json()
    assert v["state_label"] == "已送达"
    assert v["outcome_lines"] == ["已于2026年11月23日邮寄，快递单号 SF******7890"]
    assert v["steps"][-1]["note"] == "已邮寄，快递单号 SF******7890"
    assert "SF1234567890" not in r.text and "幸福路" not in r.text and "张桂兰" not in r.text


def test_provisional_and_overdue_deadlines_r_k7(
    client: TestClient, clerk: dict[str, str], station: Station
) -> None:
    number = new_case(client, clerk)
    act(client, clerk, number, "accept")

    station.clock.set(
        datetime(2026, 12, 21, 1, 0, tzinfo=UTC)
    )  # due falls in 2027: no calendar yet
    clerk = login(client, *WINDOW_CLERK)
    late_year = new_case(client, clerk)
    act(client, clerk, late_year, "accept")
    v = ask(client, late_year, "1234").json()
    assert v["due_provisional"] is True and v["due_on"].startswith("2027-")

    v = ask(client, number, "1234").json()  # due 2026-12-14, still open on 12-21
    assert v["due_on"] == "2026-12-14" and v["due_provisional"] is False
    assert v["overdue"] is True and v["due_status_label"] == "超期"


def test_pages_are_public_local_and_prefilled_by_the_script_r_k7(client: TestClient) -> None:
    for path in ("/cases", "/cases/YZ0001-20261123-0001"):
        r = client.get(path)
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
        assert "办件进度查询" in r.text and 'id="last4"' in r.text
        assert not re.search(r"(src|href)=\"(https?:)?//", r.text)  # nothing from outside
    for asset in ("/static/case-query.js", "/static/case-query.css"):
        assert client.get(asset).status_code == 200


def test_limiter_memory_is_bounded_r_k7() -> None:
    clock = FrozenClock(T0)
    limiter = FailureLimiter(FailureLimit(3, timedelta(minutes=10)), clock, max_keys=100)
    for i in range(1000):
        limiter.record_failure(f"10.0.{i // 256}.{i % 256}")
    assert len(limiter) == 100  # the longest idle keys were forgotten
    for _ in range(50):
        limiter.record_failure("busy")
    assert limiter.failures("busy") == 3  # one key keeps at most max_failures instants
    clock.advance(minutes=10)
    limiter.record_failure("new")
    assert len(limiter) == 1  # every expired key was dropped
    assert limiter.blocked_for("busy") is None
