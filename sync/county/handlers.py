"""Projection handlers for the station core's events: tickets, devices, rating presses.

Importing this module registers them (``ingest`` does). Add new modules of handlers for new
records and import them at the bottom.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import case, func
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlmodel import Session

from .apply import StoredEvent, handles
from .projections import DeviceState, RatingPress, TicketFact

TICKET_TIME = {
    "ticket.issued": "issued_at",
    "ticket.called": "called_at",
    "ticket.recalled": "called_at",
    "ticket.started": "started_at",
    "ticket.finished": "finished_at",
}
_FIRST = ("issued_at", "called_at", "started_at")  # keep the first time; finished_at keeps the last
_LATEST_WINS = ("number", "category_id", "business_date", "priority", "source", "status",
                "window_number")


def _text(value: Any, limit: int) -> str:
    return "" if value is None else str(value)[:limit]


@handles(
    "ticket.issued", "ticket.called", "ticket.recalled", "ticket.started", "ticket.finished",
    "ticket.no_show", "ticket.transferred", "ticket.rejoined", "ticket.cancelled",
)
def ticket_fact(s: Session, ev: StoredEvent) -> None:
    """One row per ticket (号票): the newest event (by seq) sets the status."""
    p = ev.payload
    window = p.get("window_number")
    values: dict[str, Any] = {
        "station_id": ev.station_id,
        "ticket_id": ev.entity_id,
        "number": _text(p.get("number"), 16),
        "category_id": _text(p.get("category_id"), 64),
        "business_date": _text(p.get("business_date"), 10),
        "priority": _text(p.get("priority"), 32),
        "source": _text(p.get("source"), 32),
        "status": _text(p.get("status"), 32),
        "window_number": None if window is None else _text(window, 16),
        "last_seq": ev.seq,
    }
    column = TICKET_TIME.get(ev.type)
    if column:
        values[column] = ev.occurred_at
    table = TicketFact.__table__  # type: ignore[attr-defined]
    stmt = pg_insert(table).values(**values)
    newer = stmt.excluded.last_seq > table.c.last_seq
    present = [name for name in _LATEST_WINS if name in p]  # absent keys keep what is known
    update: dict[str, Any] = {
        name: case((newer, stmt.excluded[name]), else_=table.c[name]) for name in present
    }
    update["last_seq"] = func.greatest(table.c.last_seq, stmt.excluded.last_seq)
    for name in _FIRST:
        update[name] = func.coalesce(table.c[name], stmt.excluded[name])
    update["finished_at"] = func.coalesce(stmt.excluded.finished_at, table.c.finished_at)
    s.execute(stmt.on_conflict_do_update(index_elements=["station_id", "ticket_id"], set_=update))


@handles("device.state_changed")
def device_state(s: Session, ev: StoredEvent) -> None:
    """The latest state of each device (printer, modem, button…) for station health (R-M2)."""
    p = ev.payload
    table = DeviceState.__table__  # type: ignore[attr-defined]
    stmt = pg_insert(table).values(
        station_id=ev.station_id,
        device=_text(ev.entity_id, 32),
        state=_text(p.get("state"), 32),
        label=_text(p.get("label"), 100),
        detail=_text(p.get("detail"), 300),
        changed_at=ev.occurred_at,
        last_seq=ev.seq,
    )
    cols = ("state", "label", "detail", "changed_at", "last_seq")
    s.execute(
        stmt.on_conflict_do_update(
            index_elements=["station_id", "device"],
            set_={c: stmt.excluded[c] for c in cols},
            where=stmt.excluded.last_seq > table.c.last_seq,
        )
    )


@handles("rating.keypad_pressed")
def rating_press(s: Session, ev: StoredEvent) -> None:
    """One rating keypad press (评价器); a bad level is a bad event (quarantined)."""
    p = ev.payload
    level = int(p["level"])
    if not 1 <= level <= 5:
        raise ValueError(f"rating level {level} out of range")
    table = RatingPress.__table__  # type: ignore[attr-defined]
    stmt = pg_insert(table).values(
        station_id=ev.station_id,
        event_id=ev.event_id,
        ticket_id=_text(ev.entity_id, 64),
        window_number=_text(p.get("window_number"), 16),
        level=level,
        number=_text(p.get("number"), 16),
        staff_id=p.get("staff_id"),
        pressed_at=ev.occurred_at,
    )
    s.execute(stmt.on_conflict_do_nothing(index_elements=["station_id", "event_id"]))
