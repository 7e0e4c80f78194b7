"""Online bookings from the county platform (县级平台网上预约, R-Q7), via the down-sync.

The county publishes one ``booking`` reference row per booking at this station (id = the
county's booking id), data ``{"category": "A", "date": "2026-11-24", "time": "09:00",
"phone": "13800000000", "name": "张三", "item_code": "…"}``. The down-sync stores the rows
(``sync/station/downsync.py``) and then calls :func:`apply_booking_reference`, which in ONE
transaction brings them into the appointment book:

* a new row becomes an appointment of channel ``county`` (``external_id`` = the row id);
  the county took the booking, so a full slot does not refuse it;
* a row gone (a tombstone) cancels its appointment if it is still only booked;
* a row that cannot be booked here (unknown category, no such slot, a past or closed day, a
  bad phone) is skipped and named in the message; the rest still apply.
"""

from __future__ import annotations

import json
from datetime import date
from zoneinfo import ZoneInfo

from sqlmodel import col, select

from appliance.appointments.rules import (
    Channel,
    Status,
    check_phone,
    day_slots,
    find_slot,
)
from appliance.appointments.service import store
from appliance.appointments.tables import Appointment
from appliance.calendar.service import CalendarService, ReferenceApplied
from appliance.core.clock import Clock
from appliance.core.errors import DomainError, Invalid
from appliance.db.database import Database
from appliance.events.log import append_event
from appliance.queue.rules.wait_estimate import parse_hhmm
from appliance.queue.service import repo
from appliance.settings import Settings
from appliance.uplink.tables import ReferenceRow

TABLE = "booking"
COUNTY = "县级平台"


def apply_booking_reference(db: Database, settings: Settings, clock: Clock) -> ReferenceApplied:
    """Bring the county's ``booking`` rows into the appointment book (one write)."""
    now = clock.now()
    tz = ZoneInfo(settings.timezone)
    today = now.astimezone(tz).date()
    cal = CalendarService(db, clock).calendar()
    slots = day_slots(
        parse_hhmm(settings.open_time),
        parse_hhmm(settings.close_time),
        settings.appointment_slot_minutes,
    )
    added, cancelled, skipped = 0, 0, []
    with db.write() as s:
        rows = s.exec(select(ReferenceRow).where(ReferenceRow.table_name == TABLE)).all()
        mine = {
            a.external_id: a
            for a in s.exec(select(Appointment).where(col(Appointment.external_id).is_not(None)))
        }
        for ref in sorted(rows, key=lambda r: r.rev):
            known = mine.get(ref.id)
            if ref.deleted:
                if known is not None and known.status == Status.BOOKED:
                    known.status, known.reason, known.updated_at = (
                        Status.CANCELLED.value, "县级平台已取消", now,
                    )  # fmt: skip
                    s.add(known)
                    s.flush()
                    event = {**store.payload(known), "reason": known.reason, "by": COUNTY}
                    append_event(s, "appointment.cancelled", "appointment", known.id, event, now)
                    cancelled += 1
                continue
            if known is not None:
                continue
            try:
                data = json.loads(ref.data)
                if not isinstance(data, dict):
                    raise Invalid("不是对象", "not_an_object")
                day = date.fromisoformat(str(data.get("date") or ""))
                if day < today or not cal.is_workday(day):
                    raise Invalid("日期已过或不是工作日", "bad_day")
                slot = find_slot(slots, str(data.get("time") or ""))
                phone = check_phone(str(data.get("phone") or ""))
                cat = repo.get_category(s, str(data.get("category") or ""))
            except (DomainError, ValueError) as exc:
                skipped.append(f"{ref.id}（{getattr(exc, 'message', '日期格式不正确')}）")
                continue
            store.new_row(
                s, today=today, now=now, channel=Channel.COUNTY, category=cat,
                item=(str(data.get("item_code") or ""), str(data.get("item_name") or "")),
                day=day, slot=slot, tz=tz, visitor_name=str(data.get("name") or "")[:50],
                phone=phone, created_by=COUNTY, external_id=ref.id,
            )  # fmt: skip
            added += 1
    parts = []
    if added or cancelled:
        parts.append(f"县级平台预约：新增 {added} 条，取消 {cancelled} 条")
    if skipped:
        parts.append("未能登记的预约：" + "、".join(skipped[:10]))
    return ReferenceApplied(TABLE, bool(added or cancelled), "；".join(parts))
