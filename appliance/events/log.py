"""Append to the event log (事件日志) inside the caller's transaction."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, select

from appliance.core.ids import new_id
from appliance.db.database import Database
from appliance.events.tables import Event


def append_event(
    session: Session,
    type: str,
    entity: str,
    entity_id: str,
    payload: dict[str, Any],
    at: datetime,
) -> Event:
    """Append one event in the caller's transaction; seq is station-local and gapless."""
    last = session.exec(select(func.max(Event.seq))).one()
    row = Event(
        seq=int(last or 0) + 1,
        id=new_id(),
        type=type,
        entity=entity,
        entity_id=entity_id,
        payload=json.dumps(payload, ensure_ascii=False, sort_keys=True, default=str),
        occurred_at=at,
    )
    session.add(row)
    session.flush()
    return row


def last_event_seq(db: Database) -> int:
    """The newest event's seq (0 for an empty log): screens poll it to see any change."""
    with db.read() as s:
        return int(s.exec(select(func.max(Event.seq))).one() or 0)
