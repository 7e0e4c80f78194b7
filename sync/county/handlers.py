"""Projection handlers for the station core's events: tickets, devices, rating presses.

They are applied because ``sync.county.registry.PROJECTIONS`` lists them.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import case, func
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlmodel import Session

from sync.county.apply import StoredEvent
from sync.county.projections import DeviceState, RatingPress, TicketFact

TICKET_TIME = {
    "ticket.issued": "issued_at",
    "ticket.called": "called_at",
    "ticket.recalled": "called_at",
    "ticket.started": "started_at",
    "ticket.finished": "finished_at",
}
_FIRST = ("issued_at", "called_at", "started_at")  # keep the first time; finished_at keeps the last
_LATEST_WINS = (
    "number",
    "category_id",
    "business_date",
    "priority",
    "source",
    "status",
    "window_number",
)


def _text(value: Any, limit: int) -> str:
    return "" if value is None else str(value)[:limit]


TICKET_TYPES = (
    "ticket.issued",
    "ticket.called",
    "ticket.recalled",
    "ticket.started",
    "ticket.finished",
    "ticket.no_show",
    "ticket.transferred",
    "ticket.rejoined",
    "ticket.cancelled",
)
_TEXT_LIMITS = {
    "number": 16,
    "category_id": 64,
    "business_date": 10,
    "priority": 32,
    "source": 32,
    "status": 32,
    "window_number": 16,
}
_TIMES = ("issued_at", "called_at", "started_at", "finished_at")


def _fact(ev: StoredEvent) -> dict[str, Any]:
    """The columns one event knows; absent payload keys stay empty (keep what is known)."""
    p = ev.payload
    empty = {name: ("" if name != "window_number" else None) for name in _LATEST_WINS}
    row: dict[str, Any] = {
        "station_id": ev.station_id,
        "ticket_id": ev.entity_id,
        "last_seq": ev.seq,
        **empty,
        **dict.fromkeys(_TIMES),
    }
    for name in _LATEST_WINS:
        if name in p and p[name] is not None:
            row[name] = _text(p[name], _TEXT_LIMITS[name])
    column = TICKET_TIME.get(ev.type)
    if column:
        row[column] = ev.occurred_at
    return row


def _fold(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Several events of one ticket, in seq order, folded the way the upsert merges them."""
    out = dict(rows[0])
    for row in rows[1:]:
        for name in _LATEST_WINS:
            if row[name]:  # "" or None: this event did not say
                out[name] = row[name]
        for name in _FIRST:
            out[name] = out[name] or row[name]
        out["finished_at"] = row["finished_at"] or out["finished_at"]
        out["last_seq"] = max(out["last_seq"], row["last_seq"])
    return out


def ticket_facts(s: Session, events: list[StoredEvent]) -> None:
    """One row per ticket (号票): the newest event (by seq) sets the status. One statement."""
    per_ticket: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for ev in sorted(events, key=lambda e: (e.station_id, e.seq)):
        per_ticket.setdefault((ev.station_id, ev.entity_id), []).append(_fact(ev))
    rows = [_fold(group) for group in per_ticket.values()]
    table = TicketFact.__table__  # type: ignore[attr-defined]
    stmt = pg_insert(table).values(rows)
    newer = stmt.excluded.last_seq > table.c.last_seq
    update: dict[str, Any] = {
        name: case(
            (newer & (func.coalesce(stmt.excluded[name], "") != ""), stmt.excluded[name]),
            else_=table.c[name],
        )
        for name in _LATEST_WINS
    }
    update["last_seq"] = func.greatest(table.c.last_seq, stmt.excluded.last_seq)
    for name in _FIRST:
        update[name] = func.coalesce(table.c[name], stmt.excluded[name])
    update["finished_at"] = func.coalesce(stmt.excluded.finished_at, table.c.finished_at)
    s.execute(stmt.on_conflict_do_update(index_elements=["station_id", "ticket_id"], set_=update))


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


def rating_press(s: Session, ev: StoredEvent) -> None:
    """One rating (评价): a keypad press of before 0011 (``rating.keypad_pressed``) or a
    rating from any channel (``rating.given``: keypad, tablet, QR, SMS, comment box, or the
    default level of an unrated service); a bad level is a bad event (quarantined)."""
    p = ev.payload
    if ev.type == "rating.given":
        p = {**p, "number": p.get("subject_ref")}
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
