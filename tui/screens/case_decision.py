"""受理决定 and every later step of a case: a small form per action (R-K2–R-K6).

Each dialog asks only for the fields its action needs (``tui.case_forms``), performs the
action with one API call and returns the ``StepResult``. A refusal from the server is
shown inside the form and every typed value stays, so the clerk corrects and retries.
Enter moves to the next field and confirms on the last; Ctrl+S confirms from anywhere.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import Input, Label, Static

from appliance.cases.schemas import CaseActionIn, CaseDetail, StepResult
from appliance.catalogue.schemas import ItemDetail
from tui.case_forms import (
    MARKS_ACTIONS,
    FormError,
    FormField,
    action_request,
    build_body,
    form_fields,
)
from tui.case_widgets import ChoiceBar, MaterialChecklist
from tui.screens.base import Dialog
from tui.screens.case_common import guarded

if TYPE_CHECKING:
    from tui.app import YizhanApp

HINT = "Enter 下一项 / 确定 · Ctrl+S 确定 · Esc 取消"

EXPLAIN = {
    "accept": "材料齐全，予以受理：打印受理通知书（一式二份），短信告知申请人。",
    "request_correction": "一次性告知补正：通知书列明全部需补交或更正的材料及期限。",
    "refuse": "不予受理：通知书写明理由，并告知申请行政复议、提起行政诉讼的权利。",
    "accept_tolerant": "容缺受理：主要材料齐全，申请人书面承诺在期限内补齐其余材料。",
    "accept_commitment": "告知承诺受理：承诺书须载明 a–d 四项内容并由申请人签名。",
    "resubmit": "申请人补正后重新提交：逐项核对材料（1 已收 2 缺 3 有瑕疵）。",
    "supply": "补齐容缺材料：核对后须全部已收。",
    "forward": "上报流转：填写交接记录。",
    "extend": "延期须说明理由，理由将告知申请人。",
    "reject": "不予批准：写明理由和咨询联系方式，并告知权利。",
    "start_special": "启动特别程序：办理时限中止计时，程序结束后恢复。",
    "notify_pickup": "结果已到达：打印取件通知，短信告知申请人来取。",
    "return": "无法送达或逾期未领取，结果退回。",
}


def field_id(key: str, prefix: str = "field") -> str:
    """The input's id for a body key (``commitment.signed_by`` → ``field-commitment-signed_by``)."""
    return f"{prefix}-{key.replace('.', '-')}"


class FormDialog(Dialog[StepResult]):
    """A form that performs one case action; subclasses say which fields and which body."""

    BINDINGS = [
        Binding("ctrl+s", "submit", "确定", priority=True),
        Binding("enter", "submit", "确定", show=False),
    ]

    def __init__(self, case: CaseDetail, action: str, label: str, values: dict[str, str]) -> None:
        super().__init__()
        self.case = case
        self.action = action
        self.label = label
        self.values = values
        self._busy = False

    def title_text(self) -> str:
        return f"{self.label} · 办件 {self.case.case_number}"

    def field_widgets(self, fields: tuple[FormField, ...], prefix: str = "field") -> list[Widget]:
        out: list[Widget] = []
        for f in fields:
            out.append(Label(f"{f.label}："))
            if f.kind == "choice":
                bar = ChoiceBar(f.options, id=field_id(f.key, prefix))
                if self.values.get(f.key) in {v for v, _ in f.options}:
                    bar.select(self.values[f.key])
                out.append(bar)
            else:
                out.append(
                    Input(
                        self.values.get(f.key, ""),
                        placeholder=f.placeholder,
                        id=field_id(f.key, prefix),
                    )
                )
        return out

    def collect(self, fields: tuple[FormField, ...], prefix: str = "field") -> dict[str, str]:
        values = {}
        for f in fields:
            selector = f"#{field_id(f.key, prefix)}"
            values[f.key] = (
                self.query_one(selector, ChoiceBar).value
                if f.kind == "choice"
                else self.query_one(selector, Input).value
            )
        return values

    def body(self) -> dict[str, Any]:
        raise NotImplementedError

    def request(self) -> CaseActionIn:
        """The typed request of the form (``FormError`` names a field to correct)."""
        return action_request(self.body())

    def show_error(self, message: str) -> None:
        self.query_one(".dialog-error", Static).update(message)

    def on_key(self, event: Any) -> None:
        """Enter on a choice moves on to the next field (Ctrl+S still confirms)."""
        if event.key == "enter" and isinstance(self.focused, ChoiceBar):
            event.stop()
            event.prevent_default()
            self.focus_next()

    async def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        inputs = [i for i in self.query(Input) if i.display and i.parent and i.parent.display]
        if inputs and event.input is not inputs[-1]:
            self.focus_next()
        else:
            await self.action_submit()

    async def action_submit(self) -> None:
        if self._busy:
            return
        try:
            request = self.request()
        except FormError as exc:
            self.show_error(exc.message)
            self._focus_key(exc.key)
            return
        self._busy = True
        self.show_error("正在提交…")
        api = cast("YizhanApp", self.app).api
        call = api.case_action(self.case.case_number, self.action, request)
        result = await guarded(self.app, call, self.show_error)
        self._busy = False
        if result is not None:
            self.dismiss(result)

    def _focus_key(self, key: str) -> None:
        for field in self.query(Input):
            if field.id and field.id.endswith(key.replace(".", "-")):
                field.focus()
                return


class ActionDialog(FormDialog):
    """One decision with the fields its command needs (see ``ACTION_FIELDS``)."""

    def __init__(
        self,
        case: CaseDetail,
        action: str,
        label: str,
        values: dict[str, str],
        guide: ItemDetail | None = None,
    ) -> None:
        super().__init__(case, action, label, values)
        self.fields = form_fields(action, guide)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog case-dialog"):
            yield Label(self.title_text(), classes="dialog-title")
            yield Static(
                EXPLAIN.get(self.action, f"确认执行“{self.label}”。"), classes="case-explain"
            )
            if self.action in MARKS_ACTIONS:
                yield MaterialChecklist(id="decision-materials")
            yield from self.field_widgets(self.fields)
            yield Static("", classes="dialog-error")
            hint = HINT if self.fields else f"Enter 确认{self.label} · Esc 取消"
            yield Static(hint, classes="dialog-hint")

    def on_mount(self) -> None:
        if self.action in MARKS_ACTIONS:
            checklist = self.query_one(MaterialChecklist)
            checklist.load_case(self.case.materials)
            checklist.focus()
        elif self.fields:
            self.query_one(f"#{field_id(self.fields[0].key)}").focus()

    def body(self) -> dict[str, Any]:
        body = build_body(self.fields, self.collect(self.fields))
        if self.action in MARKS_ACTIONS:
            body["marks"] = self.query_one(MaterialChecklist).marks()
        return body
