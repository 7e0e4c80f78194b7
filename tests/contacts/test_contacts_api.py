"""首问登记 API (R-C1): every contact records the first responder, the matter, the channel
and the outcome; guiding issues or links a ticket through the queue; two answering staff
make the higher-ranked one responsible; a contact becomes a consultation or a case without
retyping; bad input is refused in Chinese and changes nothing."""

from __future__ import annotations

from typing import Any

from litestar.testing import TestClient
from sqlalchemy import text

from tests.contacts.ledger_support import events, ledger_fingerprint
from tests.support.station import GUIDE, MANAGER, WINDOW_CLERK, Station, login

ITEM = "410122-MZ-001"  # 高龄津贴申请 (category C)


def record(client: TestClient, h: dict[str, str], **body: Any) -> Any:
    return client.post("/api/contacts", json={"matter": "高龄津贴怎么申请", **body}, headers=h)


def test_guided_to_a_category_issues_a_ticket_through_the_queue_r_c1(
    station: Station, client: TestClient
) -> None:
    h = login(client, *GUIDE)
    r = record(client, h, outcome="guided", category="a", item_code=ITEM)
    assert r.status_code == 201, r.text
    c = r.json()
    assert c["first_responder"]["name"] == "张伟" and c["first_responder"]["role"] == "guide"
    assert c["responsible"] == c["first_responder"] and c["second_responder"] is None
    assert (c["outcome"], c["outcome_label"], c["open"]) == ("guided", "引导至窗口", False)
    assert c["ticket_number"] == "A001" and c["guided_to"] == "A001 号 · 综合受理（1 号窗口）"
    assert (c["channel"], c["channel_label"], c["item_code"]) == ("onsite", "现场", ITEM)
    with station.services.db.read() as s:
        ticket = s.execute(text("SELECT number, source, issued_by FROM ticket")).one()
        jobs = s.execute(text("SELECT count(*) FROM print_job WHERE kind='receipt'")).scalar()
    assert ticket[:2] == ("A001", "staff") and ticket[2] == c["first_responder"]["staff_id"]
    assert jobs == 1  # the queue's own receipt
    assert [t for t, _ in events(station.services.db, "ticket.")] == ["ticket.issued"]
    [(kind, payload)] = events(station.services.db, "contact.")
    assert kind == "contact.recorded" and payload["ticket_number"] == "A001"


def test_guided_can_link_the_ticket_already_taken_r_c1(
    station: Station, client: TestClient
) -> None:
    h = login(client, *GUIDE)
    taken = client.post("/api/tickets", json={"category": "B"}, headers=h).json()
    r = record(client, h, outcome="guided", ticket=taken["number"].lower())
    assert r.status_code == 201, r.text
    assert r.json()["ticket_id"] == taken["id"] and r.json()["ticket_number"] == "B001"
    with station.services.db.read() as s:
        assert s.execute(text("SELECT count(*) FROM ticket")).scalar() == 1  # nothing new
    before = ledger_fingerprint(station.services.db)
    r = record(client, h, outcome="guided", ticket="B099")
    assert r.status_code == 404 and "B099" in r.json()["message"]
    assert ledger_fingerprint(station.services.db) == before


def test_two_staff_answering_make_the_higher_ranked_responsible_r_c1(
    station: Station, client: TestClient
) -> None:
    guide = login(client, *GUIDE)
    r = record(client, guide, outcome="answered", answer="带身份证", second_staff=MANAGER[0])
    assert r.status_code == 201, r.text
    c = r.json()
    assert c["first_responder"]["name"] == "张伟"
    assert c["second_responder"]["role"] == "manager"
    assert c["responsible"]["name"] == c["second_responder"]["name"] == "李建国"
    clerk = login(client, *WINDOW_CLERK)
    same_rank = record(client, clerk, outcome="answered", second_staff="bd01").json()
    assert same_rank["responsible"] == same_rank["first_responder"]  # equal rank: first
    [_, (_, payload)] = events(station.services.db, "contact.")
    assert payload["responsible_staff_id"] == same_rank["first_responder"]["staff_id"]


def test_referred_and_answered_keep_where_to_go_and_what_was_said_r_c1(
    station: Station, client: TestClient
) -> None:
    h = login(client, *WINDOW_CLERK)
    r = record(
        client,
        h,
        matter="房产过户",
        channel="phone",
        outcome="referred",
        referred_to="县不动产登记中心（县政务大厅二楼）",
        visitor_name="张桂兰",
        visitor_contact="13800001234",
    )
    assert r.status_code == 201, r.text
    assert r.json()["referred_to"] == "县不动产登记中心（县政务大厅二楼）"
    assert r.json()["channel_label"] == "电话"
    [(_, payload)] = events(station.services.db, "contact.")
    assert payload["visitor_name"] == "张*兰" and payload["visitor_contact"] == "138****1234"
    assert "13800001234" not in str(payload)


def test_bad_input_is_refused_in_chinese_and_changes_nothing_r_c1(
    station: Station, client: TestClient
) -> None:
    h = login(client, *GUIDE)
    before = ledger_fingerprint(station.services.db)
    cases = [
        ({"outcome": "referred"}, 400, "写明去向"),
        ({"outcome": "guided"}, 400, "业务类别"),
        ({"outcome": "guided", "category": "Z"}, 404, "业务类别"),
        ({"outcome": "consultation"}, 400, "联系方式"),
        ({"outcome": "answered", "second_staff": "nobody"}, 404, "工号"),
        ({"outcome": "answered", "second_staff": GUIDE[0]}, 400, "首问人本人"),
        ({"outcome": "answered", "knowledge_id": "no-such"}, 404, "知识条目"),
        ({"channel": "fax"}, 400, "fax"),
        ({"outcome": "case"}, 400, None),
        ({"matter": "   "}, 400, "事项"),
    ]
    for body, status, fragment in cases:
        r = record(client, h, **body)
        assert r.status_code == status, (body, r.text)
        if fragment:
            assert fragment in r.json()["message"], (body, r.json())
    assert ledger_fingerprint(station.services.db) == before


def test_a_pending_contact_is_closed_once_r_c1(station: Station, client: TestClient) -> None:
    h = login(client, *GUIDE)
    pending = record(client, h, visitor_contact="13800001234").json()
    assert (pending["outcome"], pending["open"], pending["closed_at"]) == ("pending", True, None)
    listed = client.get("/api/contacts?pending=1", headers=h).json()
    assert [c["id"] for c in listed] == [pending["id"]]
    path = f"/api/contacts/{pending['id']}/close"
    before = ledger_fingerprint(station.services.db)
    assert client.post(path, json={"outcome": "pending"}, headers=h).status_code == 400
    assert client.post(path, json={"outcome": "referred"}, headers=h).status_code == 400
    assert ledger_fingerprint(station.services.db) == before
    clerk = login(client, *WINDOW_CLERK)
    r = client.post(path, json={"outcome": "answered", "answer": "已解答"}, headers=clerk)
    assert r.status_code == 201, r.text
    assert r.json()["open"] is False and r.json()["answer"] == "已解答"
    assert r.json()["first_responder"]["role"] == "guide"  # who was asked first stays
    before = ledger_fingerprint(station.services.db)
    again = client.post(path, json={"outcome": "answered"}, headers=clerk)
    assert again.status_code == 409 and "已有处理结果" in again.json()["message"]
    assert ledger_fingerprint(station.services.db) == before
    assert client.get("/api/contacts?pending=1", headers=h).json() == []
    assert [t for t, _ in events(station.services.db, "contact.")] == [
        "contact.recorded",
        "contact.closed",
    ]


def test_a_contact_becomes_a_consultation_without_retyping_r_c1_r_c2(
    station: Station, client: TestClient
) -> None:
    h = login(client, *GUIDE)
    r = record(
        client,
        h,
        matter="低保标准是多少",
        channel="letter",
        outcome="consultation",
        visitor_name="张桂兰",
        visitor_contact="郑州市金水区某路 1 号",
    )
    assert r.status_code == 201, r.text
    contact = r.json()
    assert contact["consultation_number"] == "ZX-20261123-001"
    entry = client.get(f"/api/consultations/{contact['consultation_id']}", headers=h).json()
    assert entry["question"] == "低保标准是多少" and entry["channel"] == "letter"
    assert entry["visitor_name"] == "张桂兰" and entry["contact_id"] == contact["id"]
    assert entry["reply_due"] == "2026-11-26"  # a letter: 3 working days
    assert entry["status"] == "open"


def test_a_contact_becomes_a_case_linked_by_its_number_r_c1(
    station: Station, client: TestClient
) -> None:
    h = login(client, *WINDOW_CLERK)
    contact = record(client, h, item_code=ITEM).json()
    body = {
        "item_code": ITEM,
        "applicant": {
            "kind": "person",
            "name": "张桂兰",
            "id_number": "410122194001080021",
            "phone": "13800001234",
        },
        "materials": {f"M{i}": "received" for i in range(1, 5)},
    }
    case = client.post("/api/cases", json=body, headers=h).json()
    path = f"/api/contacts/{contact['id']}/case"
    before = ledger_fingerprint(station.services.db)
    missing = client.post(path, json={"case_number": "NOPE-1"}, headers=h)
    assert missing.status_code == 404 and "办件" in missing.json()["message"]
    assert ledger_fingerprint(station.services.db) == before
    r = client.post(path, json={"case_number": case["case_number"]}, headers=h)
    assert r.status_code == 201, r.text
    assert (r.json()["outcome"], r.json()["case_number"]) == ("case", case["case_number"])
    assert (
        client.post(path, json={"case_number": case["case_number"]}, headers=h).status_code == 409
    )
    answered = record(client, h, outcome="answered").json()
    refused = client.post(f"/api/contacts/{answered['id']}/case", json=body, headers=h)
    assert refused.status_code == 400  # the body is not a CaseLinkIn


def test_the_ledger_lists_the_day_newest_first_and_reads_one_r_c1(
    station: Station, client: TestClient
) -> None:
    h = login(client, *GUIDE)
    first = record(client, h, outcome="answered").json()
    station.clock.advance(minutes=5)
    second = record(client, h, matter="医保缴费", outcome="referred", referred_to="乡医保站").json()
    day = client.get("/api/contacts", headers=h).json()
    assert [c["id"] for c in day] == [second["id"], first["id"]]
    assert client.get("/api/contacts?start=2026-11-24&end=2026-11-30", headers=h).json() == []
    backwards = client.get("/api/contacts?start=2026-11-24", headers=h)  # after today
    assert backwards.status_code == 400 and "晚于结束日期" in backwards.json()["message"]
    assert client.get(f"/api/contacts/{first['id']}", headers=h).json() == first
    assert client.get("/api/contacts/nope", headers=h).status_code == 404
