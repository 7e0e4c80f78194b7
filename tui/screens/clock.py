"""校准时间: shown over the login screen while the server refuses to serve because the
system clock cannot be trusted (a Pi has no battery clock: after a power cut it may boot in
the past). The station head types the time from a watch or phone, with their code and PIN;
the server sets the system clock and starts serving. If the clock is put right otherwise
(network time, the county's time through sync) the screen closes by itself.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Vertical
from textual.widgets import Input, Label, Static

from appliance.clock.schemas import ClockStatus, SetClockIn
from tui.api_client import ApiError, Offline
from tui.screens.base import AppScreen
from tui.status_bar import StatusBar

FIELDS = ("#clock-time", "#clock-code", "#clock-pin")


class ClockScreen(AppScreen):
    """Enter in the last field (or Ctrl+S) sets the time."""

    BINDINGS = [Binding("ctrl+s", "submit", "校准时间", priority=True)]
    DEFAULT_CSS = """
    #clock-box {
        width: 60%;
        min-width: 36;
        height: auto;
        margin-top: 1;
        padding: 1 2;
        border: heavy $error;
    }
    #clock-title {
        text-style: bold;
        color: $error;
        width: 100%;
        content-align: center middle;
    }
    #clock-error {
        color: $error;
        text-style: bold;
        height: auto;
    }
    """

    def __init__(self, status: ClockStatus) -> None:
        super().__init__()
        self.status = status

    def compose(self) -> ComposeResult:
        yield StatusBar()
        with Center(), Vertical(id="clock-box"):
            yield Label("系统时间不正确，暂停办理业务", id="clock-title")
            yield Static(self.status.reason, id="clock-reason")
            yield Static(f"本机现在显示：{self.status.local_now}", id="clock-now")
            yield Label("正确的北京时间（看手机或手表）：")
            yield Input(placeholder="如 2026-12-03 09:30", id="clock-time")
            yield Label("站长工号：")
            yield Input(placeholder="只有站长可以校准时间", id="clock-code")
            yield Label("站长密码：")
            yield Input(placeholder="数字密码", password=True, id="clock-pin")
            yield Static("", id="clock-error")
            yield Static(
                "Enter 下一项 / 确定 · 联网后也会自动校时 · Ctrl+Q 退出", classes="dialog-hint"
            )

    def on_mount(self) -> None:
        self.query_one("#clock-time", Input).focus()

    def show(self, status: ClockStatus) -> None:
        self.status = status
        self.query_one("#clock-reason", Static).update(status.reason)
        self.query_one("#clock-now", Static).update(f"本机现在显示：{status.local_now}")

    def _value(self, field_id: str) -> str:
        return self.query_one(field_id, Input).value.strip()

    def _error(self, message: str) -> None:
        self.query_one("#clock-error", Static).update(message)

    async def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id != "clock-pin" and not all(self._value(f) for f in FIELDS):
            self.focus_next()
            return
        await self.action_submit()

    async def action_submit(self) -> None:
        time_text, code, pin = (self._value(f) for f in FIELDS)
        if not (time_text and code and pin):
            self._error("请填写时间、站长工号和密码")
            return
        self._error("正在校准…")
        try:
            status = await self.yz.api.set_clock(
                SetClockIn(code=code, pin=pin, local_time=time_text)
            )
        except ApiError as exc:
            self._error(exc.message)
            if exc.status == 403:
                self.query_one("#clock-pin", Input).value = ""
            return
        except Offline as exc:
            self._error(exc.message)
            return
        self.show(status)
        if status.ok:
            self.yz.clock_fixed()
        else:
            self._error(status.reason)
