"""Queue service (取号叫号): issue tickets and run the calling actions of a window.

Every public method is one write transaction that also appends its event(s).
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

import msgspec
from sqlmodel import Session, col, func, select

from appliance.core.clock import Clock
from appliance.core.errors import Conflict, Invalid, NotFound
from appliance.core.masking import mask_phone
from appliance.core.roles import Principal
from appliance.db.database import Database
from appliance.events.log import append_event
from appliance.jobs.schemas import PrintJobClaim
from appliance.jobs.service.print_jobs import claim_of
from appliance.queue.rules import tickets as rules
from appliance.queue.rules.tickets import Priority, TicketSource, TicketStatus
from appliance.queue.rules.wait_estimate import (
    BusinessDay,
    average_service_minutes,
    estimate_wait_minutes,
)
from appliance.queue.schemas import TicketView
from appliance.queue.service import notify as queue_notify
from appliance.queue.service import repo
from appliance.queue.service.serving import ServingActions, acting
from appliance.queue.service.views import ticket_view
from appliance.queue.tables import Category, ServiceWindow, Ticket
from appliance.settings import Settings

PHONE_RE = re.compile(r"^1\d{10}$")


def ticket_payload(t: Ticket) -> dict[str, Any]:
    """Event payload for a ticket; the phone number is masked (R-I3)."""
    return {
        "number": t.number,
        "category_id": t.category_id,
        "business_date": t.business_date,
        "status": t.status,
        "priority": t.priority,
        "source": t.source,
        "window_id": t.window_id,
        "staff_id": t.staff_id,
        "people_ahead": t.people_ahead,
        "est_wait_min": t.est_wait_min,
        "phone": mask_phone(t.phone) if t.phone else None,
    }


class QueueService(ServingActions):
    def __init__(self, db: Database, settings: Settings, clock: Clock, day: BusinessDay) -> None:
        self.db = db
        self.settings = settings
        self.clock = clock
        self.day = day

    # ---- helpers -------------------------------------------------------------------------
    def _view(self, s: Session, t: Ticket) -> TicketView:
        cat = s.get(Category, t.category_id)
        assert cat is not None
        win_no = None
        if t.window_id:
            win = s.get(ServiceWindow, t.window_id)
            win_no = win.number if win else None
        waiting = t.status == TicketStatus.WAITING
        unstaffed = waiting and not repo.staffed_window_numbers(s, cat.id)
        return ticket_view(t, cat, repo.serving_window_numbers(s, cat.id), win_no, unstaffed)

    def _event(self, s: Session, type_: str, t: Ticket, now: datetime, **extra: Any) -> None:
        append_event(s, type_, "ticket", t.id, {**ticket_payload(t), **extra}, now)

    def _estimate(self, s: Session, cat: Category, people_ahead: int) -> int:
        recent = repo.recent_service_minutes(s, cat.id, self.settings.wait_sample_size)
        prior = cat.prior_minutes or self.settings.wait_prior_minutes
        avg = average_service_minutes(recent, prior, self.settings.wait_min_samples)
        open_windows = repo.open_window_counts(s).get(cat.id, 0)
        return estimate_wait_minutes(people_ahead, avg, open_windows)

    # ---- issue (R-Q1, R-Q2, R-Q5) --------------------------------------------------------
    def issue(
        self,
        category: str,
        source: str,
        priority: str = "normal",
        phone: str | None = None,
        issued_by: str | None = None,
    ) -> TicketView:
        return self._issue(category, source, priority, phone, issued_by)[0]

    def issue_from_button(
        self, category: str, priority: str, lease_seconds: float
    ) -> tuple[TicketView, PrintJobClaim]:
        """叫号按钮: the receipt job comes back already leased, so it prints at once."""
        if not 1 <= lease_seconds <= 600:
            raise Invalid("小票租约须在 1–600 秒之间", "bad_lease")
        view, job = self._issue(category, TicketSource.BUTTON, priority, lease_s=lease_seconds)
        assert job is not None
        return view, job

    def _issue(
        self,
        category: str,
        source: str,
        priority: str = "normal",
        phone: str | None = None,
        issued_by: str | None = None,
        lease_s: float | None = None,
    ) -> tuple[TicketView, PrintJobClaim | None]:
        try:
            src = TicketSource(source)
        except ValueError:
            raise Invalid(f"未知取号来源“{source}”", "bad_source") from None
        try:
            prio = Priority(priority)
        except ValueError:
            raise Invalid(
                f"未知优先类别“{priority}”，可选 normal、vulnerable、appointment", "bad_priority"
            ) from None
        if prio is Priority.APPOINTMENT and src is not TicketSource.APPOINTMENT:
            raise Invalid("预约优先号只能在预约签到时取得", "bad_priority")
        phone = (phone or "").strip() or None
        if phone is not None and not PHONE_RE.match(phone):
            raise Invalid("手机号码格式不正确，应为 11 位数字，以 1 开头", "bad_phone")
        now = self.clock.now()
        with self.db.write() as s:
            return self.issue_in(s, category, src, prio, phone, issued_by, now, lease_s)

    def issue_in(
        self,
        s: Session,
        category: str,
        src: TicketSource,
        prio: Priority,
        phone: str | None,
        issued_by: str | None,
        now: datetime,
        lease_s: float | None = None,
    ) -> tuple[TicketView, PrintJobClaim | None]:
        """Issue inside the caller's write transaction (预约签到 issues its ticket in the
        same transaction that checks the appointment in); arguments already checked."""
        cat = repo.get_category(s, category)
        if not repo.serving_window_numbers(s, cat.id):
            raise Conflict(f"“{cat.name}”暂无窗口办理，请咨询引导台", "no_window")
        bday = self.day.local_date(now).isoformat()
        seq = repo.next_seq(s, bday, cat.id)
        ahead = repo.count_waiting(s, cat.id, priority_only=prio is not Priority.NORMAL)
        wait = self._estimate(s, cat, ahead)
        t = Ticket(
            business_date=bday,
            category_id=cat.id,
            issue_category_id=cat.id,
            seq=seq,
            number=rules.format_number(cat.prefix, seq),
            source=src,
            priority=prio,
            queue_at=rules.queue_time(now, repo.latest_waiting_queue_at(s)),
            issued_at=now,
            issued_by=issued_by,
            phone=phone,
            people_ahead=ahead,
            est_wait_min=wait,
            closing_warning=self.day.closing_warning(now, wait),
        )
        s.add(t)
        s.flush()
        self._event(s, "ticket.issued", t, now)
        view = self._view(s, t)
        job = queue_notify.on_issued(s, self.settings, t, view, now, lease_s)
        if lease_s is None:
            return view, None
        return view, claim_of(job)

    # ---- calling (R-Q3, R-Q4) ------------------------------------------------------------
    def _window_for_call(
        self, s: Session, window: str, actor: Principal | None
    ) -> tuple[ServiceWindow, dict[str, Any]]:
        win = repo.get_window(s, window)
        acted = acting(actor, win)  # 403 before "paused", "busy" or "nobody waiting"
        if win.paused:
            raise Conflict(f"{win.number} 号窗口暂停服务中，请先恢复服务", "window_paused")
        cur = repo.current_ticket(s, win)
        if cur is not None and cur.status in (TicketStatus.CALLED, TicketStatus.SERVING):
            raise Conflict(
                f"{win.number} 号窗口正在办理 {cur.number} 号，请先办结、过号或转移", "window_busy"
            )
        return win, acted

    def _mark_called(
        self,
        s: Session,
        win: ServiceWindow,
        t: Ticket,
        staff_id: str | None,
        now: datetime,
        acted: dict[str, Any],
    ) -> TicketView:
        t.status = TicketStatus.CALLED
        t.called_at = now
        t.window_id = win.id
        t.staff_id = staff_id
        t.target_window_id = None
        win.current_ticket_id = t.id
        s.add_all([t, win])
        s.flush()
        self._event(s, "ticket.called", t, now, window_number=win.number, **acted)
        queue_notify.on_called(s, self.settings, t, win, now)
        return self._view(s, t)

    def call_next(
        self, window: str, staff_id: str | None = None, actor: Principal | None = None
    ) -> TicketView:
        now = self.clock.now()
        with self.db.write() as s:
            win, acted = self._window_for_call(s, window, actor)
            cats = repo.window_categories(s, win.id)
            waiting = repo.waiting_candidates(s, cats, win.id)
            streaks = {c.id: c.priority_streak for c in (s.get(Category, c) for c in cats) if c}
            decision = rules.choose_next(
                win.id,
                cats,
                waiting,
                streaks,
                repo.open_window_counts(s),
                self.settings.max_priority_streak,
                now,
            )
            if decision is None:
                raise Conflict(f"{win.number} 号窗口当前无人等候", "queue_empty")
            t = s.get(Ticket, decision.ticket.ticket_id)
            assert t is not None
            cat = s.get(Category, t.category_id)
            if cat is not None and decision.ticket.target_window_id is None:
                cat.priority_streak = decision.new_streak
                s.add(cat)
            return self._mark_called(s, win, t, staff_id, now, acted)

    def call_specific(
        self,
        window: str,
        ticket: str,
        staff_id: str | None = None,
        actor: Principal | None = None,
    ) -> TicketView:
        now = self.clock.now()
        with self.db.write() as s:
            win, acted = self._window_for_call(s, window, actor)
            t = self._find_ticket(s, ticket, now)
            rules.check_transition("call", TicketStatus(t.status), t.number)
            return self._mark_called(s, win, t, staff_id, now, acted)

    def find(self, ref: str) -> TicketView:
        """A ticket by id or by today's number."""
        with self.db.read() as s:
            return self._view(s, self._find_ticket(s, ref, self.clock.now()))

    def _find_ticket(self, s: Session, ref: str, now: datetime) -> Ticket:
        t = s.get(Ticket, ref)
        if t is None:
            bday = self.day.local_date(now).isoformat()
            t = s.exec(
                select(Ticket).where(
                    Ticket.business_date == bday, Ticket.number == ref.strip().upper()
                )
            ).first()
        if t is None:
            raise NotFound(f"今日没有 {ref} 号", "unknown_ticket")
        return t

    def rejoin(self, ticket: str) -> TicketView:
        """过号重排 per the configured rule (end / after N / forbid)."""
        now = self.clock.now()
        with self.db.write() as s:
            t = self._find_ticket(s, ticket, now)
            rules.check_transition("rejoin", TicketStatus(t.status), t.number)
            if t.rejoin_count >= self.settings.no_show_max_rejoins:
                raise Conflict(f"{t.number} 号过号重排次数已用完，请重新取号", "rejoin_exhausted")
            queue_ats = list(
                s.exec(
                    select(Ticket.queue_at).where(
                        Ticket.category_id == t.category_id,
                        Ticket.status == TicketStatus.WAITING,
                        col(Ticket.target_window_id).is_(None),
                    )
                )
            )
            t.queue_at = rules.rejoin_queue_at(
                self.settings.no_show_rejoin, self.settings.no_show_rejoin_after, now, queue_ats
            )
            t.status = TicketStatus.WAITING
            t.rejoin_count += 1
            s.add(t)
            s.flush()
            self._event(s, "ticket.rejoined", t, now)
            return self._view(s, t)

    def progress(self, ticket_id: str) -> TicketView:
        """A visitor follows a ticket (QR code): live people-ahead and wait."""
        with self.db.read() as s:
            t = s.get(Ticket, ticket_id)
            if t is None:
                raise NotFound("找不到该号码", "unknown_ticket")
            view = msgspec.structs.replace(self._view(s, t), phone_masked=None)
            if t.status == TicketStatus.WAITING:
                ahead = s.exec(
                    select(func.count()).where(
                        Ticket.category_id == t.category_id,
                        Ticket.status == TicketStatus.WAITING,
                        (col(Ticket.queue_at) < t.queue_at)
                        | ((col(Ticket.queue_at) == t.queue_at) & (col(Ticket.id) < t.id)),
                    )
                ).one()
                cat = s.get(Category, t.category_id)
                assert cat is not None
                view = msgspec.structs.replace(
                    view, people_ahead=int(ahead), est_wait_min=self._estimate(s, cat, int(ahead))
                )
            return view
