"""Bad input and illegal actions: a 4xx with a Chinese message, and nothing changes (R-Q3)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from litestar.testing import TestClient

from tests.support.fingerprint import fingerprint
from tests.support.station import MANAGER, WINDOW_CLERK, Station, login

CJK = re.compile(r"[\u4e00-\u9fff]")


def refused(
    client: TestClient, station: Station, status: int, method: str, url: str, **kw: Any
) -> str:
    """Make the request; assert the status, a Chinese message, and an unchanged database."""
    before = fingerprint(station.services.db)
    r = client.request(method, url, **kw)
    assert r.status_code == status, r.text
    body = r.json()
    assert CJK.search(body["message"]), body
    assert body["status"] == status
    assert fingerprint(station.services.db) == before, "a refused request changed state"
    return str(body["message"])


@pytest.fixture
def clerk(client: TestClient) -> dict[str, str]:
    return login(client, *WINDOW_CLERK)


@pytest.fixture
def manager(client: TestClient) -> dict[str, str]:
    return login(client, *MANAGER)


KIOSK_CASES: list[tuple[dict[str, Any], int, str]] = [
    ({"category": "Z"}, 404, "找不到业务类别"),
    ({"category": "A", "priority": "vip"}, 400, "未知优先类别"),
    ({"category": "A", "priority": "appointment"}, 400, "预约"),
    ({"category": "A", "phone": "12345"}, 400, "手机号码"),
    ({"category": "A", "phone": "1381234567x"}, 400, "手机号码"),
    ({}, 400, "缺少必填项：业务类别"),
    ({"category": 7}, 400, "格式不正确：业务类别"),
]


@pytest.mark.parametrize(("body", "status", "text"), KIOSK_CASES)
def test_kiosk_rejects_bad_tickets_r_q1(
    client: TestClient, station: Station, body: dict[str, Any], status: int, text: str
) -> None:
    assert text in refused(client, station, status, "POST", "/api/kiosk/tickets", json=body)


def test_malformed_json_is_refused(client: TestClient, station: Station) -> None:
    refused(
        client,
        station,
        400,
        "POST",
        "/api/kiosk/tickets",
        content=b"{not json",
        headers={"content-type": "application/json"},
    )


def test_category_without_window_cannot_issue(
    client: TestClient, station: Station, manager: dict[str, str]
) -> None:
    assert (
        client.post(
            "/api/categories", json={"prefix": "D", "name": "退役军人"}, headers=manager
        ).status_code
        == 201
    )
    assert "暂无窗口" in refused(
        client, station, 409, "POST", "/api/kiosk/tickets", json={"category": "D"}
    )


def test_call_with_nobody_waiting_r_q3(
    client: TestClient, station: Station, clerk: dict[str, str]
) -> None:
    assert "无人等候" in refused(
        client, station, 409, "POST", "/api/windows/1/call-next", headers=clerk
    )


def test_finish_twice_refused_r_q3(
    client: TestClient, station: Station, clerk: dict[str, str]
) -> None:
    client.post("/api/kiosk/tickets", json={"category": "A"})
    client.post("/api/windows/1/call-next", headers=clerk)
    assert client.post("/api/windows/1/finish", headers=clerk).status_code == 201
    refused(client, station, 409, "POST", "/api/windows/1/finish", headers=clerk)


def test_actions_without_current_ticket_refused(
    client: TestClient, station: Station, clerk: dict[str, str]
) -> None:
    for action in ("recall", "start", "finish", "no-show"):
        assert "没有已呼叫" in refused(
            client, station, 409, "POST", f"/api/windows/1/{action}", headers=clerk
        )
    refused(
        client,
        station,
        409,
        "POST",
        "/api/windows/1/transfer",
        headers=clerk,
        json={"to_window": "2"},
    )


def test_call_next_while_busy_refused(
    client: TestClient, station: Station, clerk: dict[str, str]
) -> None:
    client.post("/api/kiosk/tickets", json={"category": "A"})
    client.post("/api/kiosk/tickets", json={"category": "A"})
    client.post("/api/windows/1/call-next", headers=clerk)
    assert "正在办理 A001" in refused(
        client, station, 409, "POST", "/api/windows/1/call-next", headers=clerk
    )


TRANSFER_CASES: list[tuple[dict[str, Any], int, str]] = [
    ({"to_window": "9"}, 404, "找不到 9 号窗口"),
    ({"to_category": "Q"}, 404, "找不到业务类别"),
    ({}, 400, "二选一"),
    ({"to_window": "2", "to_category": "B"}, 400, "二选一"),
    ({"to_window": "1"}, 400, "本窗口"),
]


@pytest.mark.parametrize(("body", "status", "text"), TRANSFER_CASES)
def test_transfer_to_unknown_target_refused_r_q3(
    client: TestClient,
    station: Station,
    clerk: dict[str, str],
    body: dict[str, Any],
    status: int,
    text: str,
) -> None:
    client.post("/api/kiosk/tickets", json={"category": "A"})
    client.post("/api/windows/1/call-next", headers=clerk)
    assert text in refused(
        client, station, status, "POST", "/api/windows/1/transfer", headers=clerk, json=body
    )


def test_unknown_window_refused(
    client: TestClient, station: Station, clerk: dict[str, str]
) -> None:
    assert "找不到 7 号窗口" in refused(
        client, station, 404, "POST", "/api/windows/7/call-next", headers=clerk
    )


def test_call_specific_ticket_errors_r_q3(
    client: TestClient, station: Station, clerk: dict[str, str]
) -> None:
    refused(
        client, station, 404, "POST", "/api/windows/1/call", headers=clerk, json={"ticket": "A999"}
    )
    client.post("/api/kiosk/tickets", json={"category": "A"})
    client.post("/api/windows/1/call", headers=clerk, json={"ticket": "A001"})
    client.post("/api/windows/1/finish", headers=clerk)
    assert "已办结" in refused(
        client, station, 409, "POST", "/api/windows/1/call", headers=clerk, json={"ticket": "A001"}
    )


def test_pause_rules_r_q6(client: TestClient, station: Station, clerk: dict[str, str]) -> None:
    assert "原因" in refused(
        client, station, 400, "POST", "/api/windows/1/pause", headers=clerk, json={"reason": "  "}
    )
    refused(
        client,
        station,
        400,
        "POST",
        "/api/windows/1/pause",
        headers=clerk,
        json={"reason": "长" * 101},
    )
    refused(client, station, 409, "POST", "/api/windows/1/resume", headers=clerk)
    assert (
        client.post("/api/windows/1/pause", headers=clerk, json={"reason": "会议"}).status_code
        == 201
    )
    refused(
        client, station, 409, "POST", "/api/windows/1/pause", headers=clerk, json={"reason": "会议"}
    )
    refused(client, station, 409, "POST", "/api/windows/1/call-next", headers=clerk)


def test_pause_while_serving_refused_r_q6(
    client: TestClient, station: Station, clerk: dict[str, str]
) -> None:
    client.post("/api/kiosk/tickets", json={"category": "A"})
    client.post("/api/windows/1/call-next", headers=clerk)
    refused(
        client, station, 409, "POST", "/api/windows/1/pause", headers=clerk, json={"reason": "午休"}
    )


def test_rejoin_of_waiting_ticket_refused(
    client: TestClient, station: Station, clerk: dict[str, str]
) -> None:
    client.post("/api/kiosk/tickets", json={"category": "A"})
    assert "不能过号重排" in refused(
        client, station, 409, "POST", "/api/tickets/A001/rejoin", headers=clerk
    )
    refused(client, station, 404, "POST", "/api/tickets/B404/rejoin", headers=clerk)


def test_staff_source_must_be_staff_or_appointment(
    client: TestClient, station: Station, clerk: dict[str, str]
) -> None:
    refused(
        client,
        station,
        403,
        "POST",
        "/api/tickets",
        headers=clerk,
        json={"category": "A", "source": "kiosk"},
    )


LOGIN_CASES = [
    ({"code": "ck01", "pin": "0000"}, "工号或密码错误"),
    ({"code": "nobody", "pin": "2222"}, "工号或密码错误"),
    ({"code": "ck01"}, "缺少必填项：密码"),
]


@pytest.mark.parametrize(("body", "text"), LOGIN_CASES)
def test_bad_login_r_t1(
    client: TestClient, station: Station, body: dict[str, str], text: str
) -> None:
    status = 400 if "pin" not in body else 401
    assert text in refused(client, station, status, "POST", "/api/auth/login", json=body)


STAFF_CASES: list[tuple[dict[str, Any], int, str]] = [
    ({"code": "ck01", "name": "重复", "role": "window", "pin": "580246"}, 409, "已被使用"),
    ({"code": "x1", "name": "某某", "role": "boss", "pin": "580246"}, 400, "未知岗位角色"),
    ({"code": "x1", "name": "某某", "role": "window", "pin": "1234"}, 400, "须为 6–64 位"),
    ({"code": "坏 工号", "name": "某某", "role": "window", "pin": "580246"}, 400, "工号"),
    ({"code": "x1", "name": " ", "role": "window", "pin": "580246"}, 400, "姓名"),
    ({"code": "x1", "name": "某某", "role": "window", "pin": "580246", "window": 9}, 404, "窗口"),
]


@pytest.mark.parametrize(("body", "status", "text"), STAFF_CASES)
def test_bad_staff_accounts_refused_r_t1(
    client: TestClient,
    station: Station,
    manager: dict[str, str],
    body: dict[str, Any],
    status: int,
    text: str,
) -> None:
    assert text in refused(
        client, station, status, "POST", "/api/staff", headers=manager, json=body
    )


CONFIG_CASES: list[tuple[str, dict[str, Any], int]] = [
    ("/api/categories", {"prefix": "AB", "name": "两字母"}, 400),
    ("/api/categories", {"prefix": "A", "name": "重复"}, 409),
    ("/api/categories", {"prefix": "E", "name": ""}, 400),
    ("/api/categories", {"prefix": "E", "name": "某业务", "prior_minutes": -3}, 400),
    ("/api/windows", {"number": 1, "name": "重复", "categories": ["A"]}, 409),
    ("/api/windows", {"number": 3, "name": "新窗口", "categories": ["Z"]}, 404),
    ("/api/windows", {"number": 3, "name": "新窗口", "categories": []}, 400),
    ("/api/windows", {"number": 0, "name": "零号", "categories": ["A"]}, 400),
]


@pytest.mark.parametrize(("url", "body", "status"), CONFIG_CASES)
def test_bad_station_config_refused(
    client: TestClient,
    station: Station,
    manager: dict[str, str],
    url: str,
    body: dict[str, Any],
    status: int,
) -> None:
    refused(client, station, status, "POST", url, headers=manager, json=body)


def test_attendance_and_whereabouts_errors_r_t2(
    client: TestClient, station: Station, clerk: dict[str, str]
) -> None:
    refused(client, station, 409, "POST", "/api/staff/me/clock-out", headers=clerk)
    assert "去向" in refused(
        client,
        station,
        400,
        "POST",
        "/api/staff/me/whereabouts",
        headers=clerk,
        json={"whereabouts": "打麻将"},
    )


def test_unknown_route_gets_chinese_404(client: TestClient, station: Station) -> None:
    refused(client, station, 404, "GET", "/api/nothing-here")


@pytest.mark.parametrize("action", [lambda c, h: c.post("/api/windows/1/call-next", headers=h)])
def test_refusal_keeps_queue_intact(
    client: TestClient, clerk: dict[str, str], action: Callable[..., Any]
) -> None:
    client.post("/api/kiosk/tickets", json={"category": "A"})
    assert action(client, clerk).status_code == 201
    assert action(client, clerk).status_code == 409
    snap = client.get("/api/queue", headers=clerk).json()
    assert snap["windows"][0]["current"]["number"] == "A001"


def test_a_bad_field_named_like_a_service_is_a_400_not_a_500_r_i3(
    client: TestClient, station: Station
) -> None:
    """Litestar reads ``sms`` (a body field and a service's name) as a dependency fault; found
    by the fuzzing gate. The person gets the field and what it should be."""
    h = login(client, *MANAGER)
    before = fingerprint(station.services.db)
    r = client.post("/api/delegations/0/progress", json={"text": "已受理", "sms": {}}, headers=h)
    assert r.status_code == 400, r.text
    assert r.json()["message"] == "格式不正确：sms（应为true 或 false），请检查后重试"
    assert fingerprint(station.services.db) == before
