"""The fields each case decision asks for (受理决定表单), and the request they make.

No Textual here. A ``FormField`` names one field of the action's request
(``appliance.cases.schemas.CaseActionIn``, named as the command's in
``appliance.cases.rules.commands``; a dotted key such as ``commitment.signed_by`` is a
nested object). ``build_body`` checks only what a form can check (filled in, a date, a
number) and says so in Chinese; ``action_request`` makes the typed request of it. Every
rule of the case itself is the server's.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

import msgspec

from appliance.cases.rules.materials import SPECIAL_PROCEDURE_LABELS, MaterialStatus
from appliance.cases.schemas import CaseActionIn, CaseDetail
from appliance.catalogue.schemas import ItemDetail


class FormError(ValueError):
    """A field is missing or malformed; ``message`` is shown in the form."""

    def __init__(self, message: str, key: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.key = key


Options = tuple[tuple[str, str], ...]  # (value sent, label shown)


@dataclass(frozen=True)
class FormField:
    """One field of a decision form. ``kind``: text, date, int, list (split on 、，,) or
    choice (one of ``options``, picked with ←/→)."""

    key: str
    label: str
    placeholder: str = ""
    required: bool = True
    kind: str = "text"
    options: Options = ()


REASON = FormField("reason", "理由", "将写入通知书和流转记录")
NOTE = FormField("reason", "备注（可选）", "可不填", required=False)
DATE_HINT = "如 2026-12-07"

ACTION_FIELDS: dict[str, tuple[FormField, ...]] = {
    "accept": (),
    "request_correction": (
        FormField("deadline", "补正期限", DATE_HINT, kind="date"),
        NOTE,
    ),
    "refuse": (REASON,),
    "accept_tolerant": (
        FormField("signed_by", "承诺人签名", "申请人或代理人姓名"),
        FormField("deadline", "容缺补齐期限", DATE_HINT, kind="date"),
    ),
    "accept_commitment": (
        FormField("commitment.legal_basis", "a) 法律依据", "法律、法规、规章名称及条款"),
        FormField("commitment.conditions", "b) 条件、标准、时限、材料及违诺后果"),
        FormField("commitment.services", "c) 服务内容、咨询方式、监管方式及责任"),
        FormField("commitment.verification", "d) 违诺认定、整改期限、失信分级及申诉修复"),
        FormField("commitment.signed_by", "承诺人签名", "申请人或代理人姓名"),
    ),
    "resubmit": (NOTE,),
    "supply": (NOTE,),
    "lapse": (NOTE,),
    "end_special": (NOTE,),
    "start_special": (
        FormField(
            "procedure",
            "特别程序（←/→ 选择）",
            kind="choice",
            options=tuple((proc.value, label) for proc, label in SPECIAL_PROCEDURE_LABELS.items()),
        ),
        REASON,
    ),
    "forward": (
        FormField("to_body", "接收单位", "如 县民政局"),
        FormField("received_by", "接收人", "对方经办人姓名"),
        FormField("materials", "移交材料", "用顿号分隔", kind="list"),
        FormField("note", "交接说明（可选）", "可不填", required=False),
    ),
    "extend": (
        FormField("days", "延期天数（工作日）", "如 5", kind="int"),
        FormField("reason", "延期理由", "将告知申请人"),
    ),
    "approve": (
        FormField("decided_by", "决定机关", "如 县民政局"),
        FormField("document_no", "决定文号（可选）", "可不填", required=False),
    ),
    "reject": (
        FormField("reason", "不予批准理由", "将写入通知书"),
        FormField("decided_by", "决定机关", "如 县民政局"),
        FormField("contact", "咨询联系方式", "如 0371-6000002"),
    ),
    "notify_pickup": (FormField("arrived_on", "结果到达日期", DATE_HINT, kind="date"),),
    "return": (FormField("reason", "退回原因", "如 地址不详被退回、逾期未领取"),),
    "close": (REASON,),
    "withdraw": (FormField("reason", "撤回原因", "申请人的说法"),),
}
"""Fields per action; ``deliver`` has its own dialog (three ways of delivery)."""

MARKS_ACTIONS = frozenset({"resubmit", "supply"})
"""Actions that re-mark the materials checklist (补正材料提交, 补齐容缺材料)."""

DELIVERY_FIELDS: dict[str, tuple[FormField, ...]] = {
    "pickup": (
        FormField("collector_name", "领取人姓名"),
        FormField("collector_id", "领取人证件号码", "身份证号"),
        FormField("signature_ref", "签收记录", "签收单编号或签名图像编号"),
    ),
    "mail": (
        FormField("address", "邮寄地址"),
        FormField("tracking_no", "快递单号"),
        FormField("recipient", "收件人（可选）", "可不填", required=False),
    ),
    "electronic": (
        FormField("destination", "电子送达地址", "电子证照库、邮箱或政务服务平台账号"),
        FormField("reference", "送达凭证编号"),
    ),
}
DELIVERY_METHODS = (("pickup", "窗口领取"), ("mail", "邮寄"), ("electronic", "电子送达"))

_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


def parse_date(text: str) -> date | None:
    """2026-12-07, 2026/12/7, 2026年12月7日 or 20261207; None when not a date."""
    text = text.strip()
    if re.fullmatch(r"\d{8}", text):
        text = f"{text[:4]}-{text[4:6]}-{text[6:]}"
    m = _DATE.match(text)
    if not m:
        return None
    try:
        return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


def _value(f: FormField, raw: str) -> Any:
    text = raw.strip()
    if f.kind == "date":
        day = parse_date(text)
        if day is None:
            raise FormError(f"{f.label}应为日期，{DATE_HINT}", f.key)
        return day.isoformat()
    if f.kind == "int":
        if not text.isdigit() or int(text) <= 0:
            raise FormError(f"{f.label}应为正整数", f.key)
        return int(text)
    if f.kind == "list":
        return [x.strip() for x in re.split(r"[、,，;；]", text) if x.strip()]
    return text


def build_body(fields: tuple[FormField, ...], values: Mapping[str, str]) -> dict[str, Any]:
    """The JSON body from the typed values; ``FormError`` names the first bad field."""
    body: dict[str, Any] = {}
    for f in fields:
        raw = values.get(f.key, "")
        if not raw.strip():
            if f.required:
                raise FormError(f"请填写{f.label}", f.key)
            continue
        target = body
        *parents, leaf = f.key.split(".")
        for p in parents:
            target = target.setdefault(p, {})
        target[leaf] = _value(f, raw)
    return body


def action_request(body: Mapping[str, Any]) -> CaseActionIn:
    """The typed request of a decision from a form's body (``FormError`` if it does not fit)."""
    try:
        return msgspec.convert(body, CaseActionIn)
    except msgspec.ValidationError:
        raise FormError("填写的内容格式不正确，请检查后重试") from None


def form_fields(action: str, guide: ItemDetail | None = None) -> tuple[FormField, ...]:
    """The fields of ``action``'s form. A choice of 特别程序 offers only the procedures the
    item's guide lists (all of them while the guide is unknown or lists none it knows)."""
    fields = ACTION_FIELDS.get(action, (NOTE,))
    listed = set(guide.special_procedures) if guide else set()
    out = []
    for f in fields:
        if f.key == "procedure" and f.kind == "choice":
            narrowed = tuple((v, label) for v, label in f.options if v in listed or label in listed)
            f = replace(f, options=narrowed or f.options)
        out.append(f)
    return tuple(out)


def defaults(case: CaseDetail, today: date, guide: ItemDetail | None = None) -> dict[str, str]:
    """Values to start any form with (applicant name, the item's department, today…);
    the clerk checks them. Each form takes the keys of its own fields."""
    name = case.applicant.name
    received = "、".join(m.name for m in case.materials if m.status is MaterialStatus.RECEIVED)
    department = guide.department if guide else ""
    values = {
        "signed_by": name,
        "commitment.signed_by": name,
        "commitment.legal_basis": guide.legal_basis if guide else "",
        "commitment.conditions": guide.conditions if guide else "",
        "to_body": department,
        "decided_by": department,
        "contact": guide.phone if guide else "",
        "materials": received,
        "arrived_on": today.isoformat(),
        "collector_name": name,
        "recipient": name,
    }
    return {k: v for k, v in values.items() if v}
