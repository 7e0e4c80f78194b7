"""Read models returned by services (serialised by the HTTP layer as JSON)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from appliance.core.masking import mask_phone
from appliance.queue.rules.tickets import PRIORITY_LABELS, STATUS_LABELS, Priority, TicketStatus
from appliance.queue.tables import Category, Ticket


@dataclass
class TicketView:
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


def ticket_view(
    t: Ticket, cat: Category, serving_windows: list[int], window_number: int | None = None
) -> TicketView:
    return TicketView(
        id=t.id,
        number=t.number,
        category_id=t.category_id,
        category_name=cat.name,
        status=t.status,
        status_label=STATUS_LABELS[TicketStatus(t.status)],
        priority=t.priority,
        priority_label=PRIORITY_LABELS[Priority(t.priority)],
        source=t.source,
        business_date=t.business_date,
        issued_at=t.issued_at,
        people_ahead=t.people_ahead,
        est_wait_min=t.est_wait_min,
        serving_windows=serving_windows,
        window_number=window_number,
        called_at=t.called_at,
        closing_warning=t.closing_warning,
        phone_masked=mask_phone(t.phone) if t.phone else None,
        recall_count=t.recall_count,
        no_show_count=t.no_show_count,
    )


@dataclass
class WaitingEntry:
    id: str
    number: str
    priority: str
    priority_label: str
    issued_at: datetime
    target_window_number: int | None = None


@dataclass
class CategoryQueue:
    id: str
    prefix: str
    name: str
    waiting: list[WaitingEntry] = field(default_factory=list)


@dataclass
class WindowState:
    id: str
    number: int
    name: str
    categories: list[str]
    paused: bool
    pause_reason: str | None
    paused_at: datetime | None
    current: TicketView | None


@dataclass
class QueueSnapshot:
    """What a staff terminal shows: waiting lists and every window (R-Q3)."""

    business_date: str
    categories: list[CategoryQueue]
    windows: list[WindowState]
    no_shows: list[WaitingEntry]
    event_seq: int


@dataclass
class DisplayWindow:
    number: int
    name: str
    paused: bool
    pause_reason: str | None
    current_number: str | None


@dataclass
class DisplayCall:
    number: str
    window_number: int
    at: datetime


@dataclass
class DisplayCategory:
    prefix: str
    name: str
    waiting: int


@dataclass
class DisplaySnapshot:
    """The hall display (叫号屏). No personal data, by construction."""

    station_name: str
    windows: list[DisplayWindow]
    recent_calls: list[DisplayCall]
    categories: list[DisplayCategory]
    event_seq: int
    notices: list[str] = field(default_factory=list)
