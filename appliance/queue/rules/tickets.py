"""Queue rules (取号叫号, R-Q1–R-Q6): ticket states, numbering and who is called next.

Calling order, for one window:
1. tickets transferred to this very window (转窗口) come first, oldest first;
2. otherwise, per category the window serves, the head is the oldest priority ticket
   (appointment at its slot before 老弱病残孕) unless that category has already had
   ``max_streak`` priority calls in a row while ordinary visitors wait; then it is the
   oldest ordinary ticket (R-Q4, no starvation);
3. across categories, a priority head beats an ordinary one; among equals the head with
   the greatest waited-time x pressure wins, where pressure is waiting tickets per open
   window serving that category. A window shared by a busy and a quiet category thus
   drains the busy one first, which balances work across windows (分流, R-Q4).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from appliance.core.errors import Conflict


class TicketSource(StrEnum):
    BUTTON = "button"  # 叫号按钮 (GPIO)
    KIOSK = "kiosk"  # 触摸取号页
    STAFF = "staff"  # 工作人员代取
    APPOINTMENT = "appointment"  # 预约签到


class Priority(StrEnum):
    NORMAL = "normal"
    APPOINTMENT = "appointment"  # 预约到时
    VULNERABLE = "vulnerable"  # 老弱病残孕


class TicketStatus(StrEnum):
    WAITING = "waiting"
    CALLED = "called"
    SERVING = "serving"
    DONE = "done"
    NO_SHOW = "no_show"
    CANCELLED = "cancelled"


STATUS_LABELS = {
    TicketStatus.WAITING: "等候中",
    TicketStatus.CALLED: "已呼叫",
    TicketStatus.SERVING: "办理中",
    TicketStatus.DONE: "已办结",
    TicketStatus.NO_SHOW: "已过号",
    TicketStatus.CANCELLED: "已取消",
}

PRIORITY_LABELS = {
    Priority.NORMAL: "普通",
    Priority.APPOINTMENT: "预约",
    Priority.VULNERABLE: "老弱病残孕优先",
}

_PRIORITY_RANK = {Priority.APPOINTMENT: 0, Priority.VULNERABLE: 1, Priority.NORMAL: 2}

# action -> statuses it may start from
_ALLOWED_FROM: dict[str, frozenset[TicketStatus]] = {
    "recall": frozenset({TicketStatus.CALLED}),
    "start": frozenset({TicketStatus.CALLED}),
    "no_show": frozenset({TicketStatus.CALLED}),
    "finish": frozenset({TicketStatus.CALLED, TicketStatus.SERVING}),
    "transfer": frozenset({TicketStatus.CALLED, TicketStatus.SERVING}),
    "call": frozenset({TicketStatus.WAITING}),
    "rejoin": frozenset({TicketStatus.NO_SHOW}),
}

_ACTION_LABELS = {
    "recall": "重呼",
    "start": "开始办理",
    "no_show": "过号",
    "finish": "办结",
    "transfer": "转移",
    "call": "呼叫",
    "rejoin": "过号重排",
}


def check_transition(action: str, status: TicketStatus, number: str) -> None:
    """Refuse an action that is not legal from the ticket's current status."""
    if status not in _ALLOWED_FROM[action]:
        raise Conflict(
            f"{number} 号当前状态为“{STATUS_LABELS[status]}”，不能{_ACTION_LABELS[action]}",
            f"illegal_{action}",
        )


def format_number(prefix: str, seq: int) -> str:
    """A001 … A999, then A1000 (never wraps within a day)."""
    return f"{prefix}{seq:03d}"


@dataclass(frozen=True)
class Candidate:
    """A waiting ticket as the calling rule sees it."""

    ticket_id: str
    category_id: str
    priority: Priority
    queue_at: datetime
    target_window_id: str | None = None

    @property
    def is_priority(self) -> bool:
        return self.priority is not Priority.NORMAL


@dataclass(frozen=True)
class CallDecision:
    ticket: Candidate
    # new value of the category's priority streak after this call
    new_streak: int


def _queue_order(t: Candidate) -> tuple[datetime, str]:
    """Queue time, then id: UUIDv7 ids are issue-ordered, so equal times keep issue order."""
    return (t.queue_at, t.ticket_id)


def _category_head(
    tickets: Sequence[Candidate], streak: int, max_streak: int
) -> tuple[Candidate, int]:
    priority = sorted(
        (t for t in tickets if t.is_priority),
        key=lambda t: (_PRIORITY_RANK[t.priority], t.queue_at, t.ticket_id),
    )
    ordinary = sorted((t for t in tickets if not t.is_priority), key=_queue_order)
    if priority and (streak < max_streak or not ordinary):
        return priority[0], (streak + 1 if ordinary else 0)
    return ordinary[0], 0


def choose_next(
    window_id: str,
    window_categories: Iterable[str],
    waiting: Iterable[Candidate],
    streaks: dict[str, int],
    open_windows: dict[str, int],
    max_streak: int,
    now: datetime,
) -> CallDecision | None:
    """Pick the ticket a window calls next, or None when nobody waits for it."""
    served = set(window_categories)
    tickets = list(waiting)
    directed = sorted((t for t in tickets if t.target_window_id == window_id), key=_queue_order)
    if directed:
        head = directed[0]
        return CallDecision(head, streaks.get(head.category_id, 0))
    by_category: dict[str, list[Candidate]] = {}
    for t in tickets:
        if t.target_window_id is None and t.category_id in served:
            by_category.setdefault(t.category_id, []).append(t)
    best: tuple[tuple[int, float, float], CallDecision] | None = None
    for category_id, group in by_category.items():
        head, new_streak = _category_head(group, streaks.get(category_id, 0), max_streak)
        pressure = len(group) / max(1, open_windows.get(category_id, 1))
        waited = max(0.0, (now - head.queue_at).total_seconds()) + 1.0
        key = (1 if head.is_priority else 0, waited * pressure, -head.queue_at.timestamp())
        if best is None or key > best[0]:
            best = (key, CallDecision(head, new_streak))
    return best[1] if best else None


def queue_time(now: datetime, latest_waiting: datetime | None) -> datetime:
    """Where a new ticket joins: at ``now``, but never ahead of a ticket already waiting.

    The wall clock may be set back (no RTC on a Pi, a correction from the county); calling
    order must still follow issue order, so queue times only move forward (R-N2)."""
    if latest_waiting is None or now > latest_waiting:
        return now
    return latest_waiting + timedelta(microseconds=1)


def rejoin_queue_at(
    rule: str, after: int, now: datetime, waiting_queue_ats: Sequence[datetime]
) -> datetime:
    """Where a no-show (过号) rejoins: at the end, or ``after`` places behind the head."""
    if rule == "forbid":
        raise Conflict("按本站规定，过号后不能重新排队，请重新取号", "rejoin_forbidden")
    ordered = sorted(waiting_queue_ats)
    if rule == "after" and len(ordered) > after:
        return ordered[after - 1] + timedelta(microseconds=1) if after > 0 else ordered[0]
    return max([now, *ordered]) + timedelta(microseconds=1) if ordered else now
