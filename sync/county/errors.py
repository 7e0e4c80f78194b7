"""Error mapping at the county HTTP edge: every refusal is ``{"error", "message", "status"}``
with a Chinese message; 4xx means nothing was written."""

from __future__ import annotations

import logging
from typing import Any

from litestar import Request, Response
from litestar.exceptions import HTTPException, ValidationException

from appliance.core.errors import DomainError
from appliance.core.rate_limit import TooManyAttempts
from sync.protocol import BatchRejected

log = logging.getLogger("yizhan.county.http")


def error_body(status: int, code: str, message: str) -> Response[dict[str, Any]]:
    return Response({"error": code, "message": message, "status": status}, status_code=status)


def domain_error(_: Request[Any, Any, Any], exc: DomainError) -> Response[dict[str, Any]]:
    return error_body(exc.status, exc.code, exc.message)


def too_many(_: Request[Any, Any, Any], exc: TooManyAttempts) -> Response[dict[str, Any]]:
    response = error_body(exc.status, exc.code, exc.message)
    response.headers["Retry-After"] = str(exc.retry_after_seconds)
    return response


def batch_rejected(_: Request[Any, Any, Any], exc: BatchRejected) -> Response[dict[str, Any]]:
    return error_body(exc.status, exc.code, exc.message)


def validation_error(
    _: Request[Any, Any, Any], exc: ValidationException
) -> Response[dict[str, Any]]:
    return error_body(400, "bad_request", "请求内容缺少必填项或格式不正确，请检查后重试")


def http_error(_: Request[Any, Any, Any], exc: HTTPException) -> Response[dict[str, Any]]:
    if exc.status_code == 413:
        return error_body(413, "too_large", "批次过大，超过县级中心的接收上限，请拆小后重发")
    messages = {404: "找不到该接口", 405: "不支持该请求方法"}
    return error_body(exc.status_code, "http_error", messages.get(exc.status_code, "请求无法处理"))


def internal_error(_: Request[Any, Any, Any], exc: Exception) -> Response[dict[str, Any]]:
    log.exception("unhandled error", exc_info=exc)
    return error_body(500, "internal", "县级中心内部错误，未完成处理，请稍后重试")


EXCEPTION_HANDLERS: dict[Any, Any] = {
    Exception: internal_error,
    DomainError: domain_error,
    TooManyAttempts: too_many,
    BatchRejected: batch_rejected,
    ValidationException: validation_error,
    HTTPException: http_error,
}
