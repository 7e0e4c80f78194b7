"""Helpers of the front-desk ledger tests (首问登记、咨询台账、知识库): a fingerprint of their
tables to prove a refusal changed nothing, and the events they wrote. No tests live here."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from sqlalchemy import text
from sqlmodel import col, select

from appliance.db.database import Database
from appliance.events.tables import Event

TABLES = ("contact", "consultation", "knowledge_entry", "event", "alert", "ticket", "print_job")


def ledger_fingerprint(db: Database) -> str:
    """A digest of every row of the ledgers and what they touch (events, alerts, tickets)."""
    digest = hashlib.sha256()
    with db.read() as s:
        for table in TABLES:
            for row in s.execute(text(f"SELECT * FROM {table} ORDER BY 1")):  # noqa: S608
                digest.update(repr(tuple(row)).encode())
    return digest.hexdigest()


def events(db: Database, prefix: str) -> list[tuple[str, dict[str, Any]]]:
    """(type, payload) of the events whose type starts with ``prefix``, in seq order."""
    with db.read() as s:
        rows = s.exec(
            select(Event).where(col(Event.type).startswith(prefix)).order_by(col(Event.seq))
        ).all()
    return [(e.type, json.loads(e.payload)) for e in rows]
