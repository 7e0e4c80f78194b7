"""投诉登记 (R-P2): what the complainant says, the channel, whether it is kept confidential,
and who complains (may be left empty: anonymous). Nothing is promised here: 核实 comes
first. Enter moves to the next line; Ctrl+S registers; Esc goes back.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Static

from appliance.complaints.rules import Channel
from appliance.complaints.schemas import ComplaintIn
from appliance.core.identity import normalise_mobile
from tui.case_widgets import ChoiceBar, compact_input, field_row
from tui.queue_widgets import KeyFooter
from tui.screens.base import AppScreen
from tui.screens.case_common import guarded
from tui.status_bar import StatusBar

CHANNELS = (
    ("onsite", "现场"),
    ("hotline", "12345"),
    ("box", "意见箱"),
    ("phone", "电话"),
    ("email", "邮件"),
    ("web", "网络"),
)
SECRECY = (("no", "不保密"), ("yes", "保密（只有投诉受理和站长可见）"))


def pad(label: str) -> str:
    return (label + "：").ljust(6, "\u3000")


class ComplaintFormScreen(AppScreen):
    DEFAULT_CSS = """
    #complaint-form { height: auto; padding: 0 1; }
    #complaint-title { height: auto; padding: 0 1; text-style: bold; }
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
        yield Static("登记投诉（如实记录，核实前不作承诺）", id="complaint-title")
        with Vertical(id="complaint-form"):
            yield field_row(pad("投诉内容"), compact_input("complaint-content", "投诉事项要点"))
            yield field_row(pad("投诉渠道"), ChoiceBar(CHANNELS, id="complaint-channel"))
            yield field_row(pad("是否保密"), ChoiceBar(SECRECY, id="complaint-secret"))
            yield field_row(pad("投诉人"), compact_input("complaint-name", "姓名；匿名可不填"))
            yield field_row(pad("手机号码"), compact_input("complaint-phone", "短信答复需要"))
            yield field_row(pad("其他联系"), compact_input("complaint-contact", "邮箱或地址"))
            yield field_row(pad("被投诉对象"), compact_input("complaint-about", "人员、窗口或事项"))
            yield Static("", id="complaint-error", classes="dialog-error")
            yield Static(
                "←/→ 选择 · Enter / ↓ 下一项 · Ctrl+S 登记 · Esc 返回", classes="dialog-hint"
            )
        yield KeyFooter(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one("#complaint-content", Input).focus()

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
        self.query_one("#complaint-error", Static).update(message)

    def _value(self, field_id: str) -> str:
        return self.query_one(f"#{field_id}", Input).value.strip()

    def body(self) -> ComplaintIn:
        return ComplaintIn(
            content=self._value("complaint-content"),
            channel=Channel(self.query_one("#complaint-channel", ChoiceBar).value),
            confidential=self.query_one("#complaint-secret", ChoiceBar).value == "yes",
            complainant_name=self._value("complaint-name"),
            complainant_phone=normalise_mobile(self._value("complaint-phone")),
            complainant_contact=self._value("complaint-contact"),
            about=self._value("complaint-about"),
        )

    async def action_submit(self) -> None:
        if self._busy:
            return
        self._busy = True
        self._show_error("正在登记…")
        call = self.yz.api.register_complaint(self.body())
        made = await guarded(self.app, call, self._show_error)
        self._busy = False
        if made is None:
            return
        secret = "（保密）" if made.confidential else ""
        self.notify(f"已登记投诉 {made.number}{secret}，请先核实", markup=False)
        from tui.screens.complaints_detail import ComplaintDetailScreen

        self.app.switch_screen(ComplaintDetailScreen(made.number, made))
