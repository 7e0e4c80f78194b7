"""Projection of the stations' complaint events (投诉, R-P2, R-M2) into ``complaint_fact``.

Events: ``complaint.registered``, ``.verified``, ``.handled``, ``.transferred``,
``.followed``, ``.result_received``, ``.answered`` and ``.closed``. Each carries the
complaint's whole outgoing state (``appliance.complaints.service.store.outgoing``): number,
channel, confidential flag, state, the complainant as shown outside (masked, ``匿名`` or
``（保密）``), the scrubbed summary, finding, transfer, received and closed times. The
newest event (by seq) sets the row.

A confidential complaint is never named here, whatever an event says: the county keeps
``（保密）`` for its complainant (defence in depth behind the station's own scrubbing).

Set-based like the case projection: one ``INSERT … ON CONFLICT DO UPDATE`` per batch; an
event older than the row (a backlog forced through) never overwrites newer state.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import case, func
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlmodel import Session

from appliance.complaints.rules import WITHHELD
from sync.county.apply import StoredEvent
from sync.county.projections import ComplaintFact

COMPLAINT_TYPES = tuple(
    f"complaint.{name}"
    for name in (
        "registered",
        "verified",
        "handled",
        "transferred",
        "followed",
        "result_received",
        "answered",
        "closed",
    )
)
_TEXT = {
    "number": 32,
    "channel": 16,
    "state": 16,
    "complainant": 50,
    "about": 100,
    "summary": 300,
    "finding": 32,
    "transferred_to": 100,
}
_LATEST = (*_TEXT, "confidential", "received_at", "closed_at")


def _time(value: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _fact(ev: StoredEvent) -> dict[str, Any]:
    p = ev.payload
    row: dict[str, Any] = {name: str(p.get(name) or "")[:limit] for name, limit in _TEXT.items()}
    confidential = bool(p.get("confidential"))
    if confidential:
        row["complainant"] = WITHHELD
    return {
        **row,
        "station_id": ev.station_id,
        "complaint_id": ev.entity_id[:64],
        "confidential": confidential,
        "received_at": _time(p.get("received_at")),
        "closed_at": _time(p.get("closed_at")),
        "updated_at": ev.occurred_at,
        "last_seq": ev.seq,
    }


def complaint_facts(s: Session, events: list[StoredEvent]) -> None:
    """One row per complaint; the newest event (by seq) says its state."""
    newest: dict[tuple[str, str], dict[str, Any]] = {}
    for ev in sorted(events, key=lambda e: (e.station_id, e.seq)):
        fact = _fact(ev)
        newest[(fact["station_id"], fact["complaint_id"])] = fact
    table = ComplaintFact.__table__  # type: ignore[attr-defined]
    stmt = pg_insert(table).values(list(newest.values()))
    x, t = stmt.excluded, table.c
    newer = x.last_seq > t.last_seq
    update: dict[str, Any] = {name: case((newer, x[name]), else_=t[name]) for name in _LATEST}
    update |= {
        # once confidential, always withheld (a late event cannot un-withhold a name)
        "confidential": t.confidential | x.confidential,
        "complainant": case(
            (t.confidential | x.confidential, WITHHELD), (newer, x.complainant), else_=t.complainant
        ),
        "updated_at": func.greatest(t.updated_at, x.updated_at),
        "last_seq": func.greatest(t.last_seq, x.last_seq),
    }
    s.execute(
        stmt.on_conflict_do_update(index_elements=["station_id", "complaint_id"], set_=update)
    )
