"""Windows: pause and resume (暂停服务, R-Q6), absence alerts, and queue/display snapshots."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from sqlmodel import Session, col, func, select

from appliance.alerts.tables import Alert
from appliance.core.clock import Clock
from appliance.core.errors import Conflict, Invalid
from appliance.core.roles import Principal
from appliance.db.database import Database
from appliance.devices.tables import DeviceStatus
from appliance.events.log import append_event
from appliance.events.tables import Event
from appliance.queue.rules.tickets import TicketStatus
from appliance.queue.rules.wait_estimate import BusinessDay
from appliance.queue.schemas import (
    CategoryQueue,
    DisplayCall,
    DisplayCategory,
    DisplaySnapshot,
    DisplayWindow,
    QueueSnapshot,
    WaitingEntry,
    WindowState,
)
from appliance.queue.service import repo
from appliance.queue.service.serving import acting
from appliance.queue.service.views import ticket_view, waiting_entry
from appliance.queue.tables import Category, ServiceWindow, Ticket
from appliance.settings import Settings


class WindowService:
    def __init__(self, db: Database, settings: Settings, clock: Clock, day: BusinessDay) -> None:
        self.db = db
        self.settings = settings
        self.clock = clock
        self.day = day

    def pause(
        self,
        window: str,
        reason: str,
        staff_id: str | None = None,
        actor: Principal | None = None,
    ) -> WindowState:
        reason = (reason or "").strip()
        if not reason:
            raise Invalid("暂停服务须填写原因", "reason_required")
        if len(reason) > 100:
            raise Invalid("暂停原因不能超过 100 字", "reason_too_long")
        now = self.clock.now()
        with self.db.write() as s:
            win = repo.get_window(s, window)
            acted = acting(actor, win)  # R-Q6: only its own clerk, or the head for them
            if win.paused:
                raise Conflict(f"{win.number} 号窗口已在暂停服务中", "already_paused")
            cur = repo.current_ticket(s, win)
            if cur is not None and cur.status in (TicketStatus.CALLED, TicketStatus.SERVING):
                raise Conflict(
                    f"{win.number} 号窗口正在办理 {cur.number} 号，请先办结或转移再暂停",
                    "window_busy",
                )
            win.paused, win.pause_reason, win.paused_at = True, reason, now
            win.absence_alerted = False
            s.add(win)
            s.flush()
            append_event(
                s,
                "window.paused",
                "window",
                win.id,
                {"number": win.number, "reason": reason, "staff_id": staff_id, **acted},
                now,
            )
            return self._window_state(s, win)

    def resume(
        self, window: str, staff_id: str | None = None, actor: Principal | None = None
    ) -> WindowState:
        now = self.clock.now()
        with self.db.write() as s:
            win = repo.get_window(s, window)
            acted = acting(actor, win)
            if not win.paused:
                raise Conflict(f"{win.number} 号窗口未暂停，无需恢复", "not_paused")
            away = (now - win.paused_at).total_seconds() / 60 if win.paused_at else 0.0
            win.paused, win.pause_reason, win.paused_at = False, None, None
            win.absence_alerted = False
            s.add(win)
            for alert in s.exec(
                select(Alert).where(Alert.window_id == win.id, col(Alert.cleared_at).is_(None))
            ):
                alert.cleared_at = now
                s.add(alert)
                append_event(s, "alert.cleared", "alert", alert.id, {"kind": alert.kind}, now)
            s.flush()
            append_event(
                s,
                "window.resumed",
                "window",
                win.id,
                {
                    "number": win.number,
                    "away_minutes": round(away, 1),
                    "staff_id": staff_id,
                    **acted,
                },
                now,
            )
            return self._window_state(s, win)

    def check_absences(self) -> list[Alert]:
        """Raise one alert per pause that has lasted past the allowed absence (R-Q6)."""
        now = self.clock.now()
        limit = timedelta(minutes=self.settings.max_absence_minutes)
        raised: list[Alert] = []
        with self.db.write() as s:
            for win in s.exec(
                select(ServiceWindow).where(
                    col(ServiceWindow.paused).is_(True),
                    col(ServiceWindow.absence_alerted).is_(False),
                )
            ):
                if win.paused_at is None or now - win.paused_at <= limit:
                    continue
                alert = Alert(
                    kind="absence",
                    window_id=win.id,
                    message=(
                        f"{win.number} 号窗口暂停服务已超过 {self.settings.max_absence_minutes} 分钟"
                        f"（原因：{win.pause_reason}）"
                    ),
                    raised_at=now,
                )
                win.absence_alerted = True
                s.add_all([alert, win])
                s.flush()
                append_event(
                    s,
                    "alert.raised",
                    "alert",
                    alert.id,
                    {"kind": "absence", "window_number": win.number, "message": alert.message},
                    now,
                )
                raised.append(alert)
        return raised

    # ---- snapshots -----------------------------------------------------------------------
    def _window_state(self, s: Session, win: ServiceWindow) -> WindowState:
        cur = repo.current_ticket(s, win)
        current = None
        if cur is not None and cur.status in (TicketStatus.CALLED, TicketStatus.SERVING):
            cat = s.get(Category, cur.category_id)
            assert cat is not None
            current = ticket_view(cur, cat, repo.serving_window_numbers(s, cat.id), win.number)
        return WindowState(
            id=win.id,
            number=win.number,
            name=win.name,
            categories=repo.window_categories(s, win.id),
            paused=win.paused,
            pause_reason=win.pause_reason,
            paused_at=win.paused_at,
            current=current,
        )

    def window_state(self, window: str) -> WindowState:
        with self.db.read() as s:
            return self._window_state(s, repo.get_window(s, window))

    def queue_snapshot(self) -> QueueSnapshot:
        now = self.clock.now()
        bday = self.day.local_date(now).isoformat()
        with self.db.read() as s:
            windows = list(s.exec(select(ServiceWindow).order_by(col(ServiceWindow.number))))
            numbers = {w.id: w.number for w in windows}
            cats = list(
                s.exec(
                    select(Category)
                    .where(col(Category.active).is_(True))
                    .order_by(col(Category.sort), col(Category.prefix))
                )
            )
            waiting: dict[str, list[WaitingEntry]] = {c.id: [] for c in cats}
            for t in s.exec(
                select(Ticket)
                .where(Ticket.status == TicketStatus.WAITING)
                .order_by(col(Ticket.queue_at), col(Ticket.id))
            ):
                if t.category_id in waiting:
                    waiting[t.category_id].append(waiting_entry(t, numbers))
            no_shows = [
                waiting_entry(t, numbers)
                for t in s.exec(
                    select(Ticket)
                    .where(Ticket.status == TicketStatus.NO_SHOW, Ticket.business_date == bday)
                    .order_by(col(Ticket.queue_at), col(Ticket.id))
                )
            ]
            return QueueSnapshot(
                business_date=bday,
                categories=[
                    CategoryQueue(id=c.id, prefix=c.prefix, name=c.name, waiting=waiting[c.id])
                    for c in cats
                ],
                windows=[self._window_state(s, w) for w in windows],
                no_shows=no_shows,
                event_seq=_last_seq(s),
            )

    def display_snapshot(self) -> DisplaySnapshot:
        """Hall display data: numbers and windows only, never a name or phone."""
        with self.db.read() as s:
            windows = list(s.exec(select(ServiceWindow).order_by(col(ServiceWindow.number))))
            shown = []
            for w in windows:
                cur = repo.current_ticket(s, w)
                active = cur is not None and cur.status in (
                    TicketStatus.CALLED,
                    TicketStatus.SERVING,
                )
                shown.append(
                    DisplayWindow(
                        number=w.number,
                        name=w.name,
                        paused=w.paused,
                        pause_reason=w.pause_reason,
                        current_number=cur.number if cur and active else None,
                        staffed=w.staff_id is not None,
                    )
                )
            recent = self._recent_calls(s)
            counts = {c: n for c, n in _waiting_counts(s).items()}
            cats = [
                DisplayCategory(prefix=c.prefix, name=c.name, waiting=counts.get(c.id, 0))
                for c in s.exec(
                    select(Category)
                    .where(col(Category.active).is_(True))
                    .order_by(col(Category.sort), col(Category.prefix))
                )
            ]
            notices = [f"{w.number} 号窗口暂停服务：{w.pause_reason}" for w in windows if w.paused]
            fault = _device_fault(s)
            speaker = s.get(DeviceStatus, "speaker")
            if not fault and speaker is not None and speaker.state != "ready":
                notices.append(f"{speaker.label or '语音叫号暂停'}，请留意屏幕叫号")
            if fault:
                notices.append(fault)
                issued = _recent_issued(s, self.clock.now() - timedelta(minutes=15))
                if issued:
                    notices.append(f"最近取号：{'、'.join(issued)}")
            return DisplaySnapshot(
                station_name=self.settings.station_name,
                windows=shown,
                recent_calls=recent,
                categories=cats,
                event_seq=_last_seq(s),
                notices=notices,
            )

    def _recent_calls(self, s: Session) -> list[DisplayCall]:
        """最近叫号: each ticket once, at its latest call or recall, newest first; ``active``
        while it is still called or served at that window (only those are highlighted)."""
        wanted = self.settings.display_recent_calls
        recent: list[DisplayCall] = []
        seen: set[str] = set()
        for ev in s.exec(
            select(Event)
            .where(col(Event.type).in_(["ticket.called", "ticket.recalled"]))
            .order_by(col(Event.seq).desc())
            .limit(wanted * 8)
        ):
            if ev.entity_id in seen:
                continue
            seen.add(ev.entity_id)
            data = json.loads(ev.payload)
            ticket = s.get(Ticket, ev.entity_id)
            active = ticket is not None and ticket.status in (
                TicketStatus.CALLED,
                TicketStatus.SERVING,
            )
            recent.append(
                DisplayCall(
                    number=data["number"],
                    window_number=int(data["window_number"]),
                    at=ev.occurred_at,
                    active=active,
                )
            )
            if len(recent) == wanted:
                break
        return recent


def _device_fault(s: Session) -> str:
    """The hall display's line when visitors get no paper ticket: the hardware service is
    down (心跳 lost: no receipt, no voice) or the receipt printer is not ready. A line that
    starts with ⚠ is a fault: the page shows it, with the latest numbers, in a red banner."""
    hardware = s.get(DeviceStatus, "hwservice")
    if hardware is not None and hardware.state != "ready":
        return (
            f"⚠ 叫号设备暂时故障（{hardware.label}），取号小票和语音叫号暂停；"
            "号码照常有效，请留意屏幕叫号"
        )
    printer = s.get(DeviceStatus, "printer.receipt")
    if printer is not None and printer.state != "ready":
        return f"⚠ 取号小票暂时无法打印（{printer.label}），号码照常有效，请留意屏幕叫号"
    return ""


def _waiting_counts(s: Session) -> dict[str, int]:
    rows = s.exec(
        select(Ticket.category_id, func.count())
        .where(Ticket.status == TicketStatus.WAITING)
        .group_by(col(Ticket.category_id))
    )
    return {c: int(n) for c, n in rows}


def _recent_issued(s: Session, since: datetime) -> list[str]:
    """Numbers issued since ``since`` and still waiting: visitors without a paper ticket."""
    rows = s.exec(
        select(Ticket.number)
        .where(Ticket.status == TicketStatus.WAITING, col(Ticket.issued_at) >= since)
        .order_by(col(Ticket.issued_at).desc())
        .limit(8)
    )
    return list(reversed(list(rows)))


def _last_seq(s: Session) -> int:
    return int(s.exec(select(func.max(Event.seq))).one() or 0)
