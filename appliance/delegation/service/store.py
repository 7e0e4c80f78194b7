"""帮办代办 rows inside the caller's transaction: find, view, event payload, ledger lines and
the kept papers (R-D1, R-D2)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from appliance.core.errors import Invalid, NotFound
from appliance.core.masking import mask_name
from appliance.core.roles import Principal
from appliance.delegation.rules import (
    KIND_LABELS,
    NO_FEES_NOTE,
    STATUS_LABELS,
    SUSPEND_REASON_LABELS,
    Kind,
    Status,
    SuspendReason,
    delegation_number,
    is_overdue,
)
from appliance.delegation.schemas import DelegationView, DocumentView, EntryView, VisitView
from appliance.delegation.tables import (
    Delegation,
    DelegationDocument,
    DelegationEntry,
    DelegationVisit,
)
from appliance.documents.delegation import TITLES, DelegationPaper
from appliance.staff.tables import Staff

ENTRY_LABELS = {
    "assigned": "受理分派",
    "progress": "进展反馈",
    "suspended": "中止",
    "resumed": "续办",
    "fee": "申请人缴费",
    "visit": "上门服务",
    "completed": "办结",
}
TEXT_IN_EVENT = 200


def find(s: Session, ref: str) -> Delegation:
    """A delegation by its id or number (DB-20261123-001)."""
    row = s.get(Delegation, ref)
    if row is None:
        row = s.exec(select(Delegation).where(Delegation.number == ref.strip().upper())).first()
    if row is None:
        raise NotFound(f"找不到帮办代办登记“{ref}”，请检查编号", "unknown_delegation")
    return row


def staff_by_code(s: Session, code: str) -> Staff:
    """The staff member a delegation or visit is assigned to, by 工号 (active only)."""
    st = s.exec(select(Staff).where(Staff.code == code.strip())).first()
    if st is None or not st.active:
        raise Invalid(f"找不到在岗的工作人员（工号“{code}”），请核对工号", "unknown_staff")
    return st


def assignee(s: Session, code: str, actor: Principal) -> tuple[str, str]:
    """(id, name) of the staff member assigned: by 工号, or whoever logs it."""
    if code.strip():
        st = staff_by_code(s, code)
        return st.id, st.name
    return actor.staff_id, actor.name


def draft_row(
    kind: Kind,
    seq: int,
    agent: tuple[str, str],
    actor: Principal,
    now: datetime,
    today: date,
    **fields: str | None,
) -> Delegation:
    """A new delegation, not yet added to any session."""
    return Delegation(
        number=delegation_number(kind, today, seq),
        business_date=today.isoformat(),
        seq=seq,
        kind=kind.value,
        status=Status.ACTIVE.value,
        agent_id=agent[0],
        agent_name=agent[1],
        staff_id=actor.staff_id,
        staff_name=actor.name,
        created_at=now,
        updated_at=now,
        **fields,  # type: ignore[arg-type]
    )


def next_seq(s: Session, business_date: str) -> int:
    last = s.exec(
        select(func.max(Delegation.seq)).where(Delegation.business_date == business_date)
    ).one()
    return int(last or 0) + 1


def payload(row: Delegation) -> dict[str, Any]:
    """The event payload: enough for the county's ledger counts; the applicant masked."""
    return {
        "number": row.number,
        "kind": row.kind,
        "status": row.status,
        "business_date": row.business_date,
        "item_name": row.item_name[:TEXT_IN_EVENT],
        "applicant_name": mask_name(row.applicant_name),
        "agent_id": row.agent_id,
        "period_start": row.period_start,
        "period_end": row.period_end,
        "suspend_reason": row.suspend_reason,
        "completed_at": row.completed_at.isoformat() if row.completed_at else None,
        "rating_open": row.rating_open,
    }


def add_entry(
    s: Session,
    row: Delegation,
    kind: str,
    text: str,
    staff: tuple[str, str],
    now: datetime,
    *,
    sms_id: str | None = None,
    amount_fen: int | None = None,
) -> DelegationEntry:
    entry = DelegationEntry(
        delegation_id=row.id,
        at=now,
        kind=kind,
        text=text,
        staff_id=staff[0],
        staff_name=staff[1],
        sms_id=sms_id,
        amount_fen=amount_fen,
    )
    s.add(entry)
    return entry


def paper(row: Delegation, station: str, on: date, seq: int) -> DelegationPaper:
    start = date.fromisoformat(row.period_start) if row.period_start else on
    end = date.fromisoformat(row.period_end) if row.period_end else on
    return DelegationPaper(
        number=f"{row.number}-{seq}",
        delegation_number=row.number,
        station_name=station,
        on=on,
        applicant_name=row.applicant_name,
        item_name=row.item_name,
        content=row.content,
        agent_name=row.agent_name,
        period_start=start,
        period_end=end,
        applicant_id_number=row.applicant_id_number,
        applicant_phone=row.applicant_phone,
        responsibilities=row.responsibilities,
        fees_note=NO_FEES_NOTE,
    )


def paper_seq(s: Session, row: Delegation) -> int:
    count = s.exec(select(func.count()).where(DelegationDocument.delegation_id == row.id)).one()
    return int(count) + 1


def keep_document(
    s: Session, row: Delegation, kind: str, number: str, pdf: bytes, now: datetime
) -> DelegationDocument:
    doc = DelegationDocument(
        delegation_id=row.id,
        kind=kind,
        number=number,
        created_at=now,
        sha256=hashlib.sha256(pdf).hexdigest(),
        pdf=pdf,
    )
    s.add(doc)
    s.flush()
    return doc


def document_view(row: Delegation, doc: DelegationDocument) -> DocumentView:
    return DocumentView(
        id=doc.id,
        kind=doc.kind,
        title=TITLES.get(doc.kind, doc.kind),
        number=doc.number,
        created_at=doc.created_at,
        sha256=doc.sha256,
        url=f"/api/delegations/{row.number}/documents/{doc.id}/pdf",
    )


def _entry_view(e: DelegationEntry) -> EntryView:
    return EntryView(
        at=e.at,
        kind=e.kind,
        kind_label=ENTRY_LABELS.get(e.kind, e.kind),
        text=e.text,
        staff_name=e.staff_name,
        sms_queued=e.sms_id is not None,
    )


def _visit_view(v: DelegationVisit) -> VisitView:
    return VisitView(
        id=v.id,
        scheduled_for=v.scheduled_for,
        address=v.address,
        purpose=v.purpose,
        staff_name=v.staff_name,
        status=v.status,
        outcome=v.outcome,
        done_at=v.done_at,
    )


def view(
    s: Session,
    row: Delegation,
    today: date,
    full: bool = True,
    next_visit: datetime | None = None,
) -> DelegationView:
    """The delegation as staff see it; ``full`` adds its ledger, visits and papers."""
    status, kind = Status(row.status), Kind(row.kind)
    end = date.fromisoformat(row.period_end) if row.period_end else None
    entries: list[DelegationEntry] = []
    visits: list[DelegationVisit] = []
    docs: list[DelegationDocument] = []
    if full:
        entries = list(
            s.exec(
                select(DelegationEntry)
                .where(DelegationEntry.delegation_id == row.id)
                .order_by(col(DelegationEntry.at), col(DelegationEntry.id))
            ).all()
        )
        visits = list(
            s.exec(
                select(DelegationVisit)
                .where(DelegationVisit.delegation_id == row.id)
                .order_by(col(DelegationVisit.scheduled_for))
            ).all()
        )
        docs = list(
            s.exec(
                select(DelegationDocument)
                .where(DelegationDocument.delegation_id == row.id)
                .order_by(col(DelegationDocument.created_at), col(DelegationDocument.number))
            ).all()
        )
    reason = SuspendReason(row.suspend_reason) if row.suspend_reason else None
    waiting = [v.scheduled_for for v in visits if v.status == "scheduled"]
    next_visit = min(waiting) if waiting else next_visit
    return DelegationView(
        id=row.id,
        number=row.number,
        business_date=row.business_date,
        kind=kind,
        kind_label=KIND_LABELS[kind],
        status=status,
        status_label=STATUS_LABELS[status],
        overdue=is_overdue(status, end, today),
        applicant_name=row.applicant_name,
        applicant_id_number=row.applicant_id_number,
        applicant_phone=row.applicant_phone,
        applicant_address=row.applicant_address,
        item_name=row.item_name,
        content=row.content,
        responsibilities=row.responsibilities,
        agent_name=row.agent_name,
        recorded_by=row.staff_name,
        created_at=row.created_at,
        period_start=date.fromisoformat(row.period_start) if row.period_start else None,
        period_end=end,
        suspend_reason=reason.value if reason else None,
        suspend_reason_label=SUSPEND_REASON_LABELS[reason] if reason else "",
        suspend_note=row.suspend_note,
        continuations=row.continuations,
        result=row.result,
        completed_at=row.completed_at,
        rating_open=row.rating_open,
        next_visit_at=next_visit,
        fees_paid_fen=sum(e.amount_fen or 0 for e in entries if e.kind == "fee"),
        entries=[_entry_view(e) for e in entries],
        visits=[_visit_view(v) for v in visits],
        documents=[document_view(row, d) for d in docs],
    )


@dataclass(frozen=True)
class RateableDelegation:
    """A delegation as the ratings feature needs it to open 一事一评 (R-E2): finished only
    once completed (rating before would be 事前评价); the applicant's phone for 回访."""

    id: str
    ref: str  # DB-20261123-001
    label: str  # 代办 DB-20261123-001（城乡居民养老保险待遇领取）
    finished_at: datetime | None
    staff_id: str  # the agent
    phone: str | None


def rateable(s: Session, ref: str) -> RateableDelegation:
    """The delegation named by id or number, for a rating (inside the caller's session)."""
    row = find(s, ref)
    kind = KIND_LABELS[Kind(row.kind)]
    phone = row.applicant_phone if row.applicant_phone.startswith("1") else None
    done = row.completed_at if row.status == Status.COMPLETED else None
    return RateableDelegation(
        id=row.id,
        ref=row.number,
        label=f"{kind} {row.number}（{row.item_name}）",
        finished_at=done,
        staff_id=row.agent_id,
        phone=phone,
    )
