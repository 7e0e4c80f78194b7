"""Fault log service (故障台账, R-I1): open, record handling steps and the people told, close
with a 故障处理单, list, export; the automatic entries are in :mod:`.auto`.

Every public write is one transaction that changes the fault and appends its event(s). A
refusal (no handling record, a network fault without its scope, a closed fault) raises a
Chinese ``DomainError`` before anything is committed.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlmodel import col, select

from appliance.core.clock import Clock
from appliance.core.errors import Invalid
from appliance.core.roles import Principal
from appliance.db.database import Database
from appliance.documents.exports import ExportFile, Sheet, date_range, export_file
from appliance.documents.pdf import Notice, render_notice_pdf
from appliance.faults.rules import (
    ACTION_LABELS,
    LEVEL_LABELS,
    SCOPE_LABELS,
    ActionKind,
    FaultKind,
    FaultSource,
    FaultStatus,
    check_closable,
    check_open,
    check_scope,
    clean_action,
    clean_title,
)
from appliance.faults.schemas import FaultActionIn, FaultCloseIn, FaultIn, FaultView
from appliance.faults.service.auto import reconcile
from appliance.faults.service.store import (
    actions_of,
    add_action,
    close_fault,
    find,
    open_fault,
    step_count,
    view,
)
from appliance.faults.tables import FaultRecord
from appliance.jobs.service.print_jobs import add_print_job
from appliance.settings import Settings

LIST_STATUSES = ("open", "closed", "all")
MAX_LIST = 500
EXPORT_HEADERS = (
    "编号",
    "故障类别",
    "等级",
    "来源",
    "故障现象",
    "影响范围",
    "发生时间",
    "恢复时间",
    "持续时间",
    "处理措施",
    "已通知",
    "故障原因",
    "处理结果",
    "状态",
    "登记人",
    "处理人",
)
TIME = "%Y-%m-%d %H:%M"


class FaultService:
    def __init__(self, db: Database, settings: Settings, clock: Clock) -> None:
        self.db = db
        self.settings = settings
        self.clock = clock
        self.tz = ZoneInfo(settings.timezone)

    def today(self) -> date:
        return self.clock.now().astimezone(self.tz).date()

    def _day(self, now: datetime) -> str:
        return now.astimezone(self.tz).date().isoformat()

    # ---- write ---------------------------------------------------------------------------
    def open(self, body: FaultIn, actor: Principal) -> FaultView:
        """登记故障 by staff: its kind, what happened and (network) its scope."""
        title = clean_title(body.title)
        scope = check_scope(body.kind, body.scope)
        now = self.clock.now()
        with self.db.write() as s:
            row = open_fault(
                s,
                day=self._day(now),
                kind=body.kind,
                scope=scope,
                source=FaultSource.MANUAL,
                title=title,
                detail=body.detail.strip(),
                staff=(actor.staff_id, actor.name),
                now=now,
            )
            return view(row, [], now)

    def act(self, ref: str, body: FaultActionIn, actor: Principal) -> FaultView:
        """处理记录: one step taken, or the people told."""
        text = clean_action(body.text)
        now = self.clock.now()
        with self.db.write() as s:
            row = find(s, ref)
            check_open(FaultStatus(row.status), row.number)
            add_action(s, row, body.kind, text, (actor.staff_id, actor.name), now)
            return view(row, actions_of(s, row.id), now)

    def close(self, ref: str, body: FaultCloseIn, actor: Principal) -> FaultView:
        """处理完毕: refused without a handling step; the level is fixed now (HN-4 6.3.1)."""
        now = self.clock.now()
        with self.db.write() as s:
            row = find(s, ref)
            check_closable(FaultStatus(row.status), row.number, step_count(s, row.id))
            close_fault(
                s,
                row,
                cause=body.cause.strip(),
                result=body.result.strip(),
                staff=(actor.staff_id, actor.name),
                now=now,
            )
            return view(row, actions_of(s, row.id), now)

    def reconcile(self) -> tuple[list[str], list[str]]:
        """Open and close the automatic entries from the devices and the uplink now."""
        return reconcile(self.db, self.clock, self.tz)

    # ---- read ----------------------------------------------------------------------------
    def get(self, ref: str) -> FaultView:
        now = self.clock.now()
        with self.db.read() as s:
            row = find(s, ref)
            return view(row, actions_of(s, row.id), now)

    def list(
        self, status: str = "open", start: date | None = None, end: date | None = None
    ) -> list[FaultView]:
        """``open`` (every open fault, oldest first), ``closed`` or ``all`` (opened in the
        period, newest first; default the last 30 days)."""
        if status not in LIST_STATUSES:
            raise Invalid(
                f"未知的状态“{status}”，可选 open（处理中）、closed（已处理）、all（全部）",
                "bad_status",
            )
        stmt = select(FaultRecord)
        if status == "open":
            stmt = stmt.where(FaultRecord.status == FaultStatus.OPEN.value).order_by(
                col(FaultRecord.opened_at)
            )
        else:
            period = date_range(start, end, self.today())
            stmt = stmt.where(
                col(FaultRecord.business_date) >= period.start.isoformat(),
                col(FaultRecord.business_date) <= period.end.isoformat(),
            ).order_by(col(FaultRecord.opened_at).desc())
            if status == "closed":
                stmt = stmt.where(FaultRecord.status == FaultStatus.CLOSED.value)
        now = self.clock.now()
        with self.db.read() as s:
            rows = s.exec(stmt.limit(MAX_LIST)).all()
            return [view(r, actions_of(s, r.id), now) for r in rows]

    def export(self, start: date | None, end: date | None, fmt: str) -> ExportFile:
        """故障台账导出: every fault opened in the period, oldest first."""
        period = date_range(start, end, self.today())
        now = self.clock.now()
        with self.db.read() as s:
            rows = s.exec(
                select(FaultRecord)
                .where(
                    col(FaultRecord.business_date) >= period.start.isoformat(),
                    col(FaultRecord.business_date) <= period.end.isoformat(),
                )
                .order_by(col(FaultRecord.opened_at))
            ).all()
            views = [view(r, actions_of(s, r.id), now) for r in rows]
        lines = []
        for v in views:
            steps = [f"{self._hm(a.at)} {a.text}" for a in v.actions if a.kind is ActionKind.STEP]
            told = [a.text for a in v.actions if a.kind is ActionKind.NOTIFIED]
            lines.append(
                (
                    v.number,
                    v.kind_label,
                    v.level_label,
                    v.source_label,
                    v.title,
                    SCOPE_LABELS[v.scope] if v.scope else "",
                    v.opened_at,
                    v.ended_at,
                    v.duration_text,
                    "；".join(steps),
                    "；".join(told),
                    v.cause,
                    v.result,
                    v.status_label,
                    v.opened_by,
                    v.closed_by,
                )
            )
        sheet = Sheet("故障台账", EXPORT_HEADERS, lines)
        return export_file(sheet, fmt, self.tz, "faults", period)

    def _hm(self, at: datetime) -> str:
        return at.astimezone(self.tz).strftime("%H:%M")

    def sheet(self, ref: str) -> tuple[str, bytes]:
        """故障处理单 (HN-4 6.3.2.3 f) of a closed fault: its number and the A4 PDF."""
        v = self.get(ref)
        if v.status is not FaultStatus.CLOSED:
            raise Invalid(
                f"故障 {v.number} 尚未处理完毕，处理完毕后才能打印故障处理单", "fault_open"
            )
        return v.number, render_notice_pdf(self._notice(v))

    def print_sheet(self, ref: str) -> FaultView:
        """打印故障处理单: one A4 print job (the station keeps a copy; a thermal-only station
        prints the condensed receipt)."""
        v = self.get(ref)
        if v.status is not FaultStatus.CLOSED:
            raise Invalid(
                f"故障 {v.number} 尚未处理完毕，处理完毕后才能打印故障处理单", "fault_open"
            )
        payload = {"notice": asdict(self._notice(v)), "fault_id": v.id}
        with self.db.write() as s:
            add_print_job(s, "notice", payload, self.clock.now())
        return v

    def _notice(self, v: FaultView) -> Notice:
        def at(value: datetime | None) -> str:
            return value.astimezone(self.tz).strftime(TIME) if value else "—"

        kind = v.kind_label + (f"（{SCOPE_LABELS[v.scope]}）" if v.scope else "")
        rows = [
            ("故障类别", kind),
            ("故障等级", f"{LEVEL_LABELS[v.level]}（HN-4 6.3.1）"),
            ("故障现象", v.title + (f"\n{v.detail}" if v.detail else "")),
            ("来源", v.source_label),
            ("发生时间", at(v.opened_at)),
            ("恢复时间", at(v.ended_at)),
            ("持续时间", v.duration_text),
        ]
        for kind_ in (ActionKind.STEP, ActionKind.NOTIFIED):
            lines = [
                f"{self._hm(a.at)} {a.text}（{a.staff}）" for a in v.actions if a.kind is kind_
            ]
            rows.append((ACTION_LABELS[kind_], "\n".join(lines) or "—"))
        rows += [
            ("故障原因", v.cause or "—"),
            ("处理结果", v.result or "—"),
            ("登记人", v.opened_by),
            ("处理人", v.closed_by),
        ]
        assert v.closed_at is not None
        return Notice(
            title="故障处理单",
            number=v.number,
            station_name=self.settings.station_name,
            date=v.closed_at.astimezone(self.tz).date(),
            rows=rows,
            footer="",
            seal_text="（签字）",
        )


__all__ = ["FaultKind", "FaultService"]
