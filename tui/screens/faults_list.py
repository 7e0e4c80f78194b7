"""故障台账 (R-I1): the faults being handled (I级 red), ``a`` shows every fault of the last
30 days. Enter opens one (steps, people told, close); ``n`` records a new fault; ``x`` exports
any period (station head); F9 opens the emergency checklists; Esc goes back.
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any

from rich.text import Text
from textual.binding import Binding
from textual.screen import Screen

from appliance.faults.schemas import FaultView
from tui.screens.consult_common import OVERDUE_STYLE
from tui.screens.ledger_list import Cells, LedgerListScreen

COLUMNS = ("编号", "类别", "等级", "故障现象", "发生时间", "持续", "状态")


def level_cell(f: FaultView) -> Text:
    return Text(f.level_label, style=OVERDUE_STYLE if f.level == "I" else "")


def status_cell(f: FaultView) -> Text:
    label = f.status_label + ("（自动）" if f.automatic else "")
    return Text(label, style="bold green" if f.status == "closed" else "bold dark_orange")


class FaultListScreen(LedgerListScreen[FaultView]):
    BINDINGS = [Binding("enter", "open", "查看 / 处理"), Binding("n", "new", "登记故障")]
    KEY = "fault"
    TITLE = "故障台账"
    COLUMNS = COLUMNS
    HINT = (
        "↑/↓ 选择 · Enter 查看并处理 · n 登记故障 · a 处理中 / 近 30 天全部 · x 导出"
        " · F9 应急处置 · 等级按 HN-4 6.3.1"
    )
    EXPORT = ("faults", "故障台账")
    EMPTY = ("暂无处理中的故障", "暂无故障")

    def fetch(self, status: str) -> Awaitable[list[FaultView]]:
        return self.yz.api.faults(status)

    def headline(self, entries: list[FaultView]) -> Text:
        open_count = sum(1 for f in entries if f.status == "open")
        scope = "近 30 天全部" if self.show_all else "处理中"
        return Text(f"故障台账（{scope}）· {len(entries)} 条 · 处理中 {open_count} 条", "bold")

    def cells(self, f: FaultView) -> tuple[str, Cells]:
        return f.number, (
            f.number,
            f.kind_label,
            level_cell(f),
            f.title,
            f.opened_at.astimezone(self.yz.timezone).strftime("%m-%d %H:%M"),
            f.duration_text,
            status_cell(f),
        )

    def detail(self, key: str) -> Screen[Any]:
        from tui.screens.faults_detail import FaultDetailScreen

        return FaultDetailScreen(key)

    def form(self) -> Screen[Any]:
        from tui.screens.faults_form import FaultFormScreen

        return FaultFormScreen()
