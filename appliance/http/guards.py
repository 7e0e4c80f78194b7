"""Access control and error mapping at the HTTP edge.

Every route must say who may call it: ``opt={"public": True}`` or ``opt={"roles": {...}}``.
A route that says neither is refused (fail closed); tests walk the whole matrix.
"""

from __future__ import annotations

from typing import Any

from litestar import Request, Response
from litestar.connection import ASGIConnection
from litestar.exceptions import HTTPException, ValidationException
from litestar.handlers.base import BaseRouteHandler

from appliance.domain.errors import DomainError, NotAllowed
from appliance.domain.roles import ROLE_LABELS
from appliance.services.container import Services
from appliance.services.staff_service import Principal


def bearer_token(connection: ASGIConnection[Any, Any, Any, Any]) -> str | None:
    header = connection.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip() or None
    return None


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
    principal = services.staff.authenticate(bearer_token(connection))
    if principal.role not in roles:
        raise NotAllowed(
            f"您的岗位（{ROLE_LABELS[principal.role]}）无权进行此操作", "forbidden_role"
        )
    connection.state.principal = principal


def provide_principal(request: Request[Any, Any, Any]) -> Principal:
    principal: Principal = request.state.principal
    return principal


def provide_services(request: Request[Any, Any, Any]) -> Services:
    services: Services = request.app.state.services
    return services


def _body(status: int, code: str, message: str) -> Response[dict[str, Any]]:
    return Response({"error": code, "message": message, "status": status}, status_code=status)


def domain_error_handler(_: Request[Any, Any, Any], exc: DomainError) -> Response[dict[str, Any]]:
    return _body(exc.status, exc.code, exc.message)


def validation_error_handler(
    _: Request[Any, Any, Any], exc: ValidationException
) -> Response[dict[str, Any]]:
    fields = []
    for item in exc.extra if isinstance(exc.extra, list) else []:
        if isinstance(item, dict) and item.get("key"):
            fields.append(str(item["key"]))
    detail = f"（字段：{'、'.join(fields)}）" if fields else ""
    return _body(400, "bad_request", f"请求内容缺少必填项或格式不正确{detail}，请检查后重试")


def http_error_handler(_: Request[Any, Any, Any], exc: HTTPException) -> Response[dict[str, Any]]:
    messages = {404: "找不到该页面或接口", 405: "不支持该请求方法", 413: "请求内容过大"}
    message = messages.get(exc.status_code, "请求无法处理")
    return _body(exc.status_code, "http_error", message)


EXCEPTION_HANDLERS: dict[Any, Any] = {
    DomainError: domain_error_handler,
    ValidationException: validation_error_handler,
    HTTPException: http_error_handler,
}
