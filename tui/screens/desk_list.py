""" "办不成事"登记 (R-P1): the open entries, overdue first (red); ``a`` shows every entry of the
last 30 days. Enter opens one (follow, tell the visitor again, close); ``n`` registers a new
problem; ``x`` exports any period (station head, R-M3); Esc goes back.
"""

from __future__ import annotations

from collections.abc import Awaitable
from datetime import date
from typing import Any

from rich.text import Text
from textual.binding import Binding
from textual.screen import Screen

from appliance.desk.schemas import DeskEntryView
from tui.screens.case_common import local_today
from tui.screens.consult_common import OVERDUE_STYLE, TODAY_STYLE
from tui.screens.desk_common import short
from tui.screens.ledger_list import Cells, LedgerListScreen

COLUMNS = ("登记编号", "办理类型", "反映问题", "服务对象", "期限 / 承办", "状态")
KIND_CELLS = {
    "simple": "当场办理",
    "complex": "限期办结",
    "outside": "告知去向",
    "transfer": "转办",
}


def due_cell(e: DeskEntryView, today: date) -> Text:
    if e.kind == "transfer":
        return Text(f"{e.handler_dept} {e.handler_name}")
    if e.due_on is None:
        return Text("—")
    label = e.due_on.isoformat() + ("（暂定）" if e.due_provisional else "")
    if e.overdue:
        return Text(label, style=OVERDUE_STYLE)
    if e.status == "open" and e.due_on == today:
        return Text(label, style=TODAY_STYLE)
    return Text(label)


def status_cell(e: DeskEntryView) -> Text:
    style = OVERDUE_STYLE if e.overdue else ("bold green" if e.status == "closed" else "")
    return Text(e.status_label, style=style)


class DeskListScreen(LedgerListScreen[DeskEntryView]):
    BINDINGS = [Binding("enter", "open", "查看 / 办结"), Binding("n", "new", "登记")]
    KEY = "desk"
    TITLE = "办不成事登记"
    COLUMNS = COLUMNS
    HINT = (
        "↑/↓ 选择 · Enter 查看、跟踪、办结 · n 登记 · a 办理中 / 近 30 天全部 · x 导出"
        " · 红色 逾期未办结 · 橙色 今日到期"
    )
    EXPORT = ("desk", "办不成事登记台账")
    EMPTY = ("暂无办理中的登记", "近 30 天没有登记")

    def fetch(self, status: str) -> Awaitable[list[DeskEntryView]]:
        return self.yz.api.desk_entries(status)

    def headline(self, entries: list[DeskEntryView]) -> Text:
        overdue = sum(1 for e in entries if e.overdue)
        open_count = sum(1 for e in entries if e.status == "open")
        scope = "近 30 天全部" if self.show_all else "办理中"
        head = Text(
            f"办不成事登记（{scope}）· {len(entries)} 条 · 办理中 {open_count} 条 · ", "bold"
        )
        head.append(f"逾期未办结 {overdue} 条", style=OVERDUE_STYLE if overdue else "")
        return head

    def cells(self, e: DeskEntryView) -> tuple[str, Cells]:
        return e.number, (
            e.number,
            KIND_CELLS.get(e.kind, e.kind),
            short(e.problem),
            e.visitor_name or "—",
            due_cell(e, local_today(self.app)),
            status_cell(e),
        )

    def detail(self, key: str) -> Screen[Any]:
        from tui.screens.desk_detail import DeskDetailScreen

        return DeskDetailScreen(key)

    def form(self) -> Screen[Any]:
        from tui.screens.desk_form import DeskFormScreen

        return DeskFormScreen()
