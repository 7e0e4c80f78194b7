"""Wire types of the complaints API (投诉, R-P2): every request and answer.

One definition for every end: the station's controller declares them, the service builds
the answers, the staff terminal sends and decodes them. Requests end in ``In``.

Pure: stdlib, msgspec, the kernel's text types and the complaint rules' enums only.
"""

from __future__ import annotations

from datetime import date, datetime

import msgspec

from appliance.complaints.rules import AnswerVia, Channel, Finding, State, Step
from appliance.core.text import Name, PhoneText, ShortText, Text


class ComplaintIn(msgspec.Struct, frozen=True, kw_only=True):
    """投诉登记: the channel, the complaint as told, who complains (may be anonymous) and
    whether it is kept confidential. No promise is recorded here: 核实 comes first."""

    content: Text
    channel: Channel = Channel.ONSITE
    confidential: bool = False
    complainant_name: Name = ""
    complainant_phone: PhoneText = ""
    complainant_contact: ShortText = ""  # e-mail or address
    about: ShortText = ""  # 被投诉对象: the staff member, window or matter complained of


class VerifyIn(msgspec.Struct, frozen=True, kw_only=True):
    """核实: what the check found, and whether the complaint holds."""

    text: Text
    finding: Finding


class StepTextIn(msgspec.Struct, frozen=True, kw_only=True):
    """当场处理, 跟踪 or 转办结果: what was done or heard."""

    text: Text


class TransferIn(msgspec.Struct, frozen=True, kw_only=True):
    """转办 to the department that can settle it; the complaint is then followed."""

    dept: ShortText
    handler: Name = ""
    text: Text = ""


class AnswerIn(msgspec.Struct, frozen=True, kw_only=True):
    """答复投诉人: the answer and how it reached them (an SMS is queued for ``sms``)."""

    text: Text
    via: AnswerVia


class CloseIn(msgspec.Struct, frozen=True, kw_only=True):
    """办结: closes an answered complaint; the answer may come in the same request (it is
    recorded first). Without an answer, a complaint cannot close."""

    text: Text = ""
    answer: Text = ""
    via: AnswerVia | None = None


class ComplaintStepView(msgspec.Struct, frozen=True, kw_only=True):
    step: Step
    label: str
    who: str
    at: datetime
    text: str


class ComplaintView(msgspec.Struct, frozen=True, kw_only=True):
    """One complaint as the 投诉受理 role and the station head see it (others see only
    complaints that are not confidential)."""

    id: str
    number: str  # TS-20261123-001
    business_date: str
    received_at: datetime
    channel: Channel
    channel_label: str
    confidential: bool
    complainant_name: str
    complainant_phone: str
    complainant_contact: str
    about: str
    content: str
    state: State
    state_label: str
    recorded_by: str
    finding: Finding | None = None
    finding_label: str = ""
    transferred_to: str = ""
    transfer_handler: str = ""
    answer: str = ""
    answer_via: AnswerVia | None = None
    answered_at: datetime | None = None
    answered_by: str = ""
    closed_at: datetime | None = None
    closed_by: str = ""
    sms_id: str | None = None
    next_steps: list[Step] = msgspec.field(default_factory=list)
    steps: list[ComplaintStepView] = msgspec.field(default_factory=list)


class ComplaintCount(msgspec.Struct, frozen=True, kw_only=True):
    """Complaints received on one day and recorded by one staff member; of them, how many
    are confidential and how many closed now (for the station figures, R-M1)."""

    day: date
    staff_id: str
    staff_name: str
    received: int
    confidential: int
    closed: int
