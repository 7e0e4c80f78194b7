"""Wire types of the first-contact API (首问登记, R-C1): every request and answer.

One definition for every end: the station's controller declares them, the service builds
the answers, the staff terminal sends and decodes them. Requests end in ``In``. Which fields
an outcome needs (a category or a ticket to guide to, where to go instead, a reply plan) is
checked by the rules, in Chinese.

Pure: stdlib, msgspec, the kernel's text types and the rules' enums only.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

import msgspec

from appliance.consultations.rules import MAX_REPLY_WORKING_DAYS
from appliance.contacts.rules import ContactChannel, Outcome
from appliance.core.roles import Role
from appliance.core.text import Code, LongText, Name, ShortText

ReplyDays = Annotated[int, msgspec.Meta(ge=1, le=MAX_REPLY_WORKING_DAYS)]


class ContactCloseIn(msgspec.Struct, frozen=True, kw_only=True):
    """The outcome of a contact, and what it needs:

    * ``answered``: optionally the ``answer`` given and the ``knowledge_id`` it came from;
    * ``guided``: a ``category`` letter (a ticket is issued, ``priority`` as at the kiosk)
      or the ``ticket`` number the visitor already holds (today's);
    * ``referred``: ``referred_to``, where to go instead;
    * ``consultation``: the reply plan (``reply_due`` or ``reply_in_working_days``; letters
      default to 3 working days) and the visitor's contact; the entry goes to 咨询台账.

    ``second_staff``: the code (工号) of a second member of staff who answered too."""

    outcome: Outcome
    answer: LongText = ""
    knowledge_id: Code | None = None
    category: Code | None = None
    priority: Code = "normal"
    ticket: Code | None = None
    referred_to: ShortText = ""
    reply_due: date | None = None
    reply_in_working_days: ReplyDays | None = None
    visitor_contact: ShortText = ""
    second_staff: Code | None = None


class ContactIn(ContactCloseIn, frozen=True, kw_only=True):
    """首问登记: the matter and the channel; the outcome now, or ``pending`` (待处理) to close
    the contact later. ``item_code``: the catalogue item the matter is, so a case can be
    taken in without retyping."""

    matter: ShortText
    outcome: Outcome = Outcome.PENDING
    channel: ContactChannel = ContactChannel.ONSITE
    item_code: Code | None = None
    visitor_name: Name = ""


class CaseLinkIn(msgspec.Struct, frozen=True, kw_only=True):
    """转收件: the case (办件编号) the intake screen opened for this contact."""

    case_number: Code


class StaffRef(msgspec.Struct, frozen=True, kw_only=True):
    """A member of staff as the record names them (at the time of the contact)."""

    staff_id: str
    name: str
    role: Role
    role_label: str


class ContactView(msgspec.Struct, frozen=True, kw_only=True):
    """One contact of the 首问登记台账."""

    id: str
    business_date: str
    occurred_at: datetime
    channel: ContactChannel
    channel_label: str
    matter: str
    visitor_name: str
    visitor_contact: str
    first_responder: StaffRef
    responsible: StaffRef  # 首问责任人: the higher-ranked of those who answered
    outcome: Outcome
    outcome_label: str
    open: bool  # still 待处理
    second_responder: StaffRef | None = None
    item_code: str | None = None
    answer: str = ""
    guided_to: str = ""
    ticket_id: str | None = None
    ticket_number: str = ""
    referred_to: str = ""
    consultation_id: str | None = None
    consultation_number: str = ""
    case_number: str | None = None
    knowledge_id: str | None = None
    closed_at: datetime | None = None
