"""JSON in and out of case handling: the stored ``CaseFile`` codec and request bodies.

``encode_case`` / ``decode_case`` store the whole domain ``CaseFile`` as JSON (dataclasses
carry their class name in ``_t`` so unions such as the delivery decode back); the
``parse_*`` helpers and ``build_command`` map an API body onto the domain command, with a
Chinese message naming any missing or malformed field (400).
"""

from __future__ import annotations

import json
import types
from collections.abc import Mapping
from dataclasses import MISSING, fields, is_dataclass
from datetime import date, datetime
from enum import Enum
from typing import Any, Union, get_args, get_origin, get_type_hints

from appliance.cases.rules import commands as cmds
from appliance.cases.rules.case import CaseFile
from appliance.cases.rules.materials import MATERIAL_STATUS_LABELS, MaterialStatus
from appliance.cases.rules.records import (
    Agent,
    Applicant,
    ApplicantKind,
    ElectronicDelivery,
    MailDelivery,
    PickupDelivery,
)
from appliance.cases.rules.states import ACTION_LABELS, Action
from appliance.core.errors import DomainError, Invalid, NotFound

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


# ---- request parsing ---------------------------------------------------------------------

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


def text_field(body: Mapping[str, Any], key: str) -> str:
    value = body.get(key, "")
    if value is None:
        return ""
    if not isinstance(value, str | int):
        raise Invalid(f"字段“{key}”应为文字", "bad_field")
    return str(value)


def parse_marks(raw: Any) -> dict[str, tuple[MaterialStatus, str]]:
    """``{"M1": "received", "M2": {"status": "defective", "note": "复印件模糊"}}``."""
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        raise Invalid("材料收取情况应为 {材料编码: 状态} 的对象", "bad_marks")
    allowed = "、".join(f"{s.value}（{label}）" for s, label in MATERIAL_STATUS_LABELS.items())
    out: dict[str, tuple[MaterialStatus, str]] = {}
    for code, value in raw.items():
        status, note = (
            (value, "")
            if not isinstance(value, Mapping)
            else (value.get("status"), str(value.get("note") or ""))
        )
        try:
            out[str(code)] = (MaterialStatus(str(status)), note)
        except ValueError:
            raise Invalid(
                f"材料 {code} 的状态“{status}”无法识别，可选：{allowed}", "bad_marks"
            ) from None
    return out


def parse_applicant(raw: Any) -> Applicant:
    if not isinstance(raw, Mapping):
        raise Invalid("缺少必填项：申请人", "field_required")
    try:
        kind = ApplicantKind(raw.get("kind") or "person")
    except ValueError:
        raise Invalid(
            "申请人类型应为 person（个人）或 organisation（法人或其他组织）", "bad_applicant"
        ) from None
    agent_raw = raw.get("agent")
    agent = None
    if isinstance(agent_raw, Mapping) and any(agent_raw.values()):
        agent = Agent(
            text_field(agent_raw, "name"),
            text_field(agent_raw, "id_number"),
            text_field(agent_raw, "phone"),
        )
    return Applicant(
        kind, text_field(raw, "name"), text_field(raw, "id_number"), text_field(raw, "phone"), agent
    )


def _delivery(raw: Any) -> Any:
    if not isinstance(raw, Mapping):
        raise Invalid("缺少必填项：送达信息", "field_required")
    method = raw.get("method")
    if method == "pickup":
        return PickupDelivery(
            text_field(raw, "collector_name"),
            text_field(raw, "collector_id"),
            text_field(raw, "signature_ref"),
        )
    if method == "mail":
        return MailDelivery(
            text_field(raw, "address"), text_field(raw, "tracking_no"), text_field(raw, "recipient")
        )
    if method == "electronic":
        return ElectronicDelivery(text_field(raw, "destination"), text_field(raw, "reference"))
    raise Invalid(
        "送达方式应为 pickup（窗口领取）、mail（邮寄）或 electronic（电子送达）", "bad_delivery"
    )


def parse_action(name: str) -> Action:
    try:
        return Action(name)
    except ValueError:
        known = "、".join(f"{a.value}（{label}）" for a, label in ACTION_LABELS.items())
        raise NotFound(f"没有名为“{name}”的办件操作；可用：{known}", "unknown_action") from None


def build_command(action: Action, body: Mapping[str, Any]) -> cmds.Command:
    """The domain command of ``action`` from a JSON body (field names as in the command)."""
    cls = cmds.COMMANDS[action]
    hints = _hints(cls)
    kwargs: dict[str, Any] = {}
    for f in fields(cls):
        if not f.init:
            continue
        label = FIELD_LABELS.get(f.name, f.name)
        if f.name not in body or body[f.name] in (None, ""):
            if f.default is MISSING and f.default_factory is MISSING:
                raise Invalid(
                    f"{ACTION_LABELS[action]}缺少必填项：{label}（{f.name}）", "field_required"
                )
            continue
        raw = body[f.name]
        try:
            if f.name == "marks":
                kwargs[f.name] = parse_marks(raw)
            elif f.name == "delivery":
                kwargs[f.name] = _delivery(raw)
            elif f.name == "materials":
                kwargs[f.name] = (
                    tuple(str(x) for x in raw) if isinstance(raw, list) else (str(raw),)
                )
            else:
                kwargs[f.name] = _dec(hints[f.name], raw)
        except DomainError:
            raise
        except (ValueError, TypeError, KeyError, AttributeError):
            raise Invalid(f"字段“{label}”（{f.name}）格式不正确", "bad_field") from None
    try:
        return cls(**kwargs)
    except TypeError:  # pragma: no cover - fields are checked above
        raise Invalid(f"{ACTION_LABELS[action]}的参数不完整", "bad_field") from None
