"""Complaints inside the caller's transaction: find, record a step, the staff view, and the
outgoing payload that events and the county get (never naming a confidential complainant)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from appliance.complaints.rules import (
    ALLOWED,
    CHANNEL_LABELS,
    FINDING_LABELS,
    STATE_LABELS,
    STEP_LABELS,
    AnswerVia,
    Channel,
    Finding,
    State,
    Step,
    complainant_shown,
    scrub,
    secrets_of,
)
from appliance.complaints.schemas import ComplaintStepView, ComplaintView
from appliance.complaints.tables import Complaint, ComplaintStep
from appliance.core.errors import NotFound
from appliance.core.masking import mask_phone
from appliance.core.roles import Principal
from appliance.events.log import append_event

TEXT_OUT = 300  # characters of a text that leave the desk (events, county)
EVENT_NAMES = {
    Step.REGISTER: "registered",
    Step.VERIFY: "verified",
    Step.HANDLE: "handled",
    Step.TRANSFER: "transferred",
    Step.FOLLOW: "followed",
    Step.RESULT: "result_received",
    Step.ANSWER: "answered",
    Step.CLOSE: "closed",
}


def find(s: Session, ref: str) -> Complaint:
    """A complaint by its id or its number (TS-20261123-001)."""
    row = s.get(Complaint, ref)
    if row is None:
        number = ref.strip().upper()
        row = s.exec(select(Complaint).where(Complaint.number == number)).first()
    if row is None:
        raise NotFound(f"找不到投诉“{ref}”，请检查投诉编号", "unknown_complaint")
    return row


def next_seq(s: Session, business_date: str) -> int:
    last = s.exec(
        select(func.max(Complaint.seq)).where(Complaint.business_date == business_date)
    ).one()
    return int(last or 0) + 1


def steps_of(s: Session, complaint_id: str) -> list[ComplaintStep]:
    return list(
        s.exec(
            select(ComplaintStep)
            .where(ComplaintStep.complaint_id == complaint_id)
            .order_by(col(ComplaintStep.seq))
        )
    )


def safe_text(row: Complaint, text: str) -> str:
    """A text as it may leave the desk: the complainant scrubbed out, then shortened."""
    secrets = secrets_of(row.complainant_name, row.complainant_phone, row.complainant_contact)
    return scrub(text, secrets, row.confidential)[:TEXT_OUT]


def outgoing(row: Complaint) -> dict[str, Any]:
    """What events (hence the county) carry: never the name or contact of a confidential
    complainant, a masked one otherwise (R-I3)."""
    phone = row.complainant_phone
    return {
        "number": row.number,
        "business_date": row.business_date,
        "received_at": row.received_at.isoformat(),
        "channel": row.channel,
        "confidential": row.confidential,
        "state": row.state,
        "complainant": complainant_shown(row.complainant_name, row.confidential),
        "complainant_phone": "" if row.confidential or not phone else mask_phone(phone),
        "about": safe_text(row, row.about),
        "summary": safe_text(row, row.content),
        "finding": row.finding,
        "transferred_to": row.transferred_to,
        "answer_via": row.answer_via,
        "answered_at": row.answered_at.isoformat() if row.answered_at else None,
        "closed_at": row.closed_at.isoformat() if row.closed_at else None,
        "staff_id": row.staff_id,
    }


def record_step(
    s: Session, row: Complaint, step: Step, actor: Principal, text: str, now: datetime
) -> None:
    """One step: its row (who, when, the text) and its ``complaint.<step>`` event."""
    last = s.exec(
        select(func.max(ComplaintStep.seq)).where(ComplaintStep.complaint_id == row.id)
    ).one()
    s.add(
        ComplaintStep(
            complaint_id=row.id,
            seq=int(last or 0) + 1,
            step=step.value,
            who_id=actor.staff_id,
            who_name=actor.name,
            at=now,
            text=text,
        )
    )
    row.updated_at = now
    s.add(row)
    s.flush()
    body = {**outgoing(row), "step": step.value, "text": safe_text(row, text), "by": actor.staff_id}
    append_event(s, f"complaint.{EVENT_NAMES[step]}", "complaint", row.id, body, now)


def view(row: Complaint, steps: list[ComplaintStep] | None = None) -> ComplaintView:
    """The full complaint, for those who may read it (the caller checks)."""
    state, channel = State(row.state), Channel(row.channel)
    finding = Finding(row.finding) if row.finding else None
    return ComplaintView(
        id=row.id,
        number=row.number,
        business_date=row.business_date,
        received_at=row.received_at,
        channel=channel,
        channel_label=CHANNEL_LABELS[channel],
        confidential=row.confidential,
        complainant_name=row.complainant_name,
        complainant_phone=row.complainant_phone,
        complainant_contact=row.complainant_contact,
        about=row.about,
        content=row.content,
        state=state,
        state_label=STATE_LABELS[state],
        recorded_by=row.staff_name,
        finding=finding,
        finding_label=FINDING_LABELS[finding] if finding else "",
        transferred_to=row.transferred_to,
        transfer_handler=row.transfer_handler,
        answer=row.answer,
        answer_via=AnswerVia(row.answer_via) if row.answer_via else None,
        answered_at=row.answered_at,
        answered_by=row.answered_by_name,
        closed_at=row.closed_at,
        closed_by=row.closed_by_name,
        sms_id=row.sms_id,
        next_steps=list(ALLOWED[state]),
        steps=[
            ComplaintStepView(
                step=Step(line.step),
                label=STEP_LABELS[Step(line.step)],
                who=line.who_name,
                at=line.at,
                text=line.text,
            )
            for line in steps or []
        ],
    )
