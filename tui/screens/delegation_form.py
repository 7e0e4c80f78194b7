"""登记帮办代办 (R-D1): a 帮办 is logged and assigned at once; a 代办 signs the 代办服务委托书
(agent, content, period, responsibilities), kept as PDF to print and sign.

The agent is typed as a 工号 (empty: whoever logs it). The period's end is typed the short
way: ``30`` is 30 days from today, ``12-31`` is 31 December, ``2026-12-31`` a full date.
Ctrl+S records; Esc goes back.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Static

from appliance.core.identity import normalise_mobile
from appliance.delegation.schemas import DelegationIn, HelpIn
from tui.case_widgets import ChoiceBar, compact_input, field_row
from tui.queue_widgets import KeyFooter
from tui.screens.base import AppScreen
from tui.screens.case_common import guarded, local_today
from tui.screens.consult_common import FormError
from tui.status_bar import StatusBar

KINDS = (("delegate", "代办（签委托书）"), ("help", "帮办（当场分派）"))
_MONTH_DAY = re.compile(r"^(\d{1,2})[-/.月](\d{1,2})日?$")


def parse_day(text: str, today: date, what: str = "委托期限") -> date:
    """``30`` → 30 days from today; ``12-31`` → that day (next year when past); a full date."""
    value = text.strip()
    if value.isdigit() and len(value) <= 3:
        return today + timedelta(days=int(value))
    try:
        return date.fromisoformat(value)
    except ValueError:
        pass
    match = _MONTH_DAY.match(value)
    if match:
        try:
            day = date(today.year, int(match.group(1)), int(match.group(2)))
            return day if day >= today else day.replace(year=today.year + 1)
        except ValueError:
            pass
    raise FormError(f"{what}“{value}”看不懂：填天数（如 30）或日期（如 12-31、2026-12-31）")


def pad(label: str) -> str:
    return (label + "：").ljust(6, "\u3000")


class DelegationFormScreen(AppScreen):
    DEFAULT_CSS = """
    #delegation-form { height: auto; padding: 0 1; }
    #delegation-title { height: auto; padding: 0 1; text-style: bold; }
    """
    BINDINGS = [
        Binding("ctrl+s", "submit", "登记", priority=True),
        Binding("escape", "back", "返回"),
        Binding("down", "next_field", "下一项", show=False),
        Binding("up", "previous_field", "上一项", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.error = ""
        self._busy = False

    def compose(self) -> ComposeResult:
        yield StatusBar()
        yield Static("登记帮办代办（代办服务委托书）", id="delegation-title")
        with Vertical(id="delegation-form"):
            yield field_row(pad("类型"), ChoiceBar(KINDS, id="dlg-kind"))
            yield field_row(pad("服务对象"), compact_input("dlg-name", "委托人姓名"))
            yield field_row(pad("手机号码"), compact_input("dlg-phone", "用于短信反馈进展，可不填"))
            yield field_row(pad("身份证号"), compact_input("dlg-id", "代办填写，打印时隐去中间"))
            yield field_row(
                pad("办理事项"), compact_input("dlg-item", "如 城乡居民养老保险待遇领取")
            )
            yield field_row(
                pad("委托内容"), compact_input("dlg-content", "代为办理的内容 / 需要的帮助")
            )
            yield field_row(
                pad("期限至"), compact_input("dlg-end", "代办必填：天数如 30，或日期如 12-31")
            )
            yield field_row(pad("代办员"), compact_input("dlg-agent", "工号；空为本人"))
            yield Static("", id="delegation-error", classes="dialog-error")
            yield Static(
                "代办服务免费，收费由委托人自行缴纳 · Ctrl+S 登记 · Esc 返回",
                classes="dialog-hint",
            )
        yield KeyFooter(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one("#dlg-kind", ChoiceBar).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.focus_next()

    def action_next_field(self) -> None:
        self.focus_next()

    def action_previous_field(self) -> None:
        self.focus_previous()

    def action_back(self) -> None:
        self.app.pop_screen()

    def _show_error(self, message: str) -> None:
        self.error = message
        self.query_one("#delegation-error", Static).update(message)

    def _value(self, field_id: str) -> str:
        return self.query_one(f"#{field_id}", Input).value.strip()

    def body(self) -> DelegationIn | HelpIn:
        phone = self._value("dlg-phone")
        phone = normalise_mobile(phone) if phone else ""
        if self.query_one("#dlg-kind", ChoiceBar).value == "help":
            return HelpIn(
                applicant_name=self._value("dlg-name"),
                applicant_phone=phone,
                item_name=self._value("dlg-item"),
                content=self._value("dlg-content"),
                agent_code=self._value("dlg-agent"),
            )
        end = self._value("dlg-end")
        if not end:
            raise FormError("代办须填写委托期限（到哪一天为止）")
        return DelegationIn(
            applicant_name=self._value("dlg-name"),
            applicant_id_number=self._value("dlg-id"),
            applicant_phone=phone,
            item_name=self._value("dlg-item"),
            content=self._value("dlg-content"),
            period_end=parse_day(end, local_today(self.app)),
            agent_code=self._value("dlg-agent"),
        )

    async def action_submit(self) -> None:
        if self._busy:
            return
        try:
            body = self.body()
        except FormError as exc:
            self._show_error(exc.message)
            return
        self._busy = True
        self._show_error("正在登记…")
        api = self.yz.api
        call = api.log_help(body) if isinstance(body, HelpIn) else api.agree_delegation(body)
        entry = await guarded(self.app, call, self._show_error)
        self._busy = False
        if entry is None:
            return
        if entry.kind == "help":
            message = f"已登记帮办 {entry.number}，已分派给 {entry.agent_name}"
        else:
            message = f"已签订代办委托书 {entry.number}，请打印委托书由双方签字"
        self.notify(message, markup=False)
        from tui.screens.delegation_detail import DelegationDetailScreen

        self.app.switch_screen(DelegationDetailScreen(entry.number, entry))
