"""Projection of the stations' fault events (故障台账, R-I1) into ``fault_fact``.

``fault.opened`` and ``fault.closed`` each carry the whole ledger line (number, kind, level,
source, title, status, times); the newest event by seq wins, so a backlog forced through
out of order never reopens a closed fault. ``fault.action_added`` is kept in the inbox only.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlmodel import Session

from sync.county.apply import StoredEvent
from sync.county.fault_models import FaultFact

FAULT_TYPES = ("fault.opened", "fault.closed")


def _day(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def _at(value: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def fault_fact(s: Session, ev: StoredEvent) -> None:
    """Upsert the fault's row unless a newer event (by seq) already set it."""
    p = ev.payload
    row = {
        "station_id": ev.station_id,
        "fault_id": ev.entity_id[:64],
        "number": str(p.get("number") or "")[:32],
        "kind": str(p.get("kind") or "")[:16],
        "level": str(p.get("level") or "")[:4],
        "source": str(p.get("source") or "")[:32],
        "title": str(p.get("title") or "")[:300],
        "status": str(p.get("status") or "")[:16],
        "opened_on": _day(p.get("business_date")),
        "opened_at": _at(p.get("opened_at")),
        "closed_at": _at(p.get("closed_at")),
        "last_seq": ev.seq,
    }
    table = FaultFact.__table__  # type: ignore[attr-defined]
    stmt = pg_insert(table).values(row)
    update = {name: stmt.excluded[name] for name in row if name not in ("station_id", "fault_id")}
    s.execute(
        stmt.on_conflict_do_update(
            index_elements=["station_id", "fault_id"],
            set_=update,
            where=stmt.excluded.last_seq > table.c.last_seq,
        )
    )
