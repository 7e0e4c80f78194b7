"""Shared by the case screens (办件): one guarded API call, and the station's local day."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from typing import TYPE_CHECKING, TypeVar, cast

from textual.app import App

from tui.api_client import ApiError, Offline

if TYPE_CHECKING:
    from tui.app import YizhanApp

R = TypeVar("R")
UNKNOWN_ANSWER = "服务器的回复无法识别，操作结果未知，请刷新后核对"


async def guarded(app: App[object], call: Awaitable[R], show: Callable[[str], None]) -> R | None:
    """Await one API call; on a refusal or an outage ``show`` the Chinese message (in the
    form, so nothing typed is lost) and return None."""
    yz = cast("YizhanApp", app)
    try:
        return await call
    except ApiError as exc:
        show(exc.message)
        if exc.status == 401 and yz.session is not None:
            yz.notify(exc.message, severity="error", markup=False)
            yz.end_session()
    except Offline as exc:
        yz.set_online(False)
        show(exc.message)
    except Exception as exc:  # an unexpected answer must not crash the terminal
        yz.log.error(f"case call failed: {exc!r}")
        show(UNKNOWN_ANSWER)
    return None


def local_today(app: App[object]) -> date:
    """Today at the station (the app's clock in the station's time zone)."""
    yz = cast("YizhanApp", app)
    return yz.clock().astimezone(yz.timezone).date()
