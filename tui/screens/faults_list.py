"""故障台账 (R-I1): the faults being handled (I级 red), ``a`` shows every fault of the last
30 days. Enter opens one (steps, people told, close); ``n`` records a new fault; ``x`` exports
any period (station head); F9 opens the emergency checklists; Esc goes back.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from appliance.faults.schemas import FaultView
from tui.queue_widgets import KeyFooter
from tui.screens.base import AppScreen
from tui.screens.case_common import guarded
from tui.screens.consult_common import OVERDUE_STYLE, ExportDialog, LedgerTable
from tui.status_bar import StatusBar

COLUMNS = ("编号", "类别", "等级", "故障现象", "发生时间", "持续", "状态")


def level_cell(f: FaultView) -> Text:
    return Text(f.level_label, style=OVERDUE_STYLE if f.level == "I" else "")


def status_cell(f: FaultView) -> Text:
    label = f.status_label + ("（自动）" if f.automatic else "")
    return Text(label, style="bold green" if f.status == "closed" else "bold dark_orange")


class FaultListScreen(AppScreen):
    DEFAULT_CSS = """
    #fault-head { height: auto; padding: 0 1; text-style: bold; }
    #fault-table { height: 1fr; }
    """
    BINDINGS = [
        Binding("escape", "back", "返回"),
        Binding("enter", "open", "查看 / 处理"),
        Binding("n", "new", "登记故障"),
        Binding("a", "toggle_all", "切换全部"),
        Binding("x", "export", "导出"),
        Binding("r", "reload", "刷新"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.show_all = False
        self.faults: list[FaultView] | None = None

    def compose(self) -> ComposeResult:
        yield StatusBar()
        yield Static("故障台账 · 正在读取…", id="fault-head")
        yield LedgerTable(COLUMNS, id="fault-table")
        yield Static("", id="fault-error", classes="dialog-error")
        yield Static(
            "↑/↓ 选择 · Enter 查看并处理 · n 登记故障 · a 处理中 / 近 30 天全部 · x 导出"
            " · F9 应急处置 · 等级按 HN-4 6.3.1",
            classes="dialog-hint",
        )
        yield KeyFooter(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one(LedgerTable).focus()

    async def on_screen_resume(self) -> None:
        await self.action_reload()

    def _show_error(self, message: str) -> None:
        self.query_one("#fault-error", Static).update(message)

    async def action_reload(self) -> None:
        show_all = self.show_all
        faults = await guarded(
            self.app, self.yz.api.faults("all" if show_all else "open"), self._show_error
        )
        if faults is None or show_all != self.show_all:
            return
        self.faults = faults
        open_count = sum(1 for f in faults if f.status == "open")
        scope = "近 30 天全部" if show_all else "处理中"
        head = Text(f"故障台账（{scope}）· {len(faults)} 条 · 处理中 {open_count} 条", "bold")
        self.query_one("#fault-head", Static).update(head)
        self._show_error("" if faults else "暂无处理中的故障" if not show_all else "暂无故障")
        tz = self.yz.timezone
        self.query_one(LedgerTable).fill(
            [
                (
                    f.number,
                    (
                        f.number,
                        f.kind_label,
                        level_cell(f),
                        f.title,
                        f.opened_at.astimezone(tz).strftime("%m-%d %H:%M"),
                        f.duration_text,
                        status_cell(f),
                    ),
                )
                for f in faults
            ]
        )

    async def action_toggle_all(self) -> None:
        self.show_all = not self.show_all
        await self.action_reload()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        from tui.screens.faults_detail import FaultDetailScreen

        number = self.query_one(LedgerTable).selected
        if number:
            self.app.push_screen(FaultDetailScreen(number))

    def action_new(self) -> None:
        from tui.screens.faults_form import FaultFormScreen

        self.app.push_screen(FaultFormScreen())

    def action_export(self) -> None:
        self.app.push_screen(ExportDialog("faults", "故障台账"))

    def action_back(self) -> None:
        self.app.pop_screen()
