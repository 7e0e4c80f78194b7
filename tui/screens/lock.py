"""锁屏 while my window is paused (暂停服务, R-Q6): only the staff PIN resumes service."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Center, Vertical
from textual.widgets import Input, Label, Static

from tui.api_client import ApiError, Offline
from tui.screens.base import AppScreen
from tui.session import unlock
from tui.status_bar import StatusBar


class LockScreen(AppScreen):
    """Covers the whole terminal; the app pops it once the window is no longer paused."""

    def __init__(self, reason: str) -> None:
        super().__init__()
        self.reason = reason

    def compose(self) -> ComposeResult:
        session = self.yz.session
        who = session.staff.name if session else ""
        yield StatusBar()
        with Center(), Vertical(id="lock-box"):
            yield Static(self._reason_text(), id="lock-reason")
            yield Label(f"恢复服务请输入 {who} 的密码：")
            yield Input(password=True, placeholder="密码", id="lock-pin")
            yield Static("", id="lock-error")
            yield Static("Enter 恢复服务", classes="dialog-hint")

    def _reason_text(self) -> Text:
        return Text(f"暂停服务中：{self.reason}", style="bold")

    def on_mount(self) -> None:
        self.query_one("#lock-pin", Input).focus()

    def set_reason(self, reason: str) -> None:
        if reason != self.reason:
            self.reason = reason
            if self.is_mounted:
                self.query_one("#lock-reason", Static).update(self._reason_text())

    async def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        session = self.yz.session
        error = self.query_one("#lock-error", Static)
        pin = self.query_one("#lock-pin", Input)
        if session is None:
            return
        try:
            await unlock(self.yz.api, session, event.value)
        except (ApiError, Offline) as exc:
            error.update(exc.message)
            pin.value = ""
            if isinstance(exc, Offline):
                self.yz.set_online(False)
            return
        error.update("")
        self.notify("已恢复服务")
        await self.yz.refresh_now()
