"""Side effects of queue actions, written in the same transaction: receipt job and SMS (R-Q3)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec
from sqlmodel import Session, col, select

from appliance.documents.rating_link import rating_url
from appliance.jobs.rules.lease import PRINT_JOBS
from appliance.jobs.service.lease import lease
from appliance.jobs.service.print_jobs import add_print_job
from appliance.jobs.service.sms import queue_sms
from appliance.jobs.tables import PrintJob
from appliance.queue.rules.tickets import TicketStatus
from appliance.queue.schemas import TicketView
from appliance.queue.tables import Category, ServiceWindow, Ticket
from appliance.settings import Settings


def _values(settings: Settings, t: Ticket, category: str, **extra: Any) -> dict[str, Any]:
    return {"station": settings.station_name, "number": t.number, "category": category, **extra}


def on_issued(
    s: Session,
    settings: Settings,
    t: Ticket,
    view: TicketView,
    now: datetime,
    lease_s: float | None = None,
) -> PrintJob:
    """Receipt print job, and the 取号成功 SMS when the visitor left a phone number.

    With ``lease_s`` the job is leased to the caller at once (the button path prints it
    without waiting for a poll); if the caller dies, the lease runs out and it is retried.
    """
    # the fields as they are (datetimes stay datetimes): the stored JSON is what it always was
    payload: dict[str, Any] = {
        "station_name": settings.station_name,
        "ticket": msgspec.structs.asdict(view),
    }
    if settings.rating_qr:  # 评价二维码: the one-time link of this service (R-E2)
        payload["rating_url"] = rating_url(settings, "ticket", t.id)
    job = add_print_job(s, "receipt", payload, now, ticket_id=t.id)
    if lease_s is not None:
        lease(s, job, PRINT_JOBS, now, lease_s)
    if t.phone:
        values = _values(settings, t, view.category_name, ahead=t.people_ahead, wait=t.est_wait_min)
        kind = "ticket_issued_unstaffed" if view.unstaffed else "ticket_issued"
        queue_sms(s, kind, t.phone, values, now, ticket_id=t.id)
        if t.people_ahead <= settings.sms_notify_ahead:
            t.near_notified = True  # already told how many are ahead
            s.add(t)
    return job


def on_called(s: Session, settings: Settings, t: Ticket, win: ServiceWindow, now: datetime) -> None:
    """请到 N 号窗口 for the called visitor; 前面还有 N 人 for those now close to the head."""
    cat = s.get(Category, t.category_id)
    name = cat.name if cat else ""
    if t.phone:
        queue_sms(
            s, "ticket_called", t.phone, _values(settings, t, name, window=win.number), now, t.id
        )
    waiting = s.exec(
        select(Ticket)
        .where(Ticket.category_id == t.category_id, Ticket.status == TicketStatus.WAITING)
        .order_by(col(Ticket.queue_at), col(Ticket.id))
        .limit(settings.sms_notify_ahead + 1)
    ).all()
    for ahead, other in enumerate(waiting):
        if other.phone and not other.near_notified:
            values = _values(settings, other, name, ahead=ahead)
            queue_sms(s, "queue_near", other.phone, values, now, ticket_id=other.id)
            other.near_notified = True
            s.add(other)
