"""The dialogs of one delegation (R-D1, R-D2): 进展反馈, 中止 (one of JC's seven grounds),
续办, 办结 (the close screen), 上门服务, and a fee the applicant paid.

Most are a few text fields: Enter moves to the next field and submits on the last; what a
form can check itself (a date, an amount) is refused in the dialog, the rest by the server.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, tzinfo
from decimal import Decimal, InvalidOperation
from typing import Any

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Checkbox, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from appliance.delegation.schemas import (
    CompleteIn,
    FeeIn,
    ProgressIn,
    ReasonView,
    ResumeIn,
    SuspendIn,
    VisitDoneIn,
    VisitIn,
)
from tui.screens.base import Dialog
from tui.screens.consult_common import FormError
from tui.screens.delegation_form import parse_day


@dataclass(frozen=True)
class Field:
    id: str
    label: str
    placeholder: str = ""


class FieldsDialog(Dialog[Any]):
    """A titled list of one-line fields; ``build`` turns the values into the request."""

    DEFAULT_CSS = "FieldsDialog Input { width: 60; }"

    def __init__(
        self,
        title: str,
        fields: Sequence[Field],
        build: Callable[[dict[str, str]], Any],
        hint: str = "Enter 下一项 / 确定 · Esc 取消",
        checkbox: str = "",
    ) -> None:
        super().__init__()
        self.title_text = title
        self.fields = list(fields)
        self.build = build
        self.hint = hint
        self.checkbox = checkbox

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.title_text, classes="dialog-title")
            for f in self.fields:
                yield Label(f.label)
                yield Input(placeholder=f.placeholder, id=f.id)
            if self.checkbox:
                yield Checkbox(self.checkbox, False, id="dlg-check")
            yield Static("", classes="dialog-error")
            yield Static(self.hint, classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one(f"#{self.fields[0].id}", Input).focus()

    def _error(self, message: str) -> None:
        self.query_one(".dialog-error", Static).update(message)

    def values(self) -> dict[str, str]:
        found = {f.id: self.query_one(f"#{f.id}", Input).value.strip() for f in self.fields}
        if self.checkbox:
            found["check"] = "1" if self.query_one("#dlg-check", Checkbox).value else ""
        return found

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id != self.fields[-1].id:
            self.focus_next()
            return
        try:
            self.dismiss(self.build(self.values()))
        except FormError as exc:
            self._error(exc.message)


def _need(value: str, what: str) -> str:
    if not value:
        raise FormError(f"请填写{what}")
    return value


def progress_dialog(has_phone: bool) -> FieldsDialog:
    def build(v: dict[str, str]) -> ProgressIn:
        return ProgressIn(text=_need(v["p-text"], "反馈内容"), sms=bool(v.get("check")))

    return FieldsDialog(
        "进展反馈（告知服务对象）",
        [Field("p-text", "反馈内容：", "如 材料已报送县人社局，预计 5 个工作日办结")],
        build,
        checkbox="同时短信告知服务对象" if has_phone else "",
    )


def complete_dialog(number: str, kind_label: str) -> FieldsDialog:
    """办结 (the close screen): the result; a 代办 then prints its 办结单 with the rating form."""

    def build(v: dict[str, str]) -> CompleteIn:
        return CompleteIn(result=_need(v["c-result"], "办理结果"))

    return FieldsDialog(
        f"办结{kind_label} {number}",
        [Field("c-result", "办理结果：", "如 证照已交本人，批准文件已归还")],
        build,
        hint="Enter 办结（代办打印办结单并请服务对象评价）· Esc 取消",
    )


def resume_dialog(today: date) -> FieldsDialog:
    def build(v: dict[str, str]) -> ResumeIn:
        end = parse_day(_need(v["r-end"], "续办期限"), today, "续办期限")
        return ResumeIn(note=_need(v["r-note"], "续办说明"), period_end=end)

    return FieldsDialog(
        "续办（签订续办委托书）",
        [
            Field("r-note", "中止原因如何消除：", "如 申请人已补交材料"),
            Field("r-end", "续办期限至：", "天数如 30，或日期如 12-31"),
        ],
        build,
    )


def parse_when(text: str, today: date, tz: tzinfo) -> datetime:
    """``11-25 09:30`` or ``2026-11-25 09:30`` (station time)."""
    day_text, _, clock = text.strip().partition(" ")
    try:
        day = parse_day(day_text, today, "上门日期")
        hh, _, mm = clock.strip().partition(":")
        return datetime.combine(day, time(int(hh), int(mm or 0)), tz)
    except (ValueError, FormError):
        raise FormError(f"上门时间“{text}”看不懂：写成 11-25 09:30 的样子") from None


def visit_dialog(today: date, tz: tzinfo) -> FieldsDialog:
    def build(v: dict[str, str]) -> VisitIn:
        return VisitIn(
            scheduled_for=parse_when(_need(v["v-when"], "上门时间"), today, tz),
            address=_need(v["v-address"], "上门地址"),
            purpose=_need(v["v-purpose"], "上门事由"),
            staff_code=v["v-staff"],
        )

    return FieldsDialog(
        "安排上门服务",
        [
            Field("v-when", "上门时间：", "如 11-25 09:30"),
            Field("v-address", "地址："),
            Field("v-purpose", "事由：", "如 上门采集签字、送达证照"),
            Field("v-staff", "前往人员工号：", "空为代办员本人"),
        ],
        build,
    )


def visit_done_dialog() -> FieldsDialog:
    def build(v: dict[str, str]) -> VisitDoneIn:
        return VisitDoneIn(outcome=_need(v["vd-outcome"], "上门服务结果"))

    return FieldsDialog("登记上门服务结果", [Field("vd-outcome", "结果：")], build)


def fen_of(text: str) -> int:
    try:
        value = Decimal(text.replace("元", "").strip())
    except InvalidOperation:
        raise FormError(f"金额“{text}”看不懂：写成 200 或 200.50") from None
    if value < 0 or value != value.quantize(Decimal("0.01")):
        raise FormError("金额应为不小于 0 的数，最多两位小数")
    return int(value * 100)


def fee_dialog() -> FieldsDialog:
    def build(v: dict[str, str]) -> FeeIn:
        return FeeIn(
            item=_need(v["f-item"], "收费项目"),
            amount_fen=fen_of(_need(v["f-amount"], "金额")),
            paid_to=_need(v["f-to"], "收费单位或缴费渠道"),
        )

    return FieldsDialog(
        "登记申请人自行缴费（代办员不代收）",
        [
            Field("f-item", "收费项目："),
            Field("f-amount", "金额（元）：", "如 200"),
            Field("f-to", "缴给：", "收费单位或缴费渠道，如 县社保中心扫码缴费"),
        ],
        build,
    )


class SuspendDialog(Dialog[SuspendIn]):
    """中止: choose one of JC 附件5's seven grounds (no other), then what happened."""

    DEFAULT_CSS = "#suspend-reasons { height: auto; max-height: 9; }"

    def __init__(self, number: str, reasons: list[ReasonView]) -> None:
        super().__init__()
        self.number = number
        self.reasons = reasons
        self.reason: str | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(
                f"中止代办 {self.number}（打印中止单，服务对象签字）", classes="dialog-title"
            )
            yield Label("中止原因（只能选下列七种之一）：")
            yield OptionList(
                *[Option(f"{i}. {r.label}", id=r.code) for i, r in enumerate(self.reasons, 1)],
                id="suspend-reasons",
            )
            yield Label("情况说明（选“其他”时必填）：")
            yield Input(id="suspend-note")
            yield Static("", classes="dialog-error")
            yield Static("↑/↓ Enter 选原因 · 再 Enter 中止 · Esc 取消", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#suspend-reasons", OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.reason = event.option.id
        self.query_one("#suspend-note", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.reason is None:
            self.query_one(".dialog-error", Static).update("请先选择中止原因")
            return
        self.dismiss(SuspendIn(reason=self.reason, note=event.value.strip()))
