"""咨询台账 (R-C2): the open entries, overdue first (red), due today amber; ``a`` shows
every entry of the last 30 days. Enter opens one (reply, promote); ``n`` records a new
question; ``x`` exports any period (station head, R-M3); Esc goes back.
"""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from appliance.consultations.schemas import ConsultationView
from tui.queue_widgets import KeyFooter
from tui.screens.base import AppScreen
from tui.screens.case_common import guarded, local_today
from tui.screens.consult_common import OVERDUE_STYLE, TODAY_STYLE, ExportDialog, LedgerTable
from tui.status_bar import StatusBar

COLUMNS = ("编号", "方式", "咨询内容", "服务对象", "约定答复", "状态")


def due_cell(c: ConsultationView, today: date) -> Text:
    if c.reply_due is None:
        return Text("当场答复" if c.answered_at else "—")
    label = c.reply_due.isoformat() + ("（暂定）" if c.reply_due_provisional else "")
    if c.overdue:
        return Text(label, style=OVERDUE_STYLE)
    if c.status == "open" and c.reply_due == today:
        return Text(label, style=TODAY_STYLE)
    return Text(label)


def status_cell(c: ConsultationView) -> Text:
    style = OVERDUE_STYLE if c.overdue else ("bold green" if c.status == "closed" else "")
    return Text(c.status_label, style=style)


def short(text: str, width: int = 30) -> str:
    plain = " ".join(text.split())
    return plain if len(plain) <= width else plain[:width] + "…"


class ConsultationListScreen(AppScreen):
    DEFAULT_CSS = """
    #consult-head { height: auto; padding: 0 1; text-style: bold; }
    #consult-table { height: 1fr; }
    """
    BINDINGS = [
        Binding("escape", "back", "返回"),
        Binding("enter", "open", "查看 / 答复"),
        Binding("n", "new", "登记咨询"),
        Binding("a", "toggle_all", "切换全部"),
        Binding("x", "export", "导出"),
        Binding("r", "reload", "刷新"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.show_all = False
        self.entries: list[ConsultationView] | None = None

    def compose(self) -> ComposeResult:
        yield StatusBar()
        yield Static("咨询台账 · 正在读取…", id="consult-head")
        yield LedgerTable(COLUMNS, id="consult-table")
        yield Static("", id="consult-error", classes="dialog-error")
        yield Static(
            "↑/↓ 选择 · Enter 查看并答复 · n 登记咨询 · a 待答复 / 近 30 天全部 · x 导出"
            " · 红色 逾期未答复 · 橙色 今日应答复",
            classes="dialog-hint",
        )
        yield KeyFooter(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one(LedgerTable).focus()

    async def on_screen_resume(self) -> None:
        await self.action_reload()

    def _show_error(self, message: str) -> None:
        self.query_one("#consult-error", Static).update(message)

    async def action_reload(self) -> None:
        show_all = self.show_all
        status = "all" if show_all else "open"
        entries = await guarded(self.app, self.yz.api.consultations(status), self._show_error)
        if entries is None or show_all != self.show_all:
            return
        self.entries = entries
        today = local_today(self.app)
        overdue = sum(1 for e in entries if e.overdue)
        open_count = sum(1 for e in entries if e.status == "open")
        scope = "近 30 天全部" if show_all else "待答复"
        head = Text(f"咨询台账（{scope}）· {len(entries)} 条 · 待答复 {open_count} 条 · ", "bold")
        head.append(f"逾期未答复 {overdue} 条", style=OVERDUE_STYLE if overdue else "")
        self.query_one("#consult-head", Static).update(head)
        self._show_error("" if entries else "暂无待答复的咨询" if not show_all else "暂无咨询")
        self.query_one(LedgerTable).fill(
            [
                (
                    e.number,
                    (
                        e.number,
                        e.channel_label,
                        short(e.question),
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
        from tui.screens.consult_detail import ConsultationDetailScreen

        number = self.query_one(LedgerTable).selected
        if number:
            self.app.push_screen(ConsultationDetailScreen(number))

    def action_new(self) -> None:
        from tui.screens.consult_form import ConsultationFormScreen

        self.app.push_screen(ConsultationFormScreen())

    def action_export(self) -> None:
        self.app.push_screen(ExportDialog("consultations", "咨询台账"))

    def action_back(self) -> None:
        self.app.pop_screen()
