"""移交清单 (R-A2, HN-5 7.3.4–7.3.5, 附录A): paper files handed over in batches.

``n`` makes a new list of every archived case not yet on one (asks the 接收单位); the
server renders the list as a PDF with the sign-off fields, to print and sign. When the
receiver sends a batch back as non-compliant, ``x`` records who and why; once corrected,
``s`` hands it over again (asks what was corrected) — a new round, the earlier ones kept.
``a`` records that the receiver signed and took it. The lower pane shows every round.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from appliance.archives.schemas import TransferView
from tui.queue_widgets import KeyFooter
from tui.screens.base import AppScreen
from tui.screens.case_common import guarded
from tui.screens.dialogs import PromptDialog
from tui.status_bar import StatusBar


def rounds_text(t: TransferView) -> str:
    lines = [f"{t.number} · 接收单位：{t.receiver} · {t.status_label}"]
    for r in t.rounds:
        line = (
            f"第 {r.round} 次移交：{len(r.case_numbers)} 件 · {r.submitted_by} · {r.outcome_label}"
        )
        if r.note:
            line += f" · 修正补充：{r.note}"
        if r.outcome == "returned":
            line += f" · 退回原因：{r.outcome_reason}（{r.outcome_by}）"
        if r.outcome == "accepted":
            line += f" · 接收人：{r.outcome_by}"
        lines.append(line)
    return "\n".join(lines)


class TransfersScreen(AppScreen):
    BINDINGS = [
        Binding("escape", "back", "返回"),
        Binding("r", "reload", "刷新"),
        Binding("n", "new", "新建移交清单"),
        Binding("x", "return_batch", "登记退回"),
        Binding("s", "resubmit", "再次移交"),
        Binding("a", "accept", "登记接收"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.transfers: list[TransferView] = []

    def compose(self) -> ComposeResult:
        yield StatusBar()
        yield Static("移交清单 · 正在读取…", id="tr-head", classes="dialog-title")
        yield DataTable(id="tr-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="tr-rounds")
        yield Static("", id="tr-error", classes="dialog-error")
        yield Static(
            "n 新建（未移交的已归档办件） · x 登记退回 · s 修正后再次移交 · a 登记接收 · Esc 返回",
            classes="dialog-hint",
        )
        yield KeyFooter(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        table = self.query_one("#tr-table", DataTable)
        table.add_columns("清单编号", "接收单位", "状态", "移交次数", "件数")
        table.focus()

    async def on_screen_resume(self) -> None:
        await self.action_reload()

    def _error(self, message: str) -> None:
        self.query_one("#tr-error", Static).update(message)

    @property
    def selected(self) -> TransferView | None:
        table = self.query_one("#tr-table", DataTable)
        if not self.transfers or table.cursor_row >= len(self.transfers):
            return None
        return self.transfers[table.cursor_row]

    async def action_reload(self) -> None:
        found = await guarded(self.app, self.yz.api.transfers(), self._error)
        if found is None:
            return
        self.transfers = found
        self.query_one("#tr-head", Static).update(f"移交清单 · 共 {len(found)} 份")
        table = self.query_one("#tr-table", DataTable)
        table.clear()
        for t in found:
            count = len(t.rounds[-1].case_numbers) if t.rounds else 0
            table.add_row(t.number, t.receiver, t.status_label, str(t.round), str(count))
        self._show_rounds()

    def _show_rounds(self) -> None:
        t = self.selected
        self.query_one("#tr-rounds", Static).update(rounds_text(t) if t else "暂无移交清单")

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_rounds()

    async def _done(self, call: Awaitable[Any], what: str) -> None:
        result = await guarded(self.app, call, self._error)
        if result is not None:
            self._error("")
            self.notify(what)
            await self.action_reload()

    def _ask(self, title: str, label: str, then: Callable[[str], Awaitable[None]]) -> None:
        async def answered(value: str | None) -> None:
            if value:
                await then(value)

        self.app.push_screen(PromptDialog(title, label), answered)

    def action_new(self) -> None:
        async def make(receiver: str) -> None:
            pkgs = await guarded(self.app, self.yz.api.archive_packages(), self._error)
            if pkgs is None:
                return
            numbers = [p.case_number for p in pkgs if not p.transfer]
            if not numbers:
                self._error("没有尚未移交的已归档办件")
                return
            await self._done(self.yz.api.create_transfer(receiver, numbers), "已生成移交清单")

        self._ask("新建移交清单", "接收单位：", make)

    def action_return_batch(self) -> None:
        t = self.selected
        if t is None:
            return

        async def reason_for(name: str) -> None:
            async def record(reason: str) -> None:
                await self._done(self.yz.api.return_transfer(t.number, name, reason), "已登记退回")

            self._ask("登记退回", "退回原因：", record)

        self._ask("登记退回", "接收人姓名：", reason_for)

    def action_resubmit(self) -> None:
        t = self.selected
        if t is None or not t.rounds:
            return
        numbers = t.rounds[-1].case_numbers

        async def again(note: str) -> None:
            call = self.yz.api.resubmit_transfer(t.number, note, numbers)
            await self._done(call, "已再次移交，请打印新的移交清单")

        self._ask("修正补充后再次移交", "修正补充说明：", again)

    def action_accept(self) -> None:
        t = self.selected
        if t is None:
            return

        async def accept(name: str) -> None:
            await self._done(self.yz.api.accept_transfer(t.number, name), "已登记接收")

        self._ask("登记接收", "接收人姓名：", accept)

    def action_back(self) -> None:
        self.app.pop_screen()
