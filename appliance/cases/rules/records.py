"""Value records of a case: applicant, commitments, handover, outcome, delivery (R-K1–R-K8).

Each record validates its own required fields and raises ``Invalid`` (400) with a
Chinese message naming the field.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from appliance.cases.rules.states import Action, CaseState
from appliance.core.errors import Invalid
from appliance.core.identity import IdType

RIGHTS_TEXT = (
    "如对本决定不服，可以自收到本决定之日起六十日内依法申请行政复议，"
    "或者自收到本决定之日起六个月内依法向人民法院提起行政诉讼。"
)
"""The applicant's rights on a refusal or a rejection (行政复议 / 行政诉讼, R-K2, XC 一次性告知)."""


def require(value: str, label: str) -> str:
    """``value`` stripped, or ``Invalid`` naming the missing field."""
    text = value.strip()
    if not text:
        raise Invalid(f"缺少必填项：{label}", "field_required")
    return text


class ApplicantKind(StrEnum):
    PERSON = "person"  # 个人
    ORGANISATION = "organisation"  # 法人或其他组织


class Channel(StrEnum):
    """收件渠道 (R-K1)."""

    COUNTER = "counter"  # 现场
    ONLINE = "online"  # 网上
    POST = "post"  # 邮寄


class OtherPlaceKind(StrEnum):
    """Cases taken in for another place (R-K8)."""

    CROSS_REGION = "cross_region"  # 通办（跨域通办）
    COLLECT = "collect"  # 代收


@dataclass(frozen=True)
class Agent:
    """代理人 / 代办员."""

    name: str
    id_number: str
    phone: str = ""
    id_type: IdType = IdType.RESIDENT  # 证件类型 of ``id_number``

    def __post_init__(self) -> None:
        require(self.name, "代理人姓名")
        require(self.id_number, "代理人证件号码")


@dataclass(frozen=True)
class Applicant:
    """申请人 (person or organisation, R-K1)."""

    kind: ApplicantKind
    name: str
    id_number: str  # 身份证号 / 统一社会信用代码
    phone: str
    agent: Agent | None = None
    id_type: IdType | None = None  # 证件类型; None: by kind (cases opened before it was kept)

    def __post_init__(self) -> None:
        require(self.name, "申请人名称")
        require(self.id_number, "申请人证件号码")
        require(self.phone, "联系电话")


@dataclass(frozen=True)
class OtherPlace:
    """通办 / 代收: the case is decided elsewhere and followed here (R-K8)."""

    kind: OtherPlaceKind
    place: str  # 受托地 / 办理地

    def __post_init__(self) -> None:
        require(self.place, "办理地")


@dataclass(frozen=True)
class Transition:
    """One recorded decision (流转记录): who, when, why, what (R-K2)."""

    action: Action
    from_state: CaseState
    to_state: CaseState
    actor: str
    at: datetime
    reason: str = ""
    details: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Correction:
    """补正通知书: every line, the deadline (never verbal only, R-K2)."""

    lines: tuple[str, ...]
    deadline: date


@dataclass(frozen=True)
class Refusal:
    """不予受理 / 不予批准: the reason and the rights text (R-K2, R-K5)."""

    reason: str
    rights: str = RIGHTS_TEXT


@dataclass(frozen=True)
class TolerantCommitment:
    """容缺受理承诺书: what is owed and by when (R-K2)."""

    owed: tuple[str, ...]  # material codes still missing or defective
    deadline: date
    signed_by: str
    fulfilled_on: date | None = None

    def __post_init__(self) -> None:
        require(self.signed_by, "承诺人签名")


@dataclass(frozen=True)
class NotifyCommitment:
    """告知承诺书 with XC's contents a–d, and the applicant's signature (R-K2).

    a) ``legal_basis``: the laws, regulations and rules, with articles;
    b) ``conditions``: conditions, standards, time limit, materials, and the legal
       consequences of a broken or false commitment;
    c) ``services``: the department's services, contact, supervision and duties;
    d) ``verification``: how a broken or false commitment is established, the period to
       put it right, the grades of breach, and the channels to explain, appeal and
       restore credit.
    """

    legal_basis: str
    conditions: str
    services: str
    verification: str
    signed_by: str

    def __post_init__(self) -> None:
        require(self.legal_basis, "告知承诺书 a) 法律依据")
        require(self.conditions, "告知承诺书 b) 条件、标准、时限、材料及违诺后果")
        require(self.services, "告知承诺书 c) 服务内容、咨询方式、监管方式及责任")
        require(self.verification, "告知承诺书 d) 违诺认定程序、整改期限、失信分级及申诉修复渠道")
        require(self.signed_by, "承诺人签名")


@dataclass(frozen=True)
class Extension:
    """延期: extra working days with the reason told to the applicant (R-K3)."""

    days: int
    reason: str
    on: date

    def __post_init__(self) -> None:
        if self.days <= 0:
            raise Invalid("延期天数须为正整数（工作日）", "bad_extension")
        require(self.reason, "延期理由")


@dataclass(frozen=True)
class Handover:
    """上报 / 流转 handover record (交接记录, R-K4, R-K8)."""

    to_body: str  # 接收部门 / 县级中心
    handed_by: str
    received_by: str  # 接收人
    materials: tuple[str, ...]  # 移交材料
    on: date
    note: str = ""

    def __post_init__(self) -> None:
        require(self.to_body, "接收单位")
        require(self.handed_by, "移交人")
        require(self.received_by, "接收人")
        if not self.materials:
            raise Invalid("交接记录须列明移交的材料", "handover_materials_required")


@dataclass(frozen=True)
class Outcome:
    """办理结果 (R-K5): approved, or not approved with reason and contact."""

    approved: bool
    decided_by: str  # 决定机关
    on: date
    document_no: str = ""
    reason: str = ""
    contact: str = ""
    rights: str = ""

    def __post_init__(self) -> None:
        require(self.decided_by, "决定机关")
        if not self.approved:
            require(self.reason, "不予批准理由")
            require(self.contact, "咨询联系方式")


class DeliveryMethod(StrEnum):
    """送达方式 (R-K6)."""

    PICKUP = "pickup"  # 窗口领取
    MAIL = "mail"  # 邮寄
    ELECTRONIC = "electronic"  # 电子送达


@dataclass(frozen=True)
class PickupDelivery:
    """窗口领取: collector's name, ID and the signature record."""

    collector_name: str
    collector_id: str
    signature_ref: str  # 签收记录（签名图像或签收单编号）
    method: DeliveryMethod = field(default=DeliveryMethod.PICKUP, init=False)

    def __post_init__(self) -> None:
        require(self.collector_name, "领取人姓名")
        require(self.collector_id, "领取人证件号码")
        require(self.signature_ref, "签收记录")


@dataclass(frozen=True)
class MailDelivery:
    """邮寄送达: address and tracking number."""

    address: str
    tracking_no: str
    recipient: str = ""
    method: DeliveryMethod = field(default=DeliveryMethod.MAIL, init=False)

    def __post_init__(self) -> None:
        require(self.address, "邮寄地址")
        require(self.tracking_no, "快递单号")


@dataclass(frozen=True)
class ElectronicDelivery:
    """电子送达: where it was sent and the reference."""

    destination: str  # 电子证照库 / 邮箱 / 政务服务平台账号
    reference: str
    method: DeliveryMethod = field(default=DeliveryMethod.ELECTRONIC, init=False)

    def __post_init__(self) -> None:
        require(self.destination, "电子送达地址")
        require(self.reference, "送达凭证编号")


Delivery = PickupDelivery | MailDelivery | ElectronicDelivery


def delivery_details(d: Delivery) -> dict[str, str]:
    """The delivery's fields as flat strings for the transition record."""
    if isinstance(d, PickupDelivery):
        return {
            "method": d.method.value,
            "collector_name": d.collector_name,
            "collector_id": d.collector_id,
            "signature_ref": d.signature_ref,
        }
    if isinstance(d, MailDelivery):
        return {"method": d.method.value, "address": d.address, "tracking_no": d.tracking_no}
    return {"method": d.method.value, "destination": d.destination, "reference": d.reference}
