""" "办不成事" register service (R-P1): register, follow, tell the visitor, close; read,
export and count.

Every public write is one transaction that changes the entry, records its step (who, when,
the text) and appends its event(s). A refusal (a transfer without a named handler, an SMS
without a mobile number, closing without a result …) raises a Chinese ``DomainError``
before anything is committed.
"""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from appliance.calendar.service import CalendarService
from appliance.core.clock import Clock
from appliance.core.identity import is_mobile, normalise_mobile
from appliance.core.roles import Principal
from appliance.db.database import Database
from appliance.desk.rules import (
    DeskKind,
    DeskStatus,
    DeskStep,
    Registration,
    check_notify,
    check_open,
    check_registration,
    clean_note,
    clean_result,
    closes_at_once,
    desk_number,
    due_date,
)
from appliance.desk.schemas import (
    DeskCloseIn,
    DeskCount,
    DeskEntryIn,
    DeskEntryView,
    DeskNoteIn,
    DeskNotifyIn,
)
from appliance.desk.service import query
from appliance.desk.service.notify import tell_visitor
from appliance.desk.service.store import (
    add_step,
    clear_alert,
    event,
    find,
    next_seq,
    steps_of,
    view,
)
from appliance.desk.tables import DeskEntry
from appliance.documents.exports import ExportFile
from appliance.settings import Settings


def _clean(text: str) -> str:
    return " ".join(text.split())


class DeskService:
    def __init__(self, db: Database, settings: Settings, clock: Clock) -> None:
        self.db = db
        self.settings = settings
        self.clock = clock
        self.tz = ZoneInfo(settings.timezone)
        self.calendar = CalendarService(db, clock)

    def today(self) -> date:
        return self.clock.now().astimezone(self.tz).date()

    # ---- write ---------------------------------------------------------------------------
    def register(self, body: DeskEntryIn, actor: Principal) -> DeskEntryView:
        """登记: simple and outside-the-remit entries close at once; a complex one gets its
        办结期限 (5 working days); a transfer names its handler the same day and tells the
        visitor by SMS or on a printed slip."""
        phone = normalise_mobile(body.visitor_phone)
        check_registration(
            Registration(
                kind=body.kind,
                problem=body.problem,
                resolution=body.resolution,
                referral=body.referral,
                handler_dept=body.handler_dept,
                handler_name=body.handler_name,
                notify_by=body.notify_by,
                visitor_phone=phone,
                phone_is_mobile=is_mobile(phone),
            )
        )
        now, today = self.clock.now(), self.today()
        due = due_date(body.kind, today, self.calendar.calendar())
        at_once = closes_at_once(body.kind)
        with self.db.write() as s:
            business_date = today.isoformat()
            seq = next_seq(s, business_date)
            row = DeskEntry(
                number=desk_number(today, seq),
                business_date=business_date,
                seq=seq,
                reported_at=now,
                kind=body.kind.value,
                problem_type=body.problem_type.value,
                problem=body.problem.strip(),
                item_name=_clean(body.item_name),
                case_number=body.case_number.strip().upper(),
                visitor_name=_clean(body.visitor_name),
                visitor_phone=phone,
                status=(DeskStatus.CLOSED if at_once else DeskStatus.OPEN).value,
                due_on=due.date.isoformat() if due else None,
                due_provisional=due.provisional if due else False,
                resolution=body.resolution.strip(),
                referral=_clean(body.referral),
                handler_dept=_clean(body.handler_dept),
                handler_name=_clean(body.handler_name),
                handler_phone=body.handler_phone.strip(),
                staff_id=actor.staff_id,
                staff_name=actor.name,
                updated_at=now,
            )
            if at_once:
                row.result = row.resolution or f"告知服务对象向{row.referral}反映"
                row.closed_at, row.closed_by_id, row.closed_by_name = (
                    now,
                    actor.staff_id,
                    actor.name,
                )
            s.add(row)
            s.flush()
            add_step(s, row, DeskStep.REGISTER, actor, row.problem, now)
            if body.kind is DeskKind.SIMPLE:
                add_step(s, row, DeskStep.RESOLVE, actor, row.resolution, now)
            elif body.kind is DeskKind.OUTSIDE:
                add_step(s, row, DeskStep.REFER, actor, f"告知服务对象向{row.referral}反映", now)
            elif body.kind is DeskKind.COMPLEX and due is not None:
                text = f"情况较复杂，{due.date.isoformat()} 前办结或反馈"
                add_step(s, row, DeskStep.NOTE, actor, text, now)
            transfer = f"当日转交{row.handler_dept}，承办人 {row.handler_name}"
            if body.kind is DeskKind.TRANSFER:
                row.transferred_at = now
                add_step(s, row, DeskStep.TRANSFER, actor, transfer, now)
            event(s, "registered", row, now)
            if body.kind is DeskKind.TRANSFER and body.notify_by is not None:
                tell_visitor(s, row, body.notify_by, self.settings, actor, now, today)
            return view(row, today, self.tz, steps_of(s, row.id))

    def close(self, ref: str, body: DeskCloseIn, actor: Principal) -> DeskEntryView:
        """办结或反馈: recording the result closes the entry; no result, no closing."""
        result = clean_result(body.result)
        now, today = self.clock.now(), self.today()
        with self.db.write() as s:
            row = find(s, ref)
            check_open(DeskStatus(row.status), row.number)
            was_overdue = view(row, today, self.tz).overdue
            row.status, row.result = DeskStatus.CLOSED.value, result
            row.closed_at, row.closed_by_id, row.closed_by_name = now, actor.staff_id, actor.name
            row.updated_at = now
            clear_alert(s, row, now)
            s.add(row)
            s.flush()
            add_step(s, row, DeskStep.CLOSE, actor, result, now)
            event(s, "closed", row, now, late=was_overdue)
            return view(row, today, self.tz, steps_of(s, row.id))

    def note(self, ref: str, body: DeskNoteIn, actor: Principal) -> DeskEntryView:
        """跟踪: one line of follow-up on an open entry."""
        text = clean_note(body.text)
        now, today = self.clock.now(), self.today()
        with self.db.write() as s:
            row = find(s, ref)
            check_open(DeskStatus(row.status), row.number)
            row.updated_at = now
            s.add(row)
            add_step(s, row, DeskStep.NOTE, actor, text, now)
            event(s, "noted", row, now, note=text[:300])
            return view(row, today, self.tz, steps_of(s, row.id))

    def notify(self, ref: str, body: DeskNotifyIn, actor: Principal) -> DeskEntryView:
        """Tell the visitor the handler again: another SMS, or a printed slip."""
        now, today = self.clock.now(), self.today()
        with self.db.write() as s:
            row = find(s, ref)
            check_notify(
                DeskKind(row.kind),
                DeskStatus(row.status),
                row.number,
                body.by,
                is_mobile(row.visitor_phone),
            )
            tell_visitor(s, row, body.by, self.settings, actor, now, today)
            return view(row, today, self.tz, steps_of(s, row.id))

    # ---- read ----------------------------------------------------------------------------
    def get(self, ref: str) -> DeskEntryView:
        with self.db.read() as s:
            row = find(s, ref)
            return view(row, self.today(), self.tz, steps_of(s, row.id))

    def ledger(
        self, status: str = "open", start: date | None = None, end: date | None = None
    ) -> list[DeskEntryView]:
        """``open`` (overdue first, then by 办结期限), ``overdue``, ``closed`` or ``all``
        (registered in the period, newest first; default the last 30 days)."""
        with self.db.read() as s:
            return query.listing(s, status, start, end, self.today(), self.tz)

    def export(self, start: date | None, end: date | None, fmt: str) -> ExportFile:
        """台账导出 (R-M3): every entry registered in the period, oldest first."""
        with self.db.read() as s:
            return query.export(s, start, end, fmt, self.today(), self.tz)

    def counts(self, start: date, end: date) -> list[DeskCount]:
        """Entries registered per day and staff member in [start, end] (station figures)."""
        with self.db.read() as s:
            return query.counts(s, start, end, self.today(), self.tz)


__all__ = ["DeskService"]
