"""Wire types of the job queues (打印任务、短信): every request body and every answer.

Staff see, cancel, retry and reprint jobs; the hardware service leases them
(``PrintJobClaim``, ``SmsClaim``) and reports back. Requests end in ``In``.

Pure: stdlib and msgspec only.
"""

from __future__ import annotations

from datetime import datetime

import msgspec

# ---- requests -------------------------------------------------------------------------------


def _receipts() -> list[str]:
    return ["receipt"]


class ClaimIn(msgspec.Struct, frozen=True, kw_only=True):
    """The hardware service leases work: print jobs (``kinds``) or SMS."""

    limit: int = 5
    lease_seconds: float = 60.0
    kinds: list[str] = msgspec.field(default_factory=_receipts)


class FailedIn(msgspec.Struct, frozen=True, kw_only=True):
    error: str
    permanent: bool = False


class SentIn(msgspec.Struct, frozen=True, kw_only=True):
    references: list[int] = msgspec.field(default_factory=list)


class InboundSmsIn(msgspec.Struct, frozen=True, kw_only=True):
    phone: str
    body: str
    received_at: str = ""


class TemplateIn(msgspec.Struct, frozen=True, kw_only=True):
    body: str


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
