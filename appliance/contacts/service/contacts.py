"""First-contact service (首问登记, R-C1): record a contact, close a pending one, link the
case it became, list, read and export.

Every public write is one transaction that changes the contact and appends its event;
a contact that becomes a consultation writes the consultation (咨询台账) in the same
transaction. Guiding a visitor to a category issues the ticket through the queue service's
own issue path (``QueueService.issue``: its rules, numbering, receipt and event) first,
after every check of the contact has passed; the contact then links that ticket.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from appliance.calendar.service import CalendarService
from appliance.cases.tables import CaseRecord
from appliance.consultations.rules import ConsultChannel
from appliance.consultations.schemas import ReplyPlanIn
from appliance.consultations.service.store import record_consultation
from appliance.contacts.rules import (
    DIRECT_OUTCOMES,
    OUTCOME_LABELS,
    Outcome,
    OutcomeFields,
    Responder,
    check_outcome,
    clean_matter,
    responsible,
)
from appliance.contacts.schemas import CaseLinkIn, ContactCloseIn, ContactIn, ContactView
from appliance.contacts.service.views import EXPORT_HEADERS, export_rows, payload, view
from appliance.contacts.tables import ContactRecord
from appliance.core.clock import Clock
from appliance.core.errors import Conflict, Invalid, NotFound
from appliance.core.roles import Principal, Role
from appliance.db.database import Database
from appliance.documents.exports import ExportFile, Sheet, date_range, export_file
from appliance.events.log import append_event
from appliance.knowledge.service.store import active_entry, count_ask
from appliance.queue.rules.tickets import TicketSource
from appliance.queue.rules.wait_estimate import BusinessDay
from appliance.queue.schemas import TicketView
from appliance.queue.service.tickets import QueueService
from appliance.settings import Settings
from appliance.staff.tables import Staff

MAX_LIST = 500
CLOSE_OUTCOMES = tuple(o for o in DIRECT_OUTCOMES if o is not Outcome.PENDING)


def guided_text(ticket: TicketView) -> str:
    """引导去向: 号码、类别和办理窗口, e.g. A012 号 · 综合受理（1、2 号窗口）."""
    windows = "、".join(str(n) for n in ticket.serving_windows)
    where = f"（{windows} 号窗口）" if windows else ""
    return f"{ticket.number} 号 · {ticket.category_name}{where}"


class ContactService:
    def __init__(self, db: Database, settings: Settings, clock: Clock, day: BusinessDay) -> None:
        self.db = db
        self.settings = settings
        self.clock = clock
        self.tz = ZoneInfo(settings.timezone)
        self.queue = QueueService(db, settings, clock, day)
        self.calendar = CalendarService(db, clock)

    def today(self) -> date:
        return self.clock.now().astimezone(self.tz).date()

    # ---- checks before anything is written ------------------------------------------------
    def _responders(
        self, actor: Principal, second_code: str | None
    ) -> tuple[Responder, Responder | None]:
        first = Responder(actor.staff_id, actor.code, actor.name, actor.role)
        code = (second_code or "").strip()
        if not code:
            return first, None
        with self.db.read() as s:
            st = s.exec(select(Staff).where(Staff.code == code)).first()
        if st is None or not st.active:
            raise NotFound(f"找不到在用的工号“{code}”，请核对共同答复人的工号", "unknown_staff")
        if st.id == actor.staff_id:
            raise Invalid("共同答复人不能是首问人本人", "same_staff")
        return first, Responder(st.id, st.code, st.name, Role(st.role))

    def _check(self, body: ContactCloseIn, contact: str) -> OutcomeFields:
        fields = check_outcome(
            body.outcome,
            answer=body.answer,
            category=body.category,
            ticket=body.ticket,
            referred_to=body.referred_to,
        )
        if body.outcome is Outcome.CONSULTATION and not contact.strip():
            raise Invalid(
                "转咨询台账须留下服务对象的联系方式（电话、邮箱或地址），以便按时答复",
                "contact_required",
            )
        if body.knowledge_id and body.outcome is Outcome.ANSWERED:
            with self.db.read() as s:
                active_entry(s, body.knowledge_id)
        return fields

    def _ticket(
        self, fields: OutcomeFields, body: ContactCloseIn, actor: Principal
    ) -> TicketView | None:
        """Guided: the linked ticket (today's number), or a new one issued by the queue."""
        if fields.outcome is not Outcome.GUIDED:
            return None
        if fields.ticket:
            return self.queue.find(fields.ticket)
        assert fields.category is not None
        return self.queue.issue(
            fields.category, TicketSource.STAFF, body.priority, None, issued_by=actor.staff_id
        )

    # ---- writing the outcome into the row (inside the transaction) ------------------------
    def _apply(
        self,
        s: Session,
        row: ContactRecord,
        fields: OutcomeFields,
        body: ContactCloseIn,
        ticket: TicketView | None,
        actor: Principal,
        now: datetime,
    ) -> None:
        row.outcome = fields.outcome.value
        row.answer, row.referred_to = fields.answer, fields.referred_to
        if body.visitor_contact.strip():
            row.visitor_contact = body.visitor_contact.strip()
        if ticket is not None:
            row.ticket_id, row.ticket_number = ticket.id, ticket.number
            row.guided_to = guided_text(ticket)
        if fields.outcome is Outcome.ANSWERED and body.knowledge_id:
            count_ask(s, body.knowledge_id, now, "contact")
            row.knowledge_id = body.knowledge_id
        if fields.outcome is Outcome.CONSULTATION:
            entry = record_consultation(
                s,
                question=row.matter,
                channel=ConsultChannel(row.channel),
                visitor_name=row.visitor_name,
                visitor_contact=row.visitor_contact,
                answer="",
                knowledge_id=None,
                plan=ReplyPlanIn(
                    reply_due=body.reply_due, reply_in_working_days=body.reply_in_working_days
                ),
                actor=actor,
                now=now,
                today=self.today(),
                cal=self.calendar.calendar(),
                contact_id=row.id,
            )
            row.consultation_id, row.consultation_number = entry.id, entry.number
        if fields.outcome is not Outcome.PENDING:
            row.closed_at, row.closed_by = now, actor.staff_id
        row.updated_at = now

    @staticmethod
    def _set_responders(row: ContactRecord, first: Responder, second: Responder | None) -> None:
        lead = responsible(first, [second] if second else [])
        if second is not None:
            row.second_staff_id, row.second_staff_name = second.staff_id, second.name
            row.second_staff_role = second.role.value
        row.responsible_staff_id, row.responsible_staff_name = lead.staff_id, lead.name

    # ---- public writes (R-C1) -------------------------------------------------------------
    def record(self, body: ContactIn, actor: Principal) -> ContactView:
        """首问登记: the first responder is the caller; the outcome now or later."""
        if body.outcome not in DIRECT_OUTCOMES:
            raise Invalid(
                "转收件：先登记为待处理，收件后再关联办件编号（终端会自动完成）", "bad_outcome"
            )
        matter = clean_matter(body.matter)
        first, second = self._responders(actor, body.second_staff)
        fields = self._check(body, body.visitor_contact)
        ticket = self._ticket(fields, body, actor)
        now = self.clock.now()
        with self.db.write() as s:
            row = ContactRecord(
                business_date=self.today().isoformat(),
                occurred_at=now,
                channel=body.channel.value,
                matter=matter,
                item_code=(body.item_code or "").strip() or None,
                visitor_name=" ".join(body.visitor_name.split()),
                visitor_contact=body.visitor_contact.strip(),
                first_staff_id=first.staff_id,
                first_staff_name=first.name,
                first_staff_role=first.role.value,
                responsible_staff_id=first.staff_id,
                responsible_staff_name=first.name,
                outcome=Outcome.PENDING.value,
                updated_at=now,
            )
            self._set_responders(row, first, second)
            s.add(row)
            s.flush()
            self._apply(s, row, fields, body, ticket, actor, now)
            s.add(row)
            s.flush()
            append_event(s, "contact.recorded", "contact", row.id, payload(row), now)
            return view(row)

    def _pending(self, s: Session, contact_id: str) -> ContactRecord:
        row = self._row(s, contact_id)
        if row.outcome != Outcome.PENDING:
            label = OUTCOME_LABELS[Outcome(row.outcome)]
            raise Conflict(f"该首问登记已有处理结果（{label}），不能再次登记", "contact_closed")
        return row

    def close(self, contact_id: str, body: ContactCloseIn, actor: Principal) -> ContactView:
        """Record the outcome of a pending contact (待处理 → answered, guided …)."""
        if body.outcome not in CLOSE_OUTCOMES:
            raise Invalid(
                "请选择处理结果：当场解答、引导至窗口、非本站职责或登记咨询", "bad_outcome"
            )
        with self.db.read() as s:
            known = self._pending(s, contact_id)
        first = Responder(
            known.first_staff_id, "", known.first_staff_name, Role(known.first_staff_role)
        )
        _, second = self._responders(actor, body.second_staff)
        if second is not None and second.staff_id == first.staff_id:
            raise Invalid("共同答复人不能是首问人本人", "same_staff")
        fields = self._check(body, body.visitor_contact or known.visitor_contact)
        ticket = self._ticket(fields, body, actor)
        now = self.clock.now()
        with self.db.write() as s:
            row = self._pending(s, contact_id)  # judged again under the write lock
            if second is not None:
                self._set_responders(row, first, second)
            self._apply(s, row, fields, body, ticket, actor, now)
            s.add(row)
            s.flush()
            append_event(s, "contact.closed", "contact", row.id, payload(row), now)
            return view(row)

    def link_case(self, contact_id: str, body: CaseLinkIn, actor: Principal) -> ContactView:
        """转收件: the case opened from this contact (the intake screen, prefilled from it)."""
        number = body.case_number.strip()
        now = self.clock.now()
        with self.db.write() as s:
            row = self._row(s, contact_id)
            if row.outcome not in (Outcome.PENDING, Outcome.GUIDED):
                label = OUTCOME_LABELS[Outcome(row.outcome)]
                raise Conflict(
                    f"该首问登记已有处理结果（{label}），不能再关联办件", "contact_closed"
                )
            if row.case_number:
                raise Conflict(f"该首问登记已关联办件 {row.case_number}", "case_linked")
            case = s.exec(select(CaseRecord).where(CaseRecord.case_number == number)).first()
            if case is None:
                raise NotFound(f"找不到办件“{number}”，请核对办件编号", "unknown_case")
            row.case_number = case.case_number
            if row.outcome == Outcome.PENDING:
                row.outcome = Outcome.CASE.value
                row.closed_at, row.closed_by = now, actor.staff_id
            row.updated_at = now
            s.add(row)
            s.flush()
            append_event(s, "contact.case_linked", "contact", row.id, payload(row), now)
            return view(row)

    # ---- reads ----------------------------------------------------------------------------
    @staticmethod
    def _row(s: Session, contact_id: str) -> ContactRecord:
        row = s.get(ContactRecord, contact_id)
        if row is None:
            raise NotFound("找不到该首问登记", "unknown_contact")
        return row

    def get(self, contact_id: str) -> ContactView:
        with self.db.read() as s:
            return view(self._row(s, contact_id))

    def _between(self, start: date | None, end: date | None) -> list[ContactRecord]:
        period = date_range(start, end, self.today())
        with self.db.read() as s:
            return list(
                s.exec(
                    select(ContactRecord)
                    .where(
                        col(ContactRecord.business_date) >= period.start.isoformat(),
                        col(ContactRecord.business_date) <= period.end.isoformat(),
                    )
                    .order_by(col(ContactRecord.occurred_at).desc())
                )
            )

    def list(
        self, start: date | None = None, end: date | None = None, pending: bool = False
    ) -> list[ContactView]:
        """The period's contacts, newest first (default: today); ``pending``: every 待处理
        contact, whatever its day."""
        if pending:
            with self.db.read() as s:
                rows = list(
                    s.exec(
                        select(ContactRecord)
                        .where(ContactRecord.outcome == Outcome.PENDING)
                        .order_by(col(ContactRecord.occurred_at).desc())
                    )
                )
        else:
            today = self.today()
            rows = self._between(start or (today if end is None else None), end)
        return [view(r) for r in rows[:MAX_LIST]]

    def export(self, start: date | None, end: date | None, fmt: str) -> ExportFile:
        """首问登记台账 (R-M3) of the period, oldest first."""
        period = date_range(start, end, self.today())
        rows = list(reversed(self._between(period.start, period.end)))
        sheet = Sheet("首问登记台账", EXPORT_HEADERS, export_rows(rows))
        return export_file(sheet, fmt, self.tz, "contacts", period)
