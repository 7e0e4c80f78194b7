"""帮办代办 (R-D1, R-D2): the delegations in hand — past their 委托期限 first (red), the
suspended ones amber; ``a`` shows every one. Enter opens one; ``n`` logs a new 帮办 or
代办; ``x`` exports any period (station head); Esc goes back.
"""

from __future__ import annotations

from collections.abc import Awaitable
from datetime import tzinfo
from typing import Any

from rich.text import Text
from textual.binding import Binding
from textual.screen import Screen

from appliance.delegation.schemas import DelegationView
from tui.screens.consult_common import OVERDUE_STYLE, TODAY_STYLE
from tui.screens.ledger_list import Cells, LedgerListScreen

COLUMNS = ("编号", "类型", "服务对象", "事项", "代办员", "委托期限", "下次上门", "状态")


def status_cell(d: DelegationView) -> Text:
    if d.overdue:
        return Text(f"{d.status_label}（超期）", style=OVERDUE_STYLE)
    style = {"suspended": TODAY_STYLE, "completed": "bold green"}.get(d.status, "")
    return Text(d.status_label, style=style)


def when(d: DelegationView, tz: tzinfo) -> str:
    """The next home visit still to do (上门服务), in station time."""
    return d.next_visit_at.astimezone(tz).strftime("%m-%d %H:%M") if d.next_visit_at else "—"


def short(text: str, width: int = 16) -> str:
    plain = " ".join(text.split())
    return plain if len(plain) <= width else plain[:width] + "…"


class DelegationListScreen(LedgerListScreen[DelegationView]):
    BINDINGS = [Binding("enter", "open", "查看"), Binding("n", "new", "登记帮办代办")]
    KEY = "delegation"
    TITLE = "帮办代办"
    COLUMNS = COLUMNS
    HINT = (
        "↑/↓ 选择 · Enter 查看 · n 登记帮办/代办 · a 在办 / 全部 · x 导出"
        " · 红色 超过委托期限 · 橙色 已中止"
    )
    EXPORT = ("delegations", "帮办代办台账")
    EMPTY = ("暂无在办的帮办代办", "暂无登记")

    def fetch(self, status: str) -> Awaitable[list[DelegationView]]:
        return self.yz.api.delegations(status)

    def headline(self, entries: list[DelegationView]) -> Text:
        overdue = sum(1 for e in entries if e.overdue)
        suspended = sum(1 for e in entries if e.status == "suspended")
        visits = sum(1 for e in entries if e.next_visit_at is not None)
        scope = "全部" if self.show_all else "在办"
        head = Text(
            f"帮办代办（{scope}）· {len(entries)} 件 · 已中止 {suspended} 件 · "
            f"待上门 {visits} 件 · ",
            "bold",
        )
        head.append(f"超过委托期限 {overdue} 件", style=OVERDUE_STYLE if overdue else "")
        return head

    def cells(self, e: DelegationView) -> tuple[str, Cells]:
        return e.number, (
            e.number,
            e.kind_label,
            e.applicant_name,
            short(e.item_name),
            e.agent_name,
            e.period_end.isoformat() if e.period_end else "—",
            when(e, self.yz.timezone),
            status_cell(e),
        )

    def detail(self, key: str) -> Screen[Any]:
        from tui.screens.delegation_detail import DelegationDetailScreen

        return DelegationDetailScreen(key)

    def form(self) -> Screen[Any]:
        from tui.screens.delegation_form import DelegationFormScreen

        return DelegationFormScreen()
