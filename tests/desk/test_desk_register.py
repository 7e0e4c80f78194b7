""" "办不成事" register (R-P1): the four kinds of entry, each step on record, the visitor told
who handles a transfer by SMS or on a printed slip, and bad input refused with nothing
changed."""

from __future__ import annotations

import json
import subprocess
from typing import Any

import pytest
from litestar.testing import TestClient

from appliance.documents.pdf import Notice, render_notice_pdf
from tests.desk.desk_support import MOBILE, VISITOR, body, events, rows, state
from tests.support.station import GUIDE, WINDOW_CLERK, Station, login


def register(client: TestClient, headers: dict[str, str], **kw: Any) -> dict[str, Any]:
    r = client.post("/api/desk", json=body(**kw), headers=headers)
    assert r.status_code == 201, r.text
    return dict(r.json())


def test_simple_matter_is_settled_on_the_spot_r_p1(client: TestClient, station: Station) -> None:
    entry = register(client, login(client, *GUIDE), kind="simple")
    assert entry["number"] == "BC-20261123-001"
    assert entry["status"] == "closed" and entry["status_label"] == "当场办结"
    assert entry["result"] == "当场帮助完成人脸识别认证" and entry["closed_by"]
    assert entry["due_on"] is None
    assert [(s["step"], s["label"]) for s in entry["steps"]] == [
        ("register", "登记"),
        ("resolve", "当场办理"),
    ]
    assert all(s["who"] and s["at"] and s["text"] for s in entry["steps"])
    [(kind, payload)] = events(station, "desk.")
    assert kind == "desk.registered" and payload["kind"] == "simple"
    assert payload["visitor_name"] == "王*英" and payload["visitor_phone"] == "139****5678"
    assert VISITOR not in json.dumps(payload, ensure_ascii=False)  # R-I3: masked


def test_complex_matter_gets_five_working_days_r_p1(client: TestClient) -> None:
    entry = register(client, login(client, *WINDOW_CLERK), kind="complex")
    assert entry["status"] == "open" and entry["status_label"] == "办理中"
    assert entry["due_on"] == "2026-11-30"  # Mon 23 Nov + 5 working days
    assert not entry["overdue"] and not entry["due_provisional"]
    open_list = client.get("/api/desk", headers=login(client, *GUIDE)).json()
    assert [e["number"] for e in open_list] == [entry["number"]]


def test_outside_the_remit_tells_where_to_go_r_p1(client: TestClient) -> None:
    entry = register(client, login(client, *GUIDE), kind="outside")
    assert entry["status"] == "closed" and entry["status_label"] == "已告知去向"
    assert entry["referral"] == "县医疗保障局（县政务服务中心二楼）"
    assert entry["steps"][-1]["step"] == "refer"
    assert "县医疗保障局" in entry["steps"][-1]["text"]


def test_transfer_names_the_handler_the_same_day_and_texts_the_visitor_r_p1(
    client: TestClient, station: Station
) -> None:
    entry = register(client, login(client, *WINDOW_CLERK), kind="transfer")
    assert entry["status"] == "open" and entry["status_label"] == "转办跟踪中"
    assert entry["handler_dept"] == "镇社会保障所" and entry["handler_name"] == "李建国"
    assert entry["notify_by"] == "sms" and entry["notified_at"] == entry["reported_at"]
    steps = [s["step"] for s in entry["steps"]]
    assert steps == ["register", "transfer", "notify"]
    [(kind, phone, text_)] = rows(station, "SELECT kind, phone, body FROM sms_message")
    assert kind == "desk_transferred" and phone == MOBILE
    assert "镇社会保障所" in text_ and "李建国" in text_ and entry["number"] in text_
    assert VISITOR not in text_  # the SMS never names the visitor
    types = [t for t, _ in events(station, "desk.")]
    assert types == ["desk.registered", "desk.notified"]
    transferred = rows(station, "SELECT transferred_at, reported_at FROM desk_entry")
    assert transferred[0][0] == transferred[0][1]  # 当日转办: at registration


def test_transfer_on_paper_prints_the_slip_r_p1(client: TestClient, station: Station) -> None:
    entry = register(
        client, login(client, *GUIDE), kind="transfer", notify_by="paper", visitor_phone=""
    )
    assert entry["notify_by"] == "paper" and entry["print_job_id"]
    [(kind, copies, payload)] = rows(station, "SELECT kind, copies, payload FROM print_job")
    assert kind == "notice" and copies == 1
    notice = Notice(**json.loads(payload)["notice"])
    assert notice.title == "“办不成事”转办告知单" and notice.number == entry["number"]
    pdf = render_notice_pdf(notice)
    text_ = subprocess.run(
        ["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    for words in ("转办告知单", "镇社会保障所", "李建国", "0371-62345678", entry["number"]):
        assert words in text_, words


def test_a_transfer_can_tell_the_visitor_again_r_p1(client: TestClient, station: Station) -> None:
    h = login(client, *GUIDE)
    number = register(client, h, kind="transfer")["number"]
    r = client.post(f"/api/desk/{number}/notify", json={"by": "paper"}, headers=h)
    assert r.status_code == 201, r.text
    assert [s["step"] for s in r.json()["steps"]][-2:] == ["notify", "notify"]
    assert len(rows(station, "SELECT id FROM print_job")) == 1
    assert len(rows(station, "SELECT id FROM sms_message")) == 1


def test_follow_up_and_close_record_who_when_what_r_p1(client: TestClient) -> None:
    h = login(client, *WINDOW_CLERK)
    number = register(client, h, kind="transfer")["number"]
    r = client.post(f"/api/desk/{number}/notes", json={"text": "已电话催办李建国"}, headers=h)
    assert r.status_code == 201, r.text
    r = client.post(
        f"/api/desk/{number}/close",
        json={"result": "社保所已办结认证，电话告知服务对象"},
        headers=h,
    )
    assert r.status_code == 201, r.text
    done = r.json()
    assert done["status"] == "closed" and done["status_label"] == "已办结"
    assert done["result"] == "社保所已办结认证，电话告知服务对象"
    assert [s["step"] for s in done["steps"]][-2:] == ["note", "close"]
    assert done["steps"][-1]["who"] == done["closed_by"] != ""


REFUSALS = [
    ({"kind": "simple", "resolution": ""}, 400, "办理或答复情况"),
    ({"kind": "outside", "referral": " "}, 400, "向哪个机关反映"),
    ({"kind": "transfer", "handler_name": ""}, 400, "承办人姓名"),
    ({"kind": "transfer", "handler_dept": ""}, 400, "承办部门"),
    ({"kind": "transfer", "notify_by": None}, 400, "短信或书面告知单"),
    ({"kind": "transfer", "visitor_phone": "0371-1234"}, 400, "11 位手机号码"),
    ({"kind": "complex", "resolution": "已办好"}, 400, "不填办理情况"),
    ({"kind": "simple", "notify_by": "sms"}, 400, "只有转办"),
    ({"kind": "complex", "problem": "  "}, 400, "反映的问题"),
    ({"kind": "sometime"}, 400, "类型"),
    ({"kind": "simple", "visitor_name": "张\n三"}, 400, "服务对象姓名"),
]


@pytest.mark.parametrize(("over", "status", "words"), REFUSALS)
def test_bad_registrations_are_refused_and_change_nothing_r_p1(
    client: TestClient, station: Station, over: dict[str, Any], status: int, words: str
) -> None:
    h = login(client, *GUIDE)
    kind = str(over.pop("kind"))
    payload = body(kind if kind in ("simple", "complex", "outside", "transfer") else "simple")
    payload.update(over, kind=kind)
    before = state(station)
    r = client.post("/api/desk", json=payload, headers=h)
    assert r.status_code == status, r.text
    assert words in r.json()["message"]
    assert state(station) == before


def test_bad_steps_are_refused_and_change_nothing_r_p1(
    client: TestClient, station: Station
) -> None:
    h = login(client, *GUIDE)
    simple = register(client, h, kind="simple")["number"]
    complex_ = register(client, h, kind="complex")["number"]
    before = state(station)
    cases = [
        (f"/api/desk/{complex_}/close", {"result": " "}, 400, "不能办结"),
        (f"/api/desk/{simple}/close", {"result": "再办一次"}, 409, "已办结"),
        (f"/api/desk/{simple}/notes", {"text": "补记"}, 409, "已办结"),
        (f"/api/desk/{complex_}/notes", {"text": ""}, 400, "跟踪情况"),
        (f"/api/desk/{complex_}/notify", {"by": "sms"}, 409, "不是转办"),
        ("/api/desk/BC-20261123-999/close", {"result": "x"}, 404, "找不到"),
    ]
    for url, payload, status, words in cases:
        r = client.post(url, json=payload, headers=h)
        assert r.status_code == status, (url, r.text)
        assert words in r.json()["message"], (url, r.json())
    assert state(station) == before
