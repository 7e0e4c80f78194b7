"""What the case sweep has escalated (到期提醒、超期预警, R-K3, R-K6).

One row per (case, kind, date): the ``case.reminder`` / ``case.overdue`` event is written
once, when the row is created, so a case is reminded and reported overdue once per due
date; a recomputed or extended deadline is a new date and may escalate again. While the
condition holds the row is open (``cleared_at`` is None) and points at its staff alert.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from appliance.domain.ids import new_id

from .types import UtcDateTime


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
