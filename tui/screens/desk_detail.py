"""One "办不成事" entry (R-P1): the problem, its kind, the deadline or the handler, and its
record (who did what, when).

``f`` records a follow-up line (跟踪), ``c`` closes it with its result (办结或反馈; an empty
result is refused), ``s`` texts the visitor the handler again, ``p`` prints the 转办告知单
again; ``r`` reloads, Esc goes back.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from appliance.desk.rules import NotifyBy
from appliance.desk.schemas import DeskEntryView
from tui.queue_widgets import KeyFooter
from tui.screens.base import AppScreen
from tui.screens.case_common import guarded
from tui.screens.consult_common import OVERDUE_STYLE
from tui.screens.desk_common import Line, StepDialog, when
from tui.status_bar import StatusBar


class DeskDetailScreen(AppScreen):
    DEFAULT_CSS = """
    #desk-detail { height: 1fr; padding: 0 1; }
    #desk-record { height: auto; margin-top: 1; }
    """
    BINDINGS = [
        Binding("escape", "back", "返回"),
        Binding("f", "note", "跟踪"),
        Binding("c", "close_entry", "办结"),
        Binding("s", "sms", "短信告知"),
        Binding("p", "slip", "打印告知单"),
        Binding("r", "reload", "刷新"),
    ]

    def __init__(self, number: str, entry: DeskEntryView | None = None) -> None:
        super().__init__()
        self.number = number
        self.entry = entry

    def compose(self) -> ComposeResult:
        yield StatusBar()
        with VerticalScroll(id="desk-detail"):
            yield Static(f"办不成事 {self.number} · 正在读取…", id="desk-summary")
            yield Static("", id="desk-record")
        yield Static("", id="desk-error", classes="dialog-error")
        yield Static(
            "f 跟踪 · c 办结（须填办理结果）· s 短信告知承办人 · p 打印转办告知单 · r 刷新 · Esc 返回",
            classes="dialog-hint",
        )
        yield KeyFooter(compact=True, show_command_palette=False)

    async def on_screen_resume(self) -> None:
        if self.entry is not None:
            self.show(self.entry)
        await self.action_reload()

    def _show_error(self, message: str) -> None:
        self.query_one("#desk-error", Static).update(message)

    async def action_reload(self) -> None:
        entry = await guarded(self.app, self.yz.api.desk_entry(self.number), self._show_error)
        if entry is not None:
            self.show(entry)

    def show(self, e: DeskEntryView) -> None:
        self.entry = e
        tz = self.yz.timezone
        text = Text()
        text.append(f"办不成事 {e.number}　", "bold")
        text.append(e.status_label + "\n", OVERDUE_STYLE if e.overdue else "bold green")
        rows = [
            ("登记时间", f"{when(e.reported_at, tz)}（登记人 {e.recorded_by}）"),
            ("问题类型", e.problem_type_label),
            ("反映问题", e.problem),
            ("服务对象", " ".join(p for p in (e.visitor_name, e.visitor_phone) if p) or "—"),
            ("办理类型", e.kind_label),
        ]
        if e.item_name or e.case_number:
            rows.append(("相关事项", " ".join(p for p in (e.item_name, e.case_number) if p)))
        if e.due_on is not None:
            provisional = "（暂定）" if e.due_provisional else ""
            rows.append(("办结期限", e.due_on.isoformat() + provisional))
        if e.resolution:
            rows.append(("当场办理", e.resolution))
        if e.referral:
            rows.append(("告知去向", e.referral))
        if e.handler_name:
            phone = f"（{e.handler_phone}）" if e.handler_phone else ""
            rows.append(("承办", f"{e.handler_dept} {e.handler_name}{phone}"))
            told = {"sms": "短信", "paper": "书面告知单"}.get(e.notify_by or "", "—")
            rows.append(("告知方式", f"{told} {when(e.notified_at, tz)}"))
        if e.status == "closed":
            rows.append(("办理结果", f"{e.result}（{e.closed_by} {when(e.closed_at, tz)}）"))
        for key, value in rows:
            text.append(f"{key}：", "bold")
            text.append(value + "\n")
        self.query_one("#desk-summary", Static).update(text)
        record = Text("办理记录\n", "bold")
        for s in e.steps:
            record.append(f"{when(s.at, tz)}  {s.label}  {s.who}：", "bold")
            record.append(s.text + "\n")
        self.query_one("#desk-record", Static).update(record)
        self._show_error("")

    def _open(self) -> bool:
        if self.entry is None:
            return False
        if self.entry.status == "closed":
            self._show_error(f"{self.entry.number} 已办结")
            return False
        return True

    def _ask(
        self,
        dialog: StepDialog,
        call: Callable[[dict[str, str]], Awaitable[DeskEntryView]],
        done: str,
    ) -> None:
        async def answered(answer: dict[str, str] | None) -> None:
            if answer:
                await self._apply(call(answer), done)

        self.app.push_screen(dialog, answered)

    def action_note(self) -> None:
        if self._open():
            dialog = StepDialog(
                f"跟踪 {self.number}", [Line("text", "跟踪情况", "如 已电话催办承办人")]
            )
            self._ask(dialog, lambda a: self.yz.api.note_desk(self.number, a["text"]), "已记录跟踪")

    def action_close_entry(self) -> None:
        if self._open():
            dialog = StepDialog(
                f"办结 {self.number}",
                [Line("result", "办理结果", "办结或反馈给服务对象的情况")],
                note="没有办理结果不能办结",
            )
            self._ask(dialog, lambda a: self.yz.api.close_desk(self.number, a["result"]), "已办结")

    async def _tell(self, by: NotifyBy, done: str) -> None:
        if self._open():
            await self._apply(self.yz.api.notify_desk(self.number, by), done)

    async def action_sms(self) -> None:
        await self._tell(NotifyBy.SMS, "已发短信告知承办人")

    async def action_slip(self) -> None:
        await self._tell(NotifyBy.PAPER, "已打印转办告知单")

    async def _apply(self, call: Awaitable[DeskEntryView], done: str) -> None:
        entry = await guarded(self.app, call, self._show_error)
        if entry is not None:
            self.show(entry)
            self.notify(f"{self.number} {done}", markup=False)

    def action_back(self) -> None:
        self.app.pop_screen()
