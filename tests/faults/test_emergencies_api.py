"""应急处置 (R-I2): the procedures of XC 附录H and HN-4 6 as short checklists, and a record of
which steps were done, when and by whom; refusals change nothing."""

from __future__ import annotations

from litestar.testing import TestClient

from tests.faults.support import events, fingerprint
from tests.support.station import GUIDE, WINDOW_CLERK, Station, login


def test_the_five_procedures_are_short_checklists_r_i2(client: TestClient) -> None:
    h = login(client, *GUIDE)
    procedures = client.get("/api/emergencies/procedures", headers=h).json()
    titles = {p["kind"]: p["title"] for p in procedures}
    assert titles == {
        "power": "突发停电",
        "fire": "火灾",
        "illness": "群众突发疾病",
        "disorder": "秩序混乱",
        "lift": "电梯故障",
    }
    assert all(3 <= len(p["steps"]) <= 6 and "附录H" in p["source"] for p in procedures)
    fire = next(p for p in procedures if p["kind"] == "fire")
    assert any("119" in step for step in fire["steps"])


def test_a_run_records_which_steps_were_done_and_when_r_i2(
    station: Station, client: TestClient
) -> None:
    h = login(client, *WINDOW_CLERK)
    r = client.post("/api/emergencies", json={"kind": "power"}, headers=h)
    assert r.status_code == 201, r.text
    run = r.json()
    assert (run["number"], run["title"], run["done"]) == ("YJ-20261123-001", "突发停电", 0)
    path = f"/api/emergencies/{run['number']}"
    station.clock.advance(minutes=2)
    r = client.post(f"{path}/steps", json={"step": 1}, headers=h)
    assert r.status_code == 201, r.text
    station.clock.advance(minutes=3)
    client.post(f"{path}/steps", json={"step": 2}, headers=h)
    before = fingerprint(station.services.db)
    again = client.post(f"{path}/steps", json={"step": 2}, headers=h)
    assert again.status_code == 409 and "已记录" in again.json()["message"]
    beyond = client.post(f"{path}/steps", json={"step": 9}, headers=h)
    assert beyond.status_code == 400 and "只有 6 步" in beyond.json()["message"]
    assert fingerprint(station.services.db) == before
    ended = client.post(f"{path}/end", json={"note": "30 分钟后来电"}, headers=h).json()
    steps = ended["steps"]
    assert [s["done_at"] is not None for s in steps] == [True, True, False, False, False, False]
    assert steps[0]["done_at"] == "2026-11-23T01:02:00Z" and steps[1]["done_by"] == "王秀英"
    assert ended["done"] == 2 and ended["note"] == "30 分钟后来电"
    r = client.post(f"{path}/steps", json={"step": 3}, headers=h)
    assert r.status_code == 409 and "已结束" in r.json()["message"]
    listed = client.get("/api/emergencies", headers=h).json()
    assert [x["number"] for x in listed] == ["YJ-20261123-001"]
    types = [t for t, _ in events(station.services.db, "emergency.")]
    assert types == [
        "emergency.started",
        "emergency.step_done",
        "emergency.step_done",
        "emergency.ended",
    ]


def test_unknown_procedure_and_record_are_refused_r_i2(
    station: Station, client: TestClient
) -> None:
    h = login(client, *WINDOW_CLERK)
    before = fingerprint(station.services.db)
    assert client.post("/api/emergencies", json={"kind": "flood"}, headers=h).status_code == 400
    r = client.post("/api/emergencies/YJ-20990101-001/steps", json={"step": 1}, headers=h)
    assert r.status_code == 404 and "找不到" in r.json()["message"]
    assert fingerprint(station.services.db) == before
