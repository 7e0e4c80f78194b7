"""Bounds on request bodies, before any handler or decoder sees them (R-I3).

``limit_bodies`` is an ASGI middleware (Litestar runs it after routing, so it knows the
route) that reads the whole body of a request that has one and refuses it:

- with 408 when it does not arrive within ``body_timeout`` seconds (a client that promised
  a body and sends none, or sends it a byte at a time, holds nothing for longer);
- with 413 when it is larger than ``max_bytes`` (by its Content-Length, or as it arrives);
- with 400 when the route takes a JSON body (a ``data`` parameter) nested deeper than
  ``max_depth`` (a body nested 100,000 deep would otherwise make the decoder recurse until
  Python gives up, a 500).

The answer has the shape of every refusal (``{"error", "message", "status"}``) with a
Chinese message. The station and the county both use it. Headers and connections are
bounded in the server itself (``appliance.http.serving``).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

import anyio
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from appliance.core.text import json_depth

NO_BODY = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass(frozen=True)
class BodyLimits:
    max_bytes: int = 256 * 1024
    max_depth: int = 32
    body_timeout: float = 30.0
    too_large: str = "请求内容过大，请检查后重试"


class _Refused(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


async def _refuse(send: Send, error: _Refused) -> None:
    body = json.dumps(
        {"error": error.code, "message": error.message, "status": error.status},
        ensure_ascii=False,
    ).encode()
    start = {
        "type": "http.response.start",
        "status": error.status,
        "headers": [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            (b"connection", b"close"),
        ],
    }
    await send(cast(Message, start))
    await send(cast(Message, {"type": "http.response.body", "body": body, "more_body": False}))


def _takes_json(scope: Scope) -> bool:
    """Whether the route decodes its body as JSON (a ``data`` parameter of a JSON type)."""
    handler: Any = scope.get("route_handler")
    try:
        data = handler.parsed_fn_signature.parameters["data"]
    except (AttributeError, KeyError):
        return False
    media_type = getattr(getattr(data, "kwarg_definition", None), "media_type", None)
    return media_type is None or "json" in str(getattr(media_type, "value", media_type)).lower()


def _declared_length(scope: Scope) -> int | None:
    for name, value in cast(Any, scope).get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def _read_body(receive: Receive, limits: BodyLimits) -> tuple[bytes, Message | None]:
    """The whole body (and a disconnect met on the way), within the time and size bounds."""
    chunks: list[bytes] = []
    size = 0
    try:
        with anyio.fail_after(limits.body_timeout):
            while True:
                message: Any = await receive()
                if message["type"] != "http.request":
                    return b"".join(chunks), cast(Message, message)
                chunk = message.get("body", b"")
                size += len(chunk)
                if size > limits.max_bytes:
                    raise _Refused(413, "too_large", limits.too_large)
                chunks.append(chunk)
                if not message.get("more_body", False):
                    return b"".join(chunks), None
    except TimeoutError:
        raise _Refused(
            408, "body_timeout", "请求内容未在规定时间内传完，连接已关闭，请重试"
        ) from None


def limit_bodies(limits: BodyLimits) -> Callable[[ASGIApp], ASGIApp]:
    """The middleware factory for ``Litestar(middleware=[...])``."""

    def middleware(app: ASGIApp) -> ASGIApp:
        async def guarded(scope: Scope, receive: Receive, send: Send) -> None:
            if (
                cast(Any, scope)["type"] != "http"
                or cast(Any, scope).get("method", "GET") in NO_BODY
            ):
                await app(scope, receive, send)
                return
            try:
                declared = _declared_length(scope)
                if declared is not None and declared > limits.max_bytes:
                    raise _Refused(413, "too_large", limits.too_large)
                body, ending = await _read_body(receive, limits)
                if _takes_json(scope) and json_depth(body) > limits.max_depth:
                    raise _Refused(
                        400,
                        "too_deep",
                        f"请求内容嵌套过深（超过 {limits.max_depth} 层），请检查后重试",
                    )
            except _Refused as refused:
                await _refuse(send, refused)
                return
            replayed = False

            async def replay() -> Any:
                nonlocal replayed
                if not replayed:
                    replayed = True
                    return {"type": "http.request", "body": body, "more_body": False}
                return ending if ending is not None else await receive()

            await app(scope, replay, send)

        return guarded

    return middleware
