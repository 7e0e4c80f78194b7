"""收件 (intake, R-K1): a parsed request to open a case, and the checks it needs.

``parse_intake`` maps the API body onto the domain types (a Chinese 400 naming any bad
field); ``check_ticket`` allows a case only for today's ticket that is called or being
served (409 otherwise); ``next_seq`` is the day's next case number.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, func, select

from appliance.cases.rules.materials import ItemRules, MaterialStatus
from appliance.cases.rules.records import Applicant, Channel, OtherPlace, OtherPlaceKind
from appliance.cases.service.codec import parse_applicant, parse_marks, text_field
from appliance.cases.service.notices import catalogue_forms
from appliance.cases.service.views import item_rules
from appliance.cases.tables import CaseRecord
from appliance.catalogue.service.catalogue import ItemDetail
from appliance.core.errors import Conflict, Invalid, NotFound
from appliance.queue.rules.tickets import STATUS_LABELS, TicketStatus
from appliance.queue.tables import Ticket


@dataclass(frozen=True)
class Intake:
    """A parsed 收件 request (who opens it is added by the service)."""

    rules: ItemRules
    applicant: Applicant
    channel: Channel
    other: OtherPlace | None
    marks: Mapping[str, tuple[MaterialStatus, str]]
    ticket_id: str | None
    forms: Mapping[str, tuple[str, str, int]]  # the catalogue's 原件/复印件 and counts


def item_code_of(body: Mapping[str, Any]) -> str:
    code = text_field(body, "item_code").strip()
    if not code:
        raise Invalid("缺少必填项：事项编码（item_code）", "field_required")
    return code


def parse_intake(body: Mapping[str, Any], item: ItemDetail) -> Intake:
    try:
        channel = Channel(body.get("channel") or "counter")
    except ValueError:
        raise Invalid(
            "收件渠道应为 counter（现场）、online（网上）或 post（邮寄）", "bad_channel"
        ) from None
    other_raw = body.get("other_place")
    other = None
    if isinstance(other_raw, Mapping):
        try:
            other = OtherPlace(
                OtherPlaceKind(str(other_raw.get("kind"))), text_field(other_raw, "place")
            )
        except ValueError:
            raise Invalid(
                "异地办件类型应为 cross_region（通办）或 collect（代收）", "bad_other_place"
            ) from None
    return Intake(
        item_rules(item),
        parse_applicant(body.get("applicant")),
        channel,
        other,
        parse_marks(body.get("materials")),
        text_field(body, "ticket_id").strip() or None,
        catalogue_forms(item),
    )


def check_ticket(s: Session, ticket_id: str, day: str) -> None:
    """A case is opened from today's ticket while it is called or being served.

    One visitor often brings several items, so a ticket may open several cases.
    """
    ticket = s.get(Ticket, ticket_id)
    if ticket is None:
        raise NotFound(f"找不到号票“{ticket_id}”", "unknown_ticket")
    if ticket.business_date != day:
        raise Conflict(f"号票 {ticket.number} 不是今天的号票，不能用来收件", "ticket_not_today")
    if ticket.status not in (TicketStatus.CALLED, TicketStatus.SERVING):
        try:
            label = STATUS_LABELS[TicketStatus(ticket.status)]
        except ValueError:
            label = ticket.status
        raise Conflict(
            f"号票 {ticket.number} 当前为“{label}”，只能为已呼叫或办理中的号票收件",
            "ticket_not_called",
        )


def next_seq(s: Session, day: str) -> int:
    """The next daily sequence of the case number (``…-20261123-0007``)."""
    last = s.exec(select(func.max(CaseRecord.seq)).where(CaseRecord.business_date == day)).one()
    return int(last or 0) + 1
