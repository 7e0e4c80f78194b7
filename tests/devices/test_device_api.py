"""The hardware service's API and the staff side of print jobs and SMS (R-Q2, R-Q3, R-N1)."""

from __future__ import annotations

from typing import Any

import pytest
from litestar.testing import TestClient

from appliance.events.log import last_event_seq
from tests.support.fingerprint import fingerprint
from tests.support.station import MANAGER, WINDOW_CLERK, Station, login


@pytest.fixture
def dev(station: Station) -> dict[str, str]:
    return {"X-Device-Key": station.settings.device_key}


def claim(
    client: TestClient, dev: dict[str, str], what: str = "print-jobs", **body: Any
) -> list[dict[str, Any]]:
    r = client.post(f"/api/device/{what}/claim", headers=dev, json=body)
    assert r.status_code == 201, r.text
    return list(r.json())


def test_receipt_job_survives_failures_until_printed_r_n1(
    client: TestClient, station: Station, dev: dict[str, str]
) -> None:
    client.post("/api/kiosk/tickets", json={"category": "A"})
    [job] = claim(client, dev)
    assert '"number": "A001"' in job["payload"]
    assert claim(client, dev) == []  # leased: nobody else gets it
    r = client.post(
        f"/api/device/print-jobs/{job['id']}/failed", headers=dev, json={"error": "打印机缺纸"}
    )
    assert r.json()["status"] == "pending" and r.json()["attempts"] == 1
    [again] = claim(client, dev)
    assert again["id"] == job["id"]
    assert (
        client.post(f"/api/device/print-jobs/{job['id']}/done", headers=dev).json()["status"]
        == "done"
    )
    assert claim(client, dev) == []
    assert client.post(f"/api/device/print-jobs/{job['id']}/done", headers=dev).status_code == 409


def test_expired_lease_makes_job_claimable_again(
    client: TestClient, station: Station, dev: dict[str, str]
) -> None:
    """The hardware service died mid-print: after the lease the job comes back."""
    client.post("/api/kiosk/tickets", json={"category": "A"})
    [job] = claim(client, dev, lease_seconds=30)
    station.clock.advance(seconds=31)
    assert [j["id"] for j in claim(client, dev)] == [job["id"]]


def test_staff_cancel_and_reprint(
    client: TestClient, station: Station, dev: dict[str, str]
) -> None:
    h = login(client, *WINDOW_CLERK)
    client.post("/api/kiosk/tickets", json={"category": "A"})
    [job] = client.get("/api/print-jobs?status=pending", headers=h).json()
    assert job["title"] == "A001"
    assert (
        client.post(f"/api/print-jobs/{job['id']}/cancel", headers=h).json()["status"]
        == "cancelled"
    )
    assert claim(client, dev) == []
    assert client.post(f"/api/print-jobs/{job['id']}/cancel", headers=h).status_code == 409
    r = client.post("/api/tickets/A001/reprint", headers=h)
    assert r.status_code == 201 and r.json()["title"] == "A001"
    assert len(claim(client, dev)) == 1
    assert client.post("/api/tickets/A404/reprint", headers=h).status_code == 404


def test_sms_on_issue_and_call_r_q3(
    client: TestClient, station: Station, dev: dict[str, str]
) -> None:
    client.post("/api/kiosk/tickets", json={"category": "A", "phone": "13812345678"})
    [sms] = claim(client, dev, "sms")
    assert sms["phone"] == "13812345678"
    assert "A001" in sms["body"] and "前面还有 0 人" in sms["body"]
    client.post(f"/api/device/sms/{sms['id']}/sent", headers=dev, json={"references": [7]})
    h = login(client, *WINDOW_CLERK)
    client.post("/api/windows/1/call-next", headers=h)
    [called] = claim(client, dev, "sms")
    assert "请 A001 号到 1 号窗口办理" in called["body"]
    staff_view = client.get("/api/sms", headers=h).json()
    assert {m["status"] for m in staff_view} == {"sent", "sending"}
    assert all(m["phone_masked"] == "138****5678" for m in staff_view)


def test_queue_near_sms_when_n_ahead_r_q3(
    client: TestClient, station: Station, dev: dict[str, str]
) -> None:
    """With sms_notify_ahead=3, the visitor is told 前面还有 3 人 once."""
    for _ in range(4):
        client.post("/api/kiosk/tickets", json={"category": "A"})
    client.post("/api/kiosk/tickets", json={"category": "A", "phone": "13900001111"})  # 4 ahead
    claim(client, dev, "sms")  # the 取号成功 message
    h = login(client, *WINDOW_CLERK)
    client.post("/api/windows/1/call-next", headers=h)
    [near] = claim(client, dev, "sms")
    assert "A005 号，前面还有 3 人" in near["body"]
    client.post("/api/windows/1/finish", headers=h)
    client.post("/api/windows/1/call-next", headers=h)
    assert claim(client, dev, "sms") == []  # told once only


def test_sms_retry_backoff_and_permanent_failure(
    client: TestClient, station: Station, dev: dict[str, str]
) -> None:
    client.post("/api/kiosk/tickets", json={"category": "A", "phone": "13812345678"})
    [sms] = claim(client, dev, "sms")
    r = client.post(f"/api/device/sms/{sms['id']}/failed", headers=dev, json={"error": "无信号"})
    assert r.json()["status"] == "pending"
    assert claim(client, dev, "sms") == []  # waits for the backoff
    station.clock.advance(minutes=1)
    [again] = claim(client, dev, "sms")
    r = client.post(
        f"/api/device/sms/{again['id']}/failed",
        headers=dev,
        json={"error": "号码无效", "permanent": True},
    )
    assert r.json()["status"] == "failed"
    station.clock.advance(hours=5)
    assert claim(client, dev, "sms") == []  # a permanent failure waits for staff
    h = login(client, *WINDOW_CLERK)
    [shown] = client.get("/api/sms?status=failed", headers=h).json()
    assert shown["last_error"] == "号码无效"
    # staff see it in every terminal's status bar until they act
    assert [a["message"] for a in client.get("/api/alerts", headers=h).json()] == [
        "有 1 条短信发送失败，请核对号码后重发或取消"
    ]
    assert client.post(f"/api/sms/{sms['id']}/retry", headers=h).json()["status"] == "pending"
    assert client.get("/api/alerts", headers=h).json() == []
    assert len(claim(client, dev, "sms")) == 1


def test_sms_templates_are_data(client: TestClient, station: Station, dev: dict[str, str]) -> None:
    boss = login(client, *MANAGER)
    kinds = {t["kind"] for t in client.get("/api/sms-templates", headers=boss).json()}
    assert {"ticket_issued", "queue_near", "ticket_called"} <= kinds
    r = client.put(
        "/api/sms-templates/ticket_called",
        headers=boss,
        json={"body": "{number} 请到 {window} 号窗口"},
    )
    assert r.status_code == 200
    before = fingerprint(station.services.db)
    r = client.put(
        "/api/sms-templates/ticket_called", headers=boss, json={"body": "{name} 请到窗口"}
    )
    assert r.status_code == 400 and "未知占位符" in r.json()["message"]
    r = client.put(
        "/api/sms-templates/ticket_called", headers=boss, json={"body": "请到 {window 号"}
    )
    assert r.status_code == 400
    assert (
        client.put("/api/sms-templates/nope", headers=boss, json={"body": "x"}).status_code == 404
    )
    assert fingerprint(station.services.db) == before
    client.post("/api/kiosk/tickets", json={"category": "A", "phone": "13812345678"})
    claim(client, dev, "sms")
    client.post("/api/windows/2/call-next", headers=boss)  # window 2 serves B, C: nothing
    h = login(client, *WINDOW_CLERK)
    client.post("/api/windows/1/call-next", headers=h)
    [called] = claim(client, dev, "sms")
    assert called["body"] == "A001 请到 1 号窗口"


def test_printer_state_shows_on_display_and_to_staff(
    client: TestClient, dev: dict[str, str]
) -> None:
    r = client.post(
        "/api/device/status",
        headers=dev,
        json={"device": "printer.receipt", "state": "media-empty", "label": "打印机缺纸"},
    )
    assert r.status_code == 201 and r.json()["ok"] is False
    assert any("打印机缺纸" in n for n in client.get("/api/display").json()["notices"])
    h = login(client, *WINDOW_CLERK)
    [dev_state] = client.get("/api/devices", headers=h).json()
    assert dev_state["name"] == "小票打印机" and dev_state["label"] == "打印机缺纸"
    # the ticket is still issued while the printer is out of paper, and shown in the hall
    assert client.post("/api/kiosk/tickets", json={"category": "A"}).status_code == 201
    assert "最近取号：A001" in client.get("/api/display").json()["notices"]
    client.post(
        "/api/device/status",
        headers=dev,
        json={"device": "printer.receipt", "state": "ready", "label": "打印机就绪"},
    )
    assert client.get("/api/display").json()["notices"] == []


def test_stuck_button_alert_raised_once_and_cleared(
    client: TestClient, dev: dict[str, str]
) -> None:
    body = {"kind": "button_stuck", "message": "取号按钮卡住，请检查按钮", "active": True}
    assert client.post("/api/device/alerts", headers=dev, json=body).json() == {"changed": True}
    assert client.post("/api/device/alerts", headers=dev, json=body).json() == {"changed": False}
    h = login(client, *WINDOW_CLERK)
    assert [a["message"] for a in client.get("/api/alerts", headers=h).json()] == [body["message"]]
    client.post("/api/device/alerts", headers=dev, json={**body, "active": False})
    assert client.get("/api/alerts", headers=h).json() == []


def test_event_feed_for_buzzer_and_voice(
    client: TestClient, station: Station, dev: dict[str, str]
) -> None:
    start = last_event_seq(station.services.db)
    client.post("/api/kiosk/tickets", json={"category": "A"})
    h = login(client, *WINDOW_CLERK)
    client.post("/api/windows/1/call-next", headers=h)
    client.post("/api/windows/1/recall", headers=h)
    feed = client.get(f"/api/device/events?after={start}", headers=dev).json()
    assert [e["type"] for e in feed] == ["ticket.issued", "ticket.called", "ticket.recalled"]
    assert feed[1]["payload"]["window_number"] == 1
    assert client.get(f"/api/device/events?after={feed[-1]['seq']}", headers=dev).json() == []
    assert client.get("/api/device/events?after=-5", headers=dev).status_code == 400


def test_inbound_sms_stored_as_event(
    client: TestClient, station: Station, dev: dict[str, str]
) -> None:
    r = client.post(
        "/api/device/sms/inbound",
        headers=dev,
        json={"phone": "13812345678", "body": "1", "received_at": "2026-11-23T09:10:00+08:00"},
    )
    assert r.status_code == 201
    assert (
        client.post(
            "/api/device/sms/inbound", headers=dev, json={"phone": " ", "body": "1"}
        ).status_code
        == 400
    )


@pytest.mark.parametrize(
    ("url", "body"),
    [
        ("/api/device/status", {"device": "toaster", "state": "ready", "label": "x"}),
        ("/api/device/status", {"device": "modem", "state": "", "label": ""}),
        ("/api/device/print-jobs/claim", {"kinds": ["fax"]}),
        ("/api/device/print-jobs/claim", {"limit": 0}),
        ("/api/device/sms/claim", {"limit": 99}),
        ("/api/device/alerts", {"kind": "", "message": "x"}),
        ("/api/device/button-press", {"lease_seconds": 0}),
        ("/api/device/button-press", {"priority": "vip"}),
    ],
)
def test_bad_device_input_refused(
    client: TestClient, station: Station, dev: dict[str, str], url: str, body: dict[str, Any]
) -> None:
    before = fingerprint(station.services.db)
    r = client.post(url, headers=dev, json=body)
    assert r.status_code == 400 and r.json()["message"]
    assert fingerprint(station.services.db) == before
