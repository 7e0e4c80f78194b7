"""Wire types of the case API (办件, R-K1–R-K8): every request body and every answer.

One definition for both ends: the station's controller declares them (Litestar checks a
request against its type and answers 400 in Chinese otherwise), the services build the
answers, and the staff terminal sends the requests and decodes the answers with
``msgspec.convert``. Requests end in ``In``.

The types check shape only (a date is a date, a status one of the statuses); what a
value means — a deadline in range, an action legal now, a name filled in — is the
business of the service and the rules, which answer with a Chinese message.

Pure: stdlib, msgspec and the case rules' enums only.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

import msgspec

from appliance.cases.rules.deadlines import DueStatus
from appliance.cases.rules.materials import MaterialStatus, SpecialProcedure
from appliance.cases.rules.records import ApplicantKind, Channel, OtherPlaceKind
from appliance.cases.rules.states import Action, CaseState
from appliance.cases.rules.table import Notice

# ---- requests -------------------------------------------------------------------------------


class MarkIn(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    """One material's mark with a note: ``{"status": "defective", "note": "复印件模糊"}``."""

    status: MaterialStatus
    note: str = ""


Marks = dict[str, MaterialStatus | MarkIn]
"""Material code (M1, M2 … in catalogue order) → ``"received"`` or a ``MarkIn``."""


class AgentIn(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    """代理人 / 代办员; left out (or all blank) when the applicant comes in person."""

    name: str = ""
    id_number: str = ""
    phone: str = ""


class ApplicantIn(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    """申请人 as entered at intake (the rules require name, ID number and phone)."""

    kind: ApplicantKind = ApplicantKind.PERSON
    name: str = ""
    id_number: str = ""  # 身份证号 / 统一社会信用代码
    phone: str = ""
    agent: AgentIn | None = None


class OtherPlaceIn(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    """异地办件 (R-K8): 跨域通办 or 代收, and the place that decides."""

    kind: OtherPlaceKind
    place: str = ""


class OpenCaseIn(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    """收件 (R-K1): open a case, from the ticket being served (``ticket_id``) or directly."""

    item_code: str
    applicant: ApplicantIn
    channel: Channel = Channel.COUNTER
    other_place: OtherPlaceIn | None = None
    materials: Marks = {}
    ticket_id: str | None = None


class CommitmentIn(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    """告知承诺书 (XC a–d) and the applicant's signature."""

    legal_basis: str = ""  # a) 法律依据
    conditions: str = ""  # b) 条件、标准、时限、材料及违诺后果
    services: str = ""  # c) 服务内容、咨询方式、监管方式及责任
    verification: str = ""  # d) 违诺认定、整改期限、失信分级及申诉修复
    signed_by: str = ""


class PickupIn(
    msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True, tag_field="method", tag="pickup"
):
    """窗口领取: the collector's name and ID, and the signature record."""

    collector_name: str = ""
    collector_id: str = ""
    signature_ref: str = ""


class MailIn(
    msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True, tag_field="method", tag="mail"
):
    """邮寄送达: address and tracking number."""

    address: str = ""
    tracking_no: str = ""
    recipient: str = ""


class ElectronicIn(
    msgspec.Struct,
    frozen=True,
    kw_only=True,
    omit_defaults=True,
    tag_field="method",
    tag="electronic",
):
    """电子送达: where it was sent and the reference."""

    destination: str = ""
    reference: str = ""


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

    reason: str = ""
    deadline: date | None = None
    signed_by: str = ""
    marks: Marks = {}
    acceptance_days: int | None = None  # 视为受理: taken by the system only
    commitment: CommitmentIn | None = None
    procedure: SpecialProcedure | None = None
    to_body: str = ""
    received_by: str = ""
    materials: list[str] = []  # 移交材料 of a handover
    note: str = ""
    days: int | None = None
    decided_by: str = ""
    document_no: str = ""
    contact: str = ""
    arrived_on: date | None = None
    delivery: DeliveryIn | None = None


class CaseQueryIn(msgspec.Struct, frozen=True, kw_only=True):
    """办件进度查询 (R-K7): ``{"case_number": "DEMO01-20261123-0007", "phone_last4": "1234"}``."""

    case_number: str = ""
    phone_last4: str = ""


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


class ApplicantView(msgspec.Struct, frozen=True, kw_only=True):
    """申请人 (and 代理人) as entered at intake; the staff API shows them whole."""

    kind: ApplicantKind
    name: str
    id_number: str
    phone: str
    agent: AgentView | None


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
