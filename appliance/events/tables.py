"""The append-only event log (事件日志): statistics and the county sync read from it."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from appliance.db.types import UtcDateTime


class Event(SQLModel, table=True):
    """Append-only event log: statistics and the county sync read from it."""

    seq: int = Field(primary_key=True)
    id: str = Field(unique=True)
    type: str = Field(index=True)
    entity: str
    entity_id: str
    payload: str
    occurred_at: datetime = Field(sa_type=UtcDateTime)
