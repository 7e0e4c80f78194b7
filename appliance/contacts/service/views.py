"""A contact as the API shows it, as events carry it, and as the ledger exports it (R-C1)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from appliance.consultations.service.store import mask_contact
from appliance.contacts.rules import CHANNEL_LABELS, OUTCOME_LABELS, ContactChannel, Outcome
from appliance.contacts.schemas import ContactView, StaffRef
from appliance.contacts.tables import ContactRecord
from appliance.core.masking import mask_name
from appliance.core.roles import ROLE_LABELS, Role
from appliance.documents.exports import CellValue

EXPORT_HEADERS = (
    "登记时间",
    "接待渠道",
    "事项",
    "服务对象",
    "联系方式",
    "首问人",
    "共同答复人",
    "首问责任人",
    "处理结果",
    "答复 / 去向 / 引导",
    "号码",
    "咨询编号",
    "办件编号",
)


def staff_ref(staff_id: str, name: str, role: str) -> StaffRef:
    r = Role(role)
    return StaffRef(staff_id=staff_id, name=name, role=r, role_label=ROLE_LABELS[r])


def view(row: ContactRecord) -> ContactView:
    outcome = Outcome(row.outcome)
    channel = ContactChannel(row.channel)
    first = staff_ref(row.first_staff_id, row.first_staff_name, row.first_staff_role)
    second = (
        staff_ref(row.second_staff_id, row.second_staff_name, row.second_staff_role)
        if row.second_staff_id
        else None
    )
    responsible = second if second and second.staff_id == row.responsible_staff_id else first
    return ContactView(
        id=row.id,
        business_date=row.business_date,
        occurred_at=row.occurred_at,
        channel=channel,
        channel_label=CHANNEL_LABELS[channel],
        matter=row.matter,
        visitor_name=row.visitor_name,
        visitor_contact=row.visitor_contact,
        first_responder=first,
        second_responder=second,
        responsible=responsible,
        outcome=outcome,
        outcome_label=OUTCOME_LABELS[outcome],
        open=outcome is Outcome.PENDING,
        item_code=row.item_code,
        answer=row.answer,
        guided_to=row.guided_to,
        ticket_id=row.ticket_id,
        ticket_number=row.ticket_number,
        referred_to=row.referred_to,
        consultation_id=row.consultation_id,
        consultation_number=row.consultation_number,
        case_number=row.case_number,
        knowledge_id=row.knowledge_id,
        closed_at=row.closed_at,
    )


def payload(row: ContactRecord) -> dict[str, Any]:
    """The event payload: the record, with the visitor's name and contact masked (R-I3)."""
    return {
        "business_date": row.business_date,
        "channel": row.channel,
        "matter": row.matter,
        "item_code": row.item_code,
        "outcome": row.outcome,
        "first_staff_id": row.first_staff_id,
        "second_staff_id": row.second_staff_id,
        "responsible_staff_id": row.responsible_staff_id,
        "answer": row.answer[:300],
        "referred_to": row.referred_to,
        "guided_to": row.guided_to,
        "ticket_id": row.ticket_id,
        "ticket_number": row.ticket_number,
        "consultation_id": row.consultation_id,
        "consultation_number": row.consultation_number,
        "case_number": row.case_number,
        "knowledge_id": row.knowledge_id,
        "visitor_name": mask_name(row.visitor_name) if row.visitor_name else "",
        "visitor_contact": mask_contact(row.visitor_contact),
    }


def _outcome_text(row: ContactRecord) -> str:
    if row.outcome == Outcome.REFERRED:
        return row.referred_to
    if row.outcome == Outcome.GUIDED:
        return row.guided_to
    return row.answer


def export_rows(rows: Sequence[ContactRecord]) -> list[tuple[CellValue, ...]]:
    out: list[tuple[CellValue, ...]] = []
    for r in rows:
        second = (
            f"{r.second_staff_name}（{ROLE_LABELS[Role(r.second_staff_role)]}）"
            if (r.second_staff_id)
            else ""
        )
        occurred: datetime = r.occurred_at
        out.append(
            (
                occurred,
                CHANNEL_LABELS[ContactChannel(r.channel)],
                r.matter,
                r.visitor_name,
                r.visitor_contact,
                f"{r.first_staff_name}（{ROLE_LABELS[Role(r.first_staff_role)]}）",
                second,
                r.responsible_staff_name,
                OUTCOME_LABELS[Outcome(r.outcome)],
                _outcome_text(r),
                r.ticket_number,
                r.consultation_number,
                r.case_number or "",
            )
        )
    return out
