"""投诉受理 (R-P2): the complaints not yet closed, oldest first; ``a`` shows every complaint
of the last 30 days. Enter opens one (核实, 处理 or 转办, 答复, 办结); ``n`` registers a new
one; ``x`` exports any period; Esc goes back. Offered to the 投诉受理 role and the head.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from appliance.complaints.schemas import ComplaintView
from tui.queue_widgets import KeyFooter
from tui.screens.base import AppScreen
from tui.screens.case_common import guarded
from tui.screens.consult_common import ExportDialog, LedgerTable
from tui.screens.desk_common import short, when
from tui.status_bar import StatusBar

COLUMNS = ("投诉编号", "受理时间", "渠道", "投诉内容", "投诉人", "进展")


def complainant_cell(c: ComplaintView) -> Text:
    name = c.complainant_name or "匿名"
    if c.confidential:
        return Text(f"{name}（保密）", style="bold magenta")
    return Text(name)


class ComplaintListScreen(AppScreen):
    DEFAULT_CSS = """
    #complaint-head { height: auto; padding: 0 1; text-style: bold; }
    #complaint-table { height: 1fr; }
    """
    BINDINGS = [
        Binding("escape", "back", "返回"),
        Binding("enter", "open", "查看 / 处理"),
        Binding("n", "new", "登记投诉"),
        Binding("a", "toggle_all", "切换全部"),
        Binding("x", "export", "导出"),
        Binding("r", "reload", "刷新"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.show_all = False
        self.complaints: list[ComplaintView] | None = None

    def compose(self) -> ComposeResult:
        yield StatusBar()
        yield Static("投诉受理 · 正在读取…", id="complaint-head")
        yield LedgerTable(COLUMNS, id="complaint-table")
        yield Static("", id="complaint-error", classes="dialog-error")
        yield Static(
            "↑/↓ 选择 · Enter 核实、处理、答复、办结 · n 登记投诉 · a 未办结 / 近 30 天全部 · x 导出",
            classes="dialog-hint",
        )
        yield KeyFooter(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one(LedgerTable).focus()

    async def on_screen_resume(self) -> None:
        await self.action_reload()

    def _show_error(self, message: str) -> None:
        self.query_one("#complaint-error", Static).update(message)

    async def action_reload(self) -> None:
        show_all = self.show_all
        status = "all" if show_all else "open"
        found = await guarded(self.app, self.yz.api.complaints(status), self._show_error)
        if found is None or show_all != self.show_all:
            return
        self.complaints = found
        scope = "近 30 天全部" if show_all else "未办结"
        waiting = sum(1 for c in found if c.state == "verify")
        head = f"投诉受理（{scope}）· {len(found)} 件 · 待核实 {waiting} 件"
        self.query_one("#complaint-head", Static).update(Text(head, "bold"))
        self._show_error("" if found else "暂无未办结的投诉" if not show_all else "暂无投诉")
        tz = self.yz.timezone
        self.query_one(LedgerTable).fill(
            [
                (
                    c.number,
                    (
                        c.number,
                        when(c.received_at, tz),
                        c.channel_label,
                        short(c.content),
                        complainant_cell(c),
                        Text(c.state_label, "bold green" if c.state == "closed" else ""),
                    ),
                )
                for c in found
            ]
        )

    async def action_toggle_all(self) -> None:
        self.show_all = not self.show_all
        await self.action_reload()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        from tui.screens.complaints_detail import ComplaintDetailScreen

        number = self.query_one(LedgerTable).selected
        if number:
            self.app.push_screen(ComplaintDetailScreen(number))

    def action_new(self) -> None:
        from tui.screens.complaints_form import ComplaintFormScreen

        self.app.push_screen(ComplaintFormScreen())

    def action_export(self) -> None:
        self.app.push_screen(ExportDialog("complaints", "投诉受理台账"))

    def action_back(self) -> None:
        self.app.pop_screen()
