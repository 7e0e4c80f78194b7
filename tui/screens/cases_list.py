"""我的办件 (R-K3): my open cases, nearest deadline first; Enter opens one.

Overdue rows are red and rows due within 2 working days amber (the server decides which:
``urgency``); a deadline in a year without holiday data is marked 暂定. The applicant's
name shows, the phone is masked as the server sends it.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from tui.case_models import CaseSummary
from tui.case_widgets import OVERDUE_STYLE, SOON_STYLE, CaseTable
from tui.queue_widgets import KeyFooter
from tui.status_bar import StatusBar

from .base import AppScreen
from .case_common import guarded
from .case_detail import CaseDetailScreen


def heading(cases: list[CaseSummary]) -> Text:
    overdue = sum(1 for c in cases if c.urgency == "overdue")
    soon = sum(1 for c in cases if c.urgency == "soon")
    text = Text(f"我的办件 · 在办 {len(cases)} 件 · ", style="bold")
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
    ]

    def __init__(self) -> None:
        super().__init__()
        self.cases: list[CaseSummary] | None = None

    def compose(self) -> ComposeResult:
        yield StatusBar()
        yield Static("我的办件 · 正在读取…", id="cases-head")
        yield CaseTable(id="cases-table")
        yield Static("", id="cases-error", classes="dialog-error")
        yield Static("↑/↓ 选择 · Enter 查看办件并办理下一步 · 红色 已逾期 · 橙色 2 个工作日内到期",
                     classes="dialog-hint")
        yield KeyFooter(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one(CaseTable).focus()

    async def on_screen_resume(self) -> None:
        """Reload every time the screen shows (also after a step in the detail screen)."""
        await self.action_reload()

    def _show_error(self, message: str) -> None:
        self.query_one("#cases-error", Static).update(message)

    async def action_reload(self) -> None:
        cases = await guarded(self.app, self.yz.api.my_cases(), self._show_error)
        if cases is None:
            return
        self.cases = cases
        self._show_error("" if cases else "暂无在办的办件")
        self.query_one("#cases-head", Static).update(heading(cases))
        self.query_one(CaseTable).load(cases)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        number = self.query_one(CaseTable).selected_number
        if number:
            self.app.push_screen(CaseDetailScreen(number))

    def action_back(self) -> None:
        self.app.pop_screen()
