"""Register entries inside the caller's transaction: find, record a step, view, event payload."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from appliance.alerts.tables import Alert
from appliance.core.errors import NotFound
from appliance.core.masking import mask_name, mask_phone
from appliance.core.roles import Principal
from appliance.desk.rules import (
    KIND_LABELS,
    PROBLEM_LABELS,
    STEP_LABELS,
    DeskKind,
    DeskStatus,
    DeskStep,
    NotifyBy,
    ProblemType,
    is_overdue,
    state_label,
)
from appliance.desk.schemas import DeskEntryView, DeskStepView
from appliance.desk.tables import DeskEntry, DeskEntryStep
from appliance.events.log import append_event

TEXT_IN_EVENT = 300


def find(s: Session, ref: str) -> DeskEntry:
    """An entry by its id or its number (BC-20261123-001)."""
    row = s.get(DeskEntry, ref)
    if row is None:
        number = ref.strip().upper()
        row = s.exec(select(DeskEntry).where(DeskEntry.number == number)).first()
    if row is None:
        raise NotFound(f"找不到办不成事登记“{ref}”，请检查登记编号", "unknown_desk_entry")
    return row


def next_seq(s: Session, business_date: str) -> int:
    last = s.exec(
        select(func.max(DeskEntry.seq)).where(DeskEntry.business_date == business_date)
    ).one()
    return int(last or 0) + 1


def add_step(
    s: Session, row: DeskEntry, step: DeskStep, actor: Principal, text: str, now: datetime
) -> DeskEntryStep:
    last = s.exec(select(func.max(DeskEntryStep.seq)).where(DeskEntryStep.entry_id == row.id)).one()
    line = DeskEntryStep(
        entry_id=row.id,
        seq=int(last or 0) + 1,
        step=step.value,
        who_id=actor.staff_id,
        who_name=actor.name,
        at=now,
        text=text,
    )
    s.add(line)
    s.flush()
    return line


def steps_of(s: Session, entry_id: str) -> list[DeskEntryStep]:
    return list(
        s.exec(
            select(DeskEntryStep)
            .where(DeskEntryStep.entry_id == entry_id)
            .order_by(col(DeskEntryStep.seq))
        )
    )


def payload(row: DeskEntry, **extra: Any) -> dict[str, Any]:
    """The event payload: the register's content, the visitor's name and phone masked (R-I3)."""
    return {
        "number": row.number,
        "business_date": row.business_date,
        "kind": row.kind,
        "problem_type": row.problem_type,
        "status": row.status,
        "problem": row.problem[:TEXT_IN_EVENT],
        "item_name": row.item_name,
        "due_on": row.due_on,
        "due_provisional": row.due_provisional,
        "referral": row.referral,
        "handler_dept": row.handler_dept,
        "handler_name": row.handler_name,
        "notify_by": row.notify_by,
        "visitor_name": mask_name(row.visitor_name) if row.visitor_name else "",
        "visitor_phone": mask_phone(row.visitor_phone) if row.visitor_phone else "",
        "staff_id": row.staff_id,
        "closed_by": row.closed_by_id,
        "closed_at": row.closed_at.isoformat() if row.closed_at else None,
        "result": row.result[:TEXT_IN_EVENT],
        **extra,
    }


def event(s: Session, type_: str, row: DeskEntry, now: datetime, **extra: Any) -> None:
    append_event(s, f"desk.{type_}", "desk_entry", row.id, payload(row, **extra), now)


def clear_alert(s: Session, row: DeskEntry, now: datetime) -> None:
    """The entry's overdue alert goes once it is closed."""
    alert = s.get(Alert, row.alert_id) if row.alert_id else None
    row.alert_id = None
    if alert is not None and alert.cleared_at is None:
        alert.cleared_at = now
        s.add(alert)
        s.flush()
        append_event(s, "alert.cleared", "alert", alert.id, {"kind": alert.kind}, now)


def due_of(row: DeskEntry) -> date | None:
    return date.fromisoformat(row.due_on) if row.due_on else None


def view(
    row: DeskEntry, today: date, tz: Any, steps: list[DeskEntryStep] | None = None
) -> DeskEntryView:
    kind, status = DeskKind(row.kind), DeskStatus(row.status)
    due = due_of(row)
    closed_on = row.closed_at.astimezone(tz).date() if row.closed_at else None
    problem_type = ProblemType(row.problem_type)
    return DeskEntryView(
        id=row.id,
        number=row.number,
        business_date=row.business_date,
        reported_at=row.reported_at,
        kind=kind,
        kind_label=KIND_LABELS[kind],
        problem_type=problem_type,
        problem_type_label=PROBLEM_LABELS[problem_type],
        problem=row.problem,
        item_name=row.item_name,
        case_number=row.case_number,
        visitor_name=row.visitor_name,
        visitor_phone=row.visitor_phone,
        status=status,
        status_label=state_label(kind, status, due, closed_on, today),
        overdue=is_overdue(status, due, today),
        recorded_by=row.staff_name,
        due_on=due,
        due_provisional=row.due_provisional,
        resolution=row.resolution,
        referral=row.referral,
        handler_dept=row.handler_dept,
        handler_name=row.handler_name,
        handler_phone=row.handler_phone,
        notify_by=NotifyBy(row.notify_by) if row.notify_by else None,
        notified_at=row.notified_at,
        sms_id=row.sms_id,
        print_job_id=row.print_job_id,
        result=row.result,
        closed_at=row.closed_at,
        closed_by=row.closed_by_name,
        steps=[
            DeskStepView(
                step=DeskStep(line.step),
                label=STEP_LABELS[DeskStep(line.step)],
                who=line.who_name,
                at=line.at,
                text=line.text,
            )
            for line in steps or []
        ],
    )
