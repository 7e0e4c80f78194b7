"""Answered consultations go into the knowledge base (R-C3), and the server's periodic check
raises the overdue alert by itself (R-C2)."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from litestar.testing import TestClient

from appliance.http.app import create_app
from appliance.workers import SERVER_WORKERS, consultation_watch
from tests.contacts.ledger_support import events, ledger_fingerprint
from tests.support.station import GUIDE, Station, login, make_station


def test_an_answered_consultation_is_promoted_once_r_c3(
    station: Station, client: TestClient
) -> None:
    h = login(client, *GUIDE)
    body = {"question": "低保每月发多少", "channel": "phone", "visitor_contact": "13800001234"}
    entry = client.post(
        "/api/consultations", json={**body, "reply_in_working_days": 1}, headers=h
    ).json()
    path = f"/api/consultations/{entry['number']}/promote"
    before = ledger_fingerprint(station.services.db)
    early = client.post(path, json={}, headers=h)
    assert early.status_code == 409 and "尚未答复" in early.json()["message"]
    assert ledger_fingerprint(station.services.db) == before
    reply = {"answer": "按家庭人均收入与低保标准的差额发放"}
    client.post(f"/api/consultations/{entry['number']}/close", json=reply, headers=h)
    r = client.post(
        path, json={"question": "低保金怎么算？", "keywords": ["低保", "救助"]}, headers=h
    )
    assert r.status_code == 201, r.text
    k = r.json()
    assert (k["question"], k["answer"]) == ("低保金怎么算？", "按家庭人均收入与低保标准的差额发放")
    assert (k["asked_count"], k["source"], k["consultation_number"]) == (
        1,
        "station",
        entry["number"],
    )
    found = client.get("/api/knowledge?q=dbj", headers=h).json()  # 低保金 by initials
    assert [f["id"] for f in found] == [k["id"]]
    assert (
        client.get(f"/api/consultations/{entry['id']}", headers=h).json()["promoted_id"] == k["id"]
    )
    twice = client.post(path, json={}, headers=h)
    assert twice.status_code == 409 and "已加入知识库" in twice.json()["message"]
    answered_from_it = {**body, "answer": k["answer"], "knowledge_id": k["id"]}
    assert client.post("/api/consultations", json=answered_from_it, headers=h).status_code == 201
    assert client.get(f"/api/knowledge/{k['id']}", headers=h).json()["asked_count"] == 2
    kinds = [t for t, _ in events(station.services.db, "knowledge.")]
    assert kinds == ["knowledge.created", "knowledge.asked"]


def test_the_server_worker_raises_the_overdue_alert_r_c2(tmp_path: Path) -> None:
    assert consultation_watch in SERVER_WORKERS
    station = make_station(tmp_path, consultation_check_seconds=0.05)
    try:
        with TestClient(create_app(station.settings, services=station.services)) as client:
            h = login(client, *GUIDE)
            body = {"question": "q", "channel": "letter", "visitor_contact": "a@b.cn"}
            assert client.post("/api/consultations", json=body, headers=h).status_code == 201
        station.clock.advance(days=4)  # Friday: the letter's reply day has passed
        stop = threading.Event()
        worker = threading.Thread(target=consultation_watch, args=(station.services, stop))
        worker.start()
        deadline = time.monotonic() + 10
        while not events(station.services.db, "consultation.overdue"):
            assert time.monotonic() < deadline, "no overdue alert within 10 s"
            time.sleep(0.05)
        stop.set()
        worker.join(timeout=5)
        assert [t for t, _ in events(station.services.db, "alert.raised")] == ["alert.raised"]
    finally:
        station.services.close()
