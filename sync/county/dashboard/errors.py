"""HTML error pages for the dashboard router (the sync API keeps its JSON errors)."""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import quote

from litestar import Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.response import Redirect

from appliance.core.errors import DomainError
from sync.county.admins import AdminPrincipal
from sync.county.dashboard.auth import LoginRequired
from sync.county.dashboard.common import PREFIX
from sync.county.dashboard.render import render

log = logging.getLogger("yizhan.county.dashboard")


def _admin(request: Request[Any, Any, Any]) -> AdminPrincipal | None:
    admin: AdminPrincipal | None = request.state.get("admin")
    return admin


def _page(request: Request[Any, Any, Any], status: int, message: str) -> Response[str]:
    return render(
        "error.html", _admin(request), status=status, page="", status_code=status, message=message
    )


def login_required(request: Request[Any, Any, Any], exc: LoginRequired) -> Response[Any]:
    target = request.url.path if request.method == "GET" else f"{PREFIX}/health"
    return Redirect(f"{PREFIX}/login?next={quote(target)}", status_code=303)


def domain_error(request: Request[Any, Any, Any], exc: DomainError) -> Response[str]:
    return _page(request, exc.status, exc.message)


BAD_FORM = "提交的内容缺少必填项或格式不正确（如未选择文件），请检查后重试"


def validation_error(request: Request[Any, Any, Any], exc: ValidationException) -> Response[str]:
    return _page(request, 400, BAD_FORM)


def http_error(request: Request[Any, Any, Any], exc: HTTPException) -> Response[str]:
    messages = {400: BAD_FORM, 404: "找不到该页面", 405: "不支持该请求方法", 413: "上传的文件过大"}
    return _page(request, exc.status_code, messages.get(exc.status_code, "请求无法处理"))


def internal_error(request: Request[Any, Any, Any], exc: Exception) -> Response[str]:
    log.exception("dashboard error", exc_info=exc)
    return _page(request, 500, "系统内部错误，操作未完成，请重试；如反复出现请联系运维人员")


DASHBOARD_EXCEPTION_HANDLERS: dict[Any, Any] = {
    Exception: internal_error,
    DomainError: domain_error,
    LoginRequired: login_required,
    ValidationException: validation_error,
    HTTPException: http_error,
}
