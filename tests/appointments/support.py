"""Helpers of the appointment tests (预约, R-Q7, R-Q8): a fingerprint of the tables a refusal
must leave alone, the SMS queued, and booking shortcuts. No tests live here."""

from __future__ import annotations

import hashlib
from typing import Any

from litestar.testing import TestClient
from sqlalchemy import text
from sqlmodel import col, select

from appliance.db.database import Database
from appliance.jobs.tables import SmsMessage

TABLES = ("appointment", "outage", "event", "ticket", "print_job", "sms_message")
TODAY = "2026-11-23"  # Monday (T0 is 09:00 Beijing time)
TOMORROW = "2026-11-24"


def fingerprint(db: Database) -> str:
    """A digest of every row the appointment book writes or touches."""
    digest = hashlib.sha256()
    with db.read() as s:
        for table in TABLES:
            for row in s.execute(text(f"SELECT * FROM {table} ORDER BY 1")):  # noqa: S608
                digest.update(repr(tuple(row)).encode())
    return digest.hexdigest()


def sms(db: Database, kind: str) -> list[SmsMessage]:
    """The SMS of one kind, oldest first."""
    with db.read() as s:
        stmt = select(SmsMessage).where(SmsMessage.kind == kind)
        return list(s.exec(stmt.order_by(col(SmsMessage.created_at), col(SmsMessage.id))).all())


def book(client: TestClient, h: dict[str, str], phone: str, at: str = "10:00", **extra: Any) -> Any:
    body = {"category": "A", "day": TODAY, "time": at, "phone": phone, **extra}
    return client.post("/api/appointments", json=body, headers=h)


def rows(db: Database, sql: str, **params: Any) -> list[Any]:
    with db.read() as s:
        return list(s.execute(text(sql), params))
