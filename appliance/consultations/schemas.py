"""Wire types of the consultation ledger API (咨询台账, R-C2): every request and answer.

One definition for every end: the station's controller declares them, the service builds
the answers, the staff terminal sends and decodes them. Requests end in ``In``. Shape and
bounds are checked here; what a value means (a reply date on a working day, within 3
working days for a letter, an answer filled in) is the rules' business.

Pure: stdlib, msgspec, the kernel's text types and the consultation rules' enums only.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

import msgspec

from appliance.consultations.rules import (
    MAX_REPLY_WORKING_DAYS,
    ConsultChannel,
    ConsultStatus,
)
from appliance.core.text import Code, LongText, Name, ShortText, Text

ReplyDays = Annotated[int, msgspec.Meta(ge=1, le=MAX_REPLY_WORKING_DAYS)]
Keywords = Annotated[list[ShortText], msgspec.Meta(max_length=10)]


class ReplyPlanIn(msgspec.Struct, frozen=True, kw_only=True):
    """How an entry not answered at once will be answered: the agreed reply date, or a
    number of working days (letters and e-mail default to 3 working days)."""

    reply_due: date | None = None
    reply_in_working_days: ReplyDays | None = None


class ConsultationIn(ReplyPlanIn, frozen=True, kw_only=True):
    """登记咨询: the question, the channel, the visitor's contact, and either the answer
    given at once (the entry is closed) or the reply plan."""

    question: Text
    channel: ConsultChannel = ConsultChannel.ONSITE
    visitor_name: Name = ""
    visitor_contact: ShortText = ""
    answer: LongText = ""
    knowledge_id: Code | None = None  # the answer came from this knowledge entry


class ReplyIn(msgspec.Struct, frozen=True, kw_only=True):
    """答复: recording the reply closes the entry (an empty one is refused)."""

    answer: LongText
    knowledge_id: Code | None = None


class PromoteIn(msgspec.Struct, frozen=True, kw_only=True):
    """加入知识库: the entry's question and answer, tidied by staff if they wish (empty =
    as recorded), with keywords for search."""

    question: ShortText = ""
    answer: LongText = ""
    keywords: Keywords = msgspec.field(default_factory=list)
    public: bool = True


class ConsultationView(msgspec.Struct, frozen=True, kw_only=True):
    """One entry of the 咨询台账 as staff see it."""

    id: str
    number: str  # ZX-20261123-001
    business_date: str
    asked_at: datetime
    channel: ConsultChannel
    channel_label: str
    question: str
    visitor_name: str
    visitor_contact: str
    status: ConsultStatus
    status_label: str  # 待答复 / 已答复 / 逾期未答复
    overdue: bool
    recorded_by: str
    reply_due: date | None = None
    reply_due_provisional: bool = False
    answer: str = ""
    answered_at: datetime | None = None
    answered_by: str = ""
    contact_id: str | None = None
    knowledge_id: str | None = None
    promoted_id: str | None = None
