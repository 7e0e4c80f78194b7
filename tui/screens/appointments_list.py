"""预约台账 (R-Q7): one day's appointments by slot. ``[`` / ``]`` change the day; Enter opens
one (签到, 取消, 改约); ``n`` books a visitor (现场 / 电话); ``i`` checks the selected one in;
``o`` registers an outage (停电断网登记, R-Q8); ``x`` exports any period (station head);
Esc goes back.
"""

from __future__ import annotations

from datetime import date, timedelta

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from appliance.appointments.schemas import AppointmentView
from tui.queue_widgets import KeyFooter
from tui.screens.base import AppScreen
from tui.screens.case_common import guarded, local_today
from tui.screens.consult_common import OVERDUE_STYLE, ExportDialog, LedgerTable
from tui.status_bar import StatusBar

COLUMNS = ("预约号", "时段", "业务", "预约人", "手机号", "渠道", "状态")
STATUS_STYLES = {"checked_in": "bold green", "forfeited": OVERDUE_STYLE, "cancelled": "dim"}


def status_cell(a: AppointmentView) -> Text:
    text = Text(a.status_label, style=STATUS_STYLES.get(a.status, ""))
    if a.ticket_number:
        text.append(f" {a.ticket_number}")
    if a.priority:
        text.append(" 优先", style="bold")
    if a.multi_booking:
        text.append(" 一人多约", style=OVERDUE_STYLE)
    return text


class AppointmentListScreen(AppScreen):
    DEFAULT_CSS = """
    #appt-head { height: auto; padding: 0 1; text-style: bold; }
    #appt-table { height: 1fr; }
    """
    BINDINGS = [
        Binding("escape", "back", "返回"),
        Binding("enter", "open", "查看"),
        Binding("n", "new", "预约登记"),
        Binding("i", "check_in", "签到"),
        Binding("o", "outage", "停电断网登记"),
        Binding("left_square_bracket", "day(-1)", "前一天"),
        Binding("right_square_bracket", "day(1)", "后一天"),
        Binding("x", "export", "导出"),
        Binding("r", "reload", "刷新"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.day: date | None = None
        self.rows: list[AppointmentView] = []

    def compose(self) -> ComposeResult:
        yield StatusBar()
        yield Static("预约台账 · 正在读取…", id="appt-head")
        yield LedgerTable(COLUMNS, id="appt-table")
        yield Static("", id="appt-error", classes="dialog-error")
        yield Static(
            "↑/↓ 选择 · Enter 查看、取消、改约 · n 预约登记 · i 签到取号 · o 停电断网登记"
            " · [ / ] 换日期 · x 导出",
            classes="dialog-hint",
        )
        yield KeyFooter(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one(LedgerTable).focus()

    async def on_screen_resume(self) -> None:
        await self.action_reload()

    def _show_error(self, message: str) -> None:
        self.query_one("#appt-error", Static).update(message)

    async def action_reload(self) -> None:
        day = self.day = self.day or local_today(self.app)
        rows = await guarded(self.app, self.yz.api.appointments(day), self._show_error)
        stats = await guarded(self.app, self.yz.api.appointment_stats(day), self._show_error)
        if rows is None or day != self.day:
            return
        self.rows = rows
        head = Text(f"预约台账 · {day.isoformat()} · {len(rows)} 个预约", "bold")
        if stats is not None:
            rate = "—" if stats.on_time_rate is None else f"{stats.on_time_rate:.0%}"
            head.append(
                f" · 已签到 {stats.checked_in} · 过时作废 {stats.forfeited}"
                f" · 准时率 {rate}（一人多约 {stats.flagged} 个不计）"
            )
        self.query_one("#appt-head", Static).update(head)
        self._show_error("" if rows else "当天没有预约")
        self.query_one(LedgerTable).fill(
            [
                (
                    a.number,
                    (
                        a.number,
                        a.slot_label,
                        a.item_name or a.category_name,
                        a.visitor_name or "—",
                        a.phone,
                        a.channel_label,
                        status_cell(a),
                    ),
                )
                for a in rows
            ]
        )

    async def action_day(self, step: int) -> None:
        self.day = (self.day or local_today(self.app)) + timedelta(days=step)
        await self.action_reload()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        from tui.screens.appointments_detail import AppointmentDetailScreen

        number = self.query_one(LedgerTable).selected
        if number:
            self.app.push_screen(AppointmentDetailScreen(number))

    async def action_check_in(self) -> None:
        number = self.query_one(LedgerTable).selected
        if not number:
            return
        done = await guarded(self.app, self.yz.api.check_in(number), self._show_error)
        if done is not None:
            self.notify(f"{number} 已签到，取号 {done.ticket_number}", markup=False)
            await self.action_reload()

    def action_new(self) -> None:
        from tui.screens.appointments_new import AppointmentFormScreen

        self.app.push_screen(AppointmentFormScreen(self.day))

    def action_outage(self) -> None:
        from tui.screens.appointments_new import OutageFormScreen

        self.app.push_screen(OutageFormScreen())

    def action_export(self) -> None:
        self.app.push_screen(ExportDialog("appointments", "预约台账"))

    def action_back(self) -> None:
        self.app.pop_screen()
