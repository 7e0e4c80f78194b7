"""Answers built from the queue's rows (the types are the wire types in ``queue.schemas``)."""

from __future__ import annotations

from appliance.core.masking import mask_phone
from appliance.queue.rules.tickets import PRIORITY_LABELS, STATUS_LABELS, Priority, TicketStatus
from appliance.queue.schemas import TicketView, WaitingEntry
from appliance.queue.tables import Category, Ticket


def ticket_view(
    t: Ticket,
    cat: Category,
    serving_windows: list[int],
    window_number: int | None = None,
    unstaffed: bool = False,
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
        closing_warning=_with_unstaffed(t.closing_warning) if unstaffed else t.closing_warning,
        phone_masked=mask_phone(t.phone) if t.phone else None,
        recall_count=t.recall_count,
        no_show_count=t.no_show_count,
        unstaffed=unstaffed,
    )


UNSTAFFED = "目前无人值守：暂无工作人员在窗口办理此类业务，等候时间无法估计，请咨询引导台"


def _with_unstaffed(warning: str | None) -> str:
    """A waiting ticket whose category no staffed, open window serves says so (issue 16)."""
    return f"{UNSTAFFED}。{warning}" if warning else UNSTAFFED


def waiting_entry(t: Ticket, numbers: dict[str, int]) -> WaitingEntry:
    """A waiting or no-show ticket; ``numbers`` maps window ids to window numbers."""
    return WaitingEntry(
        id=t.id,
        number=t.number,
        priority=t.priority,
        priority_label=PRIORITY_LABELS[Priority(t.priority)],
        issued_at=t.issued_at,
        target_window_number=numbers.get(t.target_window_id or ""),
    )
