"""Wire types of the case API (办件, R-K1–R-K8): every request body and every answer.

One definition for both ends: the station's controller declares them (Litestar checks a
request against its type and answers 400 in Chinese otherwise), the services build the
answers, and the staff terminal sends the requests and decodes the answers with
``msgspec.convert``. Requests end in ``In``.

The types check shape and bounds (a date is a date, a status one of the statuses, a text
no longer than the notices can lay out and free of control characters: the constrained
types of ``appliance.core.text``); what a value means — a deadline in range, an action
legal now, a name filled in, an ID number's check digit — is the business of the service
and the rules, which answer with a Chinese message.

Pure: stdlib, msgspec, the kernel's text types and the case rules' enums only.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

import msgspec

from appliance.cases.rules.deadlines import DueStatus
from appliance.cases.rules.materials import MaterialStatus, SpecialProcedure
from appliance.cases.rules.records import ApplicantKind, Channel, OtherPlaceKind
from appliance.cases.rules.states import Action, CaseState
from appliance.cases.rules.table import Notice
from appliance.core.identity import IdType
from appliance.core.text import (
    Code,
    IdNumber,
    LongText,
    Mobile,
    Name,
    ShortText,
    Text,
)

MAX_MARKS = 50  # materials of one item
MAX_HANDOVER_LINES = 30
CASE_NUMBER_INPUT_MAX = 200  # the service says when a typed number is too long (40)
QUERY_TOKEN_MAX = 64

# ---- requests -------------------------------------------------------------------------------


class MarkIn(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    """One material's mark with a note: ``{"status": "defective", "note": "复印件模糊"}``."""

    status: MaterialStatus
    note: ShortText = ""


Marks = Annotated[dict[Code, MaterialStatus | MarkIn], msgspec.Meta(max_length=MAX_MARKS)]
"""Material code (M1, M2 … in catalogue order) → ``"received"`` or a ``MarkIn``."""


class AgentIn(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    """代理人 / 代办员; left out (or all blank) when the applicant comes in person.

    ``id_type``: the document (居民身份证 when left out)."""

    name: Name = ""
    id_number: IdNumber = ""
    id_type: IdType = IdType.RESIDENT
    phone: Mobile = ""


class ApplicantIn(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    """申请人 as entered at intake (the rules require name, ID number and a mobile phone).

    ``id_type`` says which document ``id_number`` is: left out, 居民身份证 for a person and
    统一社会信用代码 for an organisation (both checked with their check digit); 护照,
    港澳台通行证 or 其他证件 are the clerk's override for other documents."""

    kind: ApplicantKind = ApplicantKind.PERSON
    name: Name = ""
    id_number: IdNumber = ""  # 身份证号 / 统一社会信用代码
    id_type: IdType | None = None
    phone: Mobile = ""
    agent: AgentIn | None = None


class OtherPlaceIn(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    """异地办件 (R-K8): 跨域通办 or 代收, and the place that decides."""

    kind: OtherPlaceKind
    place: ShortText = ""


class OpenCaseIn(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    """收件 (R-K1): open a case, from the ticket being served (``ticket_id``) or directly."""

    item_code: Code
    applicant: ApplicantIn
    channel: Channel = Channel.COUNTER
    other_place: OtherPlaceIn | None = None
    materials: Marks = {}
    ticket_id: Code | None = None


class CommitmentIn(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    """告知承诺书 (XC a–d) and the applicant's signature."""

    legal_basis: LongText = ""  # a) 法律依据
    conditions: LongText = ""  # b) 条件、标准、时限、材料及违诺后果
    services: LongText = ""  # c) 服务内容、咨询方式、监管方式及责任
    verification: LongText = ""  # d) 违诺认定、整改期限、失信分级及申诉修复
    signed_by: Name = ""


class PickupIn(
    msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True, tag_field="method", tag="pickup"
):
    """窗口领取: the collector's name and ID, and the signature record."""

    collector_name: Name = ""
    collector_id: IdNumber = ""
    signature_ref: ShortText = ""


class MailIn(
    msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True, tag_field="method", tag="mail"
):
    """邮寄送达: address and tracking number."""

    address: ShortText = ""
    tracking_no: ShortText = ""
    recipient: Name = ""


class ElectronicIn(
    msgspec.Struct,
    frozen=True,
    kw_only=True,
    omit_defaults=True,
    tag_field="method",
    tag="electronic",
):
    """电子送达: where it was sent and the reference."""

    destination: ShortText = ""
    reference: ShortText = ""


DeliveryIn = PickupIn | MailIn | ElectronicIn
"""送达 (R-K6), told apart by ``method``: pickup / mail / electronic."""


class CaseActionIn(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    """The fields of one decision (``/api/cases/{number}/actions/{action}``, R-K2–R-K6).

    Each action reads the fields of its command (``appliance.cases.rules.commands``) and
    ignores the others; a field its command requires must be given (400 naming it):

    - ``request_correction``: ``deadline``; ``accept_tolerant``: ``deadline``, ``signed_by``;
    - ``resubmit`` / ``supply``: ``marks``; ``accept_commitment``: ``commitment``;
    - ``start_special``: ``procedure``, ``reason``; ``extend``: ``days``, ``reason``;
    - ``forward``: ``to_body``, ``received_by``, ``materials``, ``note``;
    - ``approve``: ``decided_by``, ``document_no``; ``reject``: ``decided_by``, ``contact``,
      ``reason``; ``notify_pickup``: ``arrived_on``; ``deliver``: ``delivery``;
    - ``refuse``, ``return``, ``close``, ``withdraw``: ``reason``; the rest: ``reason``
      (optional).
    """

    reason: Text = ""
    deadline: date | None = None
    signed_by: Name = ""
    marks: Marks = {}
    # 视为受理: taken by the system only
    acceptance_days: Annotated[int, msgspec.Meta(ge=0, le=60)] | None = None
    commitment: CommitmentIn | None = None
    procedure: SpecialProcedure | None = None
    to_body: ShortText = ""
    received_by: Name = ""
    # 移交材料 of a handover
    materials: Annotated[list[Code], msgspec.Meta(max_length=MAX_HANDOVER_LINES)] = []
    note: Text = ""
    days: Annotated[int, msgspec.Meta(ge=1, le=60)] | None = None  # 延期 working days
    decided_by: ShortText = ""
    document_no: ShortText = ""
    contact: ShortText = ""
    arrived_on: date | None = None
    delivery: DeliveryIn | None = None


class CaseQueryIn(msgspec.Struct, frozen=True, kw_only=True):
    """办件进度查询 (R-K7): ``{"case_number": "YZ0001-20261123-0007", "phone_last4": "1234"}``,
    or ``{"case_number": …, "token": …}`` with the token of the notice's QR link (which
    opens the case without the 4 digits)."""

    case_number: Annotated[str, msgspec.Meta(max_length=CASE_NUMBER_INPUT_MAX)] = ""
    phone_last4: Annotated[str, msgspec.Meta(max_length=8)] = ""
    token: Annotated[str, msgspec.Meta(max_length=QUERY_TOKEN_MAX)] = ""


# ---- answers --------------------------------------------------------------------------------


class ActionView(msgspec.Struct, frozen=True, kw_only=True):
    """A legal next action and its Chinese label."""

    action: Action
    label: str


class TransitionView(msgspec.Struct, frozen=True, kw_only=True):
    """One row of the 流转记录: what, from and to which state, who, when, why, details."""

    seq: int
    action: Action
    action_label: str
    from_state: CaseState
    to_state: CaseState
    who: str
    at: datetime
    why: str
    details: dict[str, str]


class MaterialLineView(msgspec.Struct, frozen=True, kw_only=True):
    """One checklist line of a case (材料清单条目)."""

    code: str
    name: str
    required: bool
    tolerable: bool
    status: MaterialStatus
    status_label: str
    note: str


class AgentView(msgspec.Struct, frozen=True, kw_only=True):
    name: str
    id_number: str
    phone: str
    id_type: IdType = IdType.RESIDENT


class ApplicantView(msgspec.Struct, frozen=True, kw_only=True):
    """申请人 (and 代理人) as entered at intake; the staff API shows them whole."""

    kind: ApplicantKind
    name: str
    id_number: str
    phone: str
    agent: AgentView | None
    id_type: IdType = IdType.RESIDENT  # 证件类型


class OtherPlaceView(msgspec.Struct, frozen=True, kw_only=True):
    """异地办件 (R-K8): ``{"kind": "collect", "label": "代收", "place": "郑州市金水区"}``."""

    kind: OtherPlaceKind
    label: str
    place: str


Urgency = Literal["overdue", "soon", ""]
"""overdue (red) past the 办结期限, soon (amber) within 2 working days, "" otherwise."""


class CaseSummary(msgspec.Struct, frozen=True, kw_only=True):
    """A row of 我的办件 (R-K3); the phone is masked."""

    case_number: str
    item_code: str
    item_name: str
    state: CaseState
    state_label: str
    applicant_name: str
    phone: str
    due_on: date | None  # 办结期限, or the 受理期限 before a decision
    due_provisional: bool  # 暂定: the year's holidays are not published yet
    created_at: datetime
    due_status: DueStatus
    due_status_label: str
    working_days_left: int | None  # negative when overdue
    urgency: Urgency


class CaseDetail(msgspec.Struct, frozen=True, kw_only=True):
    """One case with its checklist, deadline, timeline and the legal next actions."""

    case_number: str
    item_code: str
    item_name: str
    state: CaseState
    state_label: str
    channel: Channel
    applicant: ApplicantView
    materials: list[MaterialLineView]
    received_on: date
    accepted_on: date | None
    due_on: date | None
    due_provisional: bool
    ticket_id: str | None
    timeline: list[TransitionView]
    legal_actions: list[ActionView]
    # 容缺失信: earlier cases of this applicant whose 容缺 commitment lapsed (R-K2)
    applicant_flags: list[str]
    other_place: OtherPlaceView | None
    # 重复申请: this applicant's other open cases of the same item (issue 16, item 6)
    open_duplicates: list[str] = []


class StepResult(msgspec.Struct, frozen=True, kw_only=True):
    """What one decision did: the case after it, the notices printed, whether an SMS went."""

    case: CaseDetail
    notices: list[Notice]
    print_job_ids: list[str]
    sms_queued: bool


class CaseNoticeView(msgspec.Struct, frozen=True, kw_only=True):
    """A notice kept with the case (受理通知书, 补正通知书 …) and its latest print job."""

    id: str
    case_number: str
    kind: str  # the kept file's kind: acceptance, receipt, tolerant_commitment …
    title: str
    transition_seq: int  # the decision that issued it; 0 for the 收件凭证 of intake
    created_at: datetime
    size: int
    sha256: str
    print_job_id: str | None
    print_status: str | None  # pending / printing / done / cancelled / error


class PublicStepView(msgspec.Struct, frozen=True, kw_only=True):
    """One step of the public timeline: local time, what happened, the state after it."""

    at: str  # "2026-11-23 09:05", station time
    label: str
    state_label: str
    note: str


class PublicCaseView(msgspec.Struct, frozen=True, kw_only=True):
    """办件进度 as the applicant sees it (R-K7): masked, no staff, no ID, no full phone."""

    case_number: str
    item_name: str
    applicant_name: str  # masked
    agent_name: str | None  # masked
    state: CaseState
    state_label: str
    received_on: date
    accepted_on: date | None
    due_on: date | None  # 办结期限
    due_provisional: bool  # 暂定: the calendar of that year is not published yet
    due_status: DueStatus
    due_status_label: str
    overdue: bool
    outcome_title: str
    outcome_lines: list[str]
    steps: list[PublicStepView]
    station_name: str
    station_phone: str
