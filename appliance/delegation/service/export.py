"""台账导出 of 帮办代办 (R-D2, R-M3): every delegation logged in a period, CSV or XLSX."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from sqlalchemy import func
from sqlmodel import col, select

from appliance.db.database import Database
from appliance.delegation.rules import (
    KIND_LABELS,
    STATUS_LABELS,
    SUSPEND_REASON_LABELS,
    Kind,
    Status,
    SuspendReason,
)
from appliance.delegation.tables import Delegation, DelegationEntry, DelegationVisit
from appliance.documents.exports import ExportFile, Sheet, date_range, export_file

HEADERS = (
    "编号",
    "类型",
    "登记时间",
    "服务对象",
    "联系电话",
    "事项",
    "委托内容",
    "代办员/帮办人",
    "委托期限起",
    "委托期限止",
    "状态",
    "中止原因",
    "续办次数",
    "进展反馈次数",
    "上门服务次数",
    "申请人自行缴费（元）",
    "办理结果",
    "办结时间",
    "登记人",
)


def export_delegations(
    db: Database, tz: ZoneInfo, start: date | None, end: date | None, today: date, fmt: str
) -> ExportFile:
    """Every 帮办 and 代办 logged in the period, oldest first, with its ledger counts."""
    period = date_range(start, end, today)
    with db.read() as s:
        rows = s.exec(
            select(Delegation)
            .where(
                col(Delegation.business_date) >= period.start.isoformat(),
                col(Delegation.business_date) <= period.end.isoformat(),
            )
            .order_by(col(Delegation.created_at))
        ).all()
        ids = [r.id for r in rows]
        progress: dict[str, int] = {}
        fees: dict[str, int] = {}
        for did, kind, n, fen in s.exec(
            select(
                DelegationEntry.delegation_id,
                DelegationEntry.kind,
                func.count(),
                func.sum(DelegationEntry.amount_fen),
            )
            .where(col(DelegationEntry.delegation_id).in_(ids))
            .group_by(DelegationEntry.delegation_id, DelegationEntry.kind)
        ).all():
            if kind == "progress":
                progress[did] = int(n)
            if kind == "fee":
                fees[did] = int(fen or 0)
        visits = dict(
            s.exec(
                select(DelegationVisit.delegation_id, func.count())
                .where(col(DelegationVisit.delegation_id).in_(ids))
                .group_by(DelegationVisit.delegation_id)
            ).all()
        )
    lines = [
        (
            r.number,
            KIND_LABELS[Kind(r.kind)],
            r.created_at,
            r.applicant_name,
            r.applicant_phone,
            r.item_name,
            r.content,
            r.agent_name,
            date.fromisoformat(r.period_start) if r.period_start else None,
            date.fromisoformat(r.period_end) if r.period_end else None,
            STATUS_LABELS[Status(r.status)],
            SUSPEND_REASON_LABELS[SuspendReason(r.suspend_reason)] if r.suspend_reason else "",
            r.continuations,
            progress.get(r.id, 0),
            int(visits.get(r.id, 0)),
            fees.get(r.id, 0) / 100,
            r.result,
            r.completed_at,
            r.staff_name,
        )
        for r in rows
    ]
    sheet = Sheet("帮办代办台账", HEADERS, lines)
    return export_file(sheet, fmt, tz, "delegations", period)
