"""Consultation ledger service (咨询台账, R-C2, R-C3): record, list, reply (close), promote
into the knowledge base, export.

Every public write is one transaction that changes the entry and appends its event(s). A
refusal (no answer, a reply date that is not a working day, a letter promised later than 3
working days …) raises a Chinese ``DomainError`` before anything is committed.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from appliance.alerts.tables import Alert
from appliance.calendar.service import CalendarService
from appliance.consultations.rules import (
    CHANNEL_LABELS,
    ConsultChannel,
    ConsultStatus,
    check_closable,
    check_promotable,
    clean_answer,
    ledger_state,
)
from appliance.consultations.schemas import ConsultationIn, ConsultationView, PromoteIn, ReplyIn
from appliance.consultations.service.store import payload, record_consultation, view
from appliance.consultations.tables import ConsultationRecord
from appliance.core.clock import Clock
from appliance.core.errors import Invalid, NotFound
from appliance.core.roles import Principal
from appliance.db.database import Database
from appliance.documents.exports import ExportFile, Sheet, date_range, export_file
from appliance.events.log import append_event
from appliance.knowledge.rules import Source, clean_entry
from appliance.knowledge.schemas import KnowledgeView
from appliance.knowledge.service.store import add_entry, count_ask
from appliance.knowledge.service.store import view as knowledge_view
from appliance.settings import Settings

LIST_STATUSES = ("open", "overdue", "closed", "all")
MAX_LIST = 500
EXPORT_HEADERS = (
    "编号",
    "咨询时间",
    "咨询方式",
    "服务对象",
    "联系方式",
    "咨询内容",
    "登记人",
    "约定答复日期",
    "状态",
    "答复内容",
    "答复人",
    "答复时间",
)


def find(s: Session, ref: str) -> ConsultationRecord:
    """An entry by its id or its number (ZX-20261123-001)."""
    row = s.get(ConsultationRecord, ref)
    if row is None:
        row = s.exec(
            select(ConsultationRecord).where(ConsultationRecord.number == ref.strip().upper())
        ).first()
    if row is None:
        raise NotFound(f"找不到咨询“{ref}”，请检查编号", "unknown_consultation")
    return row


def clear_alert(s: Session, row: ConsultationRecord, now: datetime) -> None:
    """The entry's overdue alert goes once it is answered."""
    alert = s.get(Alert, row.alert_id) if row.alert_id else None
    row.alert_id = None
    if alert is not None and alert.cleared_at is None:
        alert.cleared_at = now
        s.add(alert)
        s.flush()
        append_event(s, "alert.cleared", "alert", alert.id, {"kind": alert.kind}, now)


class ConsultationService:
    def __init__(self, db: Database, settings: Settings, clock: Clock) -> None:
        self.db = db
        self.settings = settings
        self.clock = clock
        self.tz = ZoneInfo(settings.timezone)
        self.calendar = CalendarService(db, clock)

    def today(self) -> date:
        return self.clock.now().astimezone(self.tz).date()

    # ---- write ---------------------------------------------------------------------------
    def record(self, body: ConsultationIn, actor: Principal) -> ConsultationView:
        """登记咨询: answered at once (closed), or open with its agreed reply date."""
        now, today = self.clock.now(), self.today()
        cal = self.calendar.calendar()
        with self.db.write() as s:
            row = record_consultation(
                s,
                question=body.question,
                channel=body.channel,
                visitor_name=body.visitor_name,
                visitor_contact=body.visitor_contact,
                answer=body.answer,
                knowledge_id=body.knowledge_id,
                plan=body,
                actor=actor,
                now=now,
                today=today,
                cal=cal,
            )
            return view(row, today)

    def close(self, ref: str, body: ReplyIn, actor: Principal) -> ConsultationView:
        """答复: recording the reply closes the entry; no reply, no closing (R-C2)."""
        answer = clean_answer(body.answer)
        now, today = self.clock.now(), self.today()
        with self.db.write() as s:
            row = find(s, ref)
            check_closable(ConsultStatus(row.status), row.number)
            if body.knowledge_id:
                count_ask(s, body.knowledge_id, now, "consultation")
                row.knowledge_id = body.knowledge_id
            was_overdue = view(row, today).overdue
            row.status = ConsultStatus.CLOSED.value
            row.answer, row.answered_at = answer, now
            row.answered_by_id, row.answered_by_name = actor.staff_id, actor.name
            row.updated_at = now
            clear_alert(s, row, now)
            s.add(row)
            s.flush()
            event = {**payload(row), "late": was_overdue}
            append_event(s, "consultation.closed", "consultation", row.id, event, now)
            return view(row, today)

    def promote(self, ref: str, body: PromoteIn, actor: Principal) -> KnowledgeView:
        """加入知识库 (R-C3): an answered entry becomes a knowledge entry (asked once)."""
        now = self.clock.now()
        with self.db.write() as s:
            row = find(s, ref)
            check_promotable(ConsultStatus(row.status), row.number, row.promoted_id is not None)
            text = clean_entry(
                body.question or row.question, body.answer or row.answer, body.keywords
            )
            entry = add_entry(
                s,
                text,
                source=Source.STATION,
                now=now,
                created_by=actor.name,
                public=body.public,
                asked=1,
                consultation=(row.id, row.number),
            )
            row.promoted_id, row.updated_at = entry.id, now
            s.add(row)
            s.flush()
            append_event(
                s,
                "consultation.promoted",
                "consultation",
                row.id,
                {"number": row.number, "knowledge_id": entry.id, "by": actor.staff_id},
                now,
            )
            return knowledge_view(entry)

    # ---- read ----------------------------------------------------------------------------
    def get(self, ref: str) -> ConsultationView:
        with self.db.read() as s:
            return view(find(s, ref), self.today())

    def list(
        self, status: str = "open", start: date | None = None, end: date | None = None
    ) -> list[ConsultationView]:
        """``open`` (every open entry, overdue first, then by reply date), ``overdue``,
        ``closed`` or ``all`` (asked in the period, newest first; default the last 30 days)."""
        if status not in LIST_STATUSES:
            raise Invalid(
                f"未知的状态“{status}”，可选 open（待答复）、overdue（逾期）、closed（已答复）、all（全部）",
                "bad_status",
            )
        today = self.today()
        stmt = select(ConsultationRecord)
        if status in ("open", "overdue"):
            stmt = stmt.where(ConsultationRecord.status == ConsultStatus.OPEN)
        else:
            period = date_range(start, end, today)
            stmt = stmt.where(
                col(ConsultationRecord.business_date) >= period.start.isoformat(),
                col(ConsultationRecord.business_date) <= period.end.isoformat(),
            )
            if status == "closed":
                stmt = stmt.where(ConsultationRecord.status == ConsultStatus.CLOSED)
        with self.db.read() as s:
            rows = s.exec(stmt.order_by(col(ConsultationRecord.asked_at).desc())).all()
        views = [view(r, today) for r in rows]
        if status == "overdue":
            views = [v for v in views if v.overdue]
        if status in ("open", "overdue"):
            views.sort(key=lambda v: (not v.overdue, v.reply_due or today, v.number))
        return views[:MAX_LIST]

    def open_counts(self) -> tuple[int, int]:
        """(open, overdue) entries: for the status line of the ledger screen."""
        views = self.list("open")
        return len(views), sum(1 for v in views if v.overdue)

    def export(self, start: date | None, end: date | None, fmt: str) -> ExportFile:
        """台账导出 (R-M3): every entry asked in the period, oldest first."""
        today = self.today()
        period = date_range(start, end, today)
        with self.db.read() as s:
            rows = s.exec(
                select(ConsultationRecord)
                .where(
                    col(ConsultationRecord.business_date) >= period.start.isoformat(),
                    col(ConsultationRecord.business_date) <= period.end.isoformat(),
                )
                .order_by(col(ConsultationRecord.asked_at))
            ).all()
        lines = []
        for r in rows:
            due = date.fromisoformat(r.reply_due) if r.reply_due else None
            answered = r.answered_at.astimezone(self.tz).date() if r.answered_at else None
            state = ledger_state(ConsultStatus(r.status), due, answered, today)
            lines.append(
                (
                    r.number,
                    r.asked_at,
                    CHANNEL_LABELS[ConsultChannel(r.channel)],
                    r.visitor_name,
                    r.visitor_contact,
                    r.question,
                    r.staff_name,
                    due,
                    state,
                    r.answer,
                    r.answered_by_name,
                    r.answered_at,
                )
            )
        sheet = Sheet("咨询台账", EXPORT_HEADERS, lines)
        return export_file(sheet, fmt, self.tz, "consultations", period)


__all__ = ["ConsultationService", "clear_alert", "find"]
