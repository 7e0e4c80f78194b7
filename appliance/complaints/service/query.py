"""Reading the complaints ledger: lists (confidential ones only for their readers), the
export (a confidential complainant withheld) and the counts."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, tzinfo

from sqlalchemy import ColumnElement, and_
from sqlmodel import Session, col, select

from appliance.complaints.rules import (
    CHANNEL_LABELS,
    CONFIDENTIAL_READERS,
    FINDING_LABELS,
    STATE_LABELS,
    VIA_LABELS,
    WITHHELD,
    AnswerVia,
    Channel,
    Finding,
    State,
    scrub,
    secrets_of,
)
from appliance.complaints.schemas import ComplaintCount, ComplaintView
from appliance.complaints.service.store import view
from appliance.complaints.tables import Complaint
from appliance.core.errors import Invalid
from appliance.core.roles import Role
from appliance.documents.exports import CellValue, ExportFile, Sheet, date_range, export_file

LIST_STATUSES = ("open", "closed", "all")
MAX_LIST = 500
EXPORT_HEADERS = (
    "投诉编号",
    "受理时间",
    "投诉渠道",
    "保密",
    "投诉人",
    "联系电话",
    "其他联系方式",
    "被投诉对象",
    "投诉内容",
    "核实结论",
    "转办部门",
    "答复方式",
    "答复内容",
    "答复时间",
    "状态",
    "办结时间",
    "受理人",
)


def _in_period(start: date, end: date) -> ColumnElement[bool]:
    return and_(
        col(Complaint.business_date) >= start.isoformat(),
        col(Complaint.business_date) <= end.isoformat(),
    )


def listing(
    s: Session, role: Role, status: str, start: date | None, end: date | None, today: date
) -> list[ComplaintView]:
    if status not in LIST_STATUSES:
        raise Invalid(
            f"未知的状态“{status}”，可选 open（未办结）、closed（已办结）、all（全部）",
            "bad_status",
        )
    stmt = select(Complaint)
    if role not in CONFIDENTIAL_READERS:
        stmt = stmt.where(col(Complaint.confidential).is_(False))
    if status == "open":
        stmt = stmt.where(Complaint.state != State.CLOSED).order_by(col(Complaint.received_at))
    else:
        period = date_range(start, end, today)
        stmt = stmt.where(_in_period(period.start, period.end))
        if status == "closed":
            stmt = stmt.where(Complaint.state == State.CLOSED)
        stmt = stmt.order_by(col(Complaint.received_at).desc())
    return [view(r) for r in s.exec(stmt.limit(MAX_LIST))]


def export_row(r: Complaint) -> tuple[CellValue, ...]:
    """One ledger line; a confidential complainant is withheld and scrubbed from the texts."""
    secrets = secrets_of(r.complainant_name, r.complainant_phone, r.complainant_contact)

    def safe(text: str) -> str:
        return scrub(text, secrets, True) if r.confidential else text

    return (
        r.number,
        r.received_at,
        CHANNEL_LABELS[Channel(r.channel)],
        r.confidential,
        WITHHELD if r.confidential else (r.complainant_name or "匿名"),
        WITHHELD if r.confidential else r.complainant_phone,
        WITHHELD if r.confidential else r.complainant_contact,
        safe(r.about),
        safe(r.content),
        FINDING_LABELS[Finding(r.finding)] if r.finding else "",
        r.transferred_to,
        VIA_LABELS[AnswerVia(r.answer_via)] if r.answer_via else "",
        safe(r.answer),
        r.answered_at,
        STATE_LABELS[State(r.state)],
        r.closed_at,
        r.staff_name,
    )


def export(
    s: Session, start: date | None, end: date | None, fmt: str, today: date, tz: tzinfo
) -> ExportFile:
    period = date_range(start, end, today)
    rows = s.exec(
        select(Complaint)
        .where(_in_period(period.start, period.end))
        .order_by(col(Complaint.received_at))
    ).all()
    sheet = Sheet("投诉受理台账", EXPORT_HEADERS, [export_row(r) for r in rows])
    return export_file(sheet, fmt, tz, "complaints", period)


def counts(s: Session, start: date, end: date) -> list[ComplaintCount]:
    """Per (day, staff member who recorded it): received, confidential, closed now."""
    if start > end:
        raise Invalid("起始日期晚于结束日期", "bad_range")
    groups: dict[tuple[str, str], list[Complaint]] = defaultdict(list)
    names: dict[str, str] = {}
    for r in s.exec(select(Complaint).where(_in_period(start, end))):
        groups[(r.business_date, r.staff_id)].append(r)
        names[r.staff_id] = r.staff_name
    return [
        ComplaintCount(
            day=date.fromisoformat(day),
            staff_id=staff_id,
            staff_name=names[staff_id],
            received=len(rows),
            confidential=sum(1 for r in rows if r.confidential),
            closed=sum(1 for r in rows if r.state == State.CLOSED),
        )
        for (day, staff_id), rows in sorted(groups.items())
    ]
