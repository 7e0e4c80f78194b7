"""Consultation entries inside the caller's transaction: record, view, event payload (R-C2).

The consultation service calls :func:`record_consultation` for 登记咨询; the first-contact
service calls it too, in its own transaction, when a contact becomes a consultation.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, select

from appliance.calendar.rules import WorkingCalendar
from appliance.consultations.rules import (
    CHANNEL_LABELS,
    STATUS_LABELS,
    ConsultChannel,
    ConsultStatus,
    clean_question,
    consultation_number,
    is_overdue,
    reply_due,
)
from appliance.consultations.schemas import ConsultationView, ReplyPlanIn
from appliance.consultations.tables import ConsultationRecord
from appliance.core.errors import Invalid
from appliance.core.masking import mask_name, mask_phone
from appliance.core.roles import Principal
from appliance.events.log import append_event
from appliance.knowledge.service.store import count_ask

OVERDUE_LABEL = "逾期未答复"
TEXT_IN_EVENT = 300


def mask_contact(contact: str) -> str:
    """A visitor's phone or e-mail as events and logs may carry it (R-I3)."""
    text = contact.strip()
    if "@" in text:
        local, _, domain = text.partition("@")
        return (local[:1] + "***@" + domain) if local else "***@" + domain
    digits = "".join(ch for ch in text if ch.isdigit())
    if len(digits) >= 7 and len(digits) >= len(text.replace(" ", "").replace("-", "")) - 1:
        return mask_phone(digits)
    return text[:2] + "***" if text else ""


def payload(row: ConsultationRecord) -> dict[str, Any]:
    """The event payload: the ledger's content, with the visitor's name and contact masked."""
    return {
        "number": row.number,
        "business_date": row.business_date,
        "channel": row.channel,
        "status": row.status,
        "question": row.question[:TEXT_IN_EVENT],
        "answer": row.answer[:TEXT_IN_EVENT],
        "reply_due": row.reply_due,
        "reply_due_provisional": row.reply_due_provisional,
        "visitor_name": mask_name(row.visitor_name) if row.visitor_name else "",
        "visitor_contact": mask_contact(row.visitor_contact),
        "staff_id": row.staff_id,
        "answered_by": row.answered_by_id,
        "answered_at": row.answered_at.isoformat() if row.answered_at else None,
        "contact_id": row.contact_id,
        "knowledge_id": row.knowledge_id,
    }


def view(row: ConsultationRecord, today: date) -> ConsultationView:
    status = ConsultStatus(row.status)
    due = date.fromisoformat(row.reply_due) if row.reply_due else None
    overdue = is_overdue(status, due, today)
    channel = ConsultChannel(row.channel)
    return ConsultationView(
        id=row.id,
        number=row.number,
        business_date=row.business_date,
        asked_at=row.asked_at,
        channel=channel,
        channel_label=CHANNEL_LABELS[channel],
        question=row.question,
        visitor_name=row.visitor_name,
        visitor_contact=row.visitor_contact,
        status=status,
        status_label=OVERDUE_LABEL if overdue else STATUS_LABELS[status],
        overdue=overdue,
        recorded_by=row.staff_name,
        reply_due=due,
        reply_due_provisional=row.reply_due_provisional,
        answer=row.answer,
        answered_at=row.answered_at,
        answered_by=row.answered_by_name,
        contact_id=row.contact_id,
        knowledge_id=row.knowledge_id,
        promoted_id=row.promoted_id,
    )


def _next_seq(s: Session, business_date: str) -> int:
    last = s.exec(
        select(func.max(ConsultationRecord.seq)).where(
            ConsultationRecord.business_date == business_date
        )
    ).one()
    return int(last or 0) + 1


def record_consultation(
    s: Session,
    *,
    question: str,
    channel: ConsultChannel,
    visitor_name: str,
    visitor_contact: str,
    answer: str,
    knowledge_id: str | None,
    plan: ReplyPlanIn,
    actor: Principal,
    now: datetime,
    today: date,
    cal: WorkingCalendar,
    contact_id: str | None = None,
) -> ConsultationRecord:
    """登记咨询 (R-C2): closed at once when answered, else open with its agreed reply date.

    Everything is checked before the row is written; a refusal leaves the session as it was
    (the caller's transaction rolls back)."""
    text = clean_question(question)
    answer = answer.strip()
    name, contact = " ".join(visitor_name.split()), visitor_contact.strip()
    due = None
    if not answer:
        if knowledge_id:
            raise Invalid("选用知识条目答复时，请把答复内容一并记录", "answer_required")
        due = reply_due(channel, today, cal, plan.reply_due, plan.reply_in_working_days)
        if not contact:
            raise Invalid(
                "不能当场答复的咨询须留下服务对象的联系方式（电话、邮箱或地址），以便按时答复",
                "contact_required",
            )
    if knowledge_id:
        count_ask(s, knowledge_id, now, "consultation")
    business_date = today.isoformat()
    seq = _next_seq(s, business_date)
    row = ConsultationRecord(
        number=consultation_number(today, seq),
        business_date=business_date,
        seq=seq,
        asked_at=now,
        channel=channel.value,
        question=text,
        visitor_name=name,
        visitor_contact=contact,
        status=(ConsultStatus.CLOSED if answer else ConsultStatus.OPEN).value,
        reply_due=due.day.isoformat() if due else None,
        reply_due_provisional=due.provisional if due else False,
        answer=answer,
        answered_at=now if answer else None,
        answered_by_id=actor.staff_id if answer else None,
        answered_by_name=actor.name if answer else "",
        staff_id=actor.staff_id,
        staff_name=actor.name,
        contact_id=contact_id,
        knowledge_id=knowledge_id,
        updated_at=now,
    )
    s.add(row)
    s.flush()
    append_event(s, "consultation.recorded", "consultation", row.id, payload(row), now)
    return row
