"""Wire types of 帮办代办 (R-D1, R-D2): every request and answer.

One definition for every end: the station's controller declares them, the service builds
the answers, the staff terminal sends and decodes them. Requests end in ``In``. Shape and
bounds are checked here; what a value means (one of the seven grounds for 中止, a period
that ends after it starts) is the rules' business — so ``SuspendIn.reason`` is a plain
text that the rules refuse in Chinese, listing the seven grounds.

Pure: stdlib, msgspec, the kernel's text types and the delegation rules' enums only.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

import msgspec

from appliance.core.text import Code, IdNumber, LongText, Mobile, Name, ShortText, Text
from appliance.delegation.rules import Kind, Status

Fen = Annotated[int, msgspec.Meta(ge=0, le=100_000_000)]


class HelpIn(msgspec.Struct, frozen=True, kw_only=True):
    """帮办: logged and assigned at once (to ``agent_code``, or to whoever logs it)."""

    applicant_name: Name
    applicant_phone: Mobile = ""
    item_name: ShortText
    content: Text  # what help is needed (填表, 梳理材料, 协调 …)
    agent_code: Code = ""  # 工号 of the staff member who helps; empty: me


class DelegationIn(msgspec.Struct, frozen=True, kw_only=True):
    """代办: the 代办服务委托书 — agent, content, period, responsibilities (R-D1)."""

    applicant_name: Name
    applicant_id_number: IdNumber = ""
    applicant_phone: Mobile = ""
    applicant_address: ShortText = ""
    item_name: ShortText
    content: Text  # 委托内容
    period_start: date | None = None  # default today
    period_end: date
    responsibilities: LongText = ""  # empty: the standard wording
    agent_code: Code = ""  # 代办员's 工号; empty: me


class ProgressIn(msgspec.Struct, frozen=True, kw_only=True):
    """进展反馈: what happened, told to the applicant (``sms``: also by SMS)."""

    text: Text
    sms: bool = False


class SuspendIn(msgspec.Struct, frozen=True, kw_only=True):
    """中止: one of the seven grounds (``GET /api/delegations/reasons``) and what happened."""

    reason: ShortText
    note: Text = ""


class ResumeIn(msgspec.Struct, frozen=True, kw_only=True):
    """续办委托书: the ground has gone; the new end of the period."""

    note: Text
    period_end: date


class CompleteIn(msgspec.Struct, frozen=True, kw_only=True):
    """办结: the result (证照、批准文件 handed over …); a 帮办 closes the same way."""

    result: Text


class VisitIn(msgspec.Struct, frozen=True, kw_only=True):
    """上门服务: when, where and why; ``staff_code`` empty: the agent goes."""

    scheduled_for: datetime
    address: ShortText
    purpose: ShortText
    staff_code: Code = ""


class VisitDoneIn(msgspec.Struct, frozen=True, kw_only=True):
    outcome: Text


class FeeIn(msgspec.Struct, frozen=True, kw_only=True):
    """A fee the applicant paid themselves (the agent never collects one)."""

    item: ShortText  # 收费项目
    amount_fen: Fen
    paid_to: ShortText  # 收费单位 / 缴费渠道


class ReasonView(msgspec.Struct, frozen=True, kw_only=True):
    code: str
    label: str


class EntryView(msgspec.Struct, frozen=True, kw_only=True):
    at: datetime
    kind: str
    kind_label: str
    text: str
    staff_name: str
    sms_queued: bool = False


class VisitView(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    scheduled_for: datetime
    address: str
    purpose: str
    staff_name: str
    status: str  # scheduled | done
    outcome: str = ""
    done_at: datetime | None = None


class DocumentView(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    kind: str
    title: str  # 代办服务委托书 …
    number: str
    created_at: datetime
    sha256: str
    url: str  # GET it for the PDF


class DelegationView(msgspec.Struct, frozen=True, kw_only=True):
    """One 帮办 or 代办 as staff see it, with its ledger, visits and papers."""

    id: str
    number: str
    business_date: str
    kind: Kind
    kind_label: str
    status: Status
    status_label: str
    overdue: bool  # 代办 past its 委托期限
    applicant_name: str
    applicant_id_number: str
    applicant_phone: str
    applicant_address: str
    item_name: str
    content: str
    responsibilities: str
    agent_name: str
    recorded_by: str
    created_at: datetime
    period_start: date | None = None
    period_end: date | None = None
    suspend_reason: str | None = None
    suspend_reason_label: str = ""
    suspend_note: str = ""
    continuations: int = 0
    result: str = ""
    completed_at: datetime | None = None
    rating_open: bool = False
    next_visit_at: datetime | None = None  # the next 上门服务 still to do
    fees_paid_fen: int = 0  # paid by the applicant themselves
    entries: list[EntryView] = msgspec.field(default_factory=list)
    visits: list[VisitView] = msgspec.field(default_factory=list)
    documents: list[DocumentView] = msgspec.field(default_factory=list)
