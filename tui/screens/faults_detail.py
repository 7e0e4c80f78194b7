"""One fault (故障台账, R-I1): what happened, its level, its handling record.

``a`` records a handling step, ``t`` the people told, ``c`` closes the fault with its cause
and result (refused while there is no handling step); ``p`` then prints its 故障处理单 (A4; also
``/api/faults/<编号>/sheet.pdf``). Esc goes back.
"""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Input, Label, Static

from appliance.faults.rules import SCOPE_LABELS, ActionKind
from appliance.faults.schemas import FaultActionIn, FaultCloseIn, FaultView
from tui.queue_widgets import KeyFooter
from tui.screens.base import AppScreen, Dialog
from tui.screens.case_common import guarded
from tui.screens.consult_common import OVERDUE_STYLE
from tui.status_bar import StatusBar

PROMPTS = {
    ActionKind.STEP: ("登记处理措施", "做了什么（如：重启路由器、更换网线、报县技术支持）"),
    ActionKind.NOTIFIED: ("登记已通知的人员", "通知了谁（如：张主任、县政务服务中心技术支持）"),
}


class ActionDialog(Dialog[FaultActionIn]):
    """One line of the handling record."""

    def __init__(self, number: str, kind: ActionKind) -> None:
        super().__init__()
        self.number = number
        self.kind = kind

    def compose(self) -> ComposeResult:
        title, hint = PROMPTS[self.kind]
        with Vertical(classes="dialog"):
            yield Label(f"{title}（{self.number}）", classes="dialog-title")
            yield Input(placeholder=hint, id="fault-action-text")
            yield Static("", classes="dialog-error")
            yield Static("Enter 保存 · Esc 取消", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip()
        if not text:
            self.query_one(".dialog-error", Static).update("请填写内容")
            return
        self.dismiss(FaultActionIn(kind=self.kind, text=text))


class CloseDialog(Dialog[FaultCloseIn]):
    """处理完毕: cause and result for the 故障处理单."""

    def __init__(self, number: str) -> None:
        super().__init__()
        self.number = number

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(f"处理完毕（{self.number}）", classes="dialog-title")
            yield Input(placeholder="故障原因（如：网线松动），可不填", id="fault-cause")
            yield Input(placeholder="处理结果（如：已恢复正常），可不填", id="fault-result")
            yield Static("Enter 下一项 / 关闭故障 · Esc 取消", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#fault-cause", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "fault-cause":
            self.query_one("#fault-result", Input).focus()
            return
        self.dismiss(
            FaultCloseIn(
                cause=self.query_one("#fault-cause", Input).value.strip(),
                result=self.query_one("#fault-result", Input).value.strip(),
            )
        )


class FaultDetailScreen(AppScreen):
    DEFAULT_CSS = """
    #fault-body { height: 1fr; padding: 0 1; }
    """
    BINDINGS = [
        Binding("escape", "back", "返回"),
        Binding("a", "step", "处理措施"),
        Binding("t", "notified", "已通知"),
        Binding("c", "close", "处理完毕"),
        Binding("p", "print_sheet", "打印处理单"),
    ]

    def __init__(self, number: str, fault: FaultView | None = None) -> None:
        super().__init__()
        self.number = number
        self.fault = fault

    def compose(self) -> ComposeResult:
        yield StatusBar()
        with VerticalScroll(id="fault-body"):
            yield Static("正在读取…", id="fault-text")
        yield Static("", id="fault-detail-error", classes="dialog-error")
        yield Static(
            "a 登记处理措施 · t 登记已通知人员 · c 处理完毕（须有处理措施）"
            " · p 打印故障处理单 · Esc 返回",
            classes="dialog-hint",
        )
        yield KeyFooter(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        if self.fault is not None:
            self.show(self.fault)
        self.run_worker(self.reload(), exclusive=True)

    def _show_error(self, message: str) -> None:
        self.query_one("#fault-detail-error", Static).update(message)

    async def reload(self) -> None:
        fault = await guarded(self.app, self.yz.api.fault(self.number), self._show_error)
        if fault is not None:
            self.show(fault)

    def _at(self, value: datetime | None) -> str:
        if value is None:
            return "—"
        return value.astimezone(self.yz.timezone).strftime("%Y-%m-%d %H:%M")

    def show(self, f: FaultView) -> None:
        self.fault = f
        text = Text()
        text.append(f"{f.number}  {f.kind_label}  ", "bold")
        text.append(f.level_label, OVERDUE_STYLE if f.level == "I" else "bold")
        text.append(f"  {f.status_label}\n", "bold green" if f.status == "closed" else "bold")
        text.append(f"故障现象：{f.title}\n")
        if f.detail:
            text.append(f"详细情况：{f.detail}\n")
        if f.scope is not None:
            text.append(f"影响范围：{SCOPE_LABELS[f.scope]}\n")
        text.append(f"来源：{f.source_label} · 登记人：{f.opened_by}\n")
        text.append(f"发生：{self._at(f.opened_at)} · 恢复：{self._at(f.ended_at)}")
        text.append(f" · 持续：{f.duration_text}\n\n")
        text.append("处理记录\n", "bold")
        if not f.actions:
            text.append("（还没有处理记录：按 a 登记处理措施）\n", "dark_orange")
        for a in f.actions:
            text.append(f"{self._at(a.at)}  {a.kind_label}：{a.text}（{a.staff}）\n")
        if f.status == "closed":
            text.append(f"\n故障原因：{f.cause or '—'} · 处理结果：{f.result or '—'}\n")
            text.append(f"处理人：{f.closed_by} · 故障处理单：/api/faults/{f.number}/sheet.pdf\n")
        self.query_one("#fault-text", Static).update(text)

    async def _act(self, body: FaultActionIn | None) -> None:
        if body is None:
            return
        fault = await guarded(
            self.app, self.yz.api.fault_action(self.number, body), self._show_error
        )
        if fault is not None:
            self._show_error("")
            self.show(fault)

    def action_step(self) -> None:
        self.app.push_screen(ActionDialog(self.number, ActionKind.STEP), self._act)

    def action_notified(self) -> None:
        self.app.push_screen(ActionDialog(self.number, ActionKind.NOTIFIED), self._act)

    def action_close(self) -> None:
        self.app.push_screen(CloseDialog(self.number), self._close)

    async def _close(self, body: FaultCloseIn | None) -> None:
        if body is None:
            return
        fault = await guarded(
            self.app, self.yz.api.close_fault(self.number, body), self._show_error
        )
        if fault is not None:
            self._show_error("")
            self.show(fault)
            self.notify(f"故障 {fault.number} 已处理完毕（{fault.level_label}）", markup=False)

    async def action_print_sheet(self) -> None:
        call = self.yz.api.print_fault_sheet(self.number)
        fault = await guarded(self.app, call, self._show_error)
        if fault is not None:
            self.notify(f"故障处理单 {fault.number} 已送打印", markup=False)

    def action_back(self) -> None:
        self.app.pop_screen()
