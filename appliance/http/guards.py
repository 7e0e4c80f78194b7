"""Access control and error mapping at the HTTP edge.

Every route must say who may call it: ``opt={"public": True}`` or ``opt={"roles": {...}}``.
A route that says neither is refused (fail closed); tests walk the whole matrix.
"""

from __future__ import annotations

import logging
import re
from typing import Any

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
}
_MISSING = re.compile(r"missing required field `([^`]+)`")


def validation_error_handler(
    _: Request[Any, Any, Any], exc: ValidationException
) -> Response[dict[str, Any]]:
    missing, wrong = [], []
    for item in exc.extra if isinstance(exc.extra, list) else []:
        if not isinstance(item, dict):
            continue
        found = _MISSING.search(str(item.get("message", "")))
        if found:
            missing.append(FIELD_LABELS.get(found.group(1), found.group(1)))
        elif item.get("key") and item.get("key") != "data":
            wrong.append(FIELD_LABELS.get(str(item["key"]), str(item["key"])))
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
