"""登录: staff code, PIN and (optionally) the window number."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Center, Vertical
from textual.widgets import Input, Label, Static

from tui.api_client import ApiError, Offline
from tui.screens.base import AppScreen
from tui.session import open_session
from tui.status_bar import StatusBar


class LoginScreen(AppScreen):
    """The first screen; Enter in any field logs in."""

    def compose(self) -> ComposeResult:
        yield StatusBar()
        with Center(), Vertical(id="login-box"):
            yield Label("驿站 · 工作人员登录", id="login-title")
            yield Label("工号：")
            yield Input(placeholder="如 ck01", id="login-code")
            yield Label("密码：")
            yield Input(placeholder="数字密码", password=True, id="login-pin")
            yield Label("窗口号：")
            yield Input(placeholder="留空则使用账号绑定的窗口", id="login-window")
            yield Static("", id="login-error")
            yield Static("Enter 登录 · Tab 切换输入框 · Ctrl+Q 退出", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#login-code", Input).focus()

    def _value(self, field_id: str) -> str:
        return self.query_one(field_id, Input).value

    def _show_error(self, message: str) -> None:
        self.query_one("#login-error", Static).update(message)

    async def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._show_error("正在登录…")
        try:
            session = await open_session(
                self.yz.api,
                self._value("#login-code"),
                self._value("#login-pin"),
                self._value("#login-window"),
            )
        except ApiError as exc:
            self._show_error(exc.message)
            if exc.status == 401:
                pin = self.query_one("#login-pin", Input)
                pin.value = ""
                pin.focus()
            return
        except Offline as exc:
            self._show_error(exc.message)
            self.yz.set_online(False)
            return
        self.yz.start_session(session)
