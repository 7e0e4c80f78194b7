"""County table of the stations' 帮办代办 (R-D1, R-D2): one row per delegation, for the open
delegations per station on the dashboard (see ``delegation_handlers``).

No applicant, content or result: only the number, kind, state and dates the county counts.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Index
from sqlmodel import Field

from sync.county.models import TZ, CountyBase


class DelegationFact(CountyBase, table=True):
    """One 帮办 or 代办 of one station: kind, state (active / suspended / completed), dates."""

    __tablename__ = "delegation_fact"
    __table_args__ = (Index("ix_delegation_fact_status", "status", "station_id"),)
    station_id: str = Field(primary_key=True, max_length=32)
    delegation_id: str = Field(primary_key=True, max_length=64)
    number: str = Field(default="", max_length=32)
    kind: str = Field(default="", max_length=16)  # help | delegate
    status: str = Field(default="", max_length=16)  # active | suspended | completed
    opened_on: date | None = None
    period_end: date | None = None
    suspend_reason: str = Field(default="", max_length=32)
    completed_on: date | None = None
    updated_at: datetime = Field(sa_type=TZ)
    last_seq: int = Field(default=0, sa_type=BigInteger)
