"""The refusals every route may give, in the OpenAPI document (R-I3).

Any operation can be refused: a malformed or oversized body (400, 413), a missing login or
device key (401, 403), an unknown id (404), a state that does not allow it (409), a body
that does not arrive in time (408), too many attempts (429), a server at its connection
limit (503). Each answer has the one error shape (``ErrorBody``). ``document_errors``
writes them into every route's responses, replacing Litestar's default 400 (which describes
a body the apps never send), so a client, and the fuzzing gate, can hold the apps to it.
"""

from __future__ import annotations

from collections.abc import Iterable

from litestar import Litestar
from litestar.openapi.datastructures import ResponseSpec
from litestar.routes import HTTPRoute

from appliance.core.schemas import ErrorBody

ERROR_STATUSES = {
    400: "请求内容缺少必填项、格式不正确或超出范围",
    401: "未登录、登录已失效或签名不对",
    403: "无权进行此操作",
    404: "找不到该对象",
    405: "不支持该请求方法",
    408: "请求内容未在规定时间内传完",
    409: "当前状态不允许此操作",
    410: "需要重新下载完整数据",
    413: "请求内容过大",
    429: "尝试次数过多，请稍后再试",
    503: "服务器连接数已满，请稍后再试",
}


HTML_STATUSES = {
    200: "页面（操作结果）",
    303: "转到登录页或结果页",
    **ERROR_STATUSES,
}


def document_errors(
    app: Litestar, statuses: Iterable[int] = ERROR_STATUSES, html_prefix: str | None = None
) -> None:
    """Add the error answers to every route of ``app`` (before its schema is first built).

    Routes under ``html_prefix`` (the county dashboard) answer with HTML pages: a page for a
    refusal, a redirect to the login page, a page for the outcome of an action.
    """
    specs = {
        code: ResponseSpec(
            data_container=ErrorBody, description=ERROR_STATUSES.get(code, "请求被拒绝")
        )
        for code in statuses
    }
    pages = {
        code: ResponseSpec(
            data_container=None if code == 303 else str, media_type="text/html", description=text
        )
        for code, text in HTML_STATUSES.items()
    }
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        html = html_prefix is not None and route.path.startswith(html_prefix)
        for handler in route.route_handlers:
            extra = dict(pages if html else specs)
            extra.pop(handler.status_code, None)  # the handler's own success answer stays
            handler.responses = {**extra, **dict(handler.responses or {})}
