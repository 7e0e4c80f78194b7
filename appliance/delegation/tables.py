"""Tables of 帮办代办 (R-D1, R-D2): the ledger, its entries, home visits and the signed papers."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, LargeBinary, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from appliance.core.ids import new_id
from appliance.db.types import UtcDateTime


class Delegation(SQLModel, table=True):
    """One 帮办 or 代办 of the 代办服务工作台账: who asked, what, who acts, for how long."""

    __tablename__ = "delegation"
    __table_args__ = (UniqueConstraint("business_date", "seq", name="uq_delegation_day_seq"),)
    id: str = Field(default_factory=new_id, primary_key=True)
    number: str = Field(unique=True)  # DB-20261123-001 (代办) / BB-20261123-002 (帮办)
    business_date: str = Field(index=True)  # YYYY-MM-DD, the station's local day logged
    seq: int
    kind: str  # rules.Kind
    status: str = Field(index=True)  # rules.Status
    applicant_name: str
    applicant_id_number: str = ""
    applicant_phone: str = ""
    applicant_address: str = ""
    item_name: str  # 事项
    content: str = Field(sa_type=Text)  # 委托内容 / 帮办需求
    responsibilities: str = Field(default="", sa_type=Text)
    period_start: str | None = None  # 委托期限 YYYY-MM-DD (代办)
    period_end: str | None = None
    agent_id: str  # 代办员 / 帮办人: the staff member it is assigned to
    agent_name: str
    staff_id: str  # 登记人
    staff_name: str
    created_at: datetime = Field(sa_type=UtcDateTime)
    suspend_reason: str | None = None  # rules.SuspendReason while suspended
    suspend_note: str = ""
    suspended_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    continuations: int = 0  # 续办委托书 signed
    result: str = Field(default="", sa_type=Text)  # 办理结果
    completed_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    rating_open: bool = False  # completed: awaiting the applicant's rating (一事一评)
    updated_at: datetime = Field(sa_type=UtcDateTime)


class DelegationEntry(SQLModel, table=True):
    """One line of the ledger: assignment, progress fed back, suspension, continuation, a fee
    the applicant paid, a home visit, completion — with who and when."""

    __tablename__ = "delegation_entry"
    __table_args__ = (Index("ix_delegation_entry_delegation", "delegation_id", "at"),)
    id: str = Field(default_factory=new_id, primary_key=True)
    delegation_id: str = Field(foreign_key="delegation.id")
    at: datetime = Field(sa_type=UtcDateTime)
    kind: str  # assigned | progress | suspended | resumed | fee | visit | completed
    text: str = Field(sa_type=Text)
    staff_id: str
    staff_name: str
    sms_id: str | None = None  # the progress SMS queued, if any
    amount_fen: int | None = None  # a fee the applicant paid (never the agent)


class DelegationVisit(SQLModel, table=True):
    """上门服务: a home visit scheduled as a task of the delegation."""

    __tablename__ = "delegation_visit"
    __table_args__ = (Index("ix_delegation_visit_due", "status", "scheduled_for"),)
    id: str = Field(default_factory=new_id, primary_key=True)
    delegation_id: str = Field(foreign_key="delegation.id")
    scheduled_for: datetime = Field(sa_type=UtcDateTime)
    address: str
    purpose: str
    staff_id: str  # who goes
    staff_name: str
    status: str  # scheduled | done
    outcome: str = Field(default="", sa_type=Text)
    done_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    created_at: datetime = Field(sa_type=UtcDateTime)


class DelegationDocument(SQLModel, table=True):
    """A printed paper of the delegation, kept byte for byte: 委托书, 中止单, 续办委托书, 办结单."""

    __tablename__ = "delegation_document"
    id: str = Field(default_factory=new_id, primary_key=True)
    delegation_id: str = Field(foreign_key="delegation.id", index=True)
    kind: str  # agreement | suspension | continuation | completion
    number: str  # DB-20261123-001-1
    created_at: datetime = Field(sa_type=UtcDateTime)
    sha256: str
    pdf: bytes = Field(sa_type=LargeBinary)
