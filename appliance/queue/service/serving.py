"""The actions on the ticket a window has called (R-Q3, R-Q6): recall, start, finish,
no-show and transfer. Part of ``QueueService``; each is one write transaction with its event.

Each action belongs to the staff member signed in at the window, or to the station head
acting for it (``appliance.core.roles.window_authority``); the event then names who acted
(``acted_by``) and whether on behalf (``on_behalf``). An ``actor`` of None is the station
itself (tests, maintenance), which the HTTP layer never passes.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session

from appliance.core.clock import Clock
from appliance.core.errors import Conflict, Invalid
from appliance.core.roles import Principal, window_authority
from appliance.db.database import Database
from appliance.events.log import append_event
from appliance.queue.rules import tickets as rules
from appliance.queue.rules.tickets import TicketStatus
from appliance.queue.rules.wait_estimate import BusinessDay
from appliance.queue.schemas import TicketView
from appliance.queue.service import repo
from appliance.queue.tables import OvertimeLog, ServiceWindow, Ticket


def acting(actor: Principal | None, win: ServiceWindow) -> dict[str, Any]:
    """Check that ``actor`` may act at ``win`` (403 otherwise); the event fields saying who."""
    if actor is None:
        return {}
    return {"acted_by": actor.staff_id, "on_behalf": window_authority(actor, win.id, win.number)}


class ServingActions:
    """Mixed into ``QueueService``, which provides the helpers declared here."""

    db: Database
    clock: Clock
    day: BusinessDay

    def _view(self, s: Session, t: Ticket) -> TicketView:
        raise NotImplementedError

    def _event(self, s: Session, type_: str, t: Ticket, now: datetime, **extra: Any) -> None:
        raise NotImplementedError

    def _current(
        self, s: Session, window: str, action: str, actor: Principal | None
    ) -> tuple[ServiceWindow, Ticket, dict[str, Any]]:
        win = repo.get_window(s, window)
        acted = acting(actor, win)  # 403 before any other answer about the window
        t = repo.current_ticket(s, win)
        if t is None:
            raise Conflict(f"{win.number} 号窗口当前没有已呼叫的号", f"no_current_{action}")
        rules.check_transition(action, TicketStatus(t.status), t.number)
        return win, t, acted

    def recall(self, window: str, actor: Principal | None = None) -> TicketView:
        now = self.clock.now()
        with self.db.write() as s:
            win, t, acted = self._current(s, window, "recall", actor)
            t.recall_count += 1
            t.called_at = now
            s.add(t)
            s.flush()
            self._event(s, "ticket.recalled", t, now, window_number=win.number, **acted)
            return self._view(s, t)

    def start(self, window: str, actor: Principal | None = None) -> TicketView:
        now = self.clock.now()
        with self.db.write() as s:
            win, t, acted = self._current(s, window, "start", actor)
            t.status = TicketStatus.SERVING
            t.started_at = now
            s.add(t)
            s.flush()
            self._event(s, "ticket.started", t, now, window_number=win.number, **acted)
            return self._view(s, t)

    def finish(self, window: str, actor: Principal | None = None) -> TicketView:
        now = self.clock.now()
        with self.db.write() as s:
            win, t, acted = self._current(s, window, "finish", actor)
            t.status = TicketStatus.DONE
            t.started_at = t.started_at or t.called_at
            t.finished_at = now
            win.current_ticket_id = None
            s.add_all([t, win])
            s.flush()
            self._event(s, "ticket.finished", t, now, window_number=win.number, **acted)
            minutes = self.day.overtime_minutes(t.started_at or now, now)
            if minutes > 0:
                log = OvertimeLog(
                    staff_id=t.staff_id,
                    ticket_id=t.id,
                    business_date=t.business_date,
                    minutes=minutes,
                    at=now,
                )
                s.add(log)
                s.flush()
                append_event(
                    s,
                    "overtime.logged",
                    "overtime_log",
                    log.id,
                    {"staff_id": t.staff_id, "ticket_id": t.id, "minutes": minutes},
                    now,
                )
            return self._view(s, t)

    def no_show(self, window: str, actor: Principal | None = None) -> TicketView:
        now = self.clock.now()
        with self.db.write() as s:
            win, t, acted = self._current(s, window, "no_show", actor)
            t.status = TicketStatus.NO_SHOW
            t.no_show_count += 1
            win.current_ticket_id = None
            s.add_all([t, win])
            s.flush()
            self._event(s, "ticket.no_show", t, now, window_number=win.number, **acted)
            return self._view(s, t)

    def transfer(
        self,
        window: str,
        to_window: str | None = None,
        to_category: str | None = None,
        actor: Principal | None = None,
    ) -> TicketView:
        """转移: keep the number, go to another window's or category's queue, keeping its place."""
        now = self.clock.now()
        with self.db.write() as s:
            win, t, acted = self._current(s, window, "transfer", actor)
            if bool(to_window) == bool(to_category):
                raise Invalid("请指定要转到的窗口或业务类别（二选一）", "bad_transfer")
            extra: dict[str, Any] = {"from_window_number": win.number, **acted}
            if to_window:
                target = repo.get_window(s, to_window)
                if target.id == win.id:
                    raise Invalid("不能转到本窗口", "bad_transfer")
                t.target_window_id = target.id
                extra["to_window_number"] = target.number
            else:
                cat = repo.get_category(s, to_category or "")
                if not repo.serving_window_numbers(s, cat.id):
                    raise Conflict(f"“{cat.name}”暂无窗口办理，不能转入", "no_window")
                t.category_id = cat.id
                t.target_window_id = None
                extra["to_category_id"] = cat.id
            t.status = TicketStatus.WAITING
            t.window_id = None
            win.current_ticket_id = None
            s.add_all([t, win])
            s.flush()
            self._event(s, "ticket.transferred", t, now, **extra)
            return self._view(s, t)
