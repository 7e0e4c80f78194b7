"""帮办代办 (R-D1, R-D2): the delegations in hand — past their 委托期限 first (red), the
suspended ones amber; ``a`` shows every one. Enter opens one; ``n`` logs a new 帮办 or
代办; ``x`` exports any period (station head); Esc goes back.
"""

from __future__ import annotations

from datetime import tzinfo

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from appliance.delegation.schemas import DelegationView
from tui.queue_widgets import KeyFooter
from tui.screens.base import AppScreen
from tui.screens.case_common import guarded
from tui.screens.consult_common import OVERDUE_STYLE, TODAY_STYLE, ExportDialog, LedgerTable
from tui.status_bar import StatusBar

COLUMNS = ("编号", "类型", "服务对象", "事项", "代办员", "委托期限", "下次上门", "状态")


def status_cell(d: DelegationView) -> Text:
    if d.overdue:
        return Text(f"{d.status_label}（超期）", style=OVERDUE_STYLE)
    style = {"suspended": TODAY_STYLE, "completed": "bold green"}.get(d.status, "")
    return Text(d.status_label, style=style)


def when(d: DelegationView, tz: tzinfo) -> str:
    """The next home visit still to do (上门服务), in station time."""
    return d.next_visit_at.astimezone(tz).strftime("%m-%d %H:%M") if d.next_visit_at else "—"


def short(text: str, width: int = 16) -> str:
    plain = " ".join(text.split())
    return plain if len(plain) <= width else plain[:width] + "…"


class DelegationListScreen(AppScreen):
    DEFAULT_CSS = """
    #delegation-head { height: auto; padding: 0 1; text-style: bold; }
    #delegation-table { height: 1fr; }
    """
    BINDINGS = [
        Binding("escape", "back", "返回"),
        Binding("enter", "open", "查看"),
        Binding("n", "new", "登记帮办代办"),
        Binding("a", "toggle_all", "切换全部"),
        Binding("x", "export", "导出"),
        Binding("r", "reload", "刷新"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.show_all = False
        self.entries: list[DelegationView] | None = None

    def compose(self) -> ComposeResult:
        yield StatusBar()
        yield Static("帮办代办 · 正在读取…", id="delegation-head")
        yield LedgerTable(COLUMNS, id="delegation-table")
        yield Static("", id="delegation-error", classes="dialog-error")
        yield Static(
            "↑/↓ 选择 · Enter 查看 · n 登记帮办/代办 · a 在办 / 全部 · x 导出"
            " · 红色 超过委托期限 · 橙色 已中止",
            classes="dialog-hint",
        )
        yield KeyFooter(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one(LedgerTable).focus()

    async def on_screen_resume(self) -> None:
        await self.action_reload()

    def _show_error(self, message: str) -> None:
        self.query_one("#delegation-error", Static).update(message)

    async def action_reload(self) -> None:
        show_all = self.show_all
        call = self.yz.api.delegations("all" if show_all else "open")
        entries = await guarded(self.app, call, self._show_error)
        if entries is None or show_all != self.show_all:
            return
        self.entries = entries
        overdue = sum(1 for e in entries if e.overdue)
        suspended = sum(1 for e in entries if e.status == "suspended")
        visits = sum(1 for e in entries if e.next_visit_at is not None)
        scope = "全部" if show_all else "在办"
        head = Text(
            f"帮办代办（{scope}）· {len(entries)} 件 · 已中止 {suspended} 件 · "
            f"待上门 {visits} 件 · ",
            "bold",
        )
        head.append(f"超过委托期限 {overdue} 件", style=OVERDUE_STYLE if overdue else "")
        self.query_one("#delegation-head", Static).update(head)
        self._show_error("" if entries else "暂无在办的帮办代办" if not show_all else "暂无登记")
        self.query_one(LedgerTable).fill(
            [
                (
                    e.number,
                    (
                        e.number,
                        e.kind_label,
                        e.applicant_name,
                        short(e.item_name),
                        e.agent_name,
                        e.period_end.isoformat() if e.period_end else "—",
                        when(e, self.yz.timezone),
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
        from tui.screens.delegation_detail import DelegationDetailScreen

        number = self.query_one(LedgerTable).selected
        if number:
            self.app.push_screen(DelegationDetailScreen(number))

    def action_new(self) -> None:
        from tui.screens.delegation_form import DelegationFormScreen

        self.app.push_screen(DelegationFormScreen())

    def action_export(self) -> None:
        self.app.push_screen(ExportDialog("delegations", "帮办代办台账"))

    def action_back(self) -> None:
        self.app.pop_screen()
