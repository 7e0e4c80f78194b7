"""The rating channels over HTTP (R-E1, R-E2): the keypad, the window tablet, the one-time
link, the comment box; one rating per finished service, none before it ends. Every refusal
is a 4xx in Chinese that changes nothing."""

from __future__ import annotations

import json

from litestar.testing import TestClient
from sqlmodel import col, select

from appliance.events.tables import Event
from tests.ratings.support import device, finish_case, open_case, ratings, serve, token
from tests.support.fingerprint import fingerprint
from tests.support.station import GUIDE, MANAGER, WINDOW_CLERK, Station, login


def events(st: Station, type_: str) -> list[dict[str, object]]:
    with st.services.db.read() as s:
        rows = s.exec(select(Event).where(Event.type == type_).order_by(col(Event.seq)))
        return [json.loads(e.payload) for e in rows]


def test_keypad_rates_the_service_just_finished_once_r_e2(
    client: TestClient, station: Station
) -> None:
    dev = device(station)
    before = fingerprint(station.services.db)
    r = client.post("/api/device/ratings", headers=dev, json={"window": "1", "level": 5})
    assert r.status_code == 409 and "还没有办结" in r.json()["message"]  # no 事前评价
    assert fingerprint(station.services.db) == before
    t = serve(station)
    r = client.post("/api/device/ratings", headers=dev, json={"window": "1", "level": 5})
    assert r.status_code == 201 and r.json()["recorded"] is True
    assert (r.json()["ticket_number"], r.json()["label"]) == (t.number, "非常满意")
    # a second press (the issue: 5 then 4 on one service) is ignored and changes nothing
    before = fingerprint(station.services.db)
    r = client.post("/api/device/ratings", headers=dev, json={"window": "1", "level": 1})
    assert r.status_code == 201 and r.json()["recorded"] is False and "不计" in r.json()["note"]
    assert fingerprint(station.services.db) == before
    assert [(x.level, x.source, x.subject_ref) for x in ratings(station)] == [(5, "keypad", "A001")]
    given = events(station, "rating.given")
    assert len(given) == 1 and given[0]["source"] == "keypad" and given[0]["level"] == 5


def test_keypad_offers_a_service_only_for_a_short_time_r_e2(
    client: TestClient, station: Station
) -> None:
    serve(station)
    station.clock.advance(seconds=station.settings.rating_offer_seconds + 1)
    r = client.post(
        "/api/device/ratings", headers=device(station), json={"window": "1", "level": 4}
    )
    assert r.status_code == 409 and ratings(station) == []


def test_keypad_refuses_bad_input_in_chinese_and_changes_nothing_r_e2(
    client: TestClient, station: Station
) -> None:
    serve(station)
    before = fingerprint(station.services.db)
    dev = device(station)
    for body, status, words in (
        ({"window": "1", "level": 6}, 400, "评价等级"),
        ({"window": "1", "level": 0}, 400, "评价等级"),
        ({"window": "1", "level": 2.5}, 400, "评价等级"),
        ({"window": "9", "level": 3}, 404, "找不到 9 号窗口"),
        ({"level": 3}, 400, ""),
    ):
        r = client.post("/api/device/ratings", headers=dev, json=body)
        assert r.status_code == status, (body, r.text)
        assert words in r.json()["message"]
    assert client.post("/api/device/ratings", json={"window": "1", "level": 3}).status_code == 403
    assert fingerprint(station.services.db) == before


def test_a_bad_keypad_rating_opens_a_follow_up_with_its_deadlines_r_e3(
    client: TestClient, station: Station
) -> None:
    serve(station, phone="13900001111")
    client.post("/api/device/ratings", headers=device(station), json={"window": "1", "level": 1})
    (r,) = ratings(station)
    assert r.real_name and r.contact_phone == "13900001111"
    (opened,) = events(station, "rating.followup_opened")
    assert opened["contact_due"] == "2026-11-24" and opened["rectify_due"] == "2026-12-14"
    assert opened["real_name"] is True and "13900001111" not in json.dumps(opened)


def test_the_tablet_offers_the_windows_last_service_then_forgets_it_r_e2(
    client: TestClient, station: Station
) -> None:
    offer = client.get("/api/ratings/windows/1/offer").json()
    assert offer["available"] is False and "办理结束后" in offer["message"]
    serve(station)
    offer = client.get("/api/ratings/windows/1/offer").json()
    assert offer["available"] is True and offer["ticket_number"] == "A001"
    assert [o["label"] for o in offer["options"]["levels"]][0] == "非常满意"
    body = {"ticket_number": "A001", "level": 2}
    r = client.post("/api/ratings/windows/1", json=body)
    assert r.status_code == 400 and "不满意的原因" in r.json()["message"]
    body |= {"reason": "waiting", "dimensions": {"attitude": 4, "efficiency": 1}}
    r = client.post("/api/ratings/windows/1", json=body)
    assert r.status_code == 201 and r.json()["bad"] is True
    (x,) = ratings(station)
    assert (x.source, x.reason, json.loads(x.dimensions)) == (
        "tablet",
        "waiting",
        {"attitude": 4, "efficiency": 1},
    )
    assert client.post("/api/ratings/windows/1", json=body).status_code == 409
    assert "已评价" in client.get("/api/ratings/windows/1/offer").json()["message"]


def test_the_tablet_refuses_a_service_it_no_longer_offers_r_e2(
    client: TestClient, station: Station
) -> None:
    serve(station)
    station.clock.advance(seconds=30)
    serve(station)  # A002 finished since the page showed A001
    r = client.post("/api/ratings/windows/1", json={"ticket_number": "A001", "level": 5})
    assert r.status_code == 409 and "已办理下一位" in r.json()["message"]
    station.clock.advance(minutes=10)
    r = client.post("/api/ratings/windows/1", json={"ticket_number": "A002", "level": 5})
    assert r.status_code == 409 and ratings(station) == []


def test_the_receipt_link_rates_its_one_service_once_r_e2(
    client: TestClient, station: Station
) -> None:
    q = station.services.queue
    t = q.issue("A", "kiosk")
    link = token(station, "ticket", t.id)
    check = client.post("/api/ratings/link/check", json={"token": link}).json()
    assert check["state"] == "not_finished" and "不能事前评价" in check["message"]
    r = client.post("/api/ratings/link", json={"token": link, "level": 5})
    assert r.status_code == 409 and "不能事前评价" in r.json()["message"]
    q.call_next("1")
    q.finish("1")
    assert client.post("/api/ratings/link/check", json={"token": link}).json()["state"] == "open"
    r = client.post("/api/ratings/link", json={"token": link, "level": 4})
    assert r.status_code == 201 and r.json()["label"] == "满意"
    r = client.post("/api/ratings/link", json={"token": link, "level": 1, "reason": "other"})
    assert r.status_code == 409 and "只能评价一次" in r.json()["message"]
    assert client.post("/api/ratings/link/check", json={"token": link}).json()["state"] == "rated"
    assert [(x.level, x.source) for x in ratings(station)] == [(4, "qr")]


def test_a_forged_or_altered_link_is_refused_r_e2(client: TestClient, station: Station) -> None:
    t = serve(station)
    good = token(station, "ticket", t.id)
    other = serve(station)
    forged = good.replace(t.id, other.id)  # another service with this service's code
    before = fingerprint(station.services.db)
    for bad in (forged, good[:-1] + ("A" if good[-1] != "A" else "B"), "t.x.y", "", "c." + good):
        r = client.post("/api/ratings/link", json={"token": bad, "level": 5})
        assert r.status_code in (400, 404), (bad, r.text)
        assert r.status_code == 400 or r.json()["message"] == "评价链接无效，请核对后重新扫码"
    assert fingerprint(station.services.db) == before


def test_the_link_closes_after_the_rating_period_r_e2(client: TestClient, station: Station) -> None:
    number = finish_case(station)
    link = token(station, "case", number)
    station.clock.advance(days=7, seconds=1)
    assert client.post("/api/ratings/link/check", json={"token": link}).json()["state"] == "closed"
    r = client.post("/api/ratings/link", json={"token": link, "level": 5})
    assert r.status_code == 409 and "已超过评价期限" in r.json()["message"]


def test_a_case_is_rated_only_once_it_is_finished_r_e2(
    client: TestClient, station: Station
) -> None:
    number = open_case(station)
    link = token(station, "case", number)
    r = client.post("/api/ratings/link", json={"token": link, "level": 5})
    assert r.status_code == 409 and "尚未办结" in r.json()["message"]
    station.services.cases.act(number, "refuse", {"reason": "不符合申领年龄条件"}, "ck01")
    r = client.post("/api/ratings/link", json={"token": link, "level": 5})
    assert r.status_code == 201
    (x,) = ratings(station)
    assert (x.subject_kind, x.subject_ref, x.real_name) == ("case", number, True)


def test_staff_logins_are_refused_on_every_visitor_rating_route_r_e2(
    client: TestClient, station: Station
) -> None:
    t = serve(station)
    h = login(client, *MANAGER)
    link = token(station, "ticket", t.id)
    before = fingerprint(station.services.db)
    r = client.post("/api/ratings/link", headers=h, json={"token": link, "level": 5})
    assert r.status_code == 403 and "工作人员不能代替群众评价" in r.json()["message"]
    body = {"ticket_number": t.number, "level": 5}
    assert client.post("/api/ratings/windows/1", headers=h, json=body).status_code == 403
    assert (
        client.post("/api/device/ratings", headers=h, json={"window": "1", "level": 5}).status_code
        == 403
    )
    assert fingerprint(station.services.db) == before
    assert client.post("/api/ratings/link", json={"token": link, "level": 5}).status_code == 201


def test_the_comment_box_is_stored_under_the_transcriber_never_the_visitor_r_e2(
    client: TestClient, station: Station
) -> None:
    serve(station, phone="13900001111")  # the visitor left a phone with the ticket
    h = login(client, *MANAGER)
    card = {"subject_kind": "ticket", "ref": "a001", "level": 2, "reason_text": "等了很久"}
    r = client.post("/api/ratings/comment-box", headers=h, json=card)
    assert r.status_code == 201, r.text
    view = r.json()
    assert (view["source"], view["source_label"]) == ("comment_box", "意见箱（工作人员录入）")
    assert view["transcribed_by_name"] and view["real_name"] is False
    (x,) = ratings(station)
    assert x.contact_phone is None and x.transcribed_by is not None  # not the ticket's phone
    (given,) = events(station, "rating.given")
    assert given["source"] == "comment_box" and given["transcribed_by"] == x.transcribed_by
    r = client.post("/api/ratings/comment-box", headers=h, json=card)
    assert r.status_code == 409 and "只能评价一次" in r.json()["message"]
    # a window clerk or a guide may not transcribe (nor rate in any other way)
    for who in (WINDOW_CLERK, GUIDE):
        other = login(client, *who)
        assert client.post("/api/ratings/comment-box", headers=other, json=card).status_code == 403


def test_comment_box_bad_input_is_refused_in_chinese_r_e2(
    client: TestClient, station: Station
) -> None:
    serve(station)
    h = login(client, *MANAGER)
    before = fingerprint(station.services.db)
    for body, status, words in (
        ({"subject_kind": "ticket", "ref": "A009", "level": 3}, 404, "没有 A009 号"),
        ({"subject_kind": "case", "ref": "X-1", "level": 3}, 404, "找不到办件编号"),
        ({"subject_kind": "ticket", "ref": "A001", "level": 7}, 400, "评价等级"),
        ({"subject_kind": "queue", "ref": "A001", "level": 3}, 400, ""),
        ({"subject_kind": "ticket", "ref": "A001", "level": 3, "contact_phone": "12"}, 400, ""),
    ):
        r = client.post("/api/ratings/comment-box", headers=h, json=body)
        assert r.status_code == status, (body, r.text)
        assert words in r.json()["message"]
    assert fingerprint(station.services.db) == before
