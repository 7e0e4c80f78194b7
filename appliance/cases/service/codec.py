"""JSON in and out of case handling: the stored ``CaseFile`` codec and the typed requests.

``encode_case`` / ``decode_case`` store the whole domain ``CaseFile`` as JSON (dataclasses
carry their class name in ``_t`` so unions such as the delivery decode back).
``build_command`` maps a typed ``CaseActionIn`` onto the domain command of an action, with
a Chinese message naming any field the command requires and the request left out (400);
``applicant_of`` and ``marks_of`` map the parts of a request the commands and intake share.
``request_of`` turns a plain mapping (in-process callers: the demo, benches, tests) into
the same typed request, so every caller takes the one typed path.
"""

from __future__ import annotations

import json
import types
from collections.abc import Mapping
from dataclasses import MISSING, fields, is_dataclass
from datetime import date, datetime
from enum import Enum
from typing import Any, TypeVar, Union, get_args, get_origin, get_type_hints

import msgspec

from appliance.cases.rules import commands as cmds
from appliance.cases.rules.case import CaseFile
from appliance.cases.rules.materials import MaterialStatus
from appliance.cases.rules.records import (
    Agent,
    Applicant,
    ApplicantKind,
    Delivery,
    ElectronicDelivery,
    MailDelivery,
    NotifyCommitment,
    PickupDelivery,
    require,
)
from appliance.cases.rules.states import ACTION_LABELS, Action
from appliance.cases.schemas import (
    ApplicantIn,
    CaseActionIn,
    CommitmentIn,
    DeliveryIn,
    MailIn,
    Marks,
    PickupIn,
)
from appliance.core.errors import Invalid, NotFound
from appliance.core.identity import IdType, check_id_number

# ---- JSON codec of the domain CaseFile ---------------------------------------------------


def _enc(v: Any) -> Any:
    if is_dataclass(v) and not isinstance(v, type):
        out = {f.name: _enc(getattr(v, f.name)) for f in fields(v)}
        out["_t"] = type(v).__name__
        return out
    if isinstance(v, Enum):
        return v.value
    if isinstance(v, date):  # datetime too
        return v.isoformat()
    if isinstance(v, frozenset | set):
        return sorted(_enc(x) for x in v)
    if isinstance(v, tuple | list):
        return [_enc(x) for x in v]
    if isinstance(v, Mapping):
        return {str(k): _enc(x) for k, x in v.items()}
    return v


_HINTS: dict[Any, dict[str, Any]] = {}


def _hints(cls: Any) -> dict[str, Any]:
    if cls not in _HINTS:
        _HINTS[cls] = get_type_hints(cls)
    return _HINTS[cls]


_FIELDS: dict[Any, list[tuple[str, Any]]] = {}
_SHAPES: dict[Any, tuple[Any, tuple[Any, ...]]] = {}


def _init_fields(cls: Any) -> list[tuple[str, Any]]:
    """(name, type) of a dataclass's init fields, worked out once per class."""
    if cls not in _FIELDS:
        hints = _hints(cls)
        _FIELDS[cls] = [(f.name, hints[f.name]) for f in fields(cls) if f.init]
    return _FIELDS[cls]


def _shape(tp: Any) -> tuple[Any, tuple[Any, ...]]:
    """``get_origin`` and ``get_args`` of a type, worked out once per type."""
    if tp not in _SHAPES:
        _SHAPES[tp] = (get_origin(tp), get_args(tp))
    return _SHAPES[tp]


def _dec(tp: Any, v: Any) -> Any:
    origin, args = _shape(tp)
    if origin in (Union, types.UnionType):
        if v is None and type(None) in args:
            return None
        options = [a for a in args if a is not type(None)]
        if len(options) == 1:
            return _dec(options[0], v)
        for a in options:
            if isinstance(v, Mapping) and isinstance(a, type) and a.__name__ == v.get("_t"):
                return _dec(a, v)
        raise ValueError(f"cannot decode {v!r} as {tp!r}")
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_dec(args[0], x) for x in v)
        return tuple(_dec(a, x) for a, x in zip(args, v, strict=True))
    if origin in (frozenset, set):
        return frozenset(_dec(args[0], x) for x in v)
    if origin in (dict, Mapping):
        return {k: _dec(args[1], x) for k, x in v.items()}
    if isinstance(tp, type):
        if issubclass(tp, Enum):
            return tp(v)
        if issubclass(tp, datetime):
            return datetime.fromisoformat(v)
        if issubclass(tp, date):
            return date.fromisoformat(v)
        if is_dataclass(tp):
            kwargs = {name: _dec(hint, v[name]) for name, hint in _init_fields(tp) if name in v}
            return tp(**kwargs)
    return v


def encode_case(case: CaseFile) -> str:
    return json.dumps(_enc(case), ensure_ascii=False)


def decode_case(text: str) -> CaseFile:
    case = _dec(CaseFile, json.loads(text))
    assert isinstance(case, CaseFile)
    return case


# ---- typed requests → domain ------------------------------------------------------------

R = TypeVar("R", bound=msgspec.Struct)


def request_of(body: R | Mapping[str, Any], kind: type[R]) -> R:
    """``body`` as the typed request ``kind`` (a mapping is checked like an HTTP body)."""
    if isinstance(body, kind):
        return body
    try:
        return msgspec.convert(body, kind)
    except msgspec.ValidationError as exc:
        raise Invalid(f"请求内容格式不正确：{exc}", "bad_request") from None


FIELD_LABELS = {
    "reason": "理由",
    "deadline": "期限",
    "signed_by": "承诺人签名",
    "days": "延期天数",
    "to_body": "接收单位",
    "received_by": "接收人",
    "materials": "移交材料",
    "decided_by": "决定机关",
    "contact": "咨询联系方式",
    "arrived_on": "结果到达日期",
    "delivery": "送达信息",
    "procedure": "特别程序",
    "commitment": "告知承诺书",
    "marks": "材料收取情况",
    "acceptance_days": "受理期限",
}


def marks_of(marks: Marks) -> dict[str, tuple[MaterialStatus, str]]:
    """``{"M1": "received", "M2": {"status": "defective", "note": …}}`` → (status, note)."""
    return {
        code: (mark, "") if isinstance(mark, MaterialStatus) else (mark.status, mark.note)
        for code, mark in marks.items()
    }


def applicant_of(a: ApplicantIn) -> Applicant:
    """The domain applicant (its rules name any blank field); an all-blank agent is none.

    ID numbers are checked against their document type (R-K1): a resident ID and a
    统一社会信用代码 by their check digit (``appliance.core.identity``); the type defaults to
    the resident ID for a person and the credit code for an organisation.
    """
    agent = None
    if a.agent is not None and any((a.agent.name, a.agent.id_number, a.agent.phone)):
        require(a.agent.name, "代理人姓名")
        agent_id = check_id_number(a.agent.id_number, a.agent.id_type, "代理人证件号码")
        agent = Agent(a.agent.name, agent_id, a.agent.phone, a.agent.id_type)
    kind = a.id_type or (IdType.USCC if a.kind is ApplicantKind.ORGANISATION else IdType.RESIDENT)
    require(a.name, "申请人名称")
    number = check_id_number(a.id_number, kind, "申请人证件号码")
    return Applicant(a.kind, a.name, number, a.phone, agent, kind)


def _delivery(d: DeliveryIn) -> Delivery:
    if isinstance(d, PickupIn):
        return PickupDelivery(d.collector_name, d.collector_id, d.signature_ref)
    if isinstance(d, MailIn):
        return MailDelivery(d.address, d.tracking_no, d.recipient)
    return ElectronicDelivery(d.destination, d.reference)


def _commitment(c: CommitmentIn) -> NotifyCommitment:
    return NotifyCommitment(c.legal_basis, c.conditions, c.services, c.verification, c.signed_by)


def _value(name: str, body: CaseActionIn) -> Any:
    """The command field ``name`` from the request, or None when it was left out (or blank)."""
    value = getattr(body, name)
    if value is None or value == "" or value == [] or value == {}:
        return None
    if name == "marks":
        return marks_of(value)
    if name == "delivery":
        return _delivery(value)
    if name == "commitment":
        return _commitment(value)
    if name == "materials":
        return tuple(value)
    return value


def parse_action(name: str) -> Action:
    try:
        return Action(name)
    except ValueError:
        known = "、".join(f"{a.value}（{label}）" for a, label in ACTION_LABELS.items())
        raise NotFound(f"没有名为“{name}”的办件操作；可用：{known}", "unknown_action") from None


def build_command(action: Action, body: CaseActionIn) -> cmds.Command:
    """The domain command of ``action`` from the request (its fields named as the command's)."""
    cls = cmds.COMMANDS[action]
    kwargs: dict[str, Any] = {}
    for f in fields(cls):
        if not f.init:
            continue
        value = _value(f.name, body)
        if value is None:
            if f.default is MISSING and f.default_factory is MISSING:
                label = FIELD_LABELS.get(f.name, f.name)
                raise Invalid(
                    f"{ACTION_LABELS[action]}缺少必填项：{label}（{f.name}）", "field_required"
                )
            continue
        kwargs[f.name] = value
    return cls(**kwargs)
