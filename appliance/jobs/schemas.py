"""Wire types of the job queues (打印任务、短信): every request body and every answer.

Staff see, cancel, retry and reprint jobs; the hardware service leases them
(``PrintJobClaim``, ``SmsClaim``) and reports back. Requests end in ``In``.

Every number has a range and every text a bound (``appliance.core.text``): a lease of
zero or fewer seconds, or one past an hour, is refused with a 400 before it reaches a queue.

Pure: stdlib, msgspec and the kernel's text types only.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec

from appliance.core.text import Code, LeaseSeconds, LongText, PhoneText, ShortText, Text
from appliance.jobs.rules.lease import MAX_CLAIM

MAX_KINDS = 10
SmsReference = Annotated[int, msgspec.Meta(ge=0, le=255)]  # TP-MR of a sent part

# ---- requests -------------------------------------------------------------------------------


def _receipts() -> list[str]:
    return ["receipt"]


class ClaimIn(msgspec.Struct, frozen=True, kw_only=True):
    """The hardware service leases work: print jobs (``kinds``) or SMS."""

    limit: Annotated[int, msgspec.Meta(ge=1, le=MAX_CLAIM)] = 5
    lease_seconds: LeaseSeconds = 60.0
    kinds: Annotated[list[Code], msgspec.Meta(max_length=MAX_KINDS)] = msgspec.field(
        default_factory=_receipts
    )


class FailedIn(msgspec.Struct, frozen=True, kw_only=True):
    error: Text
    permanent: bool = False


class SentIn(msgspec.Struct, frozen=True, kw_only=True):
    references: Annotated[list[SmsReference], msgspec.Meta(max_length=16)] = msgspec.field(
        default_factory=list
    )


class InboundSmsIn(msgspec.Struct, frozen=True, kw_only=True):
    phone: PhoneText
    body: LongText
    received_at: ShortText = ""


class TemplateIn(msgspec.Struct, frozen=True, kw_only=True):
    body: Text


# ---- answers --------------------------------------------------------------------------------


class PrintJobView(msgspec.Struct, frozen=True, kw_only=True):
    """A print job as staff see it (the title is the ticket number or the notice title)."""

    id: str
    kind: str
    ticket_id: str | None
    title: str
    status: str
    attempts: int
    copies: int
    last_error: str | None
    created_at: datetime
    done_at: datetime | None


class PrintJobClaim(msgspec.Struct, frozen=True, kw_only=True):
    """A print job leased to the hardware service; ``payload`` is the job's JSON text."""

    id: str
    kind: str
    payload: str
    copies: int
    attempts: int


class SmsView(msgspec.Struct, frozen=True, kw_only=True):
    """A queued SMS as staff see it (phone masked)."""

    id: str
    kind: str
    phone_masked: str
    body: str
    status: str
    attempts: int
    last_error: str | None
    created_at: datetime
    sent_at: datetime | None


class SmsClaim(msgspec.Struct, frozen=True, kw_only=True):
    """What the hardware service needs to send one SMS (full phone number)."""

    id: str
    phone: str
    body: str
    attempts: int


class InboundStored(msgspec.Struct, frozen=True, kw_only=True):
    """An inbound SMS the station now keeps: its id."""

    id: str


class TemplateView(msgspec.Struct, frozen=True, kw_only=True):
    kind: str
    label: str
    body: str
