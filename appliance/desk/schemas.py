"""Wire types of the "办不成事" desk API (R-P1): every request and answer.

One definition for every end: the station's controller declares them, the service builds
the answers, the staff terminal sends and decodes them. Requests end in ``In``. Shape and
bounds are checked here; what a value means (a transfer names its handler, a simple matter
records what was done …) is the rules' business.

Pure: stdlib, msgspec, the kernel's text types and the desk rules' enums only.
"""

from __future__ import annotations

from datetime import date, datetime

import msgspec

from appliance.core.text import Name, PhoneText, ShortText, Text
from appliance.desk.rules import DeskKind, DeskStatus, DeskStep, NotifyBy, ProblemType


class DeskEntryIn(msgspec.Struct, frozen=True, kw_only=True):
    """登记 one problem brought to the desk, with its kind and what that kind needs:
    ``resolution`` (simple), nothing more (complex: 5 working days), ``referral`` (outside
    the remit: where to go), ``handler_dept`` + ``handler_name`` + ``notify_by`` (transfer)."""

    problem: Text
    kind: DeskKind
    problem_type: ProblemType = ProblemType.OTHER
    item_name: ShortText = ""  # the matter (事项) it is about, if any
    case_number: ShortText = ""
    visitor_name: Name = ""
    visitor_phone: PhoneText = ""
    resolution: Text = ""
    referral: ShortText = ""
    handler_dept: ShortText = ""
    handler_name: Name = ""
    handler_phone: PhoneText = ""
    notify_by: NotifyBy | None = None


class DeskCloseIn(msgspec.Struct, frozen=True, kw_only=True):
    """办结或反馈: the result; an entry cannot close without one."""

    result: Text


class DeskNoteIn(msgspec.Struct, frozen=True, kw_only=True):
    """跟踪: a line of follow-up on an open entry (called the handler, visitor asked …)."""

    text: Text


class DeskNotifyIn(msgspec.Struct, frozen=True, kw_only=True):
    """Tell the visitor the handler again: another SMS, or a printed slip."""

    by: NotifyBy


class DeskStepView(msgspec.Struct, frozen=True, kw_only=True):
    """One line of an entry's record: what, who, when, the text."""

    step: DeskStep
    label: str
    who: str
    at: datetime
    text: str


class DeskEntryView(msgspec.Struct, frozen=True, kw_only=True):
    """One entry of the 办不成事 register as staff see it."""

    id: str
    number: str  # BC-20261123-001
    business_date: str
    reported_at: datetime
    kind: DeskKind
    kind_label: str
    problem_type: ProblemType
    problem_type_label: str
    problem: str
    item_name: str
    case_number: str
    visitor_name: str
    visitor_phone: str
    status: DeskStatus
    status_label: str  # 办理中 / 转办跟踪中 / 逾期未办结 / 当场办结 / 已告知去向 / 已办结 …
    overdue: bool
    recorded_by: str
    due_on: date | None = None
    due_provisional: bool = False
    resolution: str = ""
    referral: str = ""
    handler_dept: str = ""
    handler_name: str = ""
    handler_phone: str = ""
    notify_by: NotifyBy | None = None
    notified_at: datetime | None = None
    sms_id: str | None = None
    print_job_id: str | None = None
    result: str = ""
    closed_at: datetime | None = None
    closed_by: str = ""
    steps: list[DeskStepView] = msgspec.field(default_factory=list)


class DeskCount(msgspec.Struct, frozen=True, kw_only=True):
    """Entries registered on one day by one staff member, by kind; of them, how many are
    closed and how many overdue now (for the station figures, R-M1)."""

    day: date
    staff_id: str
    staff_name: str
    registered: int
    simple: int
    complex: int
    outside: int
    transfer: int
    closed: int
    overdue: int
