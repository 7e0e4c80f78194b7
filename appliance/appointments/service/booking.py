"""Appointment book service (预约, R-Q7): slots, booking on every channel, check-in into a
ticket (R-Q4), cancel and move with the visitor told, the day's on-time figures, export.

Every public write is one transaction that changes the rows and appends their events; a
refusal (a full slot, a closed day, a forfeited booking …) is a Chinese ``DomainError``
raised before anything is committed.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from appliance.appointments.rules import (
    HELD,
    STAFF_CHANNELS,
    STATUS_LABELS,
    Channel,
    NoticeBy,
    SlotTimes,
    Status,
    capacity_for,
    check_capacity,
    check_day,
    check_phone,
    checkin_refusal,
    clean_reason,
    day_slots,
    find_slot,
    on_time,
)
from appliance.appointments.schemas import (
    AppointmentView,
    BookIn,
    CheckInView,
    DayStats,
    DayView,
    ItemChoice,
    MoveIn,
    PublicBookIn,
    PublicBookingView,
    SlotView,
)
from appliance.appointments.service import store
from appliance.appointments.service.exports import export_book
from appliance.appointments.tables import Appointment
from appliance.calendar.service import CalendarService
from appliance.catalogue.service.catalogue import CatalogueService
from appliance.catalogue.service.guide import GuideService
from appliance.catalogue.tables import CatalogueItem
from appliance.core.clock import Clock
from appliance.core.errors import Conflict, Invalid
from appliance.core.masking import mask_phone
from appliance.core.rate_limit import FailureLimit, FailureLimiter, TooManyAttempts
from appliance.core.roles import Principal
from appliance.db.database import Database
from appliance.documents.exports import ExportFile, date_range
from appliance.documents.pdf import Notice
from appliance.events.log import append_event
from appliance.jobs.service.print_jobs import add_print_job
from appliance.queue.rules.tickets import Priority, TicketSource
from appliance.queue.rules.wait_estimate import parse_hhmm
from appliance.queue.service import repo
from appliance.queue.service.tickets import QueueService
from appliance.settings import Settings

MAX_LIST = 500


@dataclass(frozen=True)
class ItemNotice:
    """The item a booking is for, and its 一次性告知单 built before the write lock."""

    code: str = ""
    name: str = ""
    category: str = ""
    materials: tuple[str, ...] = ()
    notice: Notice | None = None


class AppointmentService:
    def __init__(self, db: Database, settings: Settings, clock: Clock, queue: QueueService) -> None:
        self.db = db
        self.settings = settings
        self.clock = clock
        self.queue = queue
        self.tz = ZoneInfo(settings.timezone)
        self.calendar = CalendarService(db, clock)
        limit = FailureLimit(max(1, settings.appointment_public_per_hour), timedelta(hours=1))
        self.limiter = FailureLimiter(limit, clock)
        self.slots_of_day = day_slots(
            parse_hhmm(settings.open_time),
            parse_hhmm(settings.close_time),
            settings.appointment_slot_minutes,
        )

    def today(self) -> date:
        return self.clock.now().astimezone(self.tz).date()

    def capacity(self, prefix: str) -> int:
        s = self.settings
        return capacity_for(prefix, s.appointment_capacity, s.appointment_capacity_by_category)

    def _item(self, code: str, with_notice: bool) -> ItemNotice:
        if not code:
            return ItemNotice()
        item = CatalogueService(self.db, self.clock).item(code)  # 404 in Chinese
        notice = (
            GuideService(self.db, self.settings, self.clock).notice(code) if with_notice else None
        )
        names = tuple(f"{m.name}（{m.form_label}{m.count}份）" for m in item.materials)
        return ItemNotice(item.code, item.name, item.category_prefix, names, notice)

    def _slot(self, day: date, at: str) -> SlotTimes:
        check_day(day, self.today(), self.calendar.calendar(), self.settings.appointment_days_ahead)
        slot = find_slot(self.slots_of_day, at)
        if datetime.combine(day, slot.end, self.tz) <= self.clock.now():
            raise Invalid(f"{day.isoformat()} {slot.label} 已经过去，请选择以后的时段", "past_slot")
        return slot

    # ---- read ------------------------------------------------------------------------------
    def day(self, category: str, day: date) -> DayView:
        """预约时段 of one category on one day, with what is still free."""
        with self.db.read() as s:
            cat = repo.get_category(s, category)
            counts = store.taken_by_time(s, cat.id, day)
            items = [
                ItemChoice(code=i.code, name=i.name)
                for i in s.exec(
                    select(CatalogueItem)
                    .where(CatalogueItem.category_prefix == cat.prefix)
                    .order_by(col(CatalogueItem.sort))
                )
            ]
        today, now = self.today(), self.clock.now()
        try:
            check_day(day, today, self.calendar.calendar(), self.settings.appointment_days_ahead)
        except Invalid as exc:
            return DayView(
                category=cat.prefix, category_name=cat.name, day=day, open=False, slots=[],
                message=exc.message, items=items,
            )  # fmt: skip
        cap = self.capacity(cat.prefix)
        slots = [
            SlotView(
                time=f"{sl.start:%H:%M}",
                label=sl.label,
                capacity=cap,
                taken=counts.get(f"{sl.start:%H:%M}", 0),
                free=max(0, cap - counts.get(f"{sl.start:%H:%M}", 0)),
                past=datetime.combine(day, sl.end, self.tz) <= now,
            )
            for sl in self.slots_of_day
        ]
        return DayView(
            category=cat.prefix, category_name=cat.name, day=day, open=True, slots=slots,
            items=items,
        )  # fmt: skip

    def get(self, ref: str) -> AppointmentView:
        with self.db.read() as s:
            return store.view(store.find(s, ref), self.tz)

    def list(self, day: date | None = None, status: str = "all") -> list[AppointmentView]:
        """One day's appointments (default today) by slot; ``status`` narrows them."""
        if status != "all" and status not in {st.value for st in Status}:
            names = "、".join(f"{st.value}（{label}）" for st, label in STATUS_LABELS.items())
            raise Invalid(f"未知的状态“{status}”，可选 all（全部）、{names}", "bad_status")
        stmt = select(Appointment).where(Appointment.slot_date == (day or self.today()).isoformat())
        if status != "all":
            stmt = stmt.where(Appointment.status == status)
        with self.db.read() as s:
            rows = s.exec(stmt.order_by(col(Appointment.slot_time), col(Appointment.number))).all()
            return [store.view(r, self.tz) for r in rows[:MAX_LIST]]

    def stats(self, day: date | None = None) -> DayStats:
        """准时率: checked in vs forfeited, leaving 一人多约 out (R-Q7)."""
        the_day = day or self.today()
        with self.db.read() as s:
            rows = s.exec(
                select(Appointment).where(Appointment.slot_date == the_day.isoformat())
            ).all()
        figures = on_time((Status(r.status), r.multi_booking) for r in rows)
        count = {st: sum(1 for r in rows if r.status == st) for st in Status}
        return DayStats(
            day=the_day,
            booked=len(rows),
            checked_in=count[Status.CHECKED_IN],
            forfeited=count[Status.FORFEITED],
            cancelled=count[Status.CANCELLED],
            flagged=sum(1 for r in rows if r.multi_booking),
            counted=figures.counted,
            on_time=figures.on_time,
            on_time_rate=figures.rate,
        )

    # ---- write -----------------------------------------------------------------------------
    def book(self, body: BookIn, actor: Principal) -> AppointmentView:
        """预约 at the terminal (现场 / 电话); the 一次性告知单 printed or its list by SMS."""
        if body.channel not in STAFF_CHANNELS:
            raise Invalid(
                "工作人员登记的预约渠道只能是 onsite（现场）或 phone（电话）", "bad_channel"
            )
        if body.notice_by is not NoticeBy.NONE and not body.item_code:
            raise Invalid("要给预约人一次性告知单，请选择办理事项", "no_item")
        item = self._item(body.item_code, body.notice_by is NoticeBy.PRINT)
        row = self._book(
            category=body.category or item.category, day=body.day, at=body.time,
            phone=body.phone, name=body.visitor_name, channel=body.channel, item=item,
            notice_by=body.notice_by, created_by=actor.code,
        )  # fmt: skip
        return row

    def book_public(self, body: PublicBookIn, client: str) -> PublicBookingView:
        """网上预约 from the booking page: confirmed by SMS with the material list. Every
        attempt counts against the client address (``appointment_public_per_hour``)."""
        wait = self.limiter.blocked_for(client)
        if wait is not None:
            minutes = max(1, int(wait.total_seconds() // 60) + 1)
            raise TooManyAttempts(f"预约过于频繁，请 {minutes} 分钟后再试", wait)
        self.limiter.record_failure(client)
        item = self._item(body.item_code, False)
        v = self._book(
            category=body.category, day=body.day, at=body.time, phone=body.phone,
            name=body.visitor_name, channel=Channel.ONLINE, item=item,
            notice_by=NoticeBy.SMS, created_by="网上预约",
        )  # fmt: skip
        return PublicBookingView(
            number=v.number,
            category_name=v.category_name,
            item_name=v.item_name,
            day=v.day,
            slot_label=v.slot_label,
            phone_masked=mask_phone(v.phone),
            message="预约成功，确认短信已发送，请按时到服务站签到，过时作废",
        )

    def _book(
        self, *, category: str, day: date, at: str, phone: str, name: str, channel: Channel,
        item: ItemNotice, notice_by: NoticeBy, created_by: str,
    ) -> AppointmentView:  # fmt: skip
        if not category:
            raise Invalid("请选择业务类别或办理事项", "no_category")
        phone = check_phone(phone)
        slot = self._slot(day, at)
        now, today = self.clock.now(), self.today()
        with self.db.write() as s:
            cat = repo.get_category(s, category)
            self._check_duplicate(s, phone, day, f"{slot.start:%H:%M}")
            check_capacity(
                store.taken(s, cat.id, day, f"{slot.start:%H:%M}"),
                self.capacity(cat.prefix), cat.name, day, slot,
            )  # fmt: skip
            row = store.new_row(
                s, today=today, now=now, channel=channel, category=cat,
                item=(item.code, item.name), day=day, slot=slot, tz=self.tz,
                visitor_name=name, phone=phone, created_by=created_by, notice_by=notice_by,
            )  # fmt: skip
            self._notify_booked(s, row, item, notice_by, now)
            return store.view(row, self.tz)

    def _check_duplicate(self, s: Session, phone: str, day: date, at: str) -> None:
        same = s.exec(
            select(Appointment).where(
                Appointment.phone == phone,
                Appointment.slot_date == day.isoformat(),
                Appointment.slot_time == at,
                col(Appointment.status).in_([h.value for h in HELD]),
            )
        ).first()
        if same is not None:
            raise Conflict(
                f"手机号 {mask_phone(phone)} 已预约该时段（预约号 {same.number}），请勿重复预约",
                "duplicate",
            )

    def _notify_booked(
        self, s: Session, row: Appointment, item: ItemNotice, by: NoticeBy, now: datetime
    ) -> None:
        materials = ""
        if by is NoticeBy.PRINT and item.notice is not None:
            job = add_print_job(s, "notice", {"notice": asdict(item.notice)}, now, copies=1)
            row.print_job_id = job.id
            s.add(row)
        elif by is NoticeBy.SMS:
            materials = store.materials_text(item.name, list(item.materials))
        store.tell(s, self.settings, "appointment_booked", row, now, materials=materials)

    def check_in(self, ref: str, actor: Principal) -> CheckInView:
        """签到: the appointment becomes a ticket with the appointment priority (R-Q4)."""
        now = self.clock.now()
        s_ = self.settings
        with self.db.write() as s:
            row = store.find(s, ref)
            refusal = checkin_refusal(
                Status(row.status), row.number, now, row.slot_start.astimezone(self.tz),
                row.slot_end.astimezone(self.tz),
                s_.appointment_checkin_early_minutes, s_.appointment_grace_minutes,
            )  # fmt: skip
            if refusal is not None:
                raise refusal
            ticket, _ = self.queue.issue_in(
                s, row.category_id, TicketSource.APPOINTMENT, Priority.APPOINTMENT,
                row.phone, actor.code, now,
            )  # fmt: skip
            row.status, row.checked_in_at, row.updated_at = Status.CHECKED_IN.value, now, now
            row.ticket_id, row.ticket_number = ticket.id, ticket.number
            s.add(row)
            s.flush()
            event = {**store.payload(row), "by": actor.code}
            append_event(s, "appointment.checked_in", "appointment", row.id, event, now)
            return CheckInView(
                appointment=store.view(row, self.tz),
                ticket_id=ticket.id,
                ticket_number=ticket.number,
            )

    def cancel(self, ref: str, reason: str, actor: Principal) -> AppointmentView:
        """取消 by the station with a reason; the visitor is told by SMS."""
        why = clean_reason(reason)
        now = self.clock.now()
        with self.db.write() as s:
            row = self._open_row(s, ref, "取消")
            row.status, row.reason, row.updated_at = Status.CANCELLED.value, why, now
            s.add(row)
            s.flush()
            event = {**store.payload(row), "reason": why, "by": actor.code}
            append_event(s, "appointment.cancelled", "appointment", row.id, event, now)
            store.tell(s, self.settings, "appointment_cancelled", row, now, reason=why)
            return store.view(row, self.tz)

    def move(self, ref: str, body: MoveIn, actor: Principal) -> AppointmentView:
        """改约 to another day or slot with a reason; the visitor is told by SMS."""
        why = clean_reason(body.reason)
        slot = self._slot(body.day, body.time)
        at = f"{slot.start:%H:%M}"
        now = self.clock.now()
        with self.db.write() as s:
            row = self._open_row(s, ref, "改约")
            if row.slot_date == body.day.isoformat() and row.slot_time == at:
                raise Invalid("新时段与原时段相同，请选择其他时段", "same_slot")
            if not row.priority:
                check_capacity(
                    store.taken(s, row.category_id, body.day, at, exclude=row.id),
                    self.capacity(row.category_prefix), row.category_name, body.day, slot,
                )  # fmt: skip
            old = {"from_date": row.slot_date, "from_time": row.slot_time}
            row.slot_date, row.slot_time = body.day.isoformat(), at
            row.slot_start = datetime.combine(body.day, slot.start, self.tz)
            row.slot_end = datetime.combine(body.day, slot.end, self.tz)
            row.reason, row.moved, row.updated_at = why, row.moved + 1, now
            row.reminded_at = None  # a reminder for the new day
            s.add(row)
            s.flush()
            event = {**store.payload(row), **old, "reason": why, "by": actor.code}
            append_event(s, "appointment.moved", "appointment", row.id, event, now)
            store.refresh_multi(s, row.phone, row.slot_date, now)
            store.tell(s, self.settings, "appointment_moved", row, now, reason=why)
            return store.view(row, self.tz)

    @staticmethod
    def _open_row(s: Session, ref: str, what: str) -> Appointment:
        row = store.find(s, ref)
        if row.status != Status.BOOKED:
            label = STATUS_LABELS[Status(row.status)]
            raise Conflict(f"预约 {row.number} 当前为“{label}”，不能{what}", "not_booked")
        return row

    # ---- export (R-M3) ---------------------------------------------------------------------
    def export(self, start: date | None, end: date | None, fmt: str) -> ExportFile:
        """预约台账: every appointment whose slot falls in the period, by slot."""
        return export_book(self.db, self.tz, date_range(start, end, self.today()), fmt)
