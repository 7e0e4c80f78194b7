"""Queries the queue services share (within the caller's session)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from appliance.core.errors import NotFound
from appliance.queue.rules.tickets import Candidate, Priority, TicketStatus
from appliance.queue.tables import Category, ServiceWindow, Ticket, WindowCategory


def get_category(s: Session, ref: str) -> Category:
    """By id or by letter prefix (A, B …)."""
    cat = s.get(Category, ref)
    if cat is None:
        cat = s.exec(select(Category).where(Category.prefix == ref.upper())).first()
    if cat is None or not cat.active:
        raise NotFound(f"找不到业务类别“{ref}”，请检查类别设置", "unknown_category")
    return cat


def get_window(s: Session, ref: str | int) -> ServiceWindow:
    """By id or by window number."""
    win = s.get(ServiceWindow, str(ref))
    if win is None and str(ref).isdigit():
        win = s.exec(select(ServiceWindow).where(ServiceWindow.number == int(ref))).first()
    if win is None:
        raise NotFound(f"找不到 {ref} 号窗口，请检查窗口设置", "unknown_window")
    return win


def window_categories(s: Session, window_id: str) -> list[str]:
    rows = s.exec(select(WindowCategory.category_id).where(WindowCategory.window_id == window_id))
    return list(rows)


def serving_window_numbers(s: Session, category_id: str) -> list[int]:
    rows = s.exec(
        select(ServiceWindow.number)
        .join(WindowCategory, col(WindowCategory.window_id) == col(ServiceWindow.id))
        .where(WindowCategory.category_id == category_id)
        .order_by(col(ServiceWindow.number))
    )
    return list(rows)


def staffed_window_numbers(s: Session, category_id: str) -> list[int]:
    """Windows serving the category that are open (not paused) with somebody at them."""
    rows = s.exec(
        select(ServiceWindow.number)
        .join(WindowCategory, col(WindowCategory.window_id) == col(ServiceWindow.id))
        .where(
            WindowCategory.category_id == category_id,
            col(ServiceWindow.paused).is_(False),
            col(ServiceWindow.staff_id).is_not(None),
        )
        .order_by(col(ServiceWindow.number))
    )
    return list(rows)


def open_window_counts(s: Session) -> dict[str, int]:
    rows = s.exec(
        select(WindowCategory.category_id, func.count())
        .join(ServiceWindow, col(WindowCategory.window_id) == col(ServiceWindow.id))
        .where(col(ServiceWindow.paused).is_(False))
        .group_by(col(WindowCategory.category_id))
    )
    return {cat_id: int(n) for cat_id, n in rows}


def waiting_candidates(s: Session, category_ids: list[str], window_id: str) -> list[Candidate]:
    rows = s.exec(
        select(Ticket).where(
            Ticket.status == TicketStatus.WAITING,
            (col(Ticket.category_id).in_(category_ids)) | (Ticket.target_window_id == window_id),
        )
    )
    return [
        Candidate(t.id, t.category_id, Priority(t.priority), t.queue_at, t.target_window_id)
        for t in rows
    ]


def latest_waiting_queue_at(s: Session) -> datetime | None:
    """The latest queue time of any waiting ticket (new tickets never join ahead of it)."""
    return s.exec(
        select(func.max(Ticket.queue_at)).where(Ticket.status == TicketStatus.WAITING)
    ).one()


def count_waiting(s: Session, category_id: str, priority_only: bool = False) -> int:
    q = select(func.count()).where(
        Ticket.category_id == category_id, Ticket.status == TicketStatus.WAITING
    )
    if priority_only:
        q = q.where(Ticket.priority != Priority.NORMAL)
    return int(s.exec(q).one())


def recent_service_minutes(s: Session, category_id: str, limit: int) -> list[float]:
    rows = s.exec(
        select(Ticket.started_at, Ticket.called_at, Ticket.finished_at)
        .where(Ticket.category_id == category_id, col(Ticket.finished_at).is_not(None))
        .order_by(col(Ticket.finished_at).desc())
        .limit(limit)
    )
    out: list[float] = []
    for started, called, finished in rows:
        begin = started or called
        if begin is not None and finished is not None:
            out.append((finished - begin).total_seconds() / 60)
    return out


def next_seq(s: Session, business_date: str, category_id: str) -> int:
    last = s.exec(
        select(func.max(Ticket.seq)).where(
            Ticket.business_date == business_date, Ticket.issue_category_id == category_id
        )
    ).one()
    return int(last or 0) + 1


def current_ticket(s: Session, win: ServiceWindow) -> Ticket | None:
    if win.current_ticket_id is None:
        return None
    return s.get(Ticket, win.current_ticket_id)
