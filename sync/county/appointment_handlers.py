"""Projection of the stations' appointment events (预约, R-Q7, R-Q8) into ``appointment_fact``.

Events: ``appointment.booked``, ``.checked_in``, ``.forfeited``, ``.cancelled``, ``.moved``,
``.flagged`` and ``.reminded``; each carries the number, channel, status, category, slot day
and time, and the priority and 一人多约 flags (the phone masked, no name; neither is kept).

Set-based: a batch's events are folded per appointment in seq order and written with ONE
``INSERT … ON CONFLICT DO UPDATE``; an event older than the row (a backlog forced through)
never overwrites newer state, and the 一人多约 flag once set stays set.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import case, func
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlmodel import Session

from sync.county.apply import StoredEvent
from sync.county.appointment_models import AppointmentFact

APPOINTMENT_TYPES = (
    "appointment.booked",
    "appointment.checked_in",
    "appointment.forfeited",
    "appointment.cancelled",
    "appointment.moved",
    "appointment.flagged",
    "appointment.reminded",
)
_LATEST = ("number", "channel", "status", "category", "slot_date", "slot_time", "priority")


def _day(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def _fact(ev: StoredEvent) -> dict[str, Any]:
    p = ev.payload
    return {
        "station_id": ev.station_id,
        "appointment_id": ev.entity_id[:64],
        "number": str(p.get("number") or "")[:32],
        "channel": str(p.get("channel") or "")[:16],
        "status": str(p.get("status") or "")[:16],
        "category": str(p.get("category") or "")[:16],
        "slot_date": _day(p.get("slot_date")),
        "slot_time": str(p.get("slot_time") or "")[:5],
        "priority": bool(p.get("priority")),
        "multi_booking": bool(p.get("multi_booking")),
        "updated_at": ev.occurred_at,
        "last_seq": ev.seq,
    }


def _fold(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Several events of one appointment, in seq order: the newest says the state."""
    out = dict(rows[0])
    for row in rows[1:]:
        for name in _LATEST:
            out[name] = row[name] if row[name] not in ("", None) else out[name]
        out["multi_booking"] = out["multi_booking"] or row["multi_booking"]
        out["updated_at"] = max(out["updated_at"], row["updated_at"])
        out["last_seq"] = max(out["last_seq"], row["last_seq"])
    return out


def appointment_facts(s: Session, events: list[StoredEvent]) -> None:
    """One row per appointment; the newest event (by seq) sets status and slot."""
    per_row: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for ev in sorted(events, key=lambda e: (e.station_id, e.seq)):
        fact = _fact(ev)
        per_row.setdefault((fact["station_id"], fact["appointment_id"]), []).append(fact)
    rows = [_fold(group) for group in per_row.values()]
    table = AppointmentFact.__table__  # type: ignore[attr-defined]
    stmt = pg_insert(table).values(rows)
    x, t = stmt.excluded, table.c
    newer = x.last_seq > t.last_seq
    update: dict[str, Any] = {
        name: case((newer & x[name].isnot(None) & (x[name] != ""), x[name]), else_=t[name])
        if name in ("number", "channel", "status", "category", "slot_time")
        else case((newer & x[name].isnot(None), x[name]), else_=t[name])
        for name in _LATEST
    }
    update |= {
        "multi_booking": t.multi_booking | x.multi_booking,
        "updated_at": func.greatest(t.updated_at, x.updated_at),
        "last_seq": func.greatest(t.last_seq, x.last_seq),
    }
    s.execute(
        stmt.on_conflict_do_update(index_elements=["station_id", "appointment_id"], set_=update)
    )
