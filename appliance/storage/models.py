"""Station tables (SQLModel). Changes here need an Alembic revision."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from appliance.domain.ids import new_id

from .types import UtcDateTime


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


class Staff(SQLModel, table=True):
    """Staff account (工作人员)."""

    id: str = Field(default_factory=new_id, primary_key=True)
    code: str = Field(unique=True)
    name: str
    role: str
    post: str = ""
    phone: str = ""
    photo: str = ""
    pin_hash: str
    active: bool = True
    whereabouts: str = "在岗"
    window_id: str | None = None
    on_duty: bool = False
    created_at: datetime = Field(sa_type=UtcDateTime)
    deactivated_at: datetime | None = Field(default=None, sa_type=UtcDateTime)


class StaffSession(SQLModel, table=True):
    """Login session; only the token's SHA-256 is stored."""

    __tablename__ = "staff_session"
    token_hash: str = Field(primary_key=True)
    staff_id: str = Field(foreign_key="staff.id", index=True)
    created_at: datetime = Field(sa_type=UtcDateTime)
    expires_at: datetime = Field(sa_type=UtcDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UtcDateTime)


class Attendance(SQLModel, table=True):
    """Clock-in / clock-out record (考勤, R-T2)."""

    id: str = Field(default_factory=new_id, primary_key=True)
    staff_id: str = Field(foreign_key="staff.id", index=True)
    kind: str
    at: datetime = Field(sa_type=UtcDateTime)


class Alert(SQLModel, table=True):
    """An alert shown to staff (告警), e.g. a pause past the allowed absence."""

    id: str = Field(default_factory=new_id, primary_key=True)
    kind: str
    message: str
    window_id: str | None = None
    raised_at: datetime = Field(sa_type=UtcDateTime)
    cleared_at: datetime | None = Field(default=None, sa_type=UtcDateTime)


class OvertimeLog(SQLModel, table=True):
    """延时服务登记台账 (R-Q5): minutes served after closing, per staff member."""

    __tablename__ = "overtime_log"
    id: str = Field(default_factory=new_id, primary_key=True)
    staff_id: str | None = None
    ticket_id: str
    business_date: str
    minutes: int
    at: datetime = Field(sa_type=UtcDateTime)


class PrintJob(SQLModel, table=True):
    """Durable print job, written in the same transaction as its cause."""

    __tablename__ = "print_job"
    __table_args__ = (Index("ix_print_job_status", "status", "created_at"),)
    id: str = Field(default_factory=new_id, primary_key=True)
    kind: str
    ticket_id: str | None = None
    payload: str
    status: str = "pending"  # pending | printing | done | cancelled | error
    copies: int = 1
    attempts: int = 0
    last_error: str | None = None
    claimed_until: datetime | None = Field(default=None, sa_type=UtcDateTime)
    cancelled_by: str | None = None
    created_at: datetime = Field(sa_type=UtcDateTime)
    done_at: datetime | None = Field(default=None, sa_type=UtcDateTime)


class Event(SQLModel, table=True):
    """Append-only event log: statistics and the county sync read from it."""

    seq: int = Field(primary_key=True)
    id: str = Field(unique=True)
    type: str = Field(index=True)
    entity: str
    entity_id: str
    payload: str
    occurred_at: datetime = Field(sa_type=UtcDateTime)


from .case_models import CaseRecord, CaseTransitionRecord  # noqa: E402
from .case_sweep_models import CaseEscalation  # noqa: E402
from .catalogue_models import (  # noqa: E402
    CalendarDay,
    CalendarYear,
    CatalogueItem,
    CatalogueMaterial,
    CatalogueVersion,
)
from .device_models import DeviceStatus, InboundSms, SmsMessage, SmsTemplate  # noqa: E402
from .sync_models import ReferenceRow, SyncQuarantine, SyncState  # noqa: E402

__all__ = [
    "Alert", "Attendance", "CalendarDay", "CalendarYear", "CaseEscalation", "CaseRecord", "CaseTransitionRecord", "CatalogueItem",
    "CatalogueMaterial", "CatalogueVersion", "Category", "DeviceStatus", "Event", "InboundSms", "OvertimeLog",
    "PrintJob", "ReferenceRow", "ServiceWindow", "SmsMessage", "SmsTemplate", "Staff",
    "StaffSession", "SyncQuarantine", "SyncState", "Ticket", "WindowCategory",
]
