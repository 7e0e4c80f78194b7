"""投诉受理 (R-P2): the complaints not yet closed, oldest first; ``a`` shows every complaint
of the last 30 days. Enter opens one (核实, 处理 or 转办, 答复, 办结); ``n`` registers a new
one; ``x`` exports any period; Esc goes back. Offered to the 投诉受理 role and the head.
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any

from rich.text import Text
from textual.binding import Binding
from textual.screen import Screen

from appliance.complaints.schemas import ComplaintView
from tui.screens.desk_common import short, when
from tui.screens.ledger_list import Cells, LedgerListScreen

COLUMNS = ("投诉编号", "受理时间", "渠道", "投诉内容", "投诉人", "进展")


def complainant_cell(c: ComplaintView) -> Text:
    name = c.complainant_name or "匿名"
    if c.confidential:
        return Text(f"{name}（保密）", style="bold magenta")
    return Text(name)


class ComplaintListScreen(LedgerListScreen[ComplaintView]):
    BINDINGS = [Binding("enter", "open", "查看 / 处理"), Binding("n", "new", "登记投诉")]
    KEY = "complaint"
    TITLE = "投诉受理"
    COLUMNS = COLUMNS
    HINT = "↑/↓ 选择 · Enter 核实、处理、答复、办结 · n 登记投诉 · a 未办结 / 近 30 天全部 · x 导出"
    EXPORT = ("complaints", "投诉受理台账")
    EMPTY = ("暂无未办结的投诉", "暂无投诉")

    def fetch(self, status: str) -> Awaitable[list[ComplaintView]]:
        return self.yz.api.complaints(status)

    def headline(self, entries: list[ComplaintView]) -> Text:
        scope = "近 30 天全部" if self.show_all else "未办结"
        waiting = sum(1 for c in entries if c.state == "verify")
        return Text(f"投诉受理（{scope}）· {len(entries)} 件 · 待核实 {waiting} 件", "bold")

    def cells(self, c: ComplaintView) -> tuple[str, Cells]:
        return c.number, (
            c.number,
            when(c.received_at, self.yz.timezone),
            c.channel_label,
            short(c.content),
            complainant_cell(c),
            Text(c.state_label, "bold green" if c.state == "closed" else ""),
        )

    def detail(self, key: str) -> Screen[Any]:
        from tui.screens.complaints_detail import ComplaintDetailScreen

        return ComplaintDetailScreen(key)

    def form(self) -> Screen[Any]:
        from tui.screens.complaints_form import ComplaintFormScreen

        return ComplaintFormScreen()
