"""Wire types of the queue API (取号叫号): every request body and every answer.

One definition for every end: the station's controllers declare them, the services build
the answers, the staff terminal and the hardware service send the requests and decode the
answers (``msgspec.json.decode(..., type=...)``). Requests end in ``In``.

The types check shape only; what a value means (a known category, a legal priority, a
phone number) is checked by the service, which answers with a Chinese message.

Pure: stdlib, msgspec and the wire types of the job queues (a button ticket carries its
leased receipt job).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec

from appliance.core.text import Code, PhoneText, ShortText
from appliance.jobs.schemas import PrintJobClaim

WindowNumber = Annotated[int, msgspec.Meta(ge=1, le=999)]
ButtonLease = Annotated[float, msgspec.Meta(ge=1, le=600)]  # seconds, as the service allows
MAX_CATEGORIES = 50

# ---- requests -------------------------------------------------------------------------------


class IssueIn(msgspec.Struct, frozen=True, kw_only=True):
    """Staff-terminal ticket (source staff or appointment check-in)."""

    category: Code
    priority: Code = "normal"
    phone: PhoneText | None = None
    source: Code = "staff"


class KioskIssueIn(msgspec.Struct, frozen=True, kw_only=True):
    """触摸取号 on the public kiosk page."""

    category: Code
    priority: Code = "normal"
    phone: PhoneText | None = None


class ButtonPressIn(msgspec.Struct, frozen=True, kw_only=True):
    """The call button: category defaults to the configured one; the receipt is leased."""

    category: Code | None = None
    priority: Code = "normal"
    lease_seconds: ButtonLease = 60.0


class PauseIn(msgspec.Struct, frozen=True, kw_only=True):
    reason: ShortText


class TransferIn(msgspec.Struct, frozen=True, kw_only=True):
    """转移 to another window (its number) or another category (its letter), one of the two."""

    to_window: Code | None = None
    to_category: Code | None = None


class CallTicketIn(msgspec.Struct, frozen=True, kw_only=True):
    ticket: Code


class CategoryIn(msgspec.Struct, frozen=True, kw_only=True):
    prefix: Code
    name: ShortText
    prior_minutes: Annotated[float, msgspec.Meta(ge=0.5, le=480)] | None = None


class WindowIn(msgspec.Struct, frozen=True, kw_only=True):
    number: WindowNumber
    name: ShortText = ""
    categories: Annotated[list[Code], msgspec.Meta(max_length=MAX_CATEGORIES)] = msgspec.field(
        default_factory=list
    )


class CategoryEdit(msgspec.Struct, frozen=True, kw_only=True):
    """修改业务类别: the name and the preset minutes (the letter never changes: today's
    numbers start with it)."""

    name: ShortText
    prior_minutes: Annotated[float, msgspec.Meta(ge=0.5, le=480)] | None = None


class WindowEdit(msgspec.Struct, frozen=True, kw_only=True):
    """修改窗口: its name and the categories it serves (the number is wired to the keypad
    and the display, so it stays)."""

    name: ShortText = ""
    categories: Annotated[list[Code], msgspec.Meta(max_length=MAX_CATEGORIES)] = msgspec.field(
        default_factory=list
    )


# ---- answers --------------------------------------------------------------------------------


class TicketView(msgspec.Struct, frozen=True, kw_only=True):
    """号票: a ticket as issuing, the calling actions and the progress page return it."""

    id: str
    number: str
    category_id: str
    category_name: str
    status: str
    status_label: str
    priority: str
    priority_label: str
    source: str
    business_date: str
    issued_at: datetime
    people_ahead: int
    est_wait_min: int
    serving_windows: list[int]
    window_number: int | None = None
    called_at: datetime | None = None
    closing_warning: str | None = None
    phone_masked: str | None = None
    recall_count: int = 0
    no_show_count: int = 0
    # no staffed, unpaused window serves the category now: the wait cannot be estimated
    unstaffed: bool = False


class ButtonTicket(msgspec.Struct, frozen=True, kw_only=True):
    """叫号按钮: the ticket, with its receipt job already leased to the caller."""

    ticket: TicketView
    print_job: PrintJobClaim


class WaitingEntry(msgspec.Struct, frozen=True, kw_only=True):
    """A ticket in a waiting list or the no-show list (过号)."""

    id: str
    number: str
    priority: str
    priority_label: str
    issued_at: datetime
    target_window_number: int | None = None


class CategoryQueue(msgspec.Struct, frozen=True, kw_only=True):
    """One business category (业务类别) and its waiting tickets, oldest first."""

    id: str
    prefix: str
    name: str
    waiting: list[WaitingEntry] = msgspec.field(default_factory=list)


class WindowState(msgspec.Struct, frozen=True, kw_only=True):
    """A service window (窗口): its categories, pause state and current ticket."""

    id: str
    number: int
    name: str
    categories: list[str]
    paused: bool
    pause_reason: str | None
    paused_at: datetime | None
    current: TicketView | None


class QueueSnapshot(msgspec.Struct, frozen=True, kw_only=True):
    """What a staff terminal shows: waiting lists and every window (R-Q3)."""

    business_date: str
    categories: list[CategoryQueue]
    windows: list[WindowState]
    no_shows: list[WaitingEntry]
    event_seq: int


class CategoryInfo(msgspec.Struct, frozen=True, kw_only=True):
    """A business category as configured, with the windows that serve it."""

    id: str
    prefix: str
    name: str
    prior_minutes: float | None
    windows: list[int]


class WindowInfo(msgspec.Struct, frozen=True, kw_only=True):
    """A window as configured (GET /api/windows, public)."""

    id: str
    number: int
    name: str
    categories: list[str]
    category_prefixes: list[str]
    paused: bool


class DisplayWindow(msgspec.Struct, frozen=True, kw_only=True):
    number: int
    name: str
    paused: bool
    pause_reason: str | None
    current_number: str | None
    staffed: bool = True  # False: nobody logged in at the window (无人值守)


class DisplayCall(msgspec.Struct, frozen=True, kw_only=True):
    number: str
    window_number: int
    at: datetime
    active: bool = False  # still called or being served at that window


class DisplayCategory(msgspec.Struct, frozen=True, kw_only=True):
    prefix: str
    name: str
    waiting: int


class DisplaySnapshot(msgspec.Struct, frozen=True, kw_only=True):
    """The hall display (叫号屏). No personal data, by construction."""

    station_name: str
    windows: list[DisplayWindow]
    recent_calls: list[DisplayCall]
    categories: list[DisplayCategory]
    event_seq: int
    notices: list[str] = msgspec.field(default_factory=list)
