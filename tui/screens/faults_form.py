"""登记故障 (R-I1): the kind (信息系统 or 网络), for a network fault its scope (which sets the
level, HN-4 6.3.1.1), what happened, and details. Ctrl+S records; Esc goes back.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Static

from appliance.faults.rules import FaultKind, NetworkScope
from appliance.faults.schemas import FaultIn
from tui.case_widgets import ChoiceBar, compact_input, field_row
from tui.queue_widgets import KeyFooter
from tui.screens.base import AppScreen
from tui.screens.case_common import guarded
from tui.status_bar import StatusBar

KINDS = (("system", "信息系统故障（按持续时间定级）"), ("network", "网络故障（按影响范围定级）"))
SCOPES = (
    ("internet", "III级 互联网无法访问"),
    ("partial", "II级 部分窗口无法办件"),
    ("intranet", "I级 内网无法访问、无法办件"),
)


class FaultFormScreen(AppScreen):
    DEFAULT_CSS = """
    #fault-form { height: auto; padding: 0 1; }
    #fault-form-title { height: auto; padding: 0 1; text-style: bold; }
    """
    BINDINGS = [
        Binding("ctrl+s", "submit", "登记", priority=True),
        Binding("escape", "back", "返回"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.error = ""
        self._busy = False

    def compose(self) -> ComposeResult:
        yield StatusBar()
        yield Static("登记故障（故障台账）", id="fault-form-title")
        with Vertical(id="fault-form"):
            yield field_row("故障类别：", ChoiceBar(KINDS, id="fault-kind"))
            yield field_row("影响范围：", ChoiceBar(SCOPES, id="fault-scope"))
            yield field_row("故障现象：", compact_input("fault-title", "如：受理系统无法登录"))
            yield field_row("详细情况：", compact_input("fault-detail", "报错提示等，可不填"))
            yield Static("", id="fault-form-error", classes="dialog-error")
            yield Static(
                "←/→ 选择 · 影响范围只对网络故障有效 · Ctrl+S 登记 · Esc 返回",
                classes="dialog-hint",
            )
        yield KeyFooter(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one("#fault-title", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.focus_next()

    def action_back(self) -> None:
        self.app.pop_screen()

    def _show_error(self, message: str) -> None:
        self.error = message
        self.query_one("#fault-form-error", Static).update(message)

    def body(self) -> FaultIn:
        kind = FaultKind(self.query_one("#fault-kind", ChoiceBar).value)
        scope = NetworkScope(self.query_one("#fault-scope", ChoiceBar).value)
        return FaultIn(
            kind=kind,
            scope=scope if kind is FaultKind.NETWORK else None,
            title=self.query_one("#fault-title", Input).value.strip(),
            detail=self.query_one("#fault-detail", Input).value.strip(),
        )

    async def action_submit(self) -> None:
        if self._busy:
            return
        self._busy = True
        self._show_error("正在登记…")
        fault = await guarded(self.app, self.yz.api.open_fault(self.body()), self._show_error)
        self._busy = False
        if fault is None:
            return
        self.notify(f"已登记故障 {fault.number}（{fault.level_label}）", markup=False)
        from tui.screens.faults_detail import FaultDetailScreen

        self.app.switch_screen(FaultDetailScreen(fault.number, fault))
