"""Daily roll-ups of the event log (日汇总, R-M1) and how far they have read it.

``figure_day`` keeps one row per station-local day: the roll-up as JSON (``rules.rollup``)
and the counts the head's home sums over all days (open follow-ups and complaints).
``figure_mark`` is the event ``seq`` the roll-ups are complete up to. The index on
``event.occurred_at`` lets a day be re-read without a scan of the whole log.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Text
from sqlmodel import Field, SQLModel, col

from appliance.db.types import UtcDateTime
from appliance.events.tables import Event


class FigureDay(SQLModel, table=True):
    """One station-local day's roll-up, rebuilt from that day's events when any changes."""

    __tablename__ = "figure_day"

    day: str = Field(primary_key=True)  # YYYY-MM-DD
    data: str = Field(sa_type=Text)  # DayRollup as JSON
    events: int = 0
    followups: int = 0
    followups_closed: int = 0
    complaints: int = 0
    complaints_closed: int = 0
    built_at: datetime = Field(sa_type=UtcDateTime)


class FigureMark(SQLModel, table=True):
    """The last event ``seq`` folded into the roll-ups (one row, id 1)."""

    __tablename__ = "figure_mark"

    id: int = Field(primary_key=True)
    seq: int = 0


EVENT_TIME_INDEX = Index("ix_event_occurred_at", col(Event.occurred_at))

__all__ = ["EVENT_TIME_INDEX", "FigureDay", "FigureMark"]
