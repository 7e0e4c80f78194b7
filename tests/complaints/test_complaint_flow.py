"""Complaints (投诉, R-P2): any channel; checked before any promise; settled on the spot or
passed on and followed; answered; closed with the answer. Every step says who, when, what."""

from __future__ import annotations

import json

import pytest
from litestar.testing import TestClient
from sqlalchemy import text

from tests.complaints.complaint_support import PHONE, post, register, walk_transfer
from tests.desk.desk_support import events, rows, state
from tests.support.station import COMPLAINTS, GUIDE, MANAGER, WINDOW_CLERK, Station, login

CHANNELS = {
    "onsite": "现场",
    "hotline": "12345",
    "box": "意见箱",
    "phone": "电话",
    "email": "邮件",
    "web": "网络",
}


@pytest.mark.parametrize(("channel", "label"), sorted(CHANNELS.items()))
def test_a_complaint_comes_from_any_channel_r_p2(
    client: TestClient, channel: str, label: str
) -> None:
    h = login(client, *COMPLAINTS)
    r = client.post(
        "/api/complaints",
        json={"content": "排队叫号不按顺序", "channel": channel},  # anonymous is fine
        headers=h,
    )
    assert r.status_code == 201, r.text
    got = r.json()
    assert got["channel_label"] == label and got["state"] == "verify"
    assert got["state_label"] == "待核实" and got["next_steps"] == ["verify"]
    assert got["number"] == "TS-20261123-001"


def test_settled_on_the_spot_answered_and_closed_r_p2(client: TestClient, station: Station) -> None:
    h = login(client, *COMPLAINTS)
    number = register(client, h)
    base = f"/api/complaints/{number}"
    post(client, f"{base}/verify", {"text": "当事人承认语气不当", "finding": "partly"}, h)
    post(client, f"{base}/handle", {"text": "当事人当面致歉，站长现场协调办结"}, h)
    answered = post(client, f"{base}/answer", {"text": "已当面致歉并办结", "via": "in_person"}, h)
    assert answered["state"] == "answered" and answered["answer_via"] == "in_person"
    done = post(client, f"{base}/close", {}, h)
    assert done["state"] == "closed" and done["answer"] == "已当面致歉并办结"
    assert done["finding_label"] == "部分属实" and done["closed_by"] and done["closed_at"]
    assert [s["step"] for s in done["steps"]] == [
        "register",
        "verify",
        "handle",
        "answer",
        "close",
    ]
    assert all(s["who"] and s["at"] and s["text"] for s in done["steps"])
    types = [t for t, _ in events(station, "complaint.")]
    assert types == [
        "complaint.registered",
        "complaint.verified",
        "complaint.handled",
        "complaint.answered",
        "complaint.closed",
    ]
    assert rows(station, "SELECT id FROM sms_message") == []  # answered in person


def test_transferred_followed_answered_by_sms_and_closed_r_p2(
    client: TestClient, station: Station
) -> None:
    h = login(client, *MANAGER)  # the station head handles complaints too
    number = register(client, h, channel="hotline")
    done = walk_transfer(client, number, h)
    assert done["state"] == "closed" and done["transferred_to"] == "镇纪委"
    assert done["transfer_handler"] == "周明" and done["answer_via"] == "sms"
    steps = [(s["step"], s["label"]) for s in done["steps"]]
    assert steps == [
        ("register", "登记"),
        ("verify", "核实"),
        ("transfer", "转办"),
        ("follow", "跟踪"),
        ("result", "转办结果"),
        ("answer", "答复"),
        ("close", "办结"),
    ]
    [(kind, phone, body)] = rows(station, "SELECT kind, phone, body FROM sms_message")
    assert kind == "complaint_answered" and phone == PHONE
    assert number in body and "批评教育" in body


def test_the_answer_may_come_with_the_close_r_p2(client: TestClient) -> None:
    h = login(client, *COMPLAINTS)
    number = register(client, h)
    base = f"/api/complaints/{number}"
    post(client, f"{base}/verify", {"text": "不属实", "finding": "unsubstantiated"}, h)
    post(client, f"{base}/handle", {"text": "向投诉人解释办理流程"}, h)
    done = post(client, f"{base}/close", {"answer": "电话解释了流程", "via": "phone"}, h)
    assert done["state"] == "closed" and done["answer"] == "电话解释了流程"
    assert [s["step"] for s in done["steps"]][-2:] == ["answer", "close"]


def test_nothing_is_promised_before_the_facts_are_checked_r_p2(
    client: TestClient, station: Station
) -> None:
    h = login(client, *COMPLAINTS)
    number = register(client, h)
    base = f"/api/complaints/{number}"
    before = state(station)
    for url, body in [
        (f"{base}/handle", {"text": "马上给您办"}),
        (f"{base}/transfer", {"dept": "镇政府"}),
        (f"{base}/answer", {"text": "一定严肃处理", "via": "phone"}),
        (f"{base}/close", {"answer": "已处理", "via": "phone"}),
    ]:
        r = client.post(url, json=body, headers=h)
        assert r.status_code == 409, (url, r.text)
        assert "不得作出承诺" in r.json()["message"], r.json()
    assert state(station) == before


def test_a_complaint_cannot_close_without_an_answer_r_p2(
    client: TestClient, station: Station
) -> None:
    h = login(client, *COMPLAINTS)
    number = register(client, h)
    base = f"/api/complaints/{number}"
    post(client, f"{base}/verify", {"text": "属实", "finding": "substantiated"}, h)
    post(client, f"{base}/handle", {"text": "已协调"}, h)
    before = state(station)
    r = client.post(f"{base}/close", json={"text": "办结"}, headers=h)
    assert r.status_code == 409 and "尚未答复投诉人" in r.json()["message"]
    r = client.post(f"{base}/close", json={"answer": "已处理"}, headers=h)
    assert r.status_code == 400 and "答复方式" in r.json()["message"]
    assert state(station) == before


BAD_STEPS = [
    ("verify", {"text": " ", "finding": "partly"}, 400, "核实情况"),
    ("verify", {"text": "查了", "finding": "maybe"}, 400, "核实结论"),
    ("transfer", {"dept": "  "}, 400, "转办的部门"),
    ("answer", {"text": "好", "via": "phone"}, 409, "应先"),
    ("follow", {"text": "催办"}, 409, "应先"),
]


@pytest.mark.parametrize(("step", "body", "status", "words"), BAD_STEPS)
def test_bad_steps_are_refused_and_change_nothing_r_p2(
    client: TestClient, station: Station, step: str, body: dict[str, str], status: int, words: str
) -> None:
    h = login(client, *COMPLAINTS)
    number = register(client, h)
    if step != "verify":
        post(client, f"/api/complaints/{number}/verify", {"text": "属实", "finding": "partly"}, h)
    before = state(station)
    r = client.post(f"/api/complaints/{number}/{step}", json=body, headers=h)
    assert r.status_code == status, r.text
    assert words in r.json()["message"], r.json()
    assert state(station) == before


def test_answer_channels_need_a_way_to_reach_the_complainant_r_p2(
    client: TestClient, station: Station
) -> None:
    h = login(client, *COMPLAINTS)
    anonymous = register(
        client, h, complainant_name="", complainant_phone="", complainant_contact=""
    )
    named = register(client, h)
    for number in (anonymous, named):
        post(client, f"/api/complaints/{number}/verify", {"text": "属实", "finding": "partly"}, h)
        post(client, f"/api/complaints/{number}/handle", {"text": "已整改"}, h)
    before = state(station)
    r = client.post(
        f"/api/complaints/{anonymous}/answer", json={"text": "已整改", "via": "sms"}, headers=h
    )
    assert r.status_code == 400 and "手机号码" in r.json()["message"]
    r = client.post(
        f"/api/complaints/{named}/answer", json={"text": "已整改", "via": "posted"}, headers=h
    )
    assert r.status_code == 400 and "应直接答复投诉人" in r.json()["message"]
    assert state(station) == before
    posted = post(
        client, f"/api/complaints/{anonymous}/answer", {"text": "已整改", "via": "posted"}, h
    )
    assert posted["state"] == "answered"


@pytest.mark.parametrize("who", [WINDOW_CLERK, GUIDE])
def test_only_the_complaints_role_and_the_head_handle_complaints_r_p2(
    client: TestClient, station: Station, who: tuple[str, str]
) -> None:
    number = register(client, login(client, *COMPLAINTS))
    h = login(client, *who)
    before = state(station)
    assert client.post("/api/complaints", json={"content": "x"}, headers=h).status_code == 403
    r = client.post(
        f"/api/complaints/{number}/verify", json={"text": "属实", "finding": "partly"}, headers=h
    )
    assert r.status_code == 403
    assert state(station) == before
    # a complaint that is not confidential may be read by every staff member
    r = client.get(f"/api/complaints/{number}", headers=h)
    assert r.status_code == 200 and r.json()["number"] == number


def test_each_step_event_carries_the_state_for_the_county_r_p2(
    client: TestClient, station: Station
) -> None:
    h = login(client, *COMPLAINTS)
    walk_transfer(client, register(client, h, channel="web"), h)
    with station.services.db.read() as s:
        last = s.execute(
            text("SELECT payload FROM event WHERE type = 'complaint.closed'")
        ).scalar_one()
    payload = json.loads(last)
    assert payload["state"] == "closed" and payload["channel"] == "web"
    assert payload["finding"] == "substantiated" and payload["transferred_to"] == "镇纪委"
    assert payload["complainant"] == "欧**兰" and payload["complainant_phone"] == "137****5678"
    assert "欧阳秀兰" not in json.dumps(payload, ensure_ascii=False)  # masked (R-I3)
