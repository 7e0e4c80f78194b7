"""Credentials at the HTTP edge (R-I3): the hardware service's ``X-Device-Key``, and the
429 answer of a throttled login (``Retry-After``). Used by ``appliance.http.guards``."""

from __future__ import annotations

import hmac
from typing import Any

from litestar import Request, Response
from litestar.connection import ASGIConnection

from appliance.core.errors import NotAllowed
from appliance.core.rate_limit import TooManyAttempts
from appliance.staff.service.device_key import accepted_device_keys
from appliance.wiring import Services


def _accepted_keys(
    connection: ASGIConnection[Any, Any, Any, Any], services: Services
) -> list[bytes]:
    """The device keys this app accepts, read once (the key file, the setting, demo mode)."""
    state = connection.app.state
    keys: list[bytes] | None = getattr(state, "device_keys", None)
    if keys is None:
        keys = [k.encode() for k in accepted_device_keys(services.settings)]
        if keys:  # no key yet (no file): look again on the next request
            state.device_keys = keys
    return keys


def check_device_key(connection: ASGIConnection[Any, Any, Any, Any], services: Services) -> None:
    """``X-Device-Key`` against every accepted key, each in constant time (R-I3)."""
    presented = connection.headers.get("x-device-key", "").encode()
    keys = _accepted_keys(connection, services)
    if not keys:
        raise NotAllowed(
            "本站设备密钥未生成或不安全，硬件服务无法接入：请运行 yizhan doctor 查看",
            "no_device_key",
        )
    matched = False
    for key in keys:  # no early exit: every key is compared
        matched |= hmac.compare_digest(presented, key)
    if not presented or not matched:
        raise NotAllowed("设备密钥无效，硬件服务无权取号", "bad_device_key")


def too_many_attempts_handler(
    _: Request[Any, Any, Any], exc: TooManyAttempts
) -> Response[dict[str, Any]]:
    """429 with ``Retry-After`` (whole seconds) and the same figure in the body."""
    wait = exc.retry_after_seconds
    return Response(
        {"error": exc.code, "message": exc.message, "status": 429, "retry_after": wait},
        status_code=429,
        headers={"Retry-After": str(wait)},
    )
