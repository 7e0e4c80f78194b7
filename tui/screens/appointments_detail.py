"""One appointment (预约, R-Q7): who, what, when, how it came and what became of it.

``i`` checks it in (签到: a ticket called first at its slot), ``c`` cancels it and ``m``
moves it — both with a reason the visitor is told by SMS; ``r`` reloads, Esc goes back.
"""

from __future__ import annotations

from collections.abc import Awaitable
from datetime import date

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from appliance.appointments.schemas import AppointmentView, MoveIn
from tui.queue_widgets import KeyFooter
from tui.screens.base import AppScreen
from tui.screens.case_common import guarded
from tui.screens.desk_common import Line, StepDialog, when
from tui.status_bar import StatusBar

NOTICE_LABELS = {"print": "已打印一次性告知单", "sms": "已短信发送材料清单", "none": "—"}


class AppointmentDetailScreen(AppScreen):
    DEFAULT_CSS = "#appt-detail { height: 1fr; padding: 0 1; }"
    BINDINGS = [
        Binding("escape", "back", "返回"),
        Binding("i", "check_in", "签到"),
        Binding("c", "cancel", "取消预约"),
        Binding("m", "move", "改约"),
        Binding("r", "reload", "刷新"),
    ]

    def __init__(self, number: str) -> None:
        super().__init__()
        self.number = number
        self.entry: AppointmentView | None = None

    def compose(self) -> ComposeResult:
        yield StatusBar()
        with VerticalScroll(id="appt-detail"):
            yield Static(f"预约 {self.number} · 正在读取…", id="appt-summary")
        yield Static("", id="appt-error", classes="dialog-error")
        yield Static(
            "i 签到取号 · c 取消（须填原因，短信告知）· m 改约（须填原因，短信告知）"
            " · r 刷新 · Esc 返回",
            classes="dialog-hint",
        )
        yield KeyFooter(compact=True, show_command_palette=False)

    async def on_screen_resume(self) -> None:
        await self.action_reload()

    def _show_error(self, message: str) -> None:
        self.query_one("#appt-error", Static).update(message)

    async def action_reload(self) -> None:
        entry = await guarded(self.app, self.yz.api.appointment(self.number), self._show_error)
        if entry is not None:
            self.show(entry)

    def show(self, a: AppointmentView) -> None:
        self.entry = a
        tz = self.yz.timezone
        text = Text()
        text.append(f"预约 {a.number}　", "bold")
        text.append(a.status_label + "\n", "bold green" if a.status == "checked_in" else "bold")
        rows = [
            ("预约时段", f"{a.day.isoformat()} {a.slot_label}"),
            ("业务", " ".join(p for p in (a.category_name, a.item_name) if p)),
            ("预约人", " ".join(p for p in (a.visitor_name, a.phone) if p)),
            ("预约渠道", a.channel_label),
            ("一次性告知", NOTICE_LABELS.get(a.notice_by, "—")),
            ("登记", f"{a.created_by} {when(a.created_at, tz)}"),
        ]
        if a.priority:
            rows.append(("优先补约", "停电断网未能办理，优先安排"))
        if a.multi_booking:
            rows.append(("一人多约", "同一天有多个预约，不计入准时率"))
        if a.ticket_number:
            rows.append(("签到取号", f"{a.ticket_number}（{when(a.checked_in_at, tz)}）"))
        if a.reason:
            rows.append(("原因", a.reason + (f"（已改约 {a.moved} 次）" if a.moved else "")))
        for key, value in rows:
            text.append(f"{key}：", "bold")
            text.append(value + "\n")
        self.query_one("#appt-summary", Static).update(text)

    async def action_check_in(self) -> None:
        done = await guarded(self.app, self.yz.api.check_in(self.number), self._show_error)
        if done is not None:
            self._show_error("")
            self.show(done.appointment)
            self.notify(f"{self.number} 已签到，取号 {done.ticket_number}", markup=False)

    def action_cancel(self) -> None:
        dialog = StepDialog(
            f"取消预约 {self.number}",
            [Line("reason", "取消原因", "将以短信告知预约人")],
        )

        async def answered(answer: dict[str, str] | None) -> None:
            if answer:
                call = self.yz.api.cancel_appointment(self.number, answer["reason"])
                await self._apply(call, "已取消，已短信告知")

        self.app.push_screen(dialog, answered)

    def action_move(self) -> None:
        dialog = StepDialog(
            f"改约 {self.number}",
            [
                Line("day", "新日期", "如 2026-11-25"),
                Line("time", "新时段", "开始时间，如 14:00"),
                Line("reason", "改约原因", "将以短信告知预约人"),
            ],
        )

        async def answered(answer: dict[str, str] | None) -> None:
            if not answer:
                return
            try:
                day = date.fromisoformat(answer["day"])
            except ValueError:
                self._show_error("新日期格式应为 2026-11-25")
                return
            body = MoveIn(day=day, time=answer["time"], reason=answer["reason"])
            await self._apply(self.yz.api.move_appointment(self.number, body), "已改约，已短信告知")

        self.app.push_screen(dialog, answered)

    async def _apply(self, call: Awaitable[AppointmentView], done: str) -> None:
        entry = await guarded(self.app, call, self._show_error)
        if entry is not None:
            self._show_error("")
            self.show(entry)
            self.notify(f"{self.number} {done}", markup=False)

    def action_back(self) -> None:
        self.app.pop_screen()
