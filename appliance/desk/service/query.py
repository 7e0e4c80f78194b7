"""Reading the "办不成事" register: the open list, a period, the export and the counts."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, tzinfo

from sqlalchemy import ColumnElement, and_
from sqlmodel import Session, col, select

from appliance.core.errors import Invalid
from appliance.desk.rules import (
    KIND_SHORT,
    NOTIFY_LABELS,
    PROBLEM_LABELS,
    DeskKind,
    DeskStatus,
    NotifyBy,
    ProblemType,
    is_overdue,
    state_label,
)
from appliance.desk.schemas import DeskCount, DeskEntryView
from appliance.desk.service.store import due_of, view
from appliance.desk.tables import DeskEntry
from appliance.documents.exports import ExportFile, Sheet, date_range, export_file

LIST_STATUSES = ("open", "overdue", "closed", "all")
MAX_LIST = 500
EXPORT_HEADERS = (
    "登记编号",
    "登记时间",
    "问题类型",
    "反映问题",
    "相关事项",
    "办件编号",
    "服务对象",
    "联系电话",
    "办理类型",
    "办结期限",
    "当场办理情况",
    "告知去向",
    "承办部门",
    "承办人",
    "告知方式",
    "状态",
    "办理结果",
    "办结人",
    "办结时间",
    "登记人",
)


def _in_period(start: date, end: date) -> ColumnElement[bool]:
    return and_(
        col(DeskEntry.business_date) >= start.isoformat(),
        col(DeskEntry.business_date) <= end.isoformat(),
    )


def listing(
    s: Session, status: str, start: date | None, end: date | None, today: date, tz: tzinfo
) -> list[DeskEntryView]:
    if status not in LIST_STATUSES:
        raise Invalid(
            f"未知的状态“{status}”，可选 open（办理中）、overdue（逾期）、closed（已办结）、all（全部）",
            "bad_status",
        )
    stmt = select(DeskEntry)
    if status in ("open", "overdue"):
        stmt = stmt.where(DeskEntry.status == DeskStatus.OPEN)
    else:
        period = date_range(start, end, today)
        stmt = stmt.where(_in_period(period.start, period.end))
        if status == "closed":
            stmt = stmt.where(DeskEntry.status == DeskStatus.CLOSED)
    rows = s.exec(stmt.order_by(col(DeskEntry.reported_at).desc())).all()
    views = [view(r, today, tz) for r in rows]
    if status == "overdue":
        views = [v for v in views if v.overdue]
    if status in ("open", "overdue"):
        views.sort(key=lambda v: (not v.overdue, v.due_on or date.max, v.number))
    return views[:MAX_LIST]


def export(
    s: Session, start: date | None, end: date | None, fmt: str, today: date, tz: tzinfo
) -> ExportFile:
    period = date_range(start, end, today)
    rows = s.exec(
        select(DeskEntry)
        .where(_in_period(period.start, period.end))
        .order_by(col(DeskEntry.reported_at))
    ).all()
    lines = []
    for r in rows:
        kind, status, due = DeskKind(r.kind), DeskStatus(r.status), due_of(r)
        closed_on = r.closed_at.astimezone(tz).date() if r.closed_at else None
        lines.append(
            (
                r.number,
                r.reported_at,
                PROBLEM_LABELS[ProblemType(r.problem_type)],
                r.problem,
                r.item_name,
                r.case_number,
                r.visitor_name,
                r.visitor_phone,
                KIND_SHORT[kind],
                due,
                r.resolution,
                r.referral,
                r.handler_dept,
                r.handler_name,
                NOTIFY_LABELS[NotifyBy(r.notify_by)] if r.notify_by else "",
                state_label(kind, status, due, closed_on, today),
                r.result,
                r.closed_by_name,
                r.closed_at,
                r.staff_name,
            )
        )
    sheet = Sheet("办不成事登记台账", EXPORT_HEADERS, lines)
    return export_file(sheet, fmt, tz, "desk", period)


def counts(s: Session, start: date, end: date, today: date, tz: tzinfo) -> list[DeskCount]:
    """Per (day, staff member): registered, by kind, closed and overdue now."""
    if start > end:
        raise Invalid("起始日期晚于结束日期", "bad_range")
    rows = s.exec(select(DeskEntry).where(_in_period(start, end))).all()
    groups: dict[tuple[str, str], list[DeskEntry]] = defaultdict(list)
    names: dict[str, str] = {}
    for r in rows:
        groups[(r.business_date, r.staff_id)].append(r)
        names[r.staff_id] = r.staff_name
    out = []
    for (day, staff_id), entries in sorted(groups.items()):
        kinds = [DeskKind(e.kind) for e in entries]
        out.append(
            DeskCount(
                day=date.fromisoformat(day),
                staff_id=staff_id,
                staff_name=names[staff_id],
                registered=len(entries),
                simple=kinds.count(DeskKind.SIMPLE),
                complex=kinds.count(DeskKind.COMPLEX),
                outside=kinds.count(DeskKind.OUTSIDE),
                transfer=kinds.count(DeskKind.TRANSFER),
                closed=sum(1 for e in entries if e.status == DeskStatus.CLOSED),
                overdue=sum(
                    1 for e in entries if is_overdue(DeskStatus(e.status), due_of(e), today)
                ),
            )
        )
    return out
