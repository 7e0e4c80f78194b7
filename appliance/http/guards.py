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
from litestar.params import ParameterKwarg

from appliance.core.errors import DomainError, NotAllowed
from appliance.core.rate_limit import TooManyAttempts
from appliance.core.roles import ROLE_LABELS, Principal
from appliance.core.text import PATTERN_HINTS
from appliance.http.credentials import check_device_key, too_many_attempts_handler
from appliance.http.field_labels import FIELD_LABELS
from appliance.staff.service.accounts import bearer_token
from appliance.wiring import Services

log = logging.getLogger("yizhan.http")


def role_guard(connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler) -> None:
    opt = handler.opt
    if opt.get("public"):
        return
    services: Services = connection.app.state.services
    if opt.get("device"):
        check_device_key(connection, services)
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


_MISSING = re.compile(r"missing required field `([^`]+)`")
_EXPECTED = re.compile(r"Expected `([^`]+)`")
_LENGTH = re.compile(r"of length (<=|>=) (\d+)")
_RANGE = re.compile(r"Expected `(?:int|float)` (>=|>|<=|<) (-?[\d.e+]+)")
_REGEX = re.compile(r"matching regex '(.*)'$")
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


def _param(request: Request[Any, Any, Any], name: str) -> Any:
    """The parsed signature parameter ``name`` of the route (None when unknown)."""
    try:
        return request.scope["route_handler"].parsed_fn_signature.parameters[name]
    except (AttributeError, KeyError, TypeError):
        return None


def _type_at(request: Request[Any, Any, Any], path: str) -> Any:
    """The msgspec type info at ``path`` of the body, or the query parameter's definition
    (both carry ``ge`` / ``le`` / ``max_length`` …); the tag values at a union's tag field
    come back as a list. None when unknown."""
    data = _param(request, "data")
    if data is None:
        param = _param(request, path)
        return getattr(param, "kwarg_definition", None)
    try:
        info = msgspec.inspect.type_info(data.annotation)
    except (TypeError, ValueError):
        return None
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
            return None
        info = found
    return info


def _choices(request: Request[Any, Any, Any], path: str) -> list[str]:
    """The values an enum (or a tagged union's tag) at ``path`` of the body accepts."""
    info = _type_at(request, path)
    if isinstance(info, list):
        return info
    if info is None or isinstance(info, ParameterKwarg):
        return []
    values: list[str] = []
    for t in _options(info):
        if isinstance(t, msgspec.inspect.EnumType):
            values += [str(e.value) for e in t.cls]
        elif isinstance(t, msgspec.inspect.LiteralType):
            values += [str(v) for v in t.values if v != ""]
    return values


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _bounds(request: Request[Any, Any, Any], path: str) -> tuple[float | None, float | None]:
    """The lower and upper bound of the number at ``path`` (None where there is none)."""
    info = _type_at(request, path)
    low = high = None
    for t in [info] if isinstance(info, ParameterKwarg) else _options(info) if info else ():
        low = next(
            (v for v in (getattr(t, "ge", None), getattr(t, "gt", None)) if v is not None), low
        )
        high = next(
            (v for v in (getattr(t, "le", None), getattr(t, "lt", None)) if v is not None), high
        )
    return low, high


def _limit_hint(request: Request[Any, Any, Any], path: str, message: str) -> str:
    """Chinese for a bound that a value broke: a length, a range or a pattern."""
    length = _LENGTH.search(message)
    if length:
        unit = "个字" if "`str`" in message else "项"
        return f"{'最多' if length.group(1) == '<=' else '至少'} {length.group(2)} {unit}"
    if _RANGE.search(message):
        low, high = _bounds(request, path)
        if low is not None and high is not None:
            return f"应在 {_number(low)}–{_number(high)} 之间"
        found = _RANGE.search(message)
        assert found is not None
        words = {">=": "不小于", ">": "大于", "<=": "不大于", "<": "小于"}
        return f"应{words[found.group(1)]} {_number(float(found.group(2)))}"
    regex = _REGEX.search(message)
    if regex:
        pattern = regex.group(1).replace("\\\\", "\\")  # the message shows a repr
        return PATTERN_HINTS.get(pattern, "格式不正确")
    return ""


def _hint(request: Request[Any, Any, Any], path: str, message: str) -> str:
    """What is wrong with a field, in Chinese: the expected type, the accepted values, or
    the bound it broke (length, range, characters)."""
    limit = _limit_hint(request, path, message)
    if limit:
        return limit
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


def _misread_body_error(exc: HTTPException) -> ValidationException | None:
    """Litestar reports a bad body field whose name is also a dependency's (``sms``,
    ``queue`` …: every service is one) as a 500; it is the client's mistake, so a 400."""
    cause = exc.__cause__
    if exc.status_code != 500 or not isinstance(cause, msgspec.ValidationError):
        return None
    message, _, where = str(cause).partition(" - at `$.")
    key = where.rstrip("`").removeprefix("data").lstrip(".") or "data"
    return ValidationException(extra=[{"message": message, "key": key, "source": "body"}])


def http_error_handler(
    request: Request[Any, Any, Any], exc: HTTPException
) -> Response[dict[str, Any]]:
    misread = _misread_body_error(exc)
    if misread is not None:
        return validation_error_handler(request, misread)
    messages = {404: "找不到该页面或接口", 405: "不支持该请求方法", 413: "请求内容过大"}
    message = messages.get(exc.status_code, "请求无法处理")
    return _body(exc.status_code, "http_error", message)


def internal_error_handler(_: Request[Any, Any, Any], exc: Exception) -> Response[dict[str, Any]]:
    log.exception("unhandled error", exc_info=exc)
    return _body(500, "internal", "系统内部错误，操作未完成，请重试；如反复出现请联系站长")


EXCEPTION_HANDLERS: dict[Any, Any] = {
    Exception: internal_error_handler,
    DomainError: domain_error_handler,
    TooManyAttempts: too_many_attempts_handler,
    ValidationException: validation_error_handler,
    HTTPException: http_error_handler,
}
