"""Rows, numbers, views, event payloads and the visitor's SMS of the appointment book.

Helpers that run inside a caller's write transaction; the services own the transactions.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, func, select

from appliance.appointments.rules import (
    CHANNEL_LABELS,
    HELD,
    STATUS_LABELS,
    Channel,
    NoticeBy,
    SlotTimes,
    Status,
    multi_days,
)
from appliance.appointments.schemas import AppointmentView
from appliance.appointments.tables import Appointment
from appliance.core.errors import NotFound
from appliance.core.masking import mask_phone
from appliance.events.log import append_event
from appliance.jobs.service.sms import queue_sms
from appliance.settings import Settings

MATERIALS_MAX = 120  # characters of the material list an SMS carries


def find(s: Session, ref: str) -> Appointment:
    """An appointment by its id or its number (YY-20261123-001)."""
    row = s.get(Appointment, ref)
    if row is None:
        row = s.exec(select(Appointment).where(Appointment.number == ref.strip().upper())).first()
    if row is None:
        raise NotFound(f"找不到预约“{ref}”，请检查预约号", "unknown_appointment")
    return row


def next_number(s: Session, today: date) -> tuple[int, str]:
    day = today.isoformat()
    top = s.exec(select(func.max(Appointment.seq)).where(Appointment.business_date == day)).one()
    seq = int(top or 0) + 1
    return seq, f"YY-{today:%Y%m%d}-{seq:03d}"


def taken(s: Session, category_id: str, day: date, at: str, exclude: str | None = None) -> int:
    """Bookings filling a slot (priority offers of the outage register do not count)."""
    stmt = select(func.count(col(Appointment.id))).where(
        Appointment.category_id == category_id,
        Appointment.slot_date == day.isoformat(),
        Appointment.slot_time == at,
        col(Appointment.status).in_([h.value for h in HELD]),
        col(Appointment.priority).is_(False),
    )
    if exclude:
        stmt = stmt.where(Appointment.id != exclude)
    return int(s.exec(stmt).one())


def taken_by_time(s: Session, category_id: str, day: date) -> dict[str, int]:
    rows = s.exec(
        select(Appointment.slot_time, func.count(col(Appointment.id)))
        .where(
            Appointment.category_id == category_id,
            Appointment.slot_date == day.isoformat(),
            col(Appointment.status).in_([h.value for h in HELD]),
            col(Appointment.priority).is_(False),
        )
        .group_by(col(Appointment.slot_time))
    ).all()
    return {t: int(n) for t, n in rows}


def refresh_multi(s: Session, phone: str, day: str, now: datetime) -> None:
    """一人多约: flag every booking of ``phone`` on ``day`` when it holds more than one; a
    flag once set stays (the figures of that day leave the person out)."""
    rows = s.exec(
        select(Appointment).where(
            Appointment.phone == phone,
            Appointment.slot_date == day,
            Appointment.status != Status.CANCELLED,
        )
    ).all()
    if not multi_days((r.phone, r.slot_date) for r in rows):
        return
    for r in rows:
        if not r.multi_booking:
            r.multi_booking, r.updated_at = True, now
            s.add(r)
            s.flush()
            append_event(
                s,
                "appointment.flagged",
                "appointment",
                r.id,
                {**payload(r), "why": "multi_booking"},
                now,
            )


def slot_label(row: Appointment, tz: ZoneInfo) -> str:
    start = row.slot_start.astimezone(tz)
    end = row.slot_end.astimezone(tz)
    return f"{start:%H:%M}–{end:%H:%M}"


def sms_slot(row: Appointment, tz: ZoneInfo) -> str:
    start = row.slot_start.astimezone(tz)
    return f"{start:%m月%d日} {slot_label(row, tz)}"


def view(row: Appointment, tz: ZoneInfo) -> AppointmentView:
    return AppointmentView(
        id=row.id,
        number=row.number,
        channel=Channel(row.channel),
        channel_label=CHANNEL_LABELS[Channel(row.channel)],
        status=Status(row.status),
        status_label=STATUS_LABELS[Status(row.status)],
        category=row.category_prefix,
        category_name=row.category_name,
        item_code=row.item_code,
        item_name=row.item_name,
        day=date.fromisoformat(row.slot_date),
        time=row.slot_time,
        slot_label=slot_label(row, tz),
        visitor_name=row.visitor_name,
        phone=row.phone,
        priority=row.priority,
        multi_booking=row.multi_booking,
        notice_by=NoticeBy(row.notice_by),
        created_by=row.created_by,
        created_at=row.created_at,
        ticket_number=row.ticket_number,
        checked_in_at=row.checked_in_at,
        reason=row.reason,
        moved=row.moved,
        reminded=row.reminded_at is not None,
        outage_id=row.outage_id,
    )


def payload(row: Appointment) -> dict[str, Any]:
    """Event payload: what the county counts; the phone masked, no name (R-I3)."""
    return {
        "number": row.number,
        "channel": row.channel,
        "status": row.status,
        "category": row.category_prefix,
        "item_code": row.item_code,
        "slot_date": row.slot_date,
        "slot_time": row.slot_time,
        "priority": row.priority,
        "multi_booking": row.multi_booking,
        "phone": mask_phone(row.phone),
        "ticket_number": row.ticket_number,
        "checked_in_at": row.checked_in_at.isoformat() if row.checked_in_at else None,
        "outage_id": row.outage_id,
    }


def materials_text(item_name: str, materials: list[str]) -> str:
    if not item_name or not materials:
        return ""
    text = f"办理“{item_name}”请带齐：" + "、".join(materials) + "。"
    return text if len(text) <= MATERIALS_MAX else text[: MATERIALS_MAX - 1] + "…"


def tell(
    s: Session,
    settings: Settings,
    kind: str,
    row: Appointment,
    now: datetime,
    reason: str = "",
    materials: str = "",
) -> str | None:
    """Queue one SMS to the visitor (in the caller's transaction); returns its id."""
    tz = ZoneInfo(settings.timezone)
    values = {
        "station": settings.station_name,
        "slot": sms_slot(row, tz),
        "category": row.item_name or row.category_name,
        "ref": row.number,
        "reason": reason,
        "materials": materials,
    }
    msg = queue_sms(s, kind, row.phone, values, now)
    return msg.id if msg else None


def new_row(
    s: Session,
    *,
    today: date,
    now: datetime,
    channel: Channel,
    category: Any,
    item: tuple[str, str],
    day: date,
    slot: SlotTimes,
    tz: ZoneInfo,
    visitor_name: str,
    phone: str,
    created_by: str,
    priority: bool = False,
    notice_by: NoticeBy = NoticeBy.NONE,
    external_id: str | None = None,
    outage_id: str | None = None,
) -> Appointment:
    seq, number = next_number(s, today)
    row = Appointment(
        number=number,
        business_date=today.isoformat(),
        seq=seq,
        channel=channel.value,
        status=Status.BOOKED.value,
        category_id=category.id,
        category_prefix=category.prefix,
        category_name=category.name,
        item_code=item[0],
        item_name=item[1],
        slot_date=day.isoformat(),
        slot_time=f"{slot.start:%H:%M}",
        slot_start=datetime.combine(day, slot.start, tz),
        slot_end=datetime.combine(day, slot.end, tz),
        visitor_name=visitor_name.strip(),
        phone=phone,
        priority=priority,
        notice_by=notice_by.value,
        external_id=external_id,
        outage_id=outage_id,
        created_by=created_by,
        created_at=now,
        updated_at=now,
    )
    s.add(row)
    s.flush()
    append_event(s, "appointment.booked", "appointment", row.id, payload(row), now)
    refresh_multi(s, phone, row.slot_date, now)
    return row
