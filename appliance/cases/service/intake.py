"""收件 (intake, R-K1): a parsed request to open a case, and the checks it needs.

``parse_intake`` maps the typed ``OpenCaseIn`` onto the domain types (the rules answer a
Chinese 400 naming any blank field, and checks ID numbers by their check digit);
``check_ticket`` allows a case only for today's ticket that is called or being served
(409 otherwise); ``reserve_seq`` hands out the day's next case number in a write
transaction of its own, so two windows opening cases at once never collide (R-K1).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlmodel import Session, func, select

from appliance.cases.rules.materials import ItemRules, MaterialStatus
from appliance.cases.rules.records import Applicant, Channel, OtherPlace
from appliance.cases.schemas import OpenCaseIn
from appliance.cases.service.codec import applicant_of, marks_of
from appliance.cases.service.notice_context import catalogue_forms
from appliance.cases.service.views import item_rules
from appliance.cases.tables import CaseNumberSeq, CaseRecord
from appliance.catalogue.schemas import ItemDetail
from appliance.core.errors import Conflict, Invalid, NotFound
from appliance.db.database import Database
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


def item_code_of(body: OpenCaseIn) -> str:
    code = body.item_code.strip()
    if not code:
        raise Invalid("缺少必填项：事项编码（item_code）", "field_required")
    return code


def parse_intake(body: OpenCaseIn, item: ItemDetail) -> Intake:
    other = body.other_place
    return Intake(
        item_rules(item),
        applicant_of(body.applicant),
        body.channel,
        None if other is None else OtherPlace(other.kind, other.place),
        marks_of(body.materials),
        (body.ticket_id or "").strip() or None,
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
    """The next daily sequence of the case number (``…-20261123-0007``) after every case
    stored and every number reserved."""
    last = s.exec(select(func.max(CaseRecord.seq)).where(CaseRecord.business_date == day)).one()
    reserved = s.get(CaseNumberSeq, day)
    return max(int(last or 0), reserved.last_seq if reserved else 0) + 1


def reserve_seq(db: Database, day: str) -> int:
    """Reserve the day's next case number: a short write transaction of its own, taken
    under the database's writer lock, so concurrent intakes each get their own number."""
    with db.write() as s:
        seq = next_seq(s, day)
        row = s.get(CaseNumberSeq, day) or CaseNumberSeq(business_date=day)
        row.last_seq = seq
        s.add(row)
    return seq
