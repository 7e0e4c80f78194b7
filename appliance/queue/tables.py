"""Tables of the queue (取号叫号): categories, windows, tickets and the overtime ledger (延时服务登记台账)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from appliance.core.ids import new_id
from appliance.db.types import UtcDateTime


class Category(SQLModel, table=True):
    """Service category (业务类别), e.g. A 综合受理."""

    id: str = Field(default_factory=new_id, primary_key=True)
    prefix: str = Field(unique=True, max_length=2)
    name: str
    prior_minutes: float | None = None
    priority_streak: int = 0
    sort: int = 0
    active: bool = True


class ServiceWindow(SQLModel, table=True):
    """Service window (窗口)."""

    __tablename__ = "service_window"
    id: str = Field(default_factory=new_id, primary_key=True)
    number: int = Field(unique=True)
    name: str
    paused: bool = False
    pause_reason: str | None = None
    paused_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    absence_alerted: bool = False
    current_ticket_id: str | None = None
    staff_id: str | None = None


class WindowCategory(SQLModel, table=True):
    __tablename__ = "window_category"
    window_id: str = Field(foreign_key="service_window.id", primary_key=True)
    category_id: str = Field(foreign_key="category.id", primary_key=True)


class Ticket(SQLModel, table=True):
    """Queue ticket (排队号)."""

    __table_args__ = (
        # numbering follows the issuing category, which a transfer never changes
        UniqueConstraint("business_date", "issue_category_id", "seq", name="uq_ticket_day_seq"),
        Index("ix_ticket_queue", "status", "category_id", "queue_at"),
        Index("ix_ticket_finished", "category_id", "finished_at"),
        Index("ix_ticket_day_number", "business_date", "number", unique=True),
    )
    id: str = Field(default_factory=new_id, primary_key=True)
    business_date: str
    category_id: str = Field(foreign_key="category.id")
    issue_category_id: str = Field(foreign_key="category.id")
    seq: int
    number: str
    source: str
    priority: str = "normal"
    status: str = "waiting"
    queue_at: datetime = Field(sa_type=UtcDateTime)
    issued_at: datetime = Field(sa_type=UtcDateTime)
    called_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    started_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    finished_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    window_id: str | None = None
    staff_id: str | None = None
    target_window_id: str | None = None
    issued_by: str | None = None
    phone: str | None = None
    people_ahead: int = 0
    est_wait_min: int = 0
    closing_warning: str | None = None
    recall_count: int = 0
    no_show_count: int = 0
    rejoin_count: int = 0
    near_notified: bool = False


class OvertimeLog(SQLModel, table=True):
    """延时服务登记台账 (R-Q5): minutes served after closing, per staff member."""

    __tablename__ = "overtime_log"
    id: str = Field(default_factory=new_id, primary_key=True)
    staff_id: str | None = None
    ticket_id: str
    business_date: str
    minutes: int
    at: datetime = Field(sa_type=UtcDateTime)
