"""The leased-job lifecycle (租约任务) shared by print jobs (打印任务) and SMS (短信).

A job is written in the transaction that causes it (``pending``), leased to the hardware
service for a while (``leased``), and reported back as done or failed. A lease that runs out
(the service died mid-job) makes the job claimable again, so nothing is lost or done twice
by two live workers. A temporary failure returns the job to ``pending``; a permanent one
parks it as ``failed`` for staff, who may retry or cancel it.

Each queue names the five states in its own words on the wire (a print job is ``printing``,
an SMS ``sending``), so each has its own status enum; :class:`Lifecycle` maps both onto the
same five roles, and the rules below are written once against it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Generic, TypeVar

from appliance.core.errors import Invalid

MAX_CLAIM = 50


class PrintStatus(StrEnum):
    """打印任务状态."""

    PENDING = "pending"
    PRINTING = "printing"
    DONE = "done"
    ERROR = "error"
    CANCELLED = "cancelled"


class SmsStatus(StrEnum):
    """短信状态."""

    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    CANCELLED = "cancelled"


S = TypeVar("S", bound=StrEnum)


@dataclass(frozen=True)
class Lifecycle(Generic[S]):
    """The five roles of a leased job's status, as one queue names them."""

    pending: S
    leased: S
    done: S
    failed: S
    cancelled: S

    def can_report(self, status: str) -> bool:
        """A result (done or failed) may be reported for a job that is leased or pending."""
        return status in (self.leased, self.pending)

    def can_cancel(self, status: str) -> bool:
        return status not in (self.done, self.cancelled)


PRINT_JOBS = Lifecycle(
    PrintStatus.PENDING,
    PrintStatus.PRINTING,
    PrintStatus.DONE,
    PrintStatus.ERROR,
    PrintStatus.CANCELLED,
)
SMS = Lifecycle(
    SmsStatus.PENDING, SmsStatus.SENDING, SmsStatus.SENT, SmsStatus.FAILED, SmsStatus.CANCELLED
)


def lease_until(now: datetime, lease_seconds: float) -> datetime:
    """When a lease taken ``now`` runs out."""
    return now + timedelta(seconds=lease_seconds)


def check_claim(limit: int, what: str) -> None:
    """How many jobs one claim may take (``what``: 打印任务 or 短信)."""
    if not 1 <= limit <= MAX_CLAIM:
        raise Invalid(f"每次领取的{what}数量须在 1–{MAX_CLAIM} 之间", "bad_limit")
