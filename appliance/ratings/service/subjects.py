"""The services a rating may belong to (R-E2), read inside the caller's session.

A ticket is finished when it is done (已办结) at a window; a case when it is delivered,
refused or closed, at the time of its first such step. ``Subject.finished_at`` is None for
a service that has not ended: rating it would be 事前评价.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from appliance.cases.tables import CaseRecord, CaseTransitionRecord
from appliance.core.errors import NotAllowed, NotFound
from appliance.core.text import NO_PHONE
from appliance.delegation.service.store import rateable
from appliance.queue.rules.tickets import TicketStatus
from appliance.queue.tables import ServiceWindow, Ticket
from appliance.ratings.rules.levels import FINISHED_CASE_STATES, SubjectKind
from appliance.ratings.tables import Rating


@dataclass(frozen=True)
class Subject:
    """One service as a rating sees it."""

    kind: SubjectKind
    id: str
    ref: str  # A001, or the case number
    label: str  # what the visitor reads: "A001 号（1 号窗口）", "办件 … 高龄津贴申请"
    finished_at: datetime | None
    window_number: int | None = None
    staff_id: str | None = None
    category_id: str | None = None
    item_code: str | None = None
    phone: str | None = None  # a contact for the 回访 (the ticket's or the applicant's)
    business_date: str | None = None  # the ticket's day
    named: bool = False  # the visitor is known (a case's applicant, a ticket with a phone)


def _phone(value: object) -> str | None:
    text = str(value or "").strip()
    return None if not text or text == NO_PHONE else text


def ticket_subject(s: Session, t: Ticket) -> Subject:
    win = s.get(ServiceWindow, t.window_id) if t.window_id else None
    number = win.number if win is not None else None
    where = f"（{number} 号窗口）" if number is not None else ""
    done = t.status == TicketStatus.DONE and t.finished_at is not None
    phone = _phone(t.phone)
    case = s.exec(select(CaseRecord).where(CaseRecord.ticket_id == t.id).limit(1)).first()
    if case is not None:  # a case opened from this ticket names the visitor
        phone = phone or case_subject(s, case).phone
    return Subject(
        kind=SubjectKind.TICKET,
        id=t.id,
        ref=t.number,
        label=f"{t.number} 号{where}",
        finished_at=t.finished_at if done else None,
        window_number=number,
        staff_id=t.staff_id,
        category_id=t.category_id,
        phone=phone,
        business_date=t.business_date,
        named=phone is not None or case is not None,
    )


def case_finished_at(s: Session, case_id: str) -> datetime | None:
    """When the case first reached a finished state (送达、不予受理、关闭)."""
    at = s.exec(
        select(func.min(CaseTransitionRecord.at)).where(
            CaseTransitionRecord.case_id == case_id,
            col(CaseTransitionRecord.to_state).in_(FINISHED_CASE_STATES),
        )
    ).one()
    return at if isinstance(at, datetime) else None


def case_subject(s: Session, row: CaseRecord) -> Subject:
    applicant = json.loads(row.applicant or "{}")
    agent = applicant.get("agent") or {}
    finished = case_finished_at(s, row.id) if row.state in FINISHED_CASE_STATES else None
    return Subject(
        kind=SubjectKind.CASE,
        id=row.id,
        ref=row.case_number,
        label=f"办件 {row.case_number}（{row.item_name}）",
        finished_at=finished,
        staff_id=row.staff_id,
        item_code=row.item_code,
        phone=_phone(applicant.get("phone")) or _phone(agent.get("phone")),
        named=True,
    )


def ticket_by_id(s: Session, ticket_id: str) -> Subject:
    t = s.get(Ticket, ticket_id)
    if t is None:
        raise NotFound("找不到要评价的服务", "unknown_service")
    return ticket_subject(s, t)


def ticket_by_number(s: Session, number: str, business_date: str) -> Subject:
    t = s.exec(
        select(Ticket).where(
            Ticket.business_date == business_date, Ticket.number == number.strip().upper()
        )
    ).first()
    if t is None:
        raise NotFound(
            f"{business_date} 没有 {number} 号的取号记录，请核对号码和日期", "unknown_ticket"
        )
    return ticket_subject(s, t)


def case_by_id(s: Session, case_id: str) -> Subject:
    row = s.get(CaseRecord, case_id)
    if row is None:
        raise NotFound("找不到要评价的办件", "unknown_case")
    return case_subject(s, row)


def case_by_number(s: Session, number: str) -> Subject:
    row = s.exec(select(CaseRecord).where(CaseRecord.case_number == number.strip().upper())).first()
    if row is None:
        raise NotFound(f"找不到办件编号为“{number}”的办件", "unknown_case")
    return case_subject(s, row)


def subject_of(s: Session, kind: str, ref: str) -> Subject:
    """A service named by a rating link: a ticket id or a case number."""
    if kind == SubjectKind.TICKET:
        return ticket_by_id(s, ref)
    if kind == SubjectKind.CASE:
        return case_by_number(s, ref)
    if kind == SubjectKind.DELEGATION:
        return delegation_by_ref(s, ref)
    raise NotAllowed("无法识别要评价的服务", "unknown_service_kind")


def delegation_by_ref(s: Session, ref: str) -> Subject:
    """A 代办 (or 帮办) delegation: finished when it is completed (办结), rated once."""
    d = rateable(s, ref)
    return Subject(
        kind=SubjectKind.DELEGATION,
        id=d.id,
        ref=d.ref,
        label=d.label,
        finished_at=d.finished_at,
        staff_id=d.staff_id,
        phone=d.phone,
        named=True,
    )


def rating_of(s: Session, subject: Subject) -> Rating | None:
    return s.exec(
        select(Rating).where(Rating.subject_kind == subject.kind, Rating.subject_id == subject.id)
    ).first()


def last_finished_at_window(s: Session, window_id: str, days: list[str]) -> Ticket | None:
    """The ticket most recently finished at a window, among the tickets of ``days``
    (YYYY-MM-DD: today and yesterday, so the day's index is used)."""
    return s.exec(
        select(Ticket)
        .where(
            col(Ticket.business_date).in_(days),
            Ticket.window_id == window_id,
            Ticket.status == TicketStatus.DONE,
            col(Ticket.finished_at).is_not(None),
        )
        .order_by(col(Ticket.finished_at).desc(), col(Ticket.id).desc())
        .limit(1)
    ).first()
