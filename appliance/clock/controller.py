"""The restricted server (时钟有误模式): while the clock is wrong the station answers only
its health (``ok: false``), the clock's verdict and setting the time; everything else is
503 ``clock_wrong`` with a Chinese message, so nothing is written with a wrong time.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import msgspec
from litestar import Controller, Litestar, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.exceptions import HTTPException
from litestar.params import JSONBody

from appliance.clock.schemas import ClockStatus, SetClockIn
from appliance.clock.service import ClockGuard
from appliance.core.errors import DomainError
from appliance.core.rate_limit import TooManyAttempts
from appliance.core.schemas import StationHealth
from appliance.events.log import last_event_seq

PUBLIC = {"public": True}
WRONG = "系统时间不正确，服务暂停：请站长在工作人员终端校准时间，或等待联网自动校时"
Guard = NamedDependency[ClockGuard]


def _body(status: int, code: str, message: str) -> Response[dict[str, Any]]:
    return Response({"error": code, "message": message}, status_code=status)


def _domain(_: Request[Any, Any, Any], exc: DomainError) -> Response[dict[str, Any]]:
    response = _body(exc.status, exc.code, exc.message)
    if isinstance(exc, TooManyAttempts):
        response.headers["Retry-After"] = str(exc.retry_after_seconds)
    return response


def _http(_: Request[Any, Any, Any], exc: HTTPException) -> Response[dict[str, Any]]:
    if exc.status_code == 404:  # every route of the full server: not now
        return _body(503, "clock_wrong", WRONG)
    if exc.status_code == 400:
        return _body(400, "bad_request", f"请求内容不正确：{exc.detail}")
    return _body(exc.status_code, "refused", str(exc.detail))


class ClockController(Controller):
    path = "/api"

    @get("/health", opt=PUBLIC, sync_to_thread=True)
    def health(self, guard: Guard) -> StationHealth:
        """The station answers, but ``ok`` is False: its clock is wrong (see ``/api/clock``)."""
        settings = guard.settings
        return StationHealth(
            ok=guard.verdict().ok,
            station_code=settings.station_code,
            station_name=settings.station_name,
            time=guard.clock.now().isoformat(),
            event_seq=last_event_seq(guard.db) if guard.db is not None else 0,
        )

    @get("/clock", opt=PUBLIC, sync_to_thread=True)
    def clock(self, guard: Guard) -> ClockStatus:
        """系统时间: the verdict, why it is wrong and the earliest time accepted."""
        return guard.status()

    @post("/clock/set", opt=PUBLIC, sync_to_thread=True)
    def set_clock(
        self, data: JSONBody[SetClockIn], guard: Guard, on_fixed: NamedDependency[Any]
    ) -> ClockStatus:
        """校准时间 by the station head (工号 + 密码); once right, the full server starts."""
        status = guard.set_by_staff(data.code, data.pin, data.local_time)
        if status.ok:
            on_fixed()
        return status


def create_clock_app(guard: ClockGuard, on_fixed: Callable[[], None]) -> Litestar:
    """The restricted app; ``on_fixed`` is called once staff have set a trusted time."""
    from litestar.di import Provide

    return Litestar(
        route_handlers=[ClockController],
        dependencies={
            "guard": Provide(lambda: guard, sync_to_thread=False),
            "on_fixed": Provide(lambda: on_fixed, sync_to_thread=False),
        },
        exception_handlers={DomainError: _domain, HTTPException: _http},
        openapi_config=None,
        type_encoders={msgspec.Struct: msgspec.to_builtins},
    )
