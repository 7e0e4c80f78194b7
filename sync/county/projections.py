"""Dashboard projections built by applying station events (see ``apply.py``)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Index
from sqlmodel import Field

from sync.county.models import TZ, CountyBase


class TicketFact(CountyBase, table=True):
    """One ticket (号票) of one station: times and status for queue figures."""

    __tablename__ = "ticket_fact"
    station_id: str = Field(primary_key=True, max_length=32)
    ticket_id: str = Field(primary_key=True, max_length=64)
    number: str = Field(default="", max_length=16)
    category_id: str = Field(default="", max_length=64)
    business_date: str = Field(default="", max_length=10)
    priority: str = Field(default="", max_length=32)
    source: str = Field(default="", max_length=32)
    window_number: str | None = Field(default=None, max_length=16)
    status: str = Field(default="", max_length=32)
    issued_at: datetime | None = Field(default=None, sa_type=TZ)
    called_at: datetime | None = Field(default=None, sa_type=TZ)
    started_at: datetime | None = Field(default=None, sa_type=TZ)
    finished_at: datetime | None = Field(default=None, sa_type=TZ)
    last_seq: int = Field(default=0, sa_type=BigInteger)


class DeviceState(CountyBase, table=True):
    """The latest known state of a station device (printer, modem, button…)."""

    __tablename__ = "device_state"
    station_id: str = Field(primary_key=True, max_length=32)
    device: str = Field(primary_key=True, max_length=32)
    state: str = Field(max_length=32)
    label: str = Field(default="", max_length=100)
    detail: str = Field(default="", max_length=300)
    changed_at: datetime = Field(sa_type=TZ)
    last_seq: int = Field(default=0, sa_type=BigInteger)


class RatingPress(CountyBase, table=True):
    """One press of a window's rating keypad (评价器)."""

    __tablename__ = "rating_press"
    station_id: str = Field(primary_key=True, max_length=32)
    event_id: str = Field(primary_key=True, max_length=64)
    ticket_id: str = Field(max_length=64)
    window_number: str = Field(default="", max_length=16)
    level: int
    number: str = Field(default="", max_length=16)
    staff_id: str | None = Field(default=None, max_length=64)
    pressed_at: datetime = Field(sa_type=TZ)


class CaseFact(CountyBase, table=True):
    """One case (办件) of one station for 电子监察 and figures (R-M1, R-M2); no personal data.

    ``overdue_for`` / ``reminded_for`` are the 办结期限 the station reported overdue or
    reminded (``case.overdue`` / ``case.reminder``); ``overdue`` and ``due_soon`` hold while
    that is still the case's 办结期限 and its time limit runs (see ``case_handlers``).
    """

    __tablename__ = "case_fact"
    __table_args__ = (Index("ix_case_fact_flags", "overdue", "due_soon"),)
    station_id: str = Field(primary_key=True, max_length=32)
    case_number: str = Field(primary_key=True, max_length=64)
    item_code: str = Field(default="", max_length=64)
    item_name: str = Field(default="", max_length=200)
    state: str = Field(default="", max_length=32)
    received_on: date | None = None
    due_on: date | None = None
    decided_on: date | None = None  # 准予 / 不予批准 (Beijing date of the event)
    overdue_for: date | None = None
    reminded_for: date | None = None
    overdue: bool = False
    due_soon: bool = False
    updated_at: datetime = Field(sa_type=TZ)
    last_seq: int = Field(default=0, sa_type=BigInteger)
