"""Tables of the fault log and the emergency records (故障台账、应急处置记录, R-I1, R-I2)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from appliance.core.ids import new_id
from appliance.db.types import UtcDateTime


class FaultRecord(SQLModel, table=True):
    """One fault: what happened, its kind and scope, when it began and ended, its level (set
    from the scope or the duration when it closes) and the closing summary."""

    __tablename__ = "fault"
    __table_args__ = (UniqueConstraint("business_date", "seq", name="uq_fault_day_seq"),)
    id: str = Field(default_factory=new_id, primary_key=True)
    number: str = Field(unique=True)  # GZ-20261123-001
    business_date: str = Field(index=True)  # YYYY-MM-DD, the station's local day opened
    seq: int
    kind: str  # network | system
    scope: str | None = None  # network faults: intranet | partial | internet
    source: str = Field(index=True)  # manual | county | printer.receipt | … (automatic)
    title: str
    detail: str = Field(default="", sa_type=Text)
    status: str = Field(index=True)  # open | closed
    level: str = ""  # I | II | III, fixed when closed
    opened_at: datetime = Field(sa_type=UtcDateTime)
    opened_by_id: str | None = None
    opened_by_name: str
    ended_at: datetime | None = Field(default=None, sa_type=UtcDateTime)  # fault cleared
    closed_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    closed_by_id: str | None = None
    closed_by_name: str = ""
    cause: str = Field(default="", sa_type=Text)  # 故障原因
    result: str = Field(default="", sa_type=Text)  # 处理结果
    updated_at: datetime = Field(sa_type=UtcDateTime)


class FaultAction(SQLModel, table=True):
    """One line of a fault's handling record: a step taken, or the people told."""

    __tablename__ = "fault_action"
    id: str = Field(default_factory=new_id, primary_key=True)
    fault_id: str = Field(foreign_key="fault.id", index=True)
    kind: str  # step | notified
    text: str = Field(sa_type=Text)
    at: datetime = Field(sa_type=UtcDateTime)
    staff_id: str | None = None
    staff_name: str


class EmergencyRecord(SQLModel, table=True):
    """One emergency handled with its checklist: which procedure, who, when started."""

    __tablename__ = "emergency"
    __table_args__ = (UniqueConstraint("business_date", "seq", name="uq_emergency_day_seq"),)
    id: str = Field(default_factory=new_id, primary_key=True)
    number: str = Field(unique=True)  # YJ-20261123-001
    business_date: str = Field(index=True)
    seq: int
    kind: str  # power | fire | illness | disorder | lift
    started_at: datetime = Field(sa_type=UtcDateTime)
    staff_id: str
    staff_name: str
    note: str = Field(default="", sa_type=Text)
    ended_at: datetime | None = Field(default=None, sa_type=UtcDateTime)


class EmergencyStep(SQLModel, table=True):
    """A checklist step marked done: when and by whom."""

    __tablename__ = "emergency_step"
    emergency_id: str = Field(foreign_key="emergency.id", primary_key=True)
    step: int = Field(primary_key=True)  # 1-based, in the procedure's order
    done_at: datetime = Field(sa_type=UtcDateTime)
    staff_id: str
    staff_name: str
