"""Access control and error mapping at the HTTP edge.

Every route must say who may call it: ``opt={"public": True}`` or ``opt={"roles": {...}}``.
A route that says neither is refused (fail closed); tests walk the whole matrix.
"""

from __future__ import annotations

import logging
import re
from typing import Any

import msgspec
from litestar import Request, Response
from litestar.connection import ASGIConnection
from litestar.exceptions import HTTPException, ValidationException
from litestar.handlers.base import BaseRouteHandler

from appliance.core.errors import DomainError, NotAllowed
from appliance.core.roles import ROLE_LABELS, Principal
from appliance.staff.service.accounts import bearer_token
from appliance.wiring import Services

log = logging.getLogger("yizhan.http")


def role_guard(connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler) -> None:
    opt = handler.opt
    if opt.get("public"):
        return
    services: Services = connection.app.state.services
    if opt.get("device"):
        if connection.headers.get("x-device-key") != services.settings.device_key:
            raise NotAllowed("设备密钥无效，硬件服务无权取号", "bad_device_key")
        return
    roles = opt.get("roles")
    if not roles:
        raise NotAllowed("该接口未配置访问权限", "no_policy")
    principal = services.staff.authenticate(
        bearer_token(connection.headers.get("authorization", ""))
    )
    if principal.role not in roles:
        raise NotAllowed(
            f"您的岗位（{ROLE_LABELS[principal.role]}）无权进行此操作", "forbidden_role"
        )
    connection.state.principal = principal


def provide_principal(request: Request[Any, Any, Any]) -> Principal:
    principal: Principal = request.state.principal
    return principal


def _body(status: int, code: str, message: str) -> Response[dict[str, Any]]:
    return Response({"error": code, "message": message, "status": status}, status_code=status)


def domain_error_handler(_: Request[Any, Any, Any], exc: DomainError) -> Response[dict[str, Any]]:
    return _body(exc.status, exc.code, exc.message)


FIELD_LABELS = {
    "category": "业务类别",
    "priority": "优先类别",
    "phone": "手机号码",
    "code": "工号",
    "pin": "密码",
    "name": "姓名/名称",
    "role": "岗位角色",
    "reason": "原因",
    "ticket": "号码",
    "to_window": "目标窗口",
    "to_category": "目标类别",
    "number": "窗口号",
    "prefix": "类别字母",
    "categories": "办理类别",
    "whereabouts": "去向",
    "window": "窗口",
    "prior_minutes": "预设时长",
    # cases (办件) and the catalogue: nested fields by their dotted path, list and dict
    # entries without their index (``materials[...].status`` → ``materials.status``)
    "item_code": "事项编码",
    "applicant": "申请人",
    "applicant.kind": "申请人类型",
    "applicant.name": "申请人名称",
    "applicant.id_number": "申请人证件号码",
    "applicant.phone": "联系电话",
    "applicant.agent": "代理人",
    "applicant.agent.name": "代理人姓名",
    "applicant.agent.id_number": "代理人证件号码",
    "applicant.agent.phone": "代理人电话",
    "channel": "收件渠道",
    "other_place": "异地办件",
    "other_place.kind": "异地办件类型",
    "other_place.place": "办理地",
    "materials": "材料",
    "materials.status": "材料收取状态",
    "materials.note": "材料问题说明",
    "ticket_id": "号票",
    "deadline": "期限",
    "signed_by": "承诺人签名",
    "marks": "材料收取情况",
    "marks.status": "材料收取状态",
    "marks.note": "材料问题说明",
    "acceptance_days": "受理期限",
    "commitment": "告知承诺书",
    "commitment.legal_basis": "告知承诺书 a) 法律依据",
    "commitment.conditions": "告知承诺书 b) 条件、标准、时限、材料及违诺后果",
    "commitment.services": "告知承诺书 c) 服务内容、咨询方式、监管方式及责任",
    "commitment.verification": "告知承诺书 d) 违诺认定、整改期限、失信分级及申诉修复",
    "commitment.signed_by": "承诺人签名",
    "procedure": "特别程序",
    "to_body": "接收单位",
    "received_by": "接收人",
    "note": "说明",
    "days": "延期天数",
    "decided_by": "决定机关",
    "document_no": "决定文号",
    "contact": "咨询联系方式",
    "arrived_on": "结果到达日期",
    "delivery": "送达信息",
    "delivery.method": "送达方式",
    "delivery.collector_name": "领取人姓名",
    "delivery.collector_id": "领取人证件号码",
    "delivery.signature_ref": "签收记录",
    "delivery.address": "邮寄地址",
    "delivery.tracking_no": "快递单号",
    "delivery.recipient": "收件人",
    "delivery.destination": "电子送达地址",
    "delivery.reference": "送达凭证编号",
    "case_number": "办件编号",
    "phone_last4": "手机号后4位",
    "q": "检索词",
    "limit": "返回条数",
}
_MISSING = re.compile(r"missing required field `([^`]+)`")
_EXPECTED = re.compile(r"Expected `([^`]+)`")
_INVALID = re.compile(r"Invalid (?:enum )?value (.+)$")
_INDEX = re.compile(r"\[[^\]]*\]")
_TYPE_WORDS = {
    "str": "文字",
    "int": "整数",
    "float": "数字",
    "bool": "true 或 false",
    "object": "对象",
    "array": "列表",
    "date": "日期，如 2026-12-07",
    "datetime": "日期时间",
}


def _label(path: str) -> str:
    """The Chinese name of a field: its dotted path, else its own name (indexes dropped)."""
    plain = _INDEX.sub("", path)
    return FIELD_LABELS.get(plain, FIELD_LABELS.get(plain.rsplit(".", 1)[-1], plain))


def _options(info: msgspec.inspect.Type) -> tuple[msgspec.inspect.Type, ...]:
    return info.types if isinstance(info, msgspec.inspect.UnionType) else (info,)


def _choices(request: Request[Any, Any, Any], path: str) -> list[str]:
    """The values an enum (or a tagged union's tag) at ``path`` of the body accepts."""
    try:
        signature = request.scope["route_handler"].parsed_fn_signature
        info = msgspec.inspect.type_info(signature.parameters["data"].annotation)
    except (AttributeError, KeyError, TypeError):
        return []
    for part in re.findall(r"[^.\[\]]+|\[[^\]]*\]", path):
        structs = [t for t in _options(info) if isinstance(t, msgspec.inspect.StructType)]
        if any(t.tag_field == part for t in structs):
            return [str(t.tag) for t in structs]
        found: msgspec.inspect.Type | None = None
        for t in _options(info):
            if isinstance(t, msgspec.inspect.DictType) and part.startswith("["):
                found = t.value_type
            elif isinstance(t, msgspec.inspect.ListType) and part.startswith("["):
                found = t.item_type
            elif isinstance(t, msgspec.inspect.StructType):
                found = next((f.type for f in t.fields if f.encode_name == part), found)
        if found is None:
            return []
        info = found
    values: list[str] = []
    for t in _options(info):
        if isinstance(t, msgspec.inspect.EnumType):
            values += [str(e.value) for e in t.cls]
        elif isinstance(t, msgspec.inspect.LiteralType):
            values += [str(v) for v in t.values if v != ""]
    return values


def _hint(request: Request[Any, Any, Any], path: str, message: str) -> str:
    """What is wrong with a field, in Chinese: the expected type, or the accepted values."""
    if "date" in message and "Invalid" in message:
        return "应为日期，如 2026-12-07"
    invalid = _INVALID.search(message)
    if invalid:
        choices = _choices(request, path)
        hint = f"“{invalid.group(1).strip(chr(39))}”不是可选的值"
        return f"{hint}，可选：{'、'.join(choices)}" if choices else hint
    expected = _EXPECTED.search(message)
    if expected:
        words = [t.strip() for t in expected.group(1).split("|") if t.strip() != "null"]
        if words and all(w in _TYPE_WORDS for w in words):
            return "应为" + "或".join(_TYPE_WORDS[w] for w in words)
    return ""


def validation_error_handler(
    request: Request[Any, Any, Any], exc: ValidationException
) -> Response[dict[str, Any]]:
    missing, wrong = [], []
    for item in exc.extra if isinstance(exc.extra, list) else []:
        if not isinstance(item, dict):
            continue
        message, key = str(item.get("message", "")), str(item.get("key") or "")
        found = _MISSING.search(message)
        if found:
            path = found.group(1) if key in ("", "data") else f"{key}.{found.group(1)}"
            missing.append(_label(path))
        elif key == "data" and message.startswith("Expected `object`"):
            return _body(400, "bad_request", "请求内容应为 JSON 对象，请检查后重试")
        elif key and key != "data":
            hint = _hint(request, key, message)
            wrong.append(f"{_label(key)}（{hint}）" if hint else _label(key))
    parts = []
    if missing:
        parts.append(f"缺少必填项：{'、'.join(missing)}")
    if wrong:
        parts.append(f"格式不正确：{'、'.join(wrong)}")
    detail = "；".join(parts) or "请求内容缺少必填项或格式不正确"
    return _body(400, "bad_request", f"{detail}，请检查后重试")


def http_error_handler(_: Request[Any, Any, Any], exc: HTTPException) -> Response[dict[str, Any]]:
    messages = {404: "找不到该页面或接口", 405: "不支持该请求方法", 413: "请求内容过大"}
    message = messages.get(exc.status_code, "请求无法处理")
    return _body(exc.status_code, "http_error", message)


def internal_error_handler(_: Request[Any, Any, Any], exc: Exception) -> Response[dict[str, Any]]:
    log.exception("unhandled error", exc_info=exc)
    return _body(500, "internal", "系统内部错误，操作未完成，请重试；如反复出现请联系站长")


EXCEPTION_HANDLERS: dict[Any, Any] = {
    Exception: internal_error_handler,
    DomainError: domain_error_handler,
    ValidationException: validation_error_handler,
    HTTPException: http_error_handler,
}
