"""Tables of the complaints ledger (投诉受理记录, R-P2)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from appliance.core.ids import new_id
from appliance.db.types import UtcDateTime


class Complaint(SQLModel, table=True):
    """One complaint: its channel, the complainant (kept confidential on request), and where
    its handling stands. Every step is a :class:`ComplaintStep` row as well."""

    __tablename__ = "complaint"
    __table_args__ = (UniqueConstraint("business_date", "seq", name="uq_complaint_day_seq"),)
    id: str = Field(default_factory=new_id, primary_key=True)
    number: str = Field(unique=True)  # TS-20261123-001
    business_date: str = Field(index=True)  # YYYY-MM-DD, the station's local day received
    seq: int
    received_at: datetime = Field(sa_type=UtcDateTime)
    channel: str  # rules.Channel
    confidential: bool = Field(index=True)
    complainant_name: str = ""
    complainant_phone: str = ""
    complainant_contact: str = ""
    about: str = ""
    content: str = Field(sa_type=Text)
    state: str = Field(index=True)  # rules.State
    finding: str | None = None  # rules.Finding
    transferred_to: str = ""
    transfer_handler: str = ""
    answer: str = Field(default="", sa_type=Text)
    answer_via: str | None = None  # rules.AnswerVia
    answered_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    answered_by_name: str = ""
    sms_id: str | None = None
    closed_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    closed_by_id: str | None = None
    closed_by_name: str = ""
    staff_id: str  # who registered it (受理人)
    staff_name: str
    updated_at: datetime = Field(sa_type=UtcDateTime)


class ComplaintStep(SQLModel, table=True):
    """One recorded step of a complaint: who, when, what (登记、核实、处理、转办、跟踪、答复、办结)."""

    __tablename__ = "complaint_step"
    __table_args__ = (UniqueConstraint("complaint_id", "seq", name="uq_complaint_step"),)
    id: str = Field(default_factory=new_id, primary_key=True)
    complaint_id: str = Field(foreign_key="complaint.id", index=True)
    seq: int
    step: str  # rules.Step
    who_id: str
    who_name: str
    at: datetime = Field(sa_type=UtcDateTime)
    text: str = Field(sa_type=Text)
