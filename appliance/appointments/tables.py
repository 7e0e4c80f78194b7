"""Tables of the appointment book (预约台账, R-Q7) and the outage register (R-Q8)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from appliance.core.ids import new_id
from appliance.db.types import UtcDateTime


class Appointment(SQLModel, table=True):
    """One booking of one slot (预约): who, which category and item, when, and what became
    of it (checked in to a ticket, forfeited, cancelled)."""

    __tablename__ = "appointment"
    __table_args__ = (
        UniqueConstraint("business_date", "seq", name="uq_appointment_day_seq"),
        Index("ix_appointment_slot", "slot_date", "category_id", "slot_time"),
        Index("ix_appointment_phone_day", "phone", "slot_date"),
    )
    id: str = Field(default_factory=new_id, primary_key=True)
    number: str = Field(unique=True)  # YY-20261123-001
    business_date: str = Field(index=True)  # YYYY-MM-DD, the local day it was booked
    seq: int
    channel: str
    status: str = Field(index=True)
    category_id: str
    category_prefix: str
    category_name: str
    item_code: str = ""
    item_name: str = ""
    slot_date: str  # YYYY-MM-DD
    slot_time: str  # HH:MM, the slot's start
    slot_start: datetime = Field(sa_type=UtcDateTime)
    slot_end: datetime = Field(sa_type=UtcDateTime)
    visitor_name: str = ""
    phone: str
    priority: bool = False  # 停电断网补约: above capacity, called first (R-Q8)
    multi_booking: bool = False  # 一人多约: left out of the on-time figures
    notice_by: str = "none"  # how the 一次性告知单 went: print | sms | none
    print_job_id: str | None = None
    ticket_id: str | None = None
    ticket_number: str = ""
    checked_in_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    reason: str = ""  # why cancelled or last moved
    moved: int = 0
    reminded_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    external_id: str | None = Field(default=None, unique=True)  # the county booking's id
    outage_id: str | None = None
    created_by: str = ""  # 工号 of the clerk, or 网上 / 县级平台
    created_at: datetime = Field(sa_type=UtcDateTime)
    updated_at: datetime = Field(sa_type=UtcDateTime)


class Outage(SQLModel, table=True):
    """停电断网登记 (R-Q8): an outage and the visitors it left unserved."""

    __tablename__ = "outage"
    id: str = Field(default_factory=new_id, primary_key=True)
    number: str = Field(unique=True)  # TD-20261123-01
    kind: str  # power | network
    started_at: datetime = Field(sa_type=UtcDateTime)
    ended_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    note: str = ""
    offer_date: str  # YYYY-MM-DD, the next open day offered
    visitors: int = 0
    recorded_by: str
    recorded_at: datetime = Field(sa_type=UtcDateTime)
