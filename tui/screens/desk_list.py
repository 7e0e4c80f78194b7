""" "办不成事"登记 (R-P1): the open entries, overdue first (red); ``a`` shows every entry of the
last 30 days. Enter opens one (follow, tell the visitor again, close); ``n`` registers a new
problem; ``x`` exports any period (station head, R-M3); Esc goes back.
"""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from appliance.desk.schemas import DeskEntryView
from tui.queue_widgets import KeyFooter
from tui.screens.base import AppScreen
from tui.screens.case_common import guarded, local_today
from tui.screens.consult_common import OVERDUE_STYLE, TODAY_STYLE, ExportDialog, LedgerTable
from tui.screens.desk_common import short
from tui.status_bar import StatusBar

COLUMNS = ("登记编号", "办理类型", "反映问题", "服务对象", "期限 / 承办", "状态")
KIND_CELLS = {
    "simple": "当场办理",
    "complex": "限期办结",
    "outside": "告知去向",
    "transfer": "转办",
}


def due_cell(e: DeskEntryView, today: date) -> Text:
    if e.kind == "transfer":
        return Text(f"{e.handler_dept} {e.handler_name}")
    if e.due_on is None:
        return Text("—")
    label = e.due_on.isoformat() + ("（暂定）" if e.due_provisional else "")
    if e.overdue:
        return Text(label, style=OVERDUE_STYLE)
    if e.status == "open" and e.due_on == today:
        return Text(label, style=TODAY_STYLE)
    return Text(label)


def status_cell(e: DeskEntryView) -> Text:
    style = OVERDUE_STYLE if e.overdue else ("bold green" if e.status == "closed" else "")
    return Text(e.status_label, style=style)


class DeskListScreen(AppScreen):
    DEFAULT_CSS = """
    #desk-head { height: auto; padding: 0 1; text-style: bold; }
    #desk-table { height: 1fr; }
    """
    BINDINGS = [
        Binding("escape", "back", "返回"),
        Binding("enter", "open", "查看 / 办结"),
        Binding("n", "new", "登记"),
        Binding("a", "toggle_all", "切换全部"),
        Binding("x", "export", "导出"),
        Binding("r", "reload", "刷新"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.show_all = False
        self.entries: list[DeskEntryView] | None = None

    def compose(self) -> ComposeResult:
        yield StatusBar()
        yield Static("办不成事登记 · 正在读取…", id="desk-head")
        yield LedgerTable(COLUMNS, id="desk-table")
        yield Static("", id="desk-error", classes="dialog-error")
        yield Static(
            "↑/↓ 选择 · Enter 查看、跟踪、办结 · n 登记 · a 办理中 / 近 30 天全部 · x 导出"
            " · 红色 逾期未办结 · 橙色 今日到期",
            classes="dialog-hint",
        )
        yield KeyFooter(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one(LedgerTable).focus()

    async def on_screen_resume(self) -> None:
        await self.action_reload()

    def _show_error(self, message: str) -> None:
        self.query_one("#desk-error", Static).update(message)

    async def action_reload(self) -> None:
        show_all = self.show_all
        status = "all" if show_all else "open"
        entries = await guarded(self.app, self.yz.api.desk_entries(status), self._show_error)
        if entries is None or show_all != self.show_all:
            return
        self.entries = entries
        today = local_today(self.app)
        overdue = sum(1 for e in entries if e.overdue)
        open_count = sum(1 for e in entries if e.status == "open")
        scope = "近 30 天全部" if show_all else "办理中"
        head = Text(
            f"办不成事登记（{scope}）· {len(entries)} 条 · 办理中 {open_count} 条 · ", "bold"
        )
        head.append(f"逾期未办结 {overdue} 条", style=OVERDUE_STYLE if overdue else "")
        self.query_one("#desk-head", Static).update(head)
        empty = "暂无办理中的登记" if not show_all else "近 30 天没有登记"
        self._show_error("" if entries else empty)
        self.query_one(LedgerTable).fill(
            [
                (
                    e.number,
                    (
                        e.number,
                        KIND_CELLS.get(e.kind, e.kind),
                        short(e.problem),
                        e.visitor_name or "—",
                        due_cell(e, today),
                        status_cell(e),
                    ),
                )
                for e in entries
            ]
        )

    async def action_toggle_all(self) -> None:
        self.show_all = not self.show_all
        await self.action_reload()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        from tui.screens.desk_detail import DeskDetailScreen

        number = self.query_one(LedgerTable).selected
        if number:
            self.app.push_screen(DeskDetailScreen(number))

    def action_new(self) -> None:
        from tui.screens.desk_form import DeskFormScreen

        self.app.push_screen(DeskFormScreen())

    def action_export(self) -> None:
        self.app.push_screen(ExportDialog("desk", "办不成事登记台账"))

    def action_back(self) -> None:
        self.app.pop_screen()
