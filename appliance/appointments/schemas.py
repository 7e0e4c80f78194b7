"""Wire types of the appointment API (预约, R-Q7) and the outage register (R-Q8).

One definition for the station's controllers, the staff terminal and the booking page.
Requests end in ``In``; shapes and bounds only, meaning is the rules' and service's.

Pure: stdlib, msgspec, the kernel's text types and the appointment rules' enums only.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

import msgspec

from appliance.appointments.rules import Channel, NoticeBy, OutageKind, Status
from appliance.core.text import Code, Name, PhoneText, ShortText, Text

SlotTime = Annotated[str, msgspec.Meta(max_length=5, pattern="^[0-9]{2}:[0-9]{2}$")]
MAX_OUTAGE_VISITORS = 100
Instant = Annotated[datetime, msgspec.Meta(tz=True)]  # with its UTC offset


class BookIn(msgspec.Struct, frozen=True, kw_only=True):
    """预约 at the terminal (现场 or 电话): a category (or an item, whose category is used),
    a day, a slot's start, the visitor and how the 一次性告知单 goes to them."""

    day: date
    time: SlotTime
    phone: PhoneText
    category: Code = ""
    item_code: Code = ""
    visitor_name: Name = ""
    channel: Channel = Channel.ONSITE
    notice_by: NoticeBy = NoticeBy.NONE


class PublicBookIn(msgspec.Struct, frozen=True, kw_only=True):
    """网上预约 on the station's booking page (the material list comes by SMS)."""

    category: Code
    day: date
    time: SlotTime
    phone: PhoneText
    visitor_name: Name = ""
    item_code: Code = ""


class CancelIn(msgspec.Struct, frozen=True, kw_only=True):
    """取消: the reason goes to the visitor by SMS."""

    reason: ShortText


class MoveIn(msgspec.Struct, frozen=True, kw_only=True):
    """改约: another day or slot, with the reason the visitor is told."""

    day: date
    time: SlotTime
    reason: ShortText


class SlotView(msgspec.Struct, frozen=True, kw_only=True):
    time: str  # HH:MM, the slot's start
    label: str  # 09:00–09:30
    capacity: int
    taken: int
    free: int
    past: bool = False


class ItemChoice(msgspec.Struct, frozen=True, kw_only=True):
    """An item of the category, for the booking page (its 一次性告知单 is public)."""

    code: str
    name: str


class DayView(msgspec.Struct, frozen=True, kw_only=True):
    """The slots of one category on one day (预约时段), and the category's items."""

    category: str
    category_name: str
    day: date
    open: bool
    slots: list[SlotView]
    message: str = ""
    items: list[ItemChoice] = msgspec.field(default_factory=list)


class AppointmentView(msgspec.Struct, frozen=True, kw_only=True):
    """One appointment as staff see it."""

    id: str
    number: str  # YY-20261123-001
    channel: Channel
    channel_label: str
    status: Status
    status_label: str
    category: str
    category_name: str
    item_code: str
    item_name: str
    day: date
    time: str
    slot_label: str
    visitor_name: str
    phone: str
    priority: bool
    multi_booking: bool
    notice_by: NoticeBy
    created_by: str
    created_at: datetime
    ticket_number: str = ""
    checked_in_at: datetime | None = None
    reason: str = ""
    moved: int = 0
    reminded: bool = False
    outage_id: str | None = None


class PublicBookingView(msgspec.Struct, frozen=True, kw_only=True):
    """What the booking page shows after booking (the phone masked)."""

    number: str
    category_name: str
    item_name: str
    day: date
    slot_label: str
    phone_masked: str
    message: str


class CheckInView(msgspec.Struct, frozen=True, kw_only=True):
    """签到: the appointment and the ticket it became (R-Q4)."""

    appointment: AppointmentView
    ticket_id: str
    ticket_number: str


class DayStats(msgspec.Struct, frozen=True, kw_only=True):
    """准时率 of one day; appointments flagged 一人多约 are left out."""

    day: date
    booked: int
    checked_in: int
    forfeited: int
    cancelled: int
    flagged: int
    counted: int
    on_time: int
    on_time_rate: float | None = None


class OutageVisitorIn(msgspec.Struct, frozen=True, kw_only=True):
    visitor_name: Name
    phone: PhoneText
    category: Code
    item_code: Code = ""


class OutageIn(msgspec.Struct, frozen=True, kw_only=True):
    """停电断网登记: the outage and the visitors it left unserved (each gets an offer)."""

    kind: OutageKind
    started_at: Instant
    visitors: Annotated[
        list[OutageVisitorIn], msgspec.Meta(min_length=1, max_length=MAX_OUTAGE_VISITORS)
    ]
    ended_at: Instant | None = None
    note: Text = ""


class OutageView(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    number: str
    kind: OutageKind
    kind_label: str
    started_at: datetime
    ended_at: datetime | None
    note: str
    offer_day: date
    recorded_by: str
    recorded_at: datetime
    offers: list[AppointmentView] = msgspec.field(default_factory=list)
