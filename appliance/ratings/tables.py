"""Tables of ratings (好差评, R-E1–R-E4) and their follow-ups (回访).

``rating`` is unique per service (``subject_kind`` + ``subject_id``): the database itself
refuses a second rating of the same service. The contact phone is kept for the 回访 and
never leaves the station (events carry only whether the rating is real-name).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from appliance.core.ids import new_id
from appliance.db.types import UtcDateTime


class Rating(SQLModel, table=True):
    """One rating of one finished service (评价)."""

    __tablename__ = "rating"
    __table_args__ = (
        UniqueConstraint("subject_kind", "subject_id", name="uq_rating_subject"),
        Index("ix_rating_service_date", "service_date"),
    )
    id: str = Field(default_factory=new_id, primary_key=True)
    subject_kind: str  # rules.levels.SubjectKind
    subject_id: str  # ticket id, case id
    subject_ref: str  # what people read: ticket number (A001) or case number
    service_date: str  # YYYY-MM-DD, local day the service finished
    finished_at: datetime = Field(sa_type=UtcDateTime)
    window_number: int | None = None
    staff_id: str | None = None  # who served (the rated staff member)
    category_id: str | None = None
    item_code: str | None = None
    level: int
    dimensions: str = Field(default="{}", sa_type=Text)  # JSON {dimension: 1–5}
    reason: str | None = None  # rules.levels.Reason
    reason_text: str = Field(default="", sa_type=Text)
    source: str  # rules.levels.Source
    source_ref: str | None = Field(default=None, index=True)  # the inbound SMS it came from
    transcribed_by: str | None = None  # staff id (comment box only)
    transcribed_by_name: str | None = None
    real_name: bool = False
    contact_phone: str | None = None
    voided: bool = False  # an appeal was upheld: kept, no longer counted
    rated_at: datetime = Field(sa_type=UtcDateTime)


class RatingFollowUp(SQLModel, table=True):
    """回访: the follow-up of one bad rating, from 核实 to 办结 (R-E3)."""

    __tablename__ = "rating_followup"
    id: str = Field(default_factory=new_id, primary_key=True)
    rating_id: str = Field(foreign_key="rating.id", unique=True)
    state: str = Field(index=True)  # rules.followup.FollowUpState
    opened_at: datetime = Field(sa_type=UtcDateTime)
    opened_on: str  # YYYY-MM-DD (local)
    contact_due: str  # YYYY-MM-DD: 核实 (contact the visitor) by this day
    rectify_due: str  # YYYY-MM-DD: closed by this day
    provisional: bool = False  # a deadline counted through a year without holiday data
    closed_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    contact_overdue_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    rectify_overdue_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    alert_id: str | None = None  # the open 超期 alert
    appeal_grounds: str | None = None  # rules.followup.Grounds
    appeal_by: str | None = None  # rules.followup.AppealBy
    appeal_text: str | None = Field(default=None, sa_type=Text)
    appeal_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    appeal_filed_by: str | None = None  # staff name who recorded it
    appeal_upheld: bool | None = None
    appeal_decision: str | None = Field(default=None, sa_type=Text)
    appeal_decided_by: str | None = None
    appeal_decided_at: datetime | None = Field(default=None, sa_type=UtcDateTime)


class RatingFollowUpStep(SQLModel, table=True):
    """One recorded step of a follow-up: who, when, what (核实、整改、说明、回访、办结、申诉…)."""

    __tablename__ = "rating_followup_step"
    __table_args__ = (UniqueConstraint("followup_id", "seq", name="uq_rating_followup_step"),)
    id: str = Field(default_factory=new_id, primary_key=True)
    followup_id: str = Field(foreign_key="rating_followup.id", index=True)
    seq: int
    step: str  # rules.followup.Step, or appeal / appeal_decided
    who_id: str
    who_name: str
    at: datetime = Field(sa_type=UtcDateTime)
    text: str = Field(sa_type=Text)


class RatingInvite(SQLModel, table=True):
    """邀请评价: the "please rate" SMS sent after a finished case; a reply of 1–5 rates it."""

    __tablename__ = "rating_invite"
    __table_args__ = (UniqueConstraint("subject_kind", "subject_id", name="uq_rating_invite"),)
    id: str = Field(default_factory=new_id, primary_key=True)
    subject_kind: str
    subject_id: str
    subject_ref: str
    phone_key: str = Field(index=True)  # rules.levels.phone_key of the number
    sms_id: str | None = None
    created_at: datetime = Field(sa_type=UtcDateTime)
    expires_at: datetime = Field(sa_type=UtcDateTime)
    answered_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
