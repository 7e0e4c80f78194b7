"""Helpers of the 帮办代办 tests: open a delegation, fingerprint the tables a refusal must
leave alone, read the events. No tests live here."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from litestar.testing import TestClient
from sqlalchemy import text
from sqlmodel import col, select

from appliance.db.database import Database
from appliance.events.tables import Event

TABLES = (
    "delegation",
    "delegation_entry",
    "delegation_visit",
    "delegation_document",
    "event",
    "sms_message",
)
AGREEMENT = {
    "applicant_name": "王秀英",
    "applicant_id_number": "410102195003120021",
    "applicant_phone": "13800001234",
    "applicant_address": "东关村三组 12 号",
    "item_name": "城乡居民养老保险待遇领取",
    "content": "代为提交待遇领取申请并领取结果",
    "period_end": "2026-12-31",
}


def fingerprint(db: Database) -> str:
    """A digest of every row of the delegation tables and what they touch."""
    digest = hashlib.sha256()
    with db.read() as s:
        for table in TABLES:
            for row in s.execute(text(f"SELECT * FROM {table} ORDER BY 1")):  # noqa: S608
                digest.update(repr(tuple(row)).encode())
    return digest.hexdigest()


def events(db: Database, prefix: str = "delegation.") -> list[tuple[str, dict[str, Any]]]:
    with db.read() as s:
        rows = s.exec(
            select(Event).where(col(Event.type).startswith(prefix)).order_by(col(Event.seq))
        ).all()
    return [(e.type, json.loads(e.payload)) for e in rows]


def agree(client: TestClient, h: dict[str, str], **body: Any) -> dict[str, Any]:
    r = client.post("/api/delegations", json={**AGREEMENT, **body}, headers=h)
    assert r.status_code == 201, r.text
    result: dict[str, Any] = r.json()
    return result
