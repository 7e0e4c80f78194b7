"""The logged-in staff member and their window (工作人员会话), and the two flows around it.

No Textual here: opening a session and unlocking a paused window are plain async functions
over ``StationApi``, so the screens stay thin.
"""

from __future__ import annotations

from dataclasses import dataclass

from appliance.queue.schemas import WindowInfo
from appliance.staff.schemas import StaffView
from tui.api_client import ApiError, StationApi


@dataclass(frozen=True)
class Session:
    """Who works at this terminal, and at which window (None: not bound to a window)."""

    staff: StaffView
    window: int | None

    @property
    def label(self) -> str:
        place = f"{self.window} 号窗口" if self.window is not None else "未绑定窗口"
        return f"{self.staff.name}（{self.staff.code}）· {place}"


def pick_window(windows: list[WindowInfo], typed: str, staff: StaffView) -> int | None:
    """The typed window number, else the account's own window, else None.

    Raises ``ApiError`` (400/404) with a Chinese message for a bad or unknown number.
    """
    typed = typed.strip()
    if typed:
        if not typed.isdigit():
            raise ApiError(400, "窗口号只能填写数字，如 1", "bad_window")
        number = int(typed)
        if all(w.number != number for w in windows):
            raise ApiError(404, f"找不到 {number} 号窗口，请检查窗口号", "unknown_window")
        return number
    own = next((w for w in windows if w.id == staff.window_id), None)
    return own.number if own else None


async def open_session(api: StationApi, code: str, pin: str, window: str = "") -> Session:
    """登录: check the PIN, then settle the window. Raises ``ApiError`` or ``Offline``."""
    if not code.strip():
        raise ApiError(400, "请输入工号", "code_required")
    if not pin:
        raise ApiError(400, "请输入密码", "pin_required")
    login = await api.login(code.strip(), pin)
    try:
        number = pick_window(await api.windows(), window, login.staff)
    except ApiError:
        await api.logout()
        raise
    return Session(login.staff, number)


async def unlock(api: StationApi, session: Session, pin: str) -> None:
    """Resume a paused window (R-Q6) after the staff PIN checks out again."""
    if not pin:
        raise ApiError(400, "请输入密码", "pin_required")
    await api.login(session.staff.code, pin)
    if session.window is not None:
        await api.resume(session.window)
