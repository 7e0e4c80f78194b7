"""知识库 API (R-C3): entries kept by staff, searched like the catalogue (keyword and pinyin
initials), the most-asked published on the public list; bad input refused in Chinese."""

from __future__ import annotations

from typing import Any

from litestar.testing import TestClient

from tests.contacts.ledger_support import events, ledger_fingerprint
from tests.support.station import GUIDE, WINDOW_CLERK, Station, login

ENTRIES = [
    ("高龄津贴怎么申请？", "带身份证、户口本到服务站窗口申请，80 周岁以上可领", ["高龄", "津贴"]),
    ("低保金怎么算？", "按家庭人均收入与低保标准的差额发放", ["低保", "救助"]),
    ("医保每年什么时候缴费？", "每年 9 月至 12 月集中缴费，可用手机缴纳", ["医保", "缴费"]),
]


def add(client: TestClient, h: dict[str, str], question: str, answer: str, **more: Any) -> Any:
    r = client.post(
        "/api/knowledge", json={"question": question, "answer": answer, **more}, headers=h
    )
    assert r.status_code == 201, r.text
    return r.json()


def found(client: TestClient, h: dict[str, str], q: str) -> list[str]:
    return [e["question"] for e in client.get("/api/knowledge", params={"q": q}, headers=h).json()]


def test_search_by_keyword_initials_and_answer_text_r_c3(
    station: Station, client: TestClient
) -> None:
    h = login(client, *GUIDE)
    for question, answer, keywords in ENTRIES:
        add(client, h, question, answer, keywords=keywords)
    assert found(client, h, "津贴") == ["高龄津贴怎么申请？"]
    assert found(client, h, "gljt") == ["高龄津贴怎么申请？"]  # pinyin initials of the question
    assert found(client, h, "jz") == ["低保金怎么算？"]  # initials of the keyword 救助
    assert found(client, h, "手机") == ["医保每年什么时候缴费？"]  # only in the answer
    assert found(client, h, "护照") == []
    assert len(found(client, h, "")) == 3
    long = client.get("/api/knowledge", params={"q": "长" * 51}, headers=h)
    assert long.status_code == 400 and "检索词" in long.json()["message"]


def test_the_public_list_is_the_most_asked_public_entries_r_c3(
    station: Station, client: TestClient
) -> None:
    h = login(client, *GUIDE)
    made = [add(client, h, q, a, keywords=k) for q, a, k in ENTRIES]
    hidden = add(client, h, "内部：系统账号怎么申请？", "找站长", public=False)
    for entry, times in zip(made, (1, 3, 0), strict=True):
        for _ in range(times):
            body = {"matter": entry["question"], "outcome": "answered", "knowledge_id": entry["id"]}
            assert client.post("/api/contacts", json=body, headers=h).status_code == 201
    for _ in range(5):
        body = {"matter": "账号", "outcome": "answered", "knowledge_id": hidden["id"]}
        client.post("/api/contacts", json=body, headers=h)
    public = client.get("/api/public/knowledge")  # no login
    assert public.status_code == 200
    listed = public.json()
    assert [(e["question"], e["asked_count"]) for e in listed] == [
        ("低保金怎么算？", 3),
        ("高龄津贴怎么申请？", 1),
        ("医保每年什么时候缴费？", 0),
    ]
    assert set(listed[0]) == {"id", "question", "answer", "keywords", "asked_count"}
    client.post(f"/api/knowledge/{made[1]['id']}/retire", headers=h)
    assert [e["question"] for e in client.get("/api/public/knowledge").json()] == [
        "高龄津贴怎么申请？",
        "医保每年什么时候缴费？",
    ]


def test_edit_and_retire_a_station_entry_r_c3(station: Station, client: TestClient) -> None:
    h = login(client, *WINDOW_CLERK)
    entry = add(client, h, "户口迁移去哪办？", "县公安局户政窗口", keywords=["户口"])
    assert (entry["source"], entry["source_label"], entry["created_by"]) == (
        "station",
        "本站",
        "王秀英",
    )
    body = {
        "question": "户口迁移去哪里办？",
        "answer": "县政务大厅公安窗口",
        "keywords": "户口、迁移",
    }
    r = client.put(
        f"/api/knowledge/{entry['id']}", json={**body, "keywords": ["户口", "迁移"]}, headers=h
    )
    assert r.status_code == 200, r.text
    assert (r.json()["answer"], r.json()["keywords"]) == ("县政务大厅公安窗口", ["户口", "迁移"])
    assert found(client, h, "qy") == ["户口迁移去哪里办？"]
    retired = client.post(f"/api/knowledge/{entry['id']}/retire", headers=h)
    assert retired.status_code == 201 and retired.json()["active"] is False
    assert found(client, h, "户口") == []
    with_retired = client.get("/api/knowledge", params={"q": "户口", "retired": 1}, headers=h)
    assert [e["active"] for e in with_retired.json()] == [False]
    before = ledger_fingerprint(station.services.db)
    again = client.post(f"/api/knowledge/{entry['id']}/retire", headers=h)
    assert again.status_code == 409 and "已停用" in again.json()["message"]
    edit = client.put(f"/api/knowledge/{entry['id']}", json=body | {"keywords": []}, headers=h)
    assert edit.status_code == 409
    used = {"matter": "户口", "outcome": "answered", "knowledge_id": entry["id"]}
    assert client.post("/api/contacts", json=used, headers=h).status_code == 409
    assert ledger_fingerprint(station.services.db) == before
    kinds = [t for t, _ in events(station.services.db, "knowledge.")]
    assert kinds == ["knowledge.created", "knowledge.updated", "knowledge.retired"]


def test_bad_entries_are_refused_in_chinese_and_change_nothing_r_c3(
    station: Station, client: TestClient
) -> None:
    h = login(client, *GUIDE)
    before = ledger_fingerprint(station.services.db)
    cases = [
        ({"question": "  ", "answer": "a"}, "问题"),
        ({"question": "q", "answer": "  "}, "标准答案"),
        ({"question": "q", "answer": "a", "keywords": ["k"] * 11}, "关键词"),
        ({"question": "q", "answer": "a", "keywords": ["很长" * 11]}, "超过 20 个字"),
        ({"question": "q" * 101, "answer": "a"}, "问题"),
        ({"answer": "a"}, "问题"),
    ]
    for body, fragment in cases:
        r = client.post("/api/knowledge", json=body, headers=h)
        assert r.status_code == 400, (body, r.text)
        assert fragment in r.json()["message"], (body, r.json())
    assert client.get("/api/knowledge/nope", headers=h).status_code == 404
    assert client.post("/api/knowledge/nope/retire", headers=h).status_code == 404
    assert ledger_fingerprint(station.services.db) == before
