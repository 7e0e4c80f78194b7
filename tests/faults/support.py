"""Helpers of the fault log tests: a fingerprint of the fault and emergency tables to prove a
refusal changed nothing, the events written, and PDF text. No tests live here."""

from __future__ import annotations

import hashlib
import json
import subprocess
from pathlib import Path
from typing import Any

from litestar.testing import TestClient
from sqlalchemy import text
from sqlmodel import col, select

from appliance.db.database import Database
from appliance.events.tables import Event

TABLES = ("fault", "fault_action", "emergency", "emergency_step", "event")


def fingerprint(db: Database) -> str:
    digest = hashlib.sha256()
    with db.read() as s:
        for table in TABLES:
            for row in s.execute(text(f"SELECT * FROM {table} ORDER BY 1")):  # noqa: S608
                digest.update(repr(tuple(row)).encode())
    return digest.hexdigest()


def events(db: Database, prefix: str) -> list[tuple[str, dict[str, Any]]]:
    with db.read() as s:
        rows = s.exec(
            select(Event).where(col(Event.type).startswith(prefix)).order_by(col(Event.seq))
        ).all()
    return [(e.type, json.loads(e.payload)) for e in rows]


def pdf_text(pdf: bytes, tmp: Path) -> str:
    path = tmp / "sheet.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True)
    return "".join(out.stdout.split())


def open_fault(client: TestClient, h: dict[str, str], **body: Any) -> Any:
    base = {"kind": "system", "title": "综合受理系统无法登录"}
    return client.post("/api/faults", json={**base, **body}, headers=h)
