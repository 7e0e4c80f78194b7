"""Wire types of the archives API (归档, R-A1–R-A3): every request and answer.

One definition for every end: the controller declares them, the service builds the answers,
the staff terminal sends and decodes them. Requests end in ``In``.

Pure: stdlib, msgspec and the kernel's text types only.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

import msgspec

from appliance.core.text import Code, Name, ShortText, Text

CaseNumbers = Annotated[list[Code], msgspec.Meta(min_length=1, max_length=500)]


class DuePackage(msgspec.Struct, frozen=True, kw_only=True):
    """A finished case whose package is not built yet (or is out of date)."""

    case_number: str
    item_name: str
    state_label: str
    completed_on: date
    due_on: date
    urgency: str  # due | soon | overdue
    urgency_label: str  # 待归档 | 临期 | 已逾期
    days_left: int  # negative when overdue
    rebuild: bool  # built before, but the case changed since (送达后退回 …)


class PackageView(msgspec.Struct, frozen=True, kw_only=True):
    """A built package (归档信息包)."""

    archive_no: str
    case_number: str
    item_name: str
    retention: str
    completed_on: date
    due_on: date
    built_at: datetime
    built_on_time: bool
    revision: int
    file_count: int
    size: int
    sha256: str
    uploaded: bool  # the county confirmed this digest
    transfer: str  # the number of the transfer list it is on, "" if none


class BuildReport(msgspec.Struct, frozen=True, kw_only=True):
    """One build pass: the packages made, and the cases that could not be packed (why)."""

    built: list[PackageView]
    failed: list[str]


class BuildIn(msgspec.Struct, frozen=True, kw_only=True):
    """Build now: the given cases, or (empty) every due package."""

    case_numbers: Annotated[list[Code], msgspec.Meta(max_length=500)] = []


class VerifyView(msgspec.Struct, frozen=True, kw_only=True):
    """A package rechecked: ``ok``, or what is missing, changed or extra."""

    archive_no: str
    ok: bool
    lines: list[str]


class TransferIn(msgspec.Struct, frozen=True, kw_only=True):
    """A new transfer list (移交清单) for the chosen cases (each must have its package)."""

    receiver: ShortText
    case_numbers: CaseNumbers


class ResubmitIn(msgspec.Struct, frozen=True, kw_only=True):
    """Resubmit a returned batch after correcting it: what was done, and the list again."""

    note: Text
    case_numbers: CaseNumbers


class ReturnIn(msgspec.Struct, frozen=True, kw_only=True):
    """The receiver sent the batch back as non-compliant (退回): why."""

    receiver_name: Name
    reason: Text


class AcceptIn(msgspec.Struct, frozen=True, kw_only=True):
    """The receiver signed and took the batch (接收)."""

    receiver_name: Name


class TransferRoundView(msgspec.Struct, frozen=True, kw_only=True):
    round: int
    case_numbers: list[str]
    note: str
    submitted_at: datetime
    submitted_by: str
    pdf_sha256: str
    outcome: str  # "" | returned | accepted
    outcome_label: str  # 待接收 | 退回 | 已接收
    outcome_at: datetime | None
    outcome_by: str
    outcome_reason: str


class TransferView(msgspec.Struct, frozen=True, kw_only=True):
    """A transfer list with every round (R-A2)."""

    number: str
    receiver: str
    status: str  # submitted | returned | accepted
    status_label: str
    round: int
    created_at: datetime
    rounds: list[TransferRoundView]
