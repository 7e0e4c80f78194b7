"""预约登记 (R-Q7) and 停电断网登记 (R-Q8) from the keyboard.

预约: the category letter (or an item code: its category is used), the day, a free slot
(shown once the day is entered), the visitor, the channel (现场 / 电话) and how the 一次性
告知单 goes (打印 / 短信 / 不需要). 停电断网: the kind, when it began and ended, and the
visitors not served, one per line as ``姓名 手机号 类别`` separated by ``；`` — each gets a
priority appointment on the next open day. Enter / ↓ next line; Ctrl+S saves; Esc back.
"""

from __future__ import annotations

from datetime import date, datetime, time

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Static

from appliance.appointments.rules import Channel, NoticeBy, OutageKind
from appliance.appointments.schemas import BookIn, OutageIn, OutageVisitorIn
from tui.case_widgets import ChoiceBar, compact_input, field_row
from tui.queue_widgets import KeyFooter
from tui.screens.base import AppScreen
from tui.screens.case_common import guarded, local_today
from tui.status_bar import StatusBar

CHANNELS = (("onsite", "现场"), ("phone", "电话"))
NOTICES = (("none", "不需要"), ("print", "打印一次性告知单"), ("sms", "短信发送材料清单"))
KINDS = (("power", "停电"), ("network", "断网"))


def pad(label: str) -> str:
    return (label + "：").ljust(6, "\u3000")


class FormScreen(AppScreen):
    """Shared keys of the two forms: Enter / ↓ next line, ↑ back, Esc leaves."""

    BINDINGS = [
        Binding("ctrl+s", "submit", "保存", priority=True),
        Binding("escape", "back", "返回"),
        Binding("down", "next_field", "下一项", show=False),
        Binding("up", "previous_field", "上一项", show=False),
    ]
    busy = False

    def action_next_field(self) -> None:
        self.focus_next()

    def action_previous_field(self) -> None:
        self.focus_previous()

    def action_back(self) -> None:
        self.app.pop_screen()

    def show_error(self, message: str) -> None:
        self.query_one(".dialog-error", Static).update(message)

    def value(self, field_id: str) -> str:
        return self.query_one(f"#{field_id}", Input).value.strip()

    def choice(self, field_id: str) -> str:
        return self.query_one(f"#{field_id}", ChoiceBar).value


class AppointmentFormScreen(FormScreen):
    DEFAULT_CSS = "#appt-form { height: auto; padding: 0 1; }"

    def __init__(self, day: date | None = None) -> None:
        super().__init__()
        self.day = day

    def compose(self) -> ComposeResult:
        yield StatusBar()
        yield Static("预约登记（现场 / 电话）", classes="dialog-title")
        with Vertical(id="appt-form"):
            yield field_row(pad("业务类别"), compact_input("appt-category", "类别字母，如 A"))
            yield field_row(pad("办理事项"), compact_input("appt-item", "事项编码，可不填"))
            yield field_row(pad("预约日期"), compact_input("appt-day", "如 2026-11-24"))
            yield Static("", id="appt-slots")
            yield field_row(pad("预约时段"), compact_input("appt-time", "时段开始时间，如 09:30"))
            yield field_row(pad("预约人"), compact_input("appt-name", "姓名，可不填"))
            yield field_row(pad("手机号码"), compact_input("appt-phone", "11 位手机号"))
            yield field_row(pad("预约渠道"), ChoiceBar(CHANNELS, id="appt-channel"))
            yield field_row(pad("告知单"), ChoiceBar(NOTICES, id="appt-notice"))
            yield Static("", classes="dialog-error")
            yield Static(
                "Enter / ↓ 下一项 · ←/→ 选择 · Ctrl+S 预约 · Esc 返回", classes="dialog-hint"
            )
        yield KeyFooter(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one("#appt-day", Input).value = (self.day or local_today(self.app)).isoformat()
        self.query_one("#appt-category", Input).focus()

    async def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.focus_next()  # first: what is typed meanwhile goes to the next line
        if event.input.id in ("appt-category", "appt-day"):
            await self.show_slots()

    def _day(self) -> date | None:
        try:
            return date.fromisoformat(self.value("appt-day"))
        except ValueError:
            self.show_error("预约日期格式应为 2026-11-24")
            return None

    async def show_slots(self) -> None:
        category, day = self.value("appt-category"), self._day()
        if not category or day is None:
            return
        view = await guarded(
            self.app, self.yz.api.appointment_slots(category, day), self.show_error
        )
        if view is None:
            return
        if not view.open:
            text = view.message
        else:
            free = [f"{s.time}（余{s.free}）" for s in view.slots if s.free and not s.past]
            text = "可约时段：" + (" ".join(free) if free else "当天已约满")
        self.query_one("#appt-slots", Static).update(text)
        self.show_error("")

    async def action_submit(self) -> None:
        day = self._day()
        if self.busy or day is None:
            return
        self.busy = True
        body = BookIn(
            category=self.value("appt-category").upper(),
            item_code=self.value("appt-item"),
            day=day,
            time=self.value("appt-time"),
            visitor_name=self.value("appt-name"),
            phone=self.value("appt-phone"),
            channel=Channel(self.choice("appt-channel")),
            notice_by=NoticeBy(self.choice("appt-notice")),
        )
        done = await guarded(self.app, self.yz.api.book(body), self.show_error)
        self.busy = False
        if done is None:
            return
        self.notify(f"已预约 {done.number}：{done.day} {done.slot_label}", markup=False)
        from tui.screens.appointments_detail import AppointmentDetailScreen

        self.app.switch_screen(AppointmentDetailScreen(done.number))


def parse_visitors(text: str) -> list[OutageVisitorIn]:
    """``姓名 手机号 类别；…`` into visitors; ValueError with a Chinese message."""
    out = []
    for n, part in enumerate(text.replace(";", "；").split("；"), start=1):
        fields = part.split()
        if not fields:
            continue
        if len(fields) != 3:
            raise ValueError(f"第 {n} 位群众应写成“姓名 手机号 类别”，如 张三 13800000001 A")
        name, phone, category = fields
        out.append(OutageVisitorIn(visitor_name=name, phone=phone, category=category.upper()))
    if not out:
        raise ValueError("请填写未能办理的群众，如 张三 13800000001 A")
    return out


class OutageFormScreen(FormScreen):
    DEFAULT_CSS = "#outage-form { height: auto; padding: 0 1; }"

    def compose(self) -> ComposeResult:
        yield StatusBar()
        yield Static("停电断网登记（未能办理的群众将优先预约下一工作日）", classes="dialog-title")
        with Vertical(id="outage-form"):
            yield field_row(pad("类型"), ChoiceBar(KINDS, id="outage-kind"))
            yield field_row(pad("开始时间"), compact_input("outage-start", "今天几点，如 09:10"))
            yield field_row(pad("恢复时间"), compact_input("outage-end", "如 10:40，未恢复可不填"))
            yield field_row(pad("情况说明"), compact_input("outage-note", "可不填"))
            yield field_row(
                pad("受影响群众"),
                compact_input("outage-visitors", "姓名 手机号 类别；… 如 张三 13800000001 A"),
            )
            yield Static("", classes="dialog-error")
            yield Static(
                "Enter / ↓ 下一项 · ←/→ 选择 · Ctrl+S 登记 · Esc 返回", classes="dialog-hint"
            )
        yield KeyFooter(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one("#outage-kind", ChoiceBar).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.focus_next()

    def _at(self, text: str) -> datetime | None:
        if not text:
            return None
        at = time.fromisoformat(text)
        return datetime.combine(local_today(self.app), at, self.yz.timezone)

    async def action_submit(self) -> None:
        if self.busy:
            return
        try:
            started = self._at(self.value("outage-start"))
            ended = self._at(self.value("outage-end"))
            visitors = parse_visitors(self.value("outage-visitors"))
        except ValueError as exc:
            message = str(exc)
            self.show_error(message if "群众" in message else "时间格式应为 09:10")
            return
        if started is None:
            self.show_error("请填写停电断网开始时间")
            return
        body = OutageIn(
            kind=OutageKind(self.choice("outage-kind")),
            started_at=started,
            ended_at=ended,
            note=self.value("outage-note"),
            visitors=visitors,
        )
        self.busy = True
        done = await guarded(self.app, self.yz.api.register_outage(body), self.show_error)
        self.busy = False
        if done is None:
            return
        self.notify(
            f"已登记 {done.number}，{len(done.offers)} 人已优先预约 {done.offer_day.isoformat()}",
            markup=False,
        )
        self.app.pop_screen()
