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


class ConsultationFact(CountyBase, table=True):
    """One consultation (咨询台账, R-C2) of one station: channel, dates and status, for the
    open and overdue consultations per station (see ``consultation_handlers``).

    No question, answer or visitor data: only what the dashboard counts. ``overdue_reported``
    holds once the station said the reply date passed (``consultation.overdue``)."""

    __tablename__ = "consultation_fact"
    __table_args__ = (Index("ix_consultation_fact_open", "status", "reply_due"),)
    station_id: str = Field(primary_key=True, max_length=32)
    consultation_id: str = Field(primary_key=True, max_length=64)
    number: str = Field(default="", max_length=32)
    channel: str = Field(default="", max_length=16)
    status: str = Field(default="", max_length=16)  # open | closed
    asked_on: date | None = None
    reply_due: date | None = None
    answered_on: date | None = None
    overdue_reported: bool = False
    updated_at: datetime = Field(sa_type=TZ)
    last_seq: int = Field(default=0, sa_type=BigInteger)


class ComplaintFact(CountyBase, table=True):
    """One complaint (投诉, R-P2, R-M2) of one station: channel, state and a summary for the
    open-complaints panel.

    The complainant is masked (张*), ``匿名``, or — for a confidential complaint — never
    named: ``（保密）`` whatever the event says (``complaint_handlers``). The station has
    already scrubbed the complainant out of ``summary`` and ``about``."""

    __tablename__ = "complaint_fact"
    __table_args__ = (Index("ix_complaint_fact_state", "state", "received_at"),)
    station_id: str = Field(primary_key=True, max_length=32)
    complaint_id: str = Field(primary_key=True, max_length=64)
    number: str = Field(default="", max_length=32)
    channel: str = Field(default="", max_length=16)
    confidential: bool = False
    state: str = Field(default="", max_length=16)
    complainant: str = Field(default="", max_length=50)
    about: str = Field(default="", max_length=100)
    summary: str = Field(default="", max_length=300)
    finding: str = Field(default="", max_length=32)
    transferred_to: str = Field(default="", max_length=100)
    received_at: datetime | None = Field(default=None, sa_type=TZ)
    closed_at: datetime | None = Field(default=None, sa_type=TZ)
    updated_at: datetime = Field(sa_type=TZ)
    last_seq: int = Field(default=0, sa_type=BigInteger)
