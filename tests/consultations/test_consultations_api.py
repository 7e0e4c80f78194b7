"""咨询台账 API (R-C2): record with the answer or a promised reply date, reply to close, and
never close without an answer; overdue replies raise alerts; refusals change nothing.

The station's today is Monday 2026-11-23 (``T0``)."""

from __future__ import annotations

from typing import Any

from litestar.testing import TestClient

from appliance.consultations.service.sweep import ConsultationSweep
from tests.contacts.ledger_support import events, ledger_fingerprint
from tests.support.station import GUIDE, WINDOW_CLERK, Station, login


def ask(client: TestClient, h: dict[str, str], **body: Any) -> Any:
    base = {"question": "高龄津贴每月多少钱", "channel": "phone", "visitor_contact": "13800001234"}
    return client.post("/api/consultations", json={**base, **body}, headers=h)


def sweep(station: Station) -> list[str]:
    s = station.services
    return ConsultationSweep(s.db, station.settings.timezone, station.clock).run().raised


def test_answered_at_once_is_recorded_closed_r_c2(station: Station, client: TestClient) -> None:
    h = login(client, *GUIDE)
    r = ask(client, h, answer="80 周岁以上每人每月 100 元", visitor_contact="")
    assert r.status_code == 201, r.text
    e = r.json()
    assert (e["number"], e["status"], e["status_label"]) == ("ZX-20261123-001", "closed", "已答复")
    assert e["answered_by"] == e["recorded_by"] == "张伟" and e["reply_due"] is None
    second = ask(client, h, answer="同上").json()
    assert second["number"] == "ZX-20261123-002"
    [(kind, payload), _] = events(station.services.db, "consultation.")
    assert kind == "consultation.recorded" and payload["status"] == "closed"
    assert payload["visitor_contact"] == ""


def test_a_promised_reply_is_open_until_the_reply_closes_it_r_c2(
    station: Station, client: TestClient
) -> None:
    h = login(client, *GUIDE)
    r = ask(client, h, reply_in_working_days=2, visitor_name="张桂兰")
    assert r.status_code == 201, r.text
    entry = r.json()
    assert (entry["status"], entry["status_label"], entry["reply_due"]) == (
        "open",
        "待答复",
        "2026-11-25",
    )
    listed = client.get("/api/consultations", headers=h).json()
    assert [e["number"] for e in listed] == [entry["number"]]
    clerk = login(client, *WINDOW_CLERK)
    path = f"/api/consultations/{entry['number']}/close"
    r = client.post(path, json={"answer": "每人每月 100 元，次月发放"}, headers=clerk)
    assert r.status_code == 201, r.text
    closed = r.json()
    assert (closed["status"], closed["answer"], closed["answered_by"]) == (
        "closed",
        "每人每月 100 元，次月发放",
        "王秀英",
    )
    assert client.get("/api/consultations", headers=h).json() == []
    again = client.post(path, json={"answer": "再答一次"}, headers=clerk)
    assert again.status_code == 409 and "不能重复答复" in again.json()["message"]
    kinds = [t for t, _ in events(station.services.db, "consultation.")]
    assert kinds == ["consultation.recorded", "consultation.closed"]


def test_closing_a_consultation_without_an_answer_is_refused_r_c2(
    station: Station, client: TestClient
) -> None:
    h = login(client, *GUIDE)
    entry = ask(client, h, channel="letter").json()
    path = f"/api/consultations/{entry['id']}/close"
    before = ledger_fingerprint(station.services.db)
    for body in ({"answer": ""}, {"answer": "  \n  "}, {}):
        r = client.post(path, json=body, headers=h)
        assert r.status_code == 400, (body, r.text)
        assert "答复" in r.json()["message"], r.json()
    assert ledger_fingerprint(station.services.db) == before
    assert client.get(f"/api/consultations/{entry['id']}", headers=h).json()["status"] == "open"


def test_bad_entries_are_refused_in_chinese_and_change_nothing_r_c2(
    station: Station, client: TestClient
) -> None:
    h = login(client, *GUIDE)
    before = ledger_fingerprint(station.services.db)
    cases = [
        ({}, 400, "须约定答复日期"),
        ({"reply_in_working_days": 2, "visitor_contact": ""}, 400, "联系方式"),
        ({"channel": "letter", "reply_due": "2026-11-30"}, 400, "3 个工作日内答复"),
        ({"reply_due": "2026-11-28"}, 400, "不是工作日"),
        ({"reply_due": "2026-11-20"}, 400, "早于咨询日期"),
        ({"reply_in_working_days": 31}, 400, "答复工作日数"),
        ({"channel": "fax"}, 400, "fax"),
        ({"question": " "}, 400, "咨询的问题"),
        ({"answer": "见知识库", "knowledge_id": "no-such"}, 404, "知识条目"),
        ({"knowledge_id": "no-such", "reply_in_working_days": 1}, 400, "答复内容"),
    ]
    for body, status, fragment in cases:
        r = ask(client, h, **body)
        assert r.status_code == status, (body, r.text)
        assert fragment in r.json()["message"], (body, r.json())
    for path in ("/api/consultations/ZX-20261123-999", "/api/consultations/nope"):
        assert client.get(path, headers=h).status_code == 404
    r = client.post("/api/consultations/nope/close", json={"answer": "x"}, headers=h)
    assert r.status_code == 404
    assert ledger_fingerprint(station.services.db) == before


def test_overdue_replies_raise_one_alert_until_answered_r_c2(
    station: Station, client: TestClient
) -> None:
    h = login(client, *GUIDE)
    late = ask(client, h, channel="letter").json()  # due Thursday 11-26
    on_time = ask(client, h, reply_in_working_days=5).json()  # due 11-30
    assert sweep(station) == []
    station.clock.advance(days=3)  # Thursday: still the reply day
    assert sweep(station) == []
    station.clock.advance(days=1)  # Friday 11-27
    assert sweep(station) == [late["number"]]
    assert sweep(station) == []  # one alert per entry
    h = login(client, *GUIDE)  # four days on: a new session
    alerts = client.get("/api/alerts", headers=h).json()
    assert [a["kind"] for a in alerts] == ["consultation_overdue"]
    assert late["number"] in alerts[0]["message"] and "13800001234" not in alerts[0]["message"]
    listed = client.get("/api/consultations?status=overdue", headers=h).json()
    assert [(e["number"], e["status_label"]) for e in listed] == [(late["number"], "逾期未答复")]
    everything = client.get("/api/consultations", headers=h).json()
    assert [e["number"] for e in everything] == [late["number"], on_time["number"]]
    path = f"/api/consultations/{late['number']}/close"
    assert client.post(path, json={"answer": "已电话答复"}, headers=h).status_code == 201
    assert client.get("/api/alerts", headers=h).json() == []
    kinds = [t for t, _ in events(station.services.db, "alert.")]
    assert kinds == ["alert.raised", "alert.cleared"]
    [(_, overdue)] = [e for e in events(station.services.db, "consultation.overdue")]
    assert overdue["number"] == late["number"] and overdue["reply_due"] == "2026-11-26"
    [(_, closed)] = events(station.services.db, "consultation.closed")
    assert closed["late"] is True


def test_lists_by_status_and_period_r_c2(station: Station, client: TestClient) -> None:
    h = login(client, *GUIDE)
    answered = ask(client, h, answer="已答").json()
    station.clock.advance(days=1)
    h = login(client, *GUIDE)
    pending = ask(client, h, reply_in_working_days=1).json()
    closed = client.get("/api/consultations?status=closed", headers=h).json()
    assert [e["number"] for e in closed] == [answered["number"]]
    assert [e["number"] for e in client.get("/api/consultations?status=all", headers=h).json()] == [
        pending["number"],
        answered["number"],
    ]
    only_monday = client.get(
        "/api/consultations?status=all&start=2026-11-23&end=2026-11-23", headers=h
    ).json()
    assert [e["number"] for e in only_monday] == [answered["number"]]
    bad = client.get("/api/consultations?status=lost", headers=h)
    assert bad.status_code == 400 and "未知的状态" in bad.json()["message"]
