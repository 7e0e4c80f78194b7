"""我的办件 (R-K3): my open cases, nearest deadline first; Enter opens one.

Overdue rows are red and rows due within 2 working days amber (the server decides which:
``urgency``); a deadline in a year without holiday data is marked 暂定 and a warning line
says it will be recomputed. The applicant's name shows, the phone is masked as the server
sends it. ``d`` adds the finished cases (已办结), ``a`` shows every staff member's cases;
the heading says which list is on show.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from appliance.cases.schemas import CaseSummary
from tui.case_widgets import OVERDUE_STYLE, SOON_STYLE, CaseTable, provisional_warning
from tui.queue_widgets import KeyFooter
from tui.screens.base import AppScreen
from tui.screens.case_common import guarded
from tui.screens.case_detail import CaseDetailScreen
from tui.status_bar import StatusBar


def heading(cases: list[CaseSummary], mine: bool = True, done: bool = False) -> Text:
    """E.g. 我的办件（本人 · 仅在办）· 5 件 · 已逾期 1 件 · 2 个工作日内到期 1 件."""
    overdue = sum(1 for c in cases if c.urgency == "overdue")
    soon = sum(1 for c in cases if c.urgency == "soon")
    scope = "我的办件（本人" if mine else "全部办件（全部人员"
    which = "含已办结" if done else "仅在办"
    text = Text(f"{scope} · {which}）· {len(cases)} 件 · ", style="bold")
    text.append(f"已逾期 {overdue} 件", style=OVERDUE_STYLE)
    text.append(" · ")
    text.append(f"2 个工作日内到期 {soon} 件", style=SOON_STYLE)
    return text


class MyCasesScreen(AppScreen):
    """我的办件: a table sorted by deadline."""

    BINDINGS = [
        Binding("escape", "back", "返回"),
        Binding("r", "reload", "刷新"),
        Binding("enter", "open", "查看办件"),
        Binding("d", "toggle_done", "切换已办结"),
        Binding("a", "toggle_mine", "切换全部人员"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.cases: list[CaseSummary] | None = None
        self.mine = True  # False: every staff member's cases
        self.done = False  # True: finished ones too (已送达、已关闭、不予受理 …)

    def compose(self) -> ComposeResult:
        yield StatusBar()
        yield Static("我的办件 · 正在读取…", id="cases-head")
        yield Static("", id="cases-warning")
        yield CaseTable(id="cases-table")
        yield Static("", id="cases-error", classes="dialog-error")
        yield Static(
            "↑/↓ 选择 · Enter 查看办件并办理下一步 · d 显示/隐藏已办结 · a 本人/全部人员"
            " · 红色 已逾期 · 橙色 2 个工作日内到期",
            classes="dialog-hint",
        )
        yield KeyFooter(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one("#cases-warning", Static).display = False
        self.query_one(CaseTable).focus()

    async def on_screen_resume(self) -> None:
        """Reload every time the screen shows (also after a step in the detail screen)."""
        await self.action_reload()

    def _show_error(self, message: str) -> None:
        self.query_one("#cases-error", Static).update(message)

    async def action_reload(self) -> None:
        mine, done = self.mine, self.done
        cases = await guarded(self.app, self.yz.api.my_cases(mine, done), self._show_error)
        if cases is None or (mine, done) != (self.mine, self.done):  # toggled meanwhile
            return
        self.cases = cases
        self._show_error("" if cases else ("暂无办件" if done else "暂无在办的办件"))
        self.query_one("#cases-head", Static).update(heading(cases, mine, done))
        provisional = [c.due_on for c in cases if c.due_on is not None and c.due_provisional]
        warning = self.query_one("#cases-warning", Static)
        warning.display = bool(provisional)
        if provisional:
            warning.update(provisional_warning(provisional, whole_list=True))
        self.query_one(CaseTable).load(cases)

    async def action_toggle_done(self) -> None:
        """d: 显示 / 隐藏已办结的办件."""
        self.done = not self.done
        await self.action_reload()

    async def action_toggle_mine(self) -> None:
        """a: 本人的办件 / 全部人员的办件."""
        self.mine = not self.mine
        await self.action_reload()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        number = self.query_one(CaseTable).selected_number
        if number:
            self.app.push_screen(CaseDetailScreen(number))

    def action_back(self) -> None:
        self.app.pop_screen()
