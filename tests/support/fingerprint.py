"""Test helpers: a whole-database fingerprint to prove a refused action changed nothing."""

from __future__ import annotations

import hashlib

from sqlalchemy import text

from appliance.db.database import Database

TABLES = (
    "ticket",
    "service_window",
    "category",
    "staff",
    "staff_session",
    "event",
    "alert",
    "print_job",
    "attendance",
    "overtime_log",
    "case_file",
    "case_transition",
    "case_notice",
    "case_escalation",
    "tolerant_default",
    "sms_message",
)


def fingerprint(db: Database) -> str:
    digest = hashlib.sha256()
    with db.read() as s:
        for table in TABLES:
            for row in s.execute(text(f"SELECT * FROM {table} ORDER BY 1")):  # noqa: S608
                digest.update(repr(tuple(row)).encode())
    return digest.hexdigest()
