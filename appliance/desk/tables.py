"""Tables of the "办不成事" register (办不成事受理情况登记表, R-P1)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from appliance.core.ids import new_id
from appliance.db.types import UtcDateTime


class DeskEntry(SQLModel, table=True):
    """One problem brought to the desk: what it is, its kind, and how it was settled,
    referred or passed on (to whom, and how the visitor was told)."""

    __tablename__ = "desk_entry"
    __table_args__ = (UniqueConstraint("business_date", "seq", name="uq_desk_entry_day_seq"),)
    id: str = Field(default_factory=new_id, primary_key=True)
    number: str = Field(unique=True)  # BC-20261123-001
    business_date: str = Field(index=True)  # YYYY-MM-DD, the station's local day
    seq: int
    reported_at: datetime = Field(sa_type=UtcDateTime)
    kind: str  # rules.DeskKind
    problem_type: str  # rules.ProblemType
    problem: str = Field(sa_type=Text)
    item_name: str = ""
    case_number: str = ""
    visitor_name: str = ""
    visitor_phone: str = ""
    status: str = Field(index=True)  # rules.DeskStatus
    due_on: str | None = Field(default=None, index=True)  # YYYY-MM-DD (complex only)
    due_provisional: bool = False
    resolution: str = Field(default="", sa_type=Text)  # simple: what was done on the spot
    referral: str = ""  # outside the remit: where the visitor was sent
    handler_dept: str = ""  # transfer: the department or window
    handler_name: str = ""
    handler_phone: str = ""
    transferred_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    notify_by: str | None = None  # rules.NotifyBy
    notified_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    sms_id: str | None = None  # the last SMS that told the visitor
    print_job_id: str | None = None  # the last slip printed
    result: str = Field(default="", sa_type=Text)  # 办结或反馈
    closed_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    closed_by_id: str | None = None
    closed_by_name: str = ""
    staff_id: str  # who registered it (登记人)
    staff_name: str
    alert_id: str | None = None  # the open overdue alert, if any
    overdue_reported: bool = False  # ``desk.overdue`` written (once per entry)
    updated_at: datetime = Field(sa_type=UtcDateTime)


class DeskEntryStep(SQLModel, table=True):
    """One line of an entry's record: who did what, when, and the text."""

    __tablename__ = "desk_step"
    __table_args__ = (UniqueConstraint("entry_id", "seq", name="uq_desk_step"),)
    id: str = Field(default_factory=new_id, primary_key=True)
    entry_id: str = Field(foreign_key="desk_entry.id", index=True)
    seq: int
    step: str  # rules.DeskStep
    who_id: str
    who_name: str
    at: datetime = Field(sa_type=UtcDateTime)
    text: str = Field(sa_type=Text)
