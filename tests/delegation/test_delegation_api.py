"""帮办代办 API (R-D1, R-D2): 帮办 logged and assigned at once; 代办 under a 委托书; progress
fed back (by SMS too); 中止 only for one of JC 附件5's seven grounds; 续办; 办结 opening the
rating; home visits; fees the applicant paid. Refusals are Chinese and change nothing.

The station's today is Monday 2026-11-23 (``T0``)."""

from __future__ import annotations

from typing import Any

import pytest
from litestar.testing import TestClient
from sqlalchemy import text

from appliance.delegation.service.store import rateable
from appliance.documents import delegation as papers
from tests.delegation.support import agree, events, fingerprint
from tests.support.station import GUIDE, HELPER, MANAGER, Station, login


def test_help_is_logged_and_assigned_at_once_r_d1(station: Station, client: TestClient) -> None:
    h = login(client, *GUIDE)
    body = {
        "applicant_name": "李大爷",
        "item_name": "高龄津贴申请",
        "content": "协助填写申请表",
        "agent_code": HELPER[0],
    }
    r = client.post("/api/delegations/help", json=body, headers=h)
    assert r.status_code == 201, r.text
    d = r.json()
    assert (d["number"], d["kind_label"], d["status_label"]) == (
        "BB-20261123-001",
        "帮办",
        "办理中",
    )
    assert d["agent_name"] != d["recorded_by"]  # assigned to the 帮代办 staff member
    assert d["entries"][0]["kind_label"] == "受理分派" and d["documents"] == []
    [(kind, payload)] = events(station.services.db)
    assert kind == "delegation.help_logged" and payload["applicant_name"] == "李*爷"
    done = client.post(
        f"/api/delegations/{d['number']}/complete", json={"result": "已填好提交"}, headers=h
    )
    assert done.status_code == 201, done.text
    assert done.json()["status"] == "completed" and done.json()["rating_open"] is True


def test_delegation_walks_from_agreement_to_completion_r_d1_r_d2(
    station: Station, client: TestClient
) -> None:
    h = login(client, *HELPER)
    d = agree(client, h)
    number = d["number"]
    assert number == "DB-20261123-001" and d["period_start"] == "2026-11-23"
    assert [doc["title"] for doc in d["documents"]] == ["代办服务委托书"]
    assert "不收取任何费用" in d["responsibilities"]

    r = client.post(
        f"/api/delegations/{number}/progress",
        json={"text": "材料已报送人社所", "sms": True},
        headers=h,
    )
    assert r.status_code == 201, r.text
    assert r.json()["entries"][-1]["sms_queued"] is True
    with station.services.db.read() as s:
        body = s.execute(text("SELECT body FROM sms_message ORDER BY created_at DESC")).first()
    assert body is not None and number in body[0] and "材料已报送人社所" in body[0]

    r = client.post(
        f"/api/delegations/{number}/suspend",
        json={"reason": "fees_unpaid", "note": "需缴纳个人缴费部分"},
        headers=h,
    )
    assert r.status_code == 201, r.text
    assert r.json()["suspend_reason_label"] == "未及时缴纳各类行政事业性收费"
    fee = {
        "item": "城乡居民养老保险个人缴费",
        "amount_fen": 20000,
        "paid_to": "县社保中心（扫码缴费）",
    }
    r = client.post(f"/api/delegations/{number}/fees", json=fee, headers=h)
    assert r.status_code == 201, r.text
    assert r.json()["fees_paid_fen"] == 20000
    assert "申请人本人" in r.json()["entries"][-1]["text"]

    r = client.post(
        f"/api/delegations/{number}/resume",
        json={"note": "申请人已自行缴费", "period_end": "2027-01-31"},
        headers=h,
    )
    assert r.status_code == 201, r.text
    assert (r.json()["status"], r.json()["continuations"]) == ("active", 1)

    visit = {
        "scheduled_for": "2026-11-25T09:30:00+08:00",
        "address": "东关村三组 12 号",
        "purpose": "送达待遇核定表",
    }
    r = client.post(f"/api/delegations/{number}/visits", json=visit, headers=h)
    assert r.status_code == 201, r.text
    [v] = r.json()["visits"]
    [listed] = client.get("/api/delegations", headers=h).json()
    assert listed["next_visit_at"] == r.json()["next_visit_at"] == "2026-11-25T01:30:00Z"
    refused = client.post(
        f"/api/delegations/{number}/complete", json={"result": "已领取"}, headers=h
    )
    assert refused.status_code == 400 and "上门服务未完成" in refused.json()["message"]
    r = client.post(
        f"/api/delegations/{number}/visits/{v['id']}/done", json={"outcome": "已送达"}, headers=h
    )
    assert r.status_code == 201, r.text

    r = client.post(
        f"/api/delegations/{number}/complete", json={"result": "待遇已核定，次月发放"}, headers=h
    )
    assert r.status_code == 201, r.text
    done = r.json()
    assert (done["status_label"], done["rating_open"]) == ("已办结", True)
    assert [doc["kind"] for doc in done["documents"]] == [
        "agreement",
        "suspension",
        "continuation",
        "completion",
    ]
    pdf = client.get(done["documents"][-1]["url"], headers=h)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    kinds = [k for k, _ in events(station.services.db)]
    assert kinds == [
        "delegation.agreed",
        "delegation.progress",
        "delegation.suspended",
        "delegation.fee_paid_by_applicant",
        "delegation.resumed",
        "delegation.visit_scheduled",
        "delegation.visit_done",
        "delegation.completed",
    ]
    assert events(station.services.db)[-1][1]["rating_open"] is True


def refused(
    station: Station, client: TestClient, path: str, body: Any, status: int, words: str
) -> None:
    h = login(client, *HELPER)
    before = fingerprint(station.services.db)
    r = client.post(path, json=body, headers=h)
    assert r.status_code == status, r.text
    assert words in r.json()["message"]
    assert fingerprint(station.services.db) == before


def test_suspending_for_a_reason_not_on_the_list_is_refused_r_d2(
    station: Station, client: TestClient
) -> None:
    d = agree(client, login(client, *HELPER))
    path = f"/api/delegations/{d['number']}/suspend"
    refused(station, client, path, {"reason": "agent_on_leave"}, 400, "七种情形")
    refused(station, client, path, {"reason": "代办员请假"}, 400, "不能中止")
    refused(station, client, path, {"reason": "other"}, 400, "写明具体情况")
    h = login(client, *HELPER)
    assert client.get(f"/api/delegations/{d['number']}", headers=h).json()["status"] == "active"
    reasons = client.get("/api/delegations/reasons", headers=h).json()
    assert len(reasons) == 7 and reasons[5]["label"] == "申请人提出暂停委托代办服务"


def test_bad_input_is_refused_in_chinese_and_changes_nothing_r_d1_r_d2(
    station: Station, client: TestClient
) -> None:
    h = login(client, *HELPER)
    bad_period = {
        "applicant_name": "王秀英",
        "item_name": "x",
        "content": "y",
        "period_end": "2026-11-01",
    }
    refused(station, client, "/api/delegations", bad_period, 400, "委托期限")
    refused(
        station,
        client,
        "/api/delegations",
        {**bad_period, "period_end": "2026-12-01", "content": " "},
        400,
        "委托内容",
    )
    refused(
        station,
        client,
        "/api/delegations",
        {**bad_period, "period_end": "2026-12-01", "agent_code": "nobody"},
        400,
        "工号",
    )
    d = agree(client, h)
    n = d["number"]
    refused(
        station,
        client,
        f"/api/delegations/{n}/resume",
        {"note": "x", "period_end": "2027-01-01"},
        409,
        "只有已中止",
    )
    refused(station, client, f"/api/delegations/{n}/progress", {"text": "  "}, 400, "反馈内容")
    refused(
        station,
        client,
        f"/api/delegations/{n}/fees",
        {"item": "x", "amount_fen": -1, "paid_to": "y"},
        400,
        "amount_fen",
    )
    past = {"scheduled_for": "2026-11-20T09:00:00+08:00", "address": "a", "purpose": "b"}
    refused(station, client, f"/api/delegations/{n}/visits", past, 400, "已经过去")
    refused(
        station, client, "/api/delegations/DB-19990101-001/complete", {"result": "x"}, 404, "找不到"
    )
    help_row = client.post(
        "/api/delegations/help",
        json={"applicant_name": "李", "item_name": "x", "content": "y"},
        headers=h,
    ).json()
    refused(
        station,
        client,
        f"/api/delegations/{help_row['number']}/suspend",
        {"reason": "other", "note": "x"},
        409,
        "帮办",
    )
    no_phone = f"/api/delegations/{help_row['number']}/progress"
    refused(station, client, no_phone, {"text": "已填表", "sms": True}, 400, "手机号码")
    client.post(f"/api/delegations/{n}/suspend", json={"reason": "applicant_paused"}, headers=h)
    refused(station, client, f"/api/delegations/{n}/complete", {"result": "x"}, 409, "续办委托书")
    refused(
        station,
        client,
        f"/api/delegations/{n}/suspend",
        {"reason": "applicant_paused"},
        409,
        "只有办理中",
    )


def test_list_and_export_a_period_r_d2(station: Station, client: TestClient) -> None:
    h = login(client, *HELPER)
    agree(client, h)
    agree(client, h, applicant_name="赵四", period_end="2026-11-30")
    listed = client.get("/api/delegations", headers=h).json()
    assert [d["number"] for d in listed] == ["DB-20261123-001", "DB-20261123-002"]
    assert client.get("/api/delegations?status=bogus", headers=h).status_code == 400
    assert client.get("/api/delegations/export.csv", headers=h).status_code == 403
    m = login(client, *MANAGER)
    csv = client.get("/api/delegations/export.csv?start=2026-11-01&end=2026-11-30", headers=m)
    assert csv.status_code == 200, csv.text
    text = csv.content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("编号,类型,登记时间") and "赵四" in text
    xlsx = client.get("/api/delegations/export.xlsx", headers=m)
    assert xlsx.status_code == 200 and xlsx.content.startswith(b"PK")
    empty = client.get("/api/delegations/export.csv?start=2026-10-01&end=2026-10-31", headers=m)
    assert len(empty.content.decode("utf-8-sig").strip().splitlines()) == 1
    bad = client.get("/api/delegations/export.csv?start=2026-11-30&end=2026-11-01", headers=m)
    assert bad.status_code == 400 and "晚于" in bad.json()["message"]


def test_a_completed_delegation_is_recorded_for_its_rating_r_d2(
    station: Station, client: TestClient
) -> None:
    """一事一评: ratings cannot take a delegation yet; ``rateable`` is what it will read, and
    a delegation is finished (rateable) only once completed — never before (事前评价)."""
    h = login(client, *HELPER)
    d = agree(client, h)
    with station.services.db.read() as s:
        before = rateable(s, d["number"])
    assert before.finished_at is None and before.phone == "13800001234"
    client.post(f"/api/delegations/{d['number']}/complete", json={"result": "已办结"}, headers=h)
    with station.services.db.read() as s:
        after = rateable(s, d["id"])
    assert after.finished_at == station.clock.now() and after.ref == d["number"]
    assert after.label == "代办 DB-20261123-001（城乡居民养老保险待遇领取）"


def test_a_paper_is_not_kept_when_the_delegation_changed_while_it_was_rendered_r_d2(
    station: Station, client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The 中止单 is rendered outside the write lock; when another terminal completes the
    delegation meanwhile, the suspension is judged again on the fresh row and refused, and
    the rendered paper is not kept."""
    h = login(client, *HELPER)
    d = agree(client, h)
    real = papers.suspension_pdf

    def racing(data: papers.DelegationPaper, reason: str, note: str) -> bytes:
        if not racing.__dict__.get("done"):
            racing.__dict__["done"] = True
            other = client.post(
                f"/api/delegations/{d['number']}/complete", json={"result": "已办结"}, headers=h
            )
            assert other.status_code == 201, other.text
        return real(data, reason, note)

    monkeypatch.setattr(papers, "suspension_pdf", racing)
    r = client.post(
        f"/api/delegations/{d['number']}/suspend", json={"reason": "applicant_paused"}, headers=h
    )
    assert r.status_code == 409 and "只有办理中的代办可以中止" in r.json()["message"]
    got = client.get(f"/api/delegations/{d['number']}", headers=h).json()
    assert got["status"] == "completed"
    assert [doc["kind"] for doc in got["documents"]] == ["agreement", "completion"]
