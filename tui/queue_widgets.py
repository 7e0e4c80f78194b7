"""Widgets of the queue screen: current ticket, waiting lists per category, no-shows, keys."""

from __future__ import annotations

from datetime import tzinfo
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from appliance.queue.schemas import CategoryQueue, WaitingEntry, WindowState

PRIORITY_STYLE = "bold yellow"
TRANSFER_STYLE = "bold cyan"


def ticket_marks(ticket: WaitingEntry, my_window: int | None, prefix: str | None = None) -> Text:
    """标记: 老弱病残孕优先 / 预约 (R-Q4), 转窗口 targets, and 转入 for a ticket transferred
    into the category ``prefix`` (its number keeps the issuing category's letter)."""
    marks = Text()
    if ticket.priority != "normal":
        marks.append(ticket.priority_label or ticket.priority, style=PRIORITY_STYLE)
    target = ticket.target_window_number
    label = None
    if target is not None:
        label = "转入本窗口" if target == my_window else f"转 {target} 号窗口"
    elif prefix and not ticket.number.startswith(prefix):
        label = "转入"
    if label:
        if marks:
            marks.append(" ")
        marks.append(label, style=TRANSFER_STYLE)
    return marks


class CurrentTicketPanel(Static):
    """当前号: the ticket called or served at my window."""

    BORDER_TITLE = "当前号"

    def show(self, state: WindowState | None, window: int | None) -> None:
        if window is None:
            self.update(Text("未绑定窗口\n可代取号、过号重排", style="dim"))
            return
        if state is None:
            self.update(Text("正在读取窗口状态…", style="dim"))
            return
        if state.paused:
            self.update(Text(f"暂停服务中：{state.pause_reason or ''}", style="bold red"))
            return
        ticket = state.current
        if ticket is None:
            self.update(Text("当前无号\n按 c 呼叫下一位", style="dim"))
            return
        text = Text()
        text.append(ticket.number, style="bold reverse")
        text.append(f"  {ticket.category_name}\n")
        text.append(f"状态：{ticket.status_label}")
        if ticket.recall_count:
            text.append(f"（已重呼 {ticket.recall_count} 次）")
        text.append("\n优先：")
        style = PRIORITY_STYLE if ticket.priority != "normal" else ""
        text.append(ticket.priority_label or "普通", style=style)
        if ticket.phone_masked:
            text.append(f"\n手机：{ticket.phone_masked}")
        self.update(text)


class _TicketTable(DataTable[Text]):
    """A read-only list of tickets: number, marks, time issued."""

    def __init__(self, timezone: tzinfo, my_window: int | None) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True)
        self.timezone = timezone
        self.my_window = my_window
        self.numbers: list[str] = []
        self.prefix: str | None = None  # the category's letter, for the 转入 mark
        self.add_columns("号码", "标记", "取号时间")

    def load(self, tickets: list[WaitingEntry]) -> None:
        row = self.cursor_row
        self.numbers = [t.number for t in tickets]
        self.clear()
        for t in tickets:
            issued = t.issued_at.astimezone(self.timezone).strftime("%H:%M")
            self.add_row(
                Text(t.number, style="bold"),
                ticket_marks(t, self.my_window, self.prefix),
                Text(issued),
                key=t.id,
            )
        if tickets:
            self.move_cursor(row=min(max(row, 0), len(tickets) - 1), animate=False)

    @property
    def selected_number(self) -> str | None:
        if not self.numbers or not 0 <= self.cursor_row < len(self.numbers):
            return None
        return self.numbers[self.cursor_row]


class CategoryTable(_TicketTable):
    """等候队列 of one business category (业务类别)."""

    def __init__(self, queue: CategoryQueue, timezone: tzinfo, my_window: int | None) -> None:
        super().__init__(timezone, my_window)
        self.category_id = queue.id
        self.prefix = queue.prefix
        self._initial = queue

    def on_mount(self) -> None:
        self.show(self._initial)

    def show(self, queue: CategoryQueue) -> None:
        # the count first: at 100 columns a long name is what gets cut, never the count
        self.border_title = f"{queue.prefix} 等候 {len(queue.waiting)} 人 · {queue.name}"
        self.load(queue.waiting)


class NoShowTable(_TicketTable):
    """过号 tickets of today; the selected one is offered for 过号重排."""

    def show(self, tickets: list[WaitingEntry]) -> None:
        self.border_title = f"过号 · {len(tickets)} 个"
        self.load(tickets)


class KeyFooter(Footer):
    """The Footer on a grid of as many rows as needed, so every Chinese key label shows."""

    CELL_WIDTH = 17  # "c 呼叫下一位" and the like, plus a margin
    _keys = 1
    _signature: tuple[tuple[str, str, bool], ...] | None = None

    def bindings_changed(self, screen: Screen[Any]) -> None:
        """Recompose only when the keys on show really changed (not on every focus move)."""
        signature = tuple(
            (key, active.binding.description, active.enabled)
            for key, active in screen.active_bindings.items()
            if active.binding.show
        )
        if signature != self._signature:
            self._signature = signature
            super().bindings_changed(screen)

    def compose(self) -> ComposeResult:
        keys = list(super().compose())
        self._keys = len(keys)
        self._fit(self.app.size.width)
        yield from keys

    def on_resize(self) -> None:
        self._fit(self.size.width)

    def _fit(self, width: int) -> None:
        keys = max(1, self._keys)
        columns = max(1, min(keys, width // self.CELL_WIDTH))
        self.styles.grid_size_columns = columns
        self.styles.height = -(-keys // columns)
