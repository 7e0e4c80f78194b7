"""应急处置 (R-I2): the emergency checklists of XC 附录H and HN-4 6, one keystroke away.

F9 anywhere on the staff terminal opens the list (power cut, fire, sudden illness, disorder,
lift fault); its digit opens the checklist. Signed in, opening a checklist starts a record
on the server and each step's digit marks it done with the time and who; Esc ends the
record and goes back. The checklists are pure data (``appliance.faults.rules``), so they
are shown even when nobody is signed in or the server is down; the steps are then ticked on
screen only, and the screen says they are not saved.
"""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.events import Key
from textual.widgets import Static

from appliance.faults.rules import PROCEDURES, EmergencyKind, Procedure, procedure
from appliance.faults.schemas import EmergencyIn, EmergencyView
from tui.queue_widgets import KeyFooter
from tui.screens.base import AppScreen
from tui.screens.case_common import guarded
from tui.status_bar import StatusBar


class EmergencyMenuScreen(AppScreen):
    """The five procedures; press its digit. Signed in, the latest records are listed below
    (which steps were done, when)."""

    DEFAULT_CSS = """
    #emergency-menu { height: auto; padding: 1 2; }
    #emergency-history { height: 1fr; padding: 0 2; }
    """
    BINDINGS = [Binding("escape", "back", "返回")]

    def __init__(self) -> None:
        super().__init__()
        self.history: list[EmergencyView] | None = None

    def compose(self) -> ComposeResult:
        yield StatusBar()
        text = Text("应急处置 · 按数字键打开处置清单\n\n", "bold red")
        for p in PROCEDURES:
            text.append(f"  {p.key}  {p.title}", "bold")
            text.append(f"    （{p.source}）\n")
        yield Static(text, id="emergency-menu")
        yield Static("", id="emergency-history")
        yield Static("1–5 打开处置清单 · Esc 返回", classes="dialog-hint")
        yield KeyFooter(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        if self.yz.session is not None:
            self.run_worker(self._history(), exclusive=True)

    async def _history(self) -> None:
        records = await guarded(self.app, self.yz.api.emergencies(), lambda _: None)
        if records is None:
            return
        self.history = records
        text = Text("最近的应急处置记录\n", "bold") if records else Text("")
        for r in records[:8]:
            started = r.started_at.astimezone(self.yz.timezone).strftime("%m-%d %H:%M")
            state = "已结束" if r.ended_at else "进行中"
            text.append(f"  {started}  {r.number}  {r.title}  ")
            text.append(f"完成 {r.done}/{len(r.steps)} 步  {state}  {r.started_by}\n")
        self.query_one("#emergency-history", Static).update(text)

    def on_key(self, event: Key) -> None:
        chosen = next((p for p in PROCEDURES if p.key == event.key), None)
        if chosen is not None:
            event.stop()
            self.app.switch_screen(EmergencyChecklistScreen(chosen.kind))

    def action_back(self) -> None:
        self.app.pop_screen()


class EmergencyChecklistScreen(AppScreen):
    """One procedure's checklist; each step's digit marks it done."""

    DEFAULT_CSS = """
    #emergency-list { height: 1fr; padding: 1 2; }
    """
    BINDINGS = [Binding("escape", "back", "结束并返回")]

    def __init__(self, kind: EmergencyKind) -> None:
        super().__init__()
        self.procedure: Procedure = procedure(kind)
        self.record: EmergencyView | None = None
        self.local: dict[int, datetime] = {}  # ticked on screen only (not signed in / offline)
        self.note = ""

    def compose(self) -> ComposeResult:
        yield StatusBar()
        yield Static("", id="emergency-list")
        yield Static("", id="emergency-error", classes="dialog-error")
        yield Static("按步骤序号记录“已完成” · Esc 结束并返回", classes="dialog-hint")
        yield KeyFooter(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.draw()
        self.run_worker(self._start(), exclusive=True)

    async def _start(self) -> None:
        if self.yz.session is None:
            self.note = "未登录：只显示处置清单，勾选不会保存"
        else:
            body = EmergencyIn(kind=self.procedure.kind)
            self.record = await guarded(
                self.app, self.yz.api.start_emergency(body), self._show_error
            )
            if self.record is None:
                self.note = "未能连接服务器：勾选只在本屏显示，不会保存"
        self.draw()

    def _show_error(self, message: str) -> None:
        self.query_one("#emergency-error", Static).update(message)

    def done_at(self, step: int) -> datetime | None:
        if self.record is not None:
            return self.record.steps[step - 1].done_at
        return self.local.get(step)

    def draw(self) -> None:
        p = self.procedure
        text = Text(f"{p.title}  处置清单", "bold red")
        text.append(f"（{p.source}）")
        if self.record is not None:
            text.append(f"  记录 {self.record.number}", "bold")
        text.append("\n\n")
        for i, step in enumerate(p.steps, start=1):
            at = self.done_at(i)
            if at is None:
                text.append(f"  {i}  [ ] {step}\n")
            else:
                hm = at.astimezone(self.yz.timezone).strftime("%H:%M")
                text.append(f"  {i}  [✓] {step}  （{hm} 已完成）\n", "green")
        if self.note:
            text.append(f"\n{self.note}\n", "bold dark_orange")
        self.query_one("#emergency-list", Static).update(text)

    async def on_key(self, event: Key) -> None:
        if not event.key.isdigit():
            return
        step = int(event.key)
        if not 1 <= step <= len(self.procedure.steps) or self.done_at(step) is not None:
            return
        event.stop()
        if self.record is None:
            self.local[step] = self.yz.clock()
        else:
            call = self.yz.api.emergency_step(self.record.number, step)
            record = await guarded(self.app, call, self._show_error)
            if record is None:
                return
            self.record = record
        self.draw()

    async def action_back(self) -> None:
        if self.record is not None:
            ended = await guarded(
                self.app, self.yz.api.end_emergency(self.record.number), self._show_error
            )
            if ended is not None:
                self.notify(
                    f"已记录应急处置 {ended.number}：完成 {ended.done}/{len(ended.steps)} 步",
                    markup=False,
                )
        self.app.pop_screen()
