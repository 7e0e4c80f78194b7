"""County table of the stations' faults (故障台账, R-I1): ``fault_fact``, one row per fault
a station logged, from its ``fault.opened`` / ``fault.closed`` events; nothing personal."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Index
from sqlmodel import Field

from sync.county.models import TZ, CountyBase


class FaultFact(CountyBase, table=True):
    """One fault of one station: kind, level, source, status and times."""

    __tablename__ = "fault_fact"
    __table_args__ = (Index("ix_fault_fact_status", "status"),)
    station_id: str = Field(primary_key=True, max_length=32)
    fault_id: str = Field(primary_key=True, max_length=64)
    number: str = Field(default="", max_length=32)
    kind: str = Field(default="", max_length=16)  # network | system
    level: str = Field(default="", max_length=4)  # I | II | III (provisional while open)
    source: str = Field(default="", max_length=32)  # manual | county | printer.receipt | …
    title: str = Field(default="", max_length=300)
    status: str = Field(default="", max_length=16)  # open | closed
    opened_on: date | None = None
    opened_at: datetime | None = Field(default=None, sa_type=TZ)
    closed_at: datetime | None = Field(default=None, sa_type=TZ)
    last_seq: int = Field(default=0, sa_type=BigInteger)
