"""Projection of the stations' consultation events (咨询台账, R-C2) into ``consultation_fact``.

Events: ``consultation.recorded`` (登记), ``consultation.closed`` (答复) and
``consultation.overdue`` (the station's check, once per entry). Each carries the entry's
number, channel, status, ``business_date`` (the day asked), ``reply_due`` and
``answered_at``; the projection keeps those and nothing personal.

Set-based like the case projection: a batch's events are folded per entry in seq order and
written with ONE ``INSERT … ON CONFLICT DO UPDATE``; an event older than the row (a backlog
forced through) never overwrites newer state, and ``overdue_reported`` once set stays set.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Any

from sqlalchemy import case, func
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlmodel import Session

from sync.county.apply import StoredEvent
from sync.county.projections import ConsultationFact

BEIJING = timezone(timedelta(hours=8), "CST")
CONSULTATION_TYPES = ("consultation.recorded", "consultation.closed", "consultation.overdue")
_LATEST = ("number", "channel", "status", "asked_on", "reply_due", "answered_on")


def _day(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def _answered_on(value: Any) -> date | None:
    try:
        return datetime.fromisoformat(str(value)).astimezone(BEIJING).date() if value else None
    except ValueError:
        return None


def _fact(ev: StoredEvent) -> dict[str, Any]:
    p = ev.payload
    return {
        "station_id": ev.station_id,
        "consultation_id": ev.entity_id[:64],
        "number": str(p.get("number") or "")[:32],
        "channel": str(p.get("channel") or "")[:16],
        "status": str(p.get("status") or "")[:16],
        "asked_on": _day(p.get("business_date")),
        "reply_due": _day(p.get("reply_due")),
        "answered_on": _answered_on(p.get("answered_at")),
        "overdue_reported": ev.type == "consultation.overdue",
        "updated_at": ev.occurred_at,
        "last_seq": ev.seq,
    }


def _fold(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Several events of one entry, in seq order: the newest says the state."""
    out = dict(rows[0])
    for row in rows[1:]:
        for name in _LATEST:
            out[name] = row[name] if row[name] not in ("", None) else out[name]
        out["overdue_reported"] = out["overdue_reported"] or row["overdue_reported"]
        out["updated_at"] = max(out["updated_at"], row["updated_at"])
        out["last_seq"] = max(out["last_seq"], row["last_seq"])
    return out


def consultation_facts(s: Session, events: list[StoredEvent]) -> None:
    """One row per consultation; the newest event (by seq) sets status and dates."""
    per_entry: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for ev in sorted(events, key=lambda e: (e.station_id, e.seq)):
        fact = _fact(ev)
        per_entry.setdefault((fact["station_id"], fact["consultation_id"]), []).append(fact)
    rows = [_fold(group) for group in per_entry.values()]
    table = ConsultationFact.__table__  # type: ignore[attr-defined]
    stmt = pg_insert(table).values(rows)
    x, t = stmt.excluded, table.c
    newer = x.last_seq > t.last_seq
    update: dict[str, Any] = {
        name: case((newer & x[name].isnot(None) & (x[name] != ""), x[name]), else_=t[name])
        if name in ("number", "channel", "status")
        else case((newer & x[name].isnot(None), x[name]), else_=t[name])
        for name in _LATEST
    }
    update |= {
        "overdue_reported": t.overdue_reported | x.overdue_reported,
        "updated_at": func.greatest(t.updated_at, x.updated_at),
        "last_seq": func.greatest(t.last_seq, x.last_seq),
    }
    s.execute(
        stmt.on_conflict_do_update(index_elements=["station_id", "consultation_id"], set_=update)
    )
