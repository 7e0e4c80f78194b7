"""``YizhanApp``: the staff terminal (工作人员终端), and ``run_tui`` for ``yizhan tui``.

The app owns the session and a 1-second poll of the server. Every poll refreshes the
status bar, the queue screen and the lock screen (R-Q6). An unreachable server shows as
离线 and is simply tried again on the next tick; nothing here may crash the terminal.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, TypeVar
from zoneinfo import ZoneInfo

from textual.app import App
from textual.binding import Binding

from appliance.alerts.schemas import AlertView
from appliance.clock.schemas import ClockStatus
from appliance.queue.schemas import QueueSnapshot, WindowState
from tui import compositing
from tui.api_client import ApiError, Offline, StationApi
from tui.heartbeat import Heartbeat
from tui.models import window_of
from tui.screens.clock import ClockScreen
from tui.screens.lock import LockScreen
from tui.screens.login import LoginScreen
from tui.screens.queue import QueueScreen
from tui.session import Session
from tui.status_bar import Status, StatusBar, case_summary, is_case_alert

if TYPE_CHECKING:
    from appliance.settings import Settings

R = TypeVar("R")
WEEKDAYS = "一二三四五六日"


def _utc_now() -> datetime:
    return datetime.now(UTC)


class YizhanApp(App[int]):
    """驿站 staff terminal. ``clock`` freezes the status-bar time in tests and snapshots."""

    CSS_PATH = "yizhan.tcss"
    TITLE = "驿站 工作人员终端"
    ENABLE_COMMAND_PALETTE = False
    BINDINGS = [
        Binding("ctrl+q", "quit", "退出程序", show=False, priority=True),
        Binding("f9", "emergency", "应急处置", show=False, priority=True),  # R-I2: any screen
    ]

    def __init__(
        self,
        server_url: str,
        clock: Callable[[], datetime] | None = None,
        *,
        timezone: str = "Asia/Shanghai",
        poll_seconds: float = 1.0,
        cursor_blink: bool = True,
        api: StationApi | None = None,
    ) -> None:
        compositing.install()  # whole Chinese characters under toasts (tui.compositing)
        super().__init__()
        self.api = api or StationApi(server_url)
        self.clock = clock or _utc_now
        self.timezone = ZoneInfo(timezone)
        self.poll_seconds = poll_seconds
        self.cursor_blink = cursor_blink
        self.session: Session | None = None
        self.online: bool | None = None
        self.snapshot: QueueSnapshot | None = None
        self.alerts: list[AlertView] = []
        self.device_problems: list[str] = []
        self.sync_line = ""
        self.sync_problems: list[str] = []
        self.hardware_fault = ""  # 硬件服务 silent or stuck (the server's verdict)
        self.backup_line, self.backup_warn = "", False
        self.clock_status: ClockStatus | None = None  # set while the server's clock is wrong
        self._refreshing = asyncio.Lock()
        self.heartbeat = Heartbeat.from_env()  # read by yizhan-tui-watch (tui.heartbeat)

    def on_mount(self) -> None:
        self.push_screen(LoginScreen())
        self.set_interval(self.poll_seconds, self.refresh_now)
        self.call_later(self.refresh_now)

    async def on_unmount(self) -> None:
        await self.api.aclose()

    # ---- status --------------------------------------------------------------------------
    def now_text(self) -> str:
        now = self.clock()
        local = now.astimezone(self.timezone) if now.tzinfo else now
        return local.strftime(f"%Y-%m-%d 周{WEEKDAYS[local.weekday()]} %H:%M:%S")

    def status(self) -> Status:
        who = self.session.label if self.session else "未登录"
        alerts = (
            tuple(a.message for a in self.alerts if not is_case_alert(a.kind))
            + tuple(self.device_problems)
            + tuple(self.sync_problems)
        )
        cases = case_summary(a.kind for a in self.alerts)
        return Status(
            self.online,
            self.now_text(),
            who,
            alerts,
            self.sync_line,
            cases,
            hardware=self.hardware_fault,
            backup=self.backup_line,
            backup_warn=self.backup_warn,
        )

    def publish_status(self) -> None:
        status = self.status()
        for screen in self.screen_stack:
            for bar in screen.query(StatusBar):
                bar.show(status)

    def set_online(self, online: bool) -> None:
        self.online = online
        self.publish_status()

    def my_window(self) -> WindowState | None:
        if self.session is None or self.snapshot is None:
            return None
        return window_of(self.snapshot, self.session.window)

    # ---- polling -------------------------------------------------------------------------
    async def refresh_now(self) -> None:
        """Fetch queue and alerts (or only health when logged out), then redraw."""
        async with self._refreshing:
            await self._fetch()
            try:
                await self._redraw()
            except Exception as exc:  # a drawing glitch must not stop the terminal
                self.log.error(f"redraw failed: {exc!r}")
        self.heartbeat.beat()  # online or not: the loop went round

    async def _fetch(self) -> None:
        try:
            if self.session is None:
                health = await self.api.health()
                self.clock_status = None if health.ok else await self.api.clock()
                self.snapshot, self.alerts, self.device_problems = None, [], []
                self.sync_line, self.sync_problems = "", []
                self.hardware_fault, self.backup_line, self.backup_warn = "", "", False
            else:
                self.snapshot = await self.api.queue()
                self.alerts = await self.api.alerts()
                self.device_problems = await self.api.device_problems()
                sync = await self.api.sync_status()
                self.sync_line, self.sync_problems = sync or ("", [])
                await self._fetch_appliance()
            self.online = True
        except Offline:
            self.online = False
        except ApiError as exc:
            self.online = True
            clock_wrong = exc.code == "clock_wrong"  # the server restarted with a wrong clock
            if (exc.status == 401 or clock_wrong) and self.session is not None:
                self.notify(exc.message, severity="error", markup=False)
                self.end_session()
        except Exception as exc:  # a malformed answer must not crash the terminal
            self.log.error(f"refresh failed: {exc!r}")

    async def _fetch_appliance(self) -> None:
        """The hardware service's verdict and the last good backup (备份：3 小时前)."""
        appliance = await self.api.appliance()
        if appliance is None:
            return
        hw = appliance.hardware
        self.hardware_fault = "" if hw.ok else f"{hw.label}（{hw.detail}）"
        self.backup_line, self.backup_warn = appliance.backup.summary, appliance.backup.warn

    def _sync_clock(self) -> None:
        """Show the clock screen over the login screen while the server's clock is wrong."""
        shown = next((s for s in self.screen_stack if isinstance(s, ClockScreen)), None)
        wrong = self.clock_status is not None and not self.clock_status.ok
        if wrong and shown is None and self.clock_status is not None:
            self.push_screen(ClockScreen(self.clock_status))
        elif wrong and shown is not None and self.clock_status is not None:
            shown.show(self.clock_status)
        elif not wrong and shown is not None:
            self.clock_fixed()

    def clock_fixed(self) -> None:
        """The clock is right again: close the clock screen; the full server is starting."""
        self.clock_status = None
        if isinstance(self.screen, ClockScreen):
            self.pop_screen()
            self.notify("时间已校准，服务器正在启动，请稍候登录", title="系统时间")

    async def _redraw(self) -> None:
        self.publish_status()
        self._sync_clock()
        if self.session is None or self.snapshot is None:
            return
        for screen in self.screen_stack:
            if isinstance(screen, QueueScreen):
                await screen.show_snapshot(self.snapshot)
        self._sync_lock()

    def _sync_lock(self) -> None:
        """Show the lock screen while my window is paused, and drop it once resumed."""
        mine = self.my_window()
        paused = mine is not None and mine.paused
        lock = next((s for s in self.screen_stack if isinstance(s, LockScreen)), None)
        reason = (mine.pause_reason if mine else None) or ""
        if paused and lock is None:
            self.push_screen(LockScreen(reason))
        elif lock is not None and not paused and self.screen is lock:
            self.pop_screen()
        elif lock is not None:
            lock.set_reason(reason)

    # ---- session and actions -------------------------------------------------------------
    def start_session(self, session: Session) -> None:
        self.session = session
        self.snapshot = None
        self.switch_screen(QueueScreen())  # it asks for a refresh once mounted

    def end_session(self) -> None:
        self.session, self.snapshot, self.alerts = None, None, []
        while len(self.screen_stack) > 2:
            self.pop_screen()
        self.switch_screen(LoginScreen())

    async def logout(self) -> None:
        with contextlib.suppress(ApiError, Offline):  # the token is dropped locally anyway
            await self.api.logout()
        self.end_session()
        self.notify("已退出登录")

    async def attempt(self, call: Awaitable[R]) -> R | None:
        """Await one API call; show a refusal or an outage as a notification, return None."""
        try:
            return await call
        except ApiError as exc:
            self.notify(exc.message, title="操作未完成", severity="error", markup=False)
            if exc.status == 401 and self.session is not None:
                self.end_session()
        except Offline as exc:
            self.set_online(False)
            self.notify(exc.message, title="服务器离线", severity="error", markup=False)
        except Exception as exc:  # an unexpected answer must not crash the terminal
            self.log.error(f"action failed: {exc!r}")
            self.notify("服务器的回复无法识别，操作结果未知，请刷新后核对", severity="error")
        return None

    def action_emergency(self) -> None:
        """F9: the emergency checklists (R-I2), over whatever is on screen."""
        from tui.screens.emergency import EmergencyChecklistScreen, EmergencyMenuScreen

        if not isinstance(self.screen, EmergencyMenuScreen | EmergencyChecklistScreen):
            self.push_screen(EmergencyMenuScreen())

    def action_help_quit(self) -> None:
        """Ctrl+C does not quit (it copies in an input): say how to quit, in Chinese."""
        self.notify("按 Ctrl+Q 退出程序", title="要退出吗？")


def run_tui(settings: Settings) -> int:
    """``yizhan tui``: open the staff terminal against ``settings.server_url``."""
    app = YizhanApp(settings.server_url, timezone=settings.timezone)
    app.run()
    return app.return_code or 0
