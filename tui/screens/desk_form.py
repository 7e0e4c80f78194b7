"""登记办不成事 (R-P1): the problem, its kind, and what that kind needs.

← / → pick the kind: 当场办理 asks what was done, 限期办结 gets 5 working days on the
station calendar, 告知去向 asks where the visitor should go, 转办 asks the department, the
named handler and how the visitor is told (短信 needs a mobile number; 书面 prints the slip).
Enter moves to the next line; Ctrl+S registers; Esc goes back.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Static

from appliance.core.identity import normalise_mobile
from appliance.desk.rules import DeskKind, NotifyBy, ProblemType
from appliance.desk.schemas import DeskEntryIn
from tui.case_widgets import ChoiceBar, compact_input, field_row
from tui.queue_widgets import KeyFooter
from tui.screens.base import AppScreen
from tui.screens.case_common import guarded
from tui.status_bar import StatusBar

KINDS = (
    ("simple", "当场办理"),
    ("complex", "5个工作日内办结"),
    ("outside", "非本级事权·告知去向"),
    ("transfer", "本级事权·当日转办"),
)
PROBLEMS = (
    ("runaround", "来回跑"),
    ("hard", "办事难"),
    ("unattended", "无人受理"),
    ("experience", "体验差"),
    ("result", "对结果有疑问"),
    ("other", "其他"),
)
NOTIFY = (("sms", "短信告知"), ("paper", "打印告知单"))
# the rows each kind shows (the others are hidden and not sent)
ROWS = {
    "simple": ("row-resolution",),
    "complex": (),
    "outside": ("row-referral",),
    "transfer": ("row-dept", "row-handler", "row-hphone", "row-notify"),
}
ALL_ROWS = tuple({r for rows in ROWS.values() for r in rows})


def pad(label: str) -> str:
    return (label + "：").ljust(6, "\u3000")


class DeskFormScreen(AppScreen):
    DEFAULT_CSS = """
    #desk-form { height: auto; padding: 0 1; }
    #desk-title { height: auto; padding: 0 1; text-style: bold; }
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
        yield Static("登记办不成事（办不成事反映窗口）", id="desk-title")
        with Vertical(id="desk-form"):
            yield field_row(pad("反映问题"), compact_input("desk-problem", "服务对象遇到的问题"))
            yield field_row(pad("问题类型"), ChoiceBar(PROBLEMS, id="desk-ptype"))
            yield field_row(pad("办理类型"), ChoiceBar(KINDS, id="desk-kind"))
            yield field_row(
                pad("办理情况"),
                compact_input("desk-resolution", "当场办理或答复的情况"),
                row_id="row-resolution",
            )
            yield field_row(
                pad("告知去向"),
                compact_input("desk-referral", "应向哪个机关反映，如 县医保局（政务中心二楼）"),
                row_id="row-referral",
            )
            yield field_row(
                pad("承办部门"),
                compact_input("desk-dept", "有权处置的部门或窗口"),
                row_id="row-dept",
            )
            yield field_row(
                pad("承办人"), compact_input("desk-handler", "承办人姓名"), row_id="row-handler"
            )
            yield field_row(
                pad("承办人电话"), compact_input("desk-hphone", "可不填"), row_id="row-hphone"
            )
            yield field_row(
                pad("告知方式"), ChoiceBar(NOTIFY, id="desk-notify"), row_id="row-notify"
            )
            yield field_row(pad("服务对象"), compact_input("desk-name", "姓名，可不填"))
            yield field_row(pad("手机号码"), compact_input("desk-phone", "短信告知必填"))
            yield field_row(pad("相关事项"), compact_input("desk-item", "可不填"))
            yield Static("", id="desk-error", classes="dialog-error")
            yield Static(
                "←/→ 选择类型 · Enter / ↓ 下一项 · Ctrl+S 登记 · Esc 返回", classes="dialog-hint"
            )
        yield KeyFooter(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self._show_rows("simple")
        self.query_one("#desk-problem", Input).focus()

    def _show_rows(self, kind: str) -> None:
        for row in ALL_ROWS:
            self.query_one(f"#{row}").display = row in ROWS[kind]

    def on_choice_bar_changed(self, event: ChoiceBar.Changed) -> None:
        if event.bar.id == "desk-kind":
            self._show_rows(event.value)

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
        self.query_one("#desk-error", Static).update(message)

    def _value(self, field_id: str) -> str:
        return self.query_one(f"#{field_id}", Input).value.strip()

    def _choice(self, field_id: str) -> str:
        return self.query_one(f"#{field_id}", ChoiceBar).value

    def body(self) -> DeskEntryIn:
        kind = DeskKind(self._choice("desk-kind"))
        transfer = kind is DeskKind.TRANSFER
        return DeskEntryIn(
            problem=self._value("desk-problem"),
            kind=kind,
            problem_type=ProblemType(self._choice("desk-ptype")),
            item_name=self._value("desk-item"),
            visitor_name=self._value("desk-name"),
            visitor_phone=normalise_mobile(self._value("desk-phone")),
            resolution=self._value("desk-resolution") if kind is DeskKind.SIMPLE else "",
            referral=self._value("desk-referral") if kind is DeskKind.OUTSIDE else "",
            handler_dept=self._value("desk-dept") if transfer else "",
            handler_name=self._value("desk-handler") if transfer else "",
            handler_phone=self._value("desk-hphone") if transfer else "",
            notify_by=NotifyBy(self._choice("desk-notify")) if transfer else None,
        )

    async def action_submit(self) -> None:
        if self._busy:
            return
        self._busy = True
        self._show_error("正在登记…")
        entry = await guarded(self.app, self.yz.api.register_desk(self.body()), self._show_error)
        self._busy = False
        if entry is None:
            return
        if entry.status == "closed":
            message = f"已登记 {entry.number}（{entry.status_label}）"
        elif entry.kind == "transfer":
            how = "短信" if entry.notify_by == "sms" else "告知单"
            message = f"已登记 {entry.number}，已转交{entry.handler_name}，{how}告知服务对象"
        else:
            due = entry.due_on.isoformat() if entry.due_on else ""
            message = f"已登记 {entry.number}，{due} 前办结或反馈"
        self.notify(message, markup=False)
        from tui.screens.desk_detail import DeskDetailScreen

        self.app.switch_screen(DeskDetailScreen(entry.number, entry))
