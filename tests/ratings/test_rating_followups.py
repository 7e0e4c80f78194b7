"""The follow-up of every bad rating to closure (回访, R-E3): each step records who, when and
what; no closing without a 回访 record; overdue follow-ups alert on the terminal and write an
event for the county; an appeal is decided by the station head and both stay on record."""

from __future__ import annotations

import json
from typing import Any

from litestar.testing import TestClient
from sqlmodel import col, select

from appliance.events.tables import Event
from appliance.ratings.service.sweep import RatingSweep
from tests.ratings.support import device, followups, ratings, serve
from tests.support.fingerprint import fingerprint
from tests.support.station import COMPLAINTS, MANAGER, WINDOW_CLERK, Station, login


def bad_rating(client: TestClient, st: Station, phone: str | None = "13900001111") -> str:
    """A 非常不满意 at window 1's keypad; the id of its follow-up."""
    serve(st, phone=phone)
    r = client.post("/api/device/ratings", headers=device(st), json={"window": "1", "level": 1})
    assert r.status_code == 201 and r.json()["recorded"], r.text
    return followups(st)[-1].id


def step(client: TestClient, h: dict[str, str], fid: str, name: str, text: str) -> Any:
    return client.post(
        f"/api/ratings/followups/{fid}/steps", headers=h, json={"step": name, "text": text}
    )


def events(st: Station, prefix: str) -> list[tuple[str, dict[str, Any]]]:
    with st.services.db.read() as s:
        rows = s.exec(
            select(Event).where(col(Event.type).startswith(prefix)).order_by(col(Event.seq))
        )
        return [(e.type, json.loads(e.payload)) for e in rows]


def test_a_follow_up_walks_verify_rectify_callback_close_r_e3(
    client: TestClient, station: Station
) -> None:
    fid = bad_rating(client, station)
    head = login(client, *MANAGER)
    listed = client.get("/api/ratings/followups", headers=head).json()
    assert [(f["id"], f["state_label"], f["contact_masked"]) for f in listed] == [
        (fid, "待核实", "139****1111")
    ]
    detail = client.get(f"/api/ratings/followups/{fid}", headers=head).json()
    assert detail["contact_phone"] == "13900001111" and detail["rating"]["label"] == "非常不满意"
    assert [a["label"] for a in detail["allowed"]] == ["核实"]
    for name, text, state in (
        ("verify", "已电话联系评价人，反映等候时间长", "待整改或说明"),
        ("rectify", "午间增开 2 号窗口", "待回访"),
        ("callback", "评价人表示满意", "待办结"),
        ("close", "整改到位，办结", "已办结"),
    ):
        station.clock.advance(hours=1)
        r = step(client, head, fid, name, text)
        assert r.status_code == 201, r.text
        assert r.json()["summary"]["state_label"] == state
    steps = r.json()["steps"]
    assert [(s["label"], s["text"]) for s in steps][-1] == ("办结", "整改到位，办结")
    assert all(s["who_name"] for s in steps) and len({s["at"] for s in steps}) == 4
    assert client.get("/api/ratings/followups", headers=head).json() == []
    closed = client.get("/api/ratings/followups?closed=1", headers=head).json()
    assert [f["state"] for f in closed] == ["closed"]
    kinds = [(t, p.get("step")) for t, p in events(station, "rating.followup")]
    assert kinds == [
        ("rating.followup_opened", None),
        ("rating.followup_step", "verify"),
        ("rating.followup_step", "rectify"),
        ("rating.followup_step", "callback"),
        ("rating.followup_step", "close"),
    ]


def test_a_follow_up_cannot_close_without_a_callback_record_r_e3(
    client: TestClient, station: Station
) -> None:
    fid = bad_rating(client, station)
    h = login(client, *COMPLAINTS)
    assert step(client, h, fid, "verify", "核实属实").status_code == 201
    assert step(client, h, fid, "explain", "向评价人说明了办理时限").status_code == 201
    before = fingerprint(station.services.db)
    r = step(client, h, fid, "close", "办结")
    assert r.status_code == 409 and "尚未回访，不能办结" in r.json()["message"]
    assert fingerprint(station.services.db) == before


def test_follow_up_steps_refuse_bad_input_and_change_nothing_r_e3(
    client: TestClient, station: Station
) -> None:
    fid = bad_rating(client, station)
    h = login(client, *MANAGER)
    clerk = login(client, *WINDOW_CLERK)  # the window rated may not work its own follow-up
    before = fingerprint(station.services.db)
    for name, text, status, words in (
        ("verify", "   ", 400, "请填写核实情况"),
        ("rectify", "先整改", 409, "应先记录核实"),
        ("bribe", "x", 400, ""),
        ("verify", "x" * 301, 400, ""),
    ):
        r = step(client, h, fid, name, text)
        assert r.status_code == status, (name, r.text)
        assert words in r.json()["message"]
    r = step(client, h, "no-such-followup", "verify", "x")
    assert r.status_code == 404 and "找不到该差评回访记录" in r.json()["message"]
    assert step(client, clerk, fid, "verify", "核实").status_code == 403
    assert fingerprint(station.services.db) == before


def test_an_overdue_follow_up_alerts_the_terminal_and_reaches_the_county_r_e3(
    client: TestClient, station: Station
) -> None:
    fid = bad_rating(client, station)  # Monday 2026-11-23: contact by Tuesday
    sweep = RatingSweep(station.services.ratings, station.services.followups)
    station.clock.advance(days=1)  # Tuesday: still in time
    assert sweep.run().lines == []
    station.clock.advance(days=1)  # Wednesday: 核实 is overdue
    assert sweep.run().lines == ["差评回访超期 A001"]
    assert sweep.run().lines == []  # once only
    h = login(client, *MANAGER)
    (alert,) = client.get("/api/alerts", headers=h).json()
    assert "差评回访超期" in alert["message"] and "超过联系期限未核实" in alert["message"]
    overdue = [p for t, p in events(station, "rating.followup_overdue")]
    assert overdue == [
        {
            "rating_id": ratings(station)[0].id,
            "overdue": "contact",
            "due_on": "2026-11-24",
            "state": "verify",
        }
    ]
    listed = client.get("/api/ratings/followups", headers=h).json()
    assert listed[0]["overdue"] == ["超过联系期限未核实"]
    assert step(client, h, fid, "verify", "已联系").status_code == 201
    assert client.get("/api/alerts", headers=h).json() == []  # caught up: the alert clears


def test_an_appeal_is_decided_by_the_head_and_both_stay_on_record_r_e3(
    client: TestClient, station: Station
) -> None:
    fid = bad_rating(client, station)
    h = login(client, *COMPLAINTS)
    body = {"grounds": "mistake", "by": "visitor", "text": "评价人来电说按错了键"}
    r = client.post(f"/api/ratings/followups/{fid}/appeal", headers=h, json=body)
    assert r.status_code == 201 and r.json()["summary"]["appeal"] == "申诉待裁定"
    r = client.post(f"/api/ratings/followups/{fid}/appeal", headers=h, json=body)
    assert r.status_code == 409 and "不能重复申诉" in r.json()["message"]
    decision = {"upheld": True, "text": "核实为误按"}
    r = client.post(f"/api/ratings/followups/{fid}/appeal/decision", headers=h, json=decision)
    assert r.status_code == 403  # only the station head decides
    head = login(client, *MANAGER)
    r = client.post(f"/api/ratings/followups/{fid}/appeal/decision", headers=head, json=decision)
    assert r.status_code == 201, r.text
    d = r.json()
    assert d["appeal"]["text"] == body["text"] and d["appeal"]["upheld"] is True
    assert d["appeal"]["decision"] == "核实为误按" and d["rating"]["voided"] is True
    assert d["rating"]["level"] == 1  # the rating itself is never altered
    assert [s["label"] for s in d["steps"]] == ["申诉", "申诉裁定"]
    r = client.post(f"/api/ratings/followups/{fid}/appeal/decision", headers=head, json=decision)
    assert r.status_code == 409 and "不能更改" in r.json()["message"]


def test_rates_show_satisfaction_activity_and_follow_up_completion_r_e3_r_e4(
    client: TestClient, station: Station
) -> None:
    fid = bad_rating(client, station)  # real-name (a phone), followed up below
    station.clock.advance(minutes=5)
    bad_rating(client, station, phone=None)  # anonymous, left open
    station.clock.advance(minutes=5)
    serve(station)
    client.post("/api/device/ratings", headers=device(station), json={"window": "1", "level": 5})
    station.clock.advance(minutes=5)
    serve(station)  # not rated (pending)
    h = login(client, *MANAGER)
    for name in ("verify", "rectify", "callback", "close"):
        assert step(client, h, fid, name, "已处理").status_code == 201
    r = client.get("/api/ratings/rates?first=2026-11-23&last=2026-11-23", headers=h).json()
    assert (r["services"], r["rated"], r["pending"], r["missing"]) == (4, 3, 1, 0)
    assert (r["good"], r["bad"], r["good_rate"], r["active_rate"]) == (1, 2, 1 / 3, 3 / 4)
    assert (r["followups"], r["followups_closed"], r["followup_rate"]) == (2, 1, 0.5)
    assert (r["real_name_followups"], r["real_name_rate"]) == (1, 1.0)
    assert r["meets_target"] is False and r["by_source"] == {"keypad": 3}
    station.clock.advance(days=8)
    h = login(client, *MANAGER)  # the morning's session has run out
    later = client.get("/api/ratings/rates?first=2026-11-23&last=2026-11-23", headers=h).json()
    assert (later["pending"], later["missing"]) == (0, 1)
    bad = client.get("/api/ratings/rates?first=2026-11-24&last=2026-11-23", headers=h)
    assert bad.status_code == 400 and "结束日期" in bad.json()["message"]
