"""Projection of the stations' 帮办代办 events (R-D1, R-D2) into ``delegation_fact``.

Events (all ``delegation.*``): ``help_logged``, ``agreed``, ``progress``, ``suspended``,
``resumed``, ``fee_paid_by_applicant``, ``visit_scheduled``, ``visit_done`` and
``completed``. Each carries the delegation's number, kind, status, ``business_date``, period
end, suspend reason and ``completed_at``; the projection keeps those and nothing personal.

Set-based like the consultation projection: a batch's events are folded per delegation in
seq order and written with ONE ``INSERT … ON CONFLICT DO UPDATE``; an event older than the
row (a backlog forced through) never overwrites newer state.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Any

from sqlalchemy import case, func
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlmodel import Session

from sync.county.apply import StoredEvent
from sync.county.delegation_models import DelegationFact

BEIJING = timezone(timedelta(hours=8), "CST")
DELEGATION_TYPES = tuple(
    f"delegation.{t}"
    for t in (
        "help_logged",
        "agreed",
        "progress",
        "suspended",
        "resumed",
        "fee_paid_by_applicant",
        "visit_scheduled",
        "visit_done",
        "completed",
    )
)
_LATEST = ("number", "kind", "status", "opened_on", "period_end", "suspend_reason", "completed_on")
_TEXT = ("number", "kind", "status")


def _day(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def _local_day(value: Any) -> date | None:
    try:
        return datetime.fromisoformat(str(value)).astimezone(BEIJING).date() if value else None
    except ValueError:
        return None


def _fact(ev: StoredEvent) -> dict[str, Any]:
    p = ev.payload
    return {
        "station_id": ev.station_id,
        "delegation_id": ev.entity_id[:64],
        "number": str(p.get("number") or "")[:32],
        "kind": str(p.get("kind") or "")[:16],
        "status": str(p.get("status") or "")[:16],
        "opened_on": _day(p.get("business_date")),
        "period_end": _day(p.get("period_end")),
        "suspend_reason": str(p.get("suspend_reason") or "")[:32],
        "completed_on": _local_day(p.get("completed_at")),
        "updated_at": ev.occurred_at,
        "last_seq": ev.seq,
    }


def _fold(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Several events of one delegation, in seq order: the newest says the state."""
    out = dict(rows[0])
    for row in rows[1:]:
        for name in _LATEST:
            keep = name in _TEXT and row[name] in ("", None)
            out[name] = out[name] if keep else row[name]
        out["updated_at"] = max(out["updated_at"], row["updated_at"])
        out["last_seq"] = max(out["last_seq"], row["last_seq"])
    return out


def delegation_facts(s: Session, events: list[StoredEvent]) -> None:
    """One row per delegation; the newest event (by seq) sets its state and dates."""
    per_row: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for ev in sorted(events, key=lambda e: (e.station_id, e.seq)):
        fact = _fact(ev)
        per_row.setdefault((fact["station_id"], fact["delegation_id"]), []).append(fact)
    rows = [_fold(group) for group in per_row.values()]
    table = DelegationFact.__table__  # type: ignore[attr-defined]
    stmt = pg_insert(table).values(rows)
    x, t = stmt.excluded, table.c
    newer = x.last_seq > t.last_seq
    update: dict[str, Any] = {
        name: case((newer & x[name].isnot(None) & (x[name] != ""), x[name]), else_=t[name])
        if name in _TEXT
        else case((newer, x[name]), else_=t[name])
        for name in _LATEST
    }
    update |= {
        "updated_at": func.greatest(t.updated_at, x.updated_at),
        "last_seq": func.greatest(t.last_seq, x.last_seq),
    }
    s.execute(
        stmt.on_conflict_do_update(index_elements=["station_id", "delegation_id"], set_=update)
    )
