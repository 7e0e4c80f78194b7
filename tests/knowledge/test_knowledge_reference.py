"""Knowledge entries published by the county (R-C3, R-N3): the station's county entries follow
the ``knowledge`` reference rows; a malformed set changes nothing; station entries stay."""

from __future__ import annotations

import json
from typing import Any

from litestar.testing import TestClient

from appliance.knowledge.service.reference import apply_knowledge_reference
from appliance.uplink.tables import ReferenceRow
from tests.contacts.ledger_support import events, ledger_fingerprint
from tests.support.station import GUIDE, Station, login

ROWS = {
    "K001": {"question": "低保怎么申请？", "answer": "到户籍所在地乡镇申请", "keywords": ["低保"]},
    "K002": {"question": "残疾证怎么办？", "answer": "到县残联评残", "keywords": ["残疾"]},
}


def publish(station: Station, rows: dict[str, dict[str, Any] | None], rev: int) -> None:
    """Rows as the down-sync stores them; ``None`` is a tombstone."""
    with station.services.db.write() as s:
        for rid, data in rows.items():
            row = s.get(ReferenceRow, ("knowledge", rid)) or ReferenceRow(
                table_name="knowledge", id=rid, rev=rev, updated_at=station.clock.now()
            )
            row.rev, row.deleted = rev, data is None
            row.data = "{}" if data is None else json.dumps(data, ensure_ascii=False)
            s.add(row)


def apply(station: Station) -> str:
    return apply_knowledge_reference(station.services.db, station.clock).message


def test_county_entries_arrive_change_and_retire_r_c3_r_n3(
    station: Station, client: TestClient
) -> None:
    h = login(client, *GUIDE)
    mine = client.post(
        "/api/knowledge", json={"question": "本站问题", "answer": "本站答案"}, headers=h
    ).json()
    publish(station, dict(ROWS), rev=1)
    assert apply(station) == "已应用县级知识库：新增 2 条，更新 0 条，停用 0 条"
    hits = client.get("/api/knowledge", params={"q": "dbzmsq"}, headers=h).json()
    [k1] = hits
    assert (k1["source"], k1["source_label"], k1["created_by"]) == (
        "county",
        "县级下发",
        "县级中心",
    )
    assert apply(station) == ""  # unchanged: nothing written
    refused = client.put(
        f"/api/knowledge/{k1['id']}", json={"question": "改", "answer": "改"}, headers=h
    )
    assert refused.status_code == 409 and "县级中心" in refused.json()["message"]
    assert client.post(f"/api/knowledge/{k1['id']}/retire", headers=h).status_code == 409
    asked = {"matter": "低保", "outcome": "answered", "knowledge_id": k1["id"]}
    client.post("/api/contacts", json=asked, headers=h)
    changed = {**ROWS["K001"], "answer": "到户籍所在地乡镇（街道）申请"}
    publish(station, {"K001": changed, "K002": None}, rev=2)
    assert apply(station) == "已应用县级知识库：新增 0 条，更新 1 条，停用 1 条"
    k1_now = client.get(f"/api/knowledge/{k1['id']}", headers=h).json()
    assert k1_now["answer"] == "到户籍所在地乡镇（街道）申请"
    assert k1_now["asked_count"] == 1  # the station's own count stays
    assert client.get("/api/knowledge", params={"q": "残疾"}, headers=h).json() == []
    assert client.get(f"/api/knowledge/{mine['id']}", headers=h).json()["active"] is True
    publish(station, {"K002": ROWS["K002"]}, rev=3)  # published again: it comes back
    assert "更新 1 条" in apply(station)
    assert len(client.get("/api/knowledge", params={"q": "残疾"}, headers=h).json()) == 1
    kinds = [
        t for t, p in events(station.services.db, "knowledge.") if p.get("source") != "station"
    ]
    assert kinds.count("knowledge.created") == 2 and "knowledge.retired" in kinds


def test_a_malformed_set_changes_nothing_r_c3(station: Station) -> None:
    publish(station, dict(ROWS), rev=1)
    apply(station)
    before = ledger_fingerprint(station.services.db)
    publish(station, {"K003": {"question": "缺答案"}}, rev=2)
    message = apply(station)
    assert message.startswith("县级知识库有误，未应用：第 3 条") and "标准答案" in message
    assert ledger_fingerprint(station.services.db) == before
