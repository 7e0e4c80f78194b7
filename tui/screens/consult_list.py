"""咨询台账 (R-C2): the open entries, overdue first (red), due today amber; ``a`` shows
every entry of the last 30 days. Enter opens one (reply, promote); ``n`` records a new
question; ``x`` exports any period (station head, R-M3); Esc goes back.
"""

from __future__ import annotations

from collections.abc import Awaitable
from datetime import date
from typing import Any

from rich.text import Text
from textual.binding import Binding
from textual.screen import Screen

from appliance.consultations.schemas import ConsultationView
from tui.screens.case_common import local_today
from tui.screens.consult_common import OVERDUE_STYLE, TODAY_STYLE
from tui.screens.ledger_list import Cells, LedgerListScreen

COLUMNS = ("编号", "方式", "咨询内容", "服务对象", "约定答复", "状态")


def due_cell(c: ConsultationView, today: date) -> Text:
    if c.reply_due is None:
        return Text("当场答复" if c.answered_at else "—")
    label = c.reply_due.isoformat() + ("（暂定）" if c.reply_due_provisional else "")
    if c.overdue:
        return Text(label, style=OVERDUE_STYLE)
    if c.status == "open" and c.reply_due == today:
        return Text(label, style=TODAY_STYLE)
    return Text(label)


def status_cell(c: ConsultationView) -> Text:
    style = OVERDUE_STYLE if c.overdue else ("bold green" if c.status == "closed" else "")
    return Text(c.status_label, style=style)


def short(text: str, width: int = 30) -> str:
    plain = " ".join(text.split())
    return plain if len(plain) <= width else plain[:width] + "…"


class ConsultationListScreen(LedgerListScreen[ConsultationView]):
    BINDINGS = [Binding("enter", "open", "查看 / 答复"), Binding("n", "new", "登记咨询")]
    KEY = "consult"
    TITLE = "咨询台账"
    COLUMNS = COLUMNS
    HINT = (
        "↑/↓ 选择 · Enter 查看并答复 · n 登记咨询 · a 待答复 / 近 30 天全部 · x 导出"
        " · 红色 逾期未答复 · 橙色 今日应答复"
    )
    EXPORT = ("consultations", "咨询台账")
    EMPTY = ("暂无待答复的咨询", "暂无咨询")

    def fetch(self, status: str) -> Awaitable[list[ConsultationView]]:
        return self.yz.api.consultations(status)

    def headline(self, entries: list[ConsultationView]) -> Text:
        overdue = sum(1 for e in entries if e.overdue)
        open_count = sum(1 for e in entries if e.status == "open")
        scope = "近 30 天全部" if self.show_all else "待答复"
        head = Text(f"咨询台账（{scope}）· {len(entries)} 条 · 待答复 {open_count} 条 · ", "bold")
        head.append(f"逾期未答复 {overdue} 条", style=OVERDUE_STYLE if overdue else "")
        return head

    def cells(self, e: ConsultationView) -> tuple[str, Cells]:
        today = local_today(self.app)
        return e.number, (
            e.number,
            e.channel_label,
            short(e.question),
            e.visitor_name or "—",
            due_cell(e, today),
            status_cell(e),
        )

    def detail(self, key: str) -> Screen[Any]:
        from tui.screens.consult_detail import ConsultationDetailScreen

        return ConsultationDetailScreen(key)

    def form(self) -> Screen[Any]:
        from tui.screens.consult_form import ConsultationFormScreen

        return ConsultationFormScreen()
