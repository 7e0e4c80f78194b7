"""County table of the stations' appointments (预约, R-Q7, R-Q8): one row per appointment,
projected from ``appointment.*`` events; no name and no phone, only what the county counts
(channel, slot day, status, the 一人多约 flag, the outage offers)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Index
from sqlmodel import Field

from sync.county.models import TZ, CountyBase


class AppointmentFact(CountyBase, table=True):
    """One appointment of one station, as its newest event (by seq) describes it."""

    __tablename__ = "appointment_fact"
    __table_args__ = (Index("ix_appointment_fact_day", "slot_date", "status"),)
    station_id: str = Field(primary_key=True, max_length=32)
    appointment_id: str = Field(primary_key=True, max_length=64)
    number: str = Field(default="", max_length=32)
    channel: str = Field(default="", max_length=16)
    status: str = Field(default="", max_length=16)  # booked | checked_in | forfeited | cancelled
    category: str = Field(default="", max_length=16)
    slot_date: date | None = None
    slot_time: str = Field(default="", max_length=5)
    priority: bool = False  # 停电断网补约 (R-Q8)
    multi_booking: bool = False  # 一人多约: left out of the on-time figures
    updated_at: datetime = Field(sa_type=TZ)
    last_seq: int = Field(default=0, sa_type=BigInteger)
