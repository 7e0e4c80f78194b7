"""The logged-in staff member and their window (工作人员会话), and the two flows around it.

No Textual here: opening a session and unlocking a paused window are plain async functions
over ``StationApi``, so the screens stay thin.
"""

from __future__ import annotations

from dataclasses import dataclass

from appliance.queue.schemas import WindowInfo
from appliance.staff.schemas import LoginResult, StaffView
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

    A window's actions belong to the staff member signed in at it, their account's assigned
    window (R-Q6); only the station head may sign in at another window, to act for it. Raises
    ``ApiError`` (400/403/404) with a Chinese message for a bad, foreign or unknown number.
    """
    typed = typed.strip()
    own = next((w for w in windows if w.id == staff.window_id), None)
    if typed:
        if not typed.isdigit():
            raise ApiError(400, "窗口号只能填写数字，如 1", "bad_window")
        number = int(typed)
        if all(w.number != number for w in windows):
            raise ApiError(404, f"找不到 {number} 号窗口，请检查窗口号", "unknown_window")
        if staff.role != "manager" and (own is None or own.number != number):
            mine = f"您的账号绑定 {own.number} 号窗口" if own else "您的账号未绑定窗口"
            raise ApiError(
                403, f"{mine}，不能在 {number} 号窗口登录；如需调整请联系站长", "not_your_window"
            )
        return number
    return own.number if own else None


async def open_session(api: StationApi, code: str, pin: str, window: str = "") -> Session:
    """登录: check the PIN, then settle the window. Raises ``ApiError`` or ``Offline``."""
    if not code.strip():
        raise ApiError(400, "请输入工号", "code_required")
    if not pin:
        raise ApiError(400, "请输入密码", "pin_required")
    return await _settle(api, await api.login(code.strip(), pin), window)


async def change_pin_and_open(
    api: StationApi, code: str, old_pin: str, new_pin: str, window: str = ""
) -> Session:
    """修改密码 (a PIN shorter than the station's minimum must change before the first
    session), then settle the window as a login does. Raises ``ApiError`` or ``Offline``."""
    return await _settle(api, await api.change_pin(code.strip(), old_pin, new_pin), window)


async def _settle(api: StationApi, login: LoginResult, window: str) -> Session:
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
