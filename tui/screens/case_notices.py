"""通知书 of a case (R-K2): the list kept with the case, and 补打 (reprint) by keyboard.

Every notice a step issued (收件凭证, 受理通知书, 补正通知书 …) is kept with the case as
the PDF that was printed. The detail screen lists them with when they were issued and the
state of their latest print job; ``p`` opens ``ReprintDialog``: ↑/↓ choose, Enter prints
the kept PDF again 一式二份 (one API call), Esc cancels.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import tzinfo
from typing import TYPE_CHECKING, cast

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable, Label, Static

from appliance.cases.schemas import CaseNoticeView
from tui.case_models import print_status_label
from tui.screens.base import Dialog
from tui.screens.case_common import guarded

if TYPE_CHECKING:
    from tui.app import YizhanApp

PRINT_STYLES = {
    "pending": "dark_orange",
    "printing": "dark_orange",
    "done": "green",
    "error": "bold red",
    "cancelled": "dim",
}
NO_NOTICES = "尚无通知书"


def issued_at(notice: CaseNoticeView, timezone: tzinfo) -> str:
    """When the notice was issued, station time (MM-DD HH:MM)."""
    return notice.created_at.astimezone(timezone).strftime("%m-%d %H:%M")


def status_text(notice: CaseNoticeView) -> Text:
    return Text(print_status_label(notice), style=PRINT_STYLES.get(notice.print_status or "", ""))


def reprinted_message(notice: CaseNoticeView) -> str:
    """The confirmation shown after 补打."""
    status = print_status_label(notice)
    return f"已补打{notice.title}：已送打印（一式二份），打印状态：{status}"


class NoticeList(Static):
    """The notices of one case, oldest first: issued at, name, print state."""

    def __init__(self, timezone: tzinfo, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.timezone = timezone
        self.notices: list[CaseNoticeView] = []

    def load(self, notices: Sequence[CaseNoticeView]) -> None:
        self.notices = list(notices)
        if not notices:
            self.update(Text(NO_NOTICES, style="dim"))
            return
        table = Table(box=None, expand=True, padding=(0, 1), pad_edge=False, show_header=False)
        table.add_column("印发时间", no_wrap=True)
        table.add_column("通知书", ratio=1, overflow="fold")
        table.add_column("打印状态", no_wrap=True)
        for n in notices:
            table.add_row(issued_at(n, self.timezone), n.title, status_text(n))
        self.update(table)

    def rows(self) -> list[str]:
        """Each notice as one line of plain text (for tests and logs)."""
        return [
            f"{issued_at(n, self.timezone)} {n.title} {print_status_label(n)}" for n in self.notices
        ]


class NoticeChooser(DataTable[Text]):
    """The notices to choose from in ``ReprintDialog``."""

    def __init__(self, notices: Sequence[CaseNoticeView], timezone: tzinfo) -> None:
        super().__init__(cursor_type="row", id="reprint-notices")
        self.notices = list(notices)
        self.add_columns("印发时间", "通知书", "打印状态")
        for n in notices:
            self.add_row(Text(issued_at(n, timezone)), Text(n.title), status_text(n), key=n.id)


class ReprintDialog(Dialog[CaseNoticeView]):
    """补打通知书: choose one of the case's notices; returns it as it is after the reprint."""

    def __init__(
        self, case_number: str, notices: Sequence[CaseNoticeView], timezone: tzinfo
    ) -> None:
        super().__init__()
        self.case_number = case_number
        self.notices = list(notices)
        self.timezone = timezone
        self._busy = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog case-dialog"):
            yield Label(f"补打通知书 · 办件 {self.case_number}", classes="dialog-title")
            yield Static("补打存档的原件，一式二份；通知书编号不变。", classes="case-explain")
            yield NoticeChooser(self.notices, self.timezone)
            yield Static("", classes="dialog-error")
            yield Static("↑/↓ 选择 · Enter 补打 · Esc 取消", classes="dialog-hint")

    def on_mount(self) -> None:
        chooser = self.query_one(NoticeChooser)
        chooser.move_cursor(row=len(self.notices) - 1, animate=False)  # the latest first
        chooser.focus()

    def show_error(self, message: str) -> None:
        self.query_one(".dialog-error", Static).update(message)

    async def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if self._busy or not 0 <= event.cursor_row < len(self.notices):
            return
        notice = self.notices[event.cursor_row]
        self._busy = True
        self.show_error("正在提交…")
        api = cast("YizhanApp", self.app).api
        result = await guarded(
            self.app, api.reprint_notice(self.case_number, notice.id), self.show_error
        )
        self._busy = False
        if result is not None:
            self.dismiss(result)
