"""Tables of the leased-job queues: print jobs (打印任务) and SMS (短信)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from appliance.core.ids import new_id
from appliance.db.types import UtcDateTime
from appliance.jobs.rules.lease import PrintStatus, SmsStatus


class PrintJob(SQLModel, table=True):
    """Durable print job, written in the same transaction as its cause."""

    __tablename__ = "print_job"
    __table_args__ = (Index("ix_print_job_status", "status", "created_at"),)
    id: str = Field(default_factory=new_id, primary_key=True)
    kind: str
    ticket_id: str | None = None
    payload: str
    status: str = PrintStatus.PENDING  # rules.lease.PrintStatus
    copies: int = 1
    attempts: int = 0
    last_error: str | None = None
    claimed_until: datetime | None = Field(default=None, sa_type=UtcDateTime)
    cancelled_by: str | None = None
    created_at: datetime = Field(sa_type=UtcDateTime)
    done_at: datetime | None = Field(default=None, sa_type=UtcDateTime)


class SmsTemplate(SQLModel, table=True):
    """短信模板: one per kind."""

    __tablename__ = "sms_template"
    kind: str = Field(primary_key=True)
    body: str
    updated_at: datetime = Field(sa_type=UtcDateTime)


class SmsMessage(SQLModel, table=True):
    """Outgoing SMS (短信队列), written in the same transaction as its cause."""

    __tablename__ = "sms_message"
    __table_args__ = (Index("ix_sms_status_next", "status", "next_attempt_at"),)
    id: str = Field(default_factory=new_id, primary_key=True)
    kind: str
    phone: str
    body: str
    ticket_id: str | None = None
    status: str = SmsStatus.PENDING  # rules.lease.SmsStatus
    attempts: int = 0
    next_attempt_at: datetime = Field(sa_type=UtcDateTime)
    claimed_until: datetime | None = Field(default=None, sa_type=UtcDateTime)
    last_error: str | None = None
    references: str | None = None
    created_at: datetime = Field(sa_type=UtcDateTime)
    sent_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    cancelled_by: str | None = None


class InboundSms(SQLModel, table=True):
    """An SMS received by the modem (e.g. a rating reply, handled in the ratings issue)."""

    __tablename__ = "inbound_sms"
    id: str = Field(default_factory=new_id, primary_key=True)
    phone: str
    body: str
    received_at: str
    stored_at: datetime = Field(sa_type=UtcDateTime)
