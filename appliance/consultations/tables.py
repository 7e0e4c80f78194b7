"""Tables of the consultation ledger (咨询台账, R-C2)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from appliance.core.ids import new_id
from appliance.db.types import UtcDateTime


class ConsultationRecord(SQLModel, table=True):
    """One entry of the 咨询台账: the question, how it came, how to reach the visitor, and
    either the answer given at once or the agreed reply date until the reply is recorded."""

    __tablename__ = "consultation"
    __table_args__ = (UniqueConstraint("business_date", "seq", name="uq_consultation_day_seq"),)
    id: str = Field(default_factory=new_id, primary_key=True)
    number: str = Field(unique=True)  # ZX-20261123-001
    business_date: str = Field(index=True)  # YYYY-MM-DD, the station's local day asked
    seq: int
    asked_at: datetime = Field(sa_type=UtcDateTime)
    channel: str
    question: str = Field(sa_type=Text)
    visitor_name: str = ""
    visitor_contact: str = ""  # phone, e-mail or address
    status: str = Field(index=True)  # open | closed
    reply_due: str | None = Field(default=None, index=True)  # YYYY-MM-DD (约定答复日期)
    reply_due_provisional: bool = False
    answer: str = Field(default="", sa_type=Text)
    answered_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    answered_by_id: str | None = None
    answered_by_name: str = ""
    staff_id: str  # who recorded it (登记人)
    staff_name: str
    contact_id: str | None = None  # the first contact (首问登记) it came from
    knowledge_id: str | None = None  # the knowledge entry the answer came from
    promoted_id: str | None = None  # the knowledge entry made from it (R-C3)
    alert_id: str | None = None  # the open overdue alert, if any
    overdue_reported: bool = False  # ``consultation.overdue`` written (once per entry)
    updated_at: datetime = Field(sa_type=UtcDateTime)
