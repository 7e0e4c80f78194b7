"""Tables of case handling (办件, R-K1–R-K8).

``case_file.data`` is the whole serialized ``CaseFile`` (the source of truth the service
loads and stores); the other columns are projections for listing and lookup. Every
decision also leaves one ``case_transition`` row (who, when, why, what: R-K2).
"""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from appliance.core.ids import new_id
from appliance.db.types import UtcDateTime


class CaseRecord(SQLModel, table=True):
    """办件: one row per case; ``data`` holds the domain ``CaseFile`` as JSON."""

    __tablename__ = "case_file"
    __table_args__ = (
        UniqueConstraint("business_date", "seq", name="uq_case_file_day_seq"),
        Index("ix_case_file_staff_due", "staff_id", "due_on"),
    )
    id: str = Field(default_factory=new_id, primary_key=True)
    case_number: str = Field(unique=True)
    business_date: str  # YYYY-MM-DD (local day of receipt)
    seq: int  # daily sequence of the case number
    item_code: str = Field(index=True)
    item_name: str
    state: str = Field(index=True)
    applicant: str = Field(sa_type=Text)  # JSON: kind, name, id_number, phone, agent
    channel: str
    materials: str = Field(sa_type=Text)  # JSON: the checklist (code, name, status, note)
    data: str = Field(sa_type=Text)  # JSON: the serialized domain CaseFile
    due_on: str | None = Field(default=None, index=True)  # 办结期限 (YYYY-MM-DD)
    due_provisional: bool = False
    ticket_id: str | None = None
    staff_id: str = Field(index=True)  # 经办人 (opened the case)
    created_at: datetime = Field(sa_type=UtcDateTime)
    updated_at: datetime = Field(sa_type=UtcDateTime)
    # 查询码: the random token of the notices' QR link (R-K7); never logged or synced
    query_token: str = Field(default_factory=lambda: secrets.token_urlsafe(16), index=True)


class CaseNumberSeq(SQLModel, table=True):
    """The last case number handed out per business day (办件编号 reservation, R-K1).

    Intake reserves its number in a short write transaction of its own before it renders the
    收件凭证, so two windows opening cases at once never race for the same number; a number
    whose intake is then refused (rare: the ticket changed meanwhile) is left unused.
    """

    __tablename__ = "case_number_seq"
    business_date: str = Field(primary_key=True)  # YYYY-MM-DD (local)
    last_seq: int = 0


class CaseTransitionRecord(SQLModel, table=True):
    """流转记录: one decision on a case (R-K2)."""

    __tablename__ = "case_transition"
    __table_args__ = (UniqueConstraint("case_id", "seq", name="uq_case_transition_seq"),)
    id: str = Field(default_factory=new_id, primary_key=True)
    case_id: str = Field(foreign_key="case_file.id", index=True)
    seq: int
    action: str
    from_state: str
    to_state: str
    who: str
    at: datetime = Field(sa_type=UtcDateTime)
    why: str = ""
    details: str = Field(default="{}", sa_type=Text)  # JSON object of strings


class CaseNoticeRecord(SQLModel, table=True):
    """A notice issued on a case (受理通知书, 收件凭证 …), its PDF kept with the case.

    The PDF itself is a file under ``Settings.notice_dir`` (``path`` is relative to it),
    written and fsync'ed before the row commits; ``sha256`` proves it unchanged.
    ``transition_seq`` is the decision that issued it (0 = the 收件凭证 of opening).
    """

    __tablename__ = "case_notice"
    id: str = Field(default_factory=new_id, primary_key=True)
    case_id: str = Field(foreign_key="case_file.id", index=True)
    case_number: str = Field(index=True)
    transition_seq: int = 0
    kind: str  # appliance.documents.notices.NOTICE_KINDS key (acceptance, receipt, …)
    title: str
    path: str
    sha256: str
    size: int
    print_job_id: str | None = None
    created_at: datetime = Field(sa_type=UtcDateTime)


class TolerantDefaultRecord(SQLModel, table=True):
    """容缺失信记录: an applicant who let a 容缺 commitment lapse (R-K2; GD 5.7.3).

    Written with the 容缺逾期 step; while a record exists for an ID number, 容缺受理 is not
    offered to that applicant again (XC: 不再适用容缺办理).
    """

    __tablename__ = "tolerant_default"
    id: str = Field(default_factory=new_id, primary_key=True)
    id_number: str = Field(index=True)
    applicant_name: str
    case_number: str = Field(unique=True)
    item_name: str
    lapsed_on: str  # YYYY-MM-DD (local day)
    created_at: datetime = Field(sa_type=UtcDateTime)


class CaseEscalation(SQLModel, table=True):
    """办件预警: one escalation of one case for one date (see ``domain.cases.escalation``)."""

    __tablename__ = "case_escalation"
    __table_args__ = (
        UniqueConstraint("case_id", "kind", "due_on", name="uq_case_escalation_once"),
    )
    id: str = Field(default_factory=new_id, primary_key=True)
    case_id: str = Field(foreign_key="case_file.id", index=True)
    case_number: str
    kind: str  # EscalationKind value: reminder | overdue | correction_lapsed | pickup_late
    due_on: str  # YYYY-MM-DD the escalation is about (办结期限 / 补正期限 / 取件通知期限)
    alert_id: str | None = None  # the open staff alert (告警) while the condition holds
    raised_at: datetime = Field(sa_type=UtcDateTime)
    cleared_at: datetime | None = Field(default=None, sa_type=UtcDateTime, index=True)
