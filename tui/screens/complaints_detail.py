"""One complaint (投诉, R-P2): what was said, by whom (or 保密), and its record.

The keys follow the road: ``k`` 核实 (first: nothing is promised before it), then ``h``
当场处理 or ``t`` 转办; a transferred one gets ``f`` 跟踪 lines and ``d`` 转办结果; then
``a`` 答复 (an SMS answer is queued) and ``c`` 办结, which needs the answer. Only the keys
of the next possible steps are offered. ``r`` reloads; Esc goes back.
"""

from __future__ import annotations

from collections.abc import Callable

import msgspec
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from appliance.complaints.rules import AnswerVia, Finding, Step
from appliance.complaints.schemas import (
    AnswerIn,
    CloseIn,
    ComplaintView,
    StepTextIn,
    TransferIn,
    VerifyIn,
)
from tui.queue_widgets import KeyFooter
from tui.screens.base import AppScreen
from tui.screens.case_common import guarded
from tui.screens.desk_common import Choice, Line, StepDialog, when
from tui.status_bar import StatusBar

FINDINGS = (("substantiated", "属实"), ("partly", "部分属实"), ("unsubstantiated", "不属实"))
VIAS = (
    ("in_person", "当面"),
    ("phone", "电话"),
    ("sms", "短信"),
    ("letter", "书面"),
    ("email", "邮件"),
    ("posted", "公示（匿名）"),
)
# step → (key, label, dialog, body from the answers)
Body = Callable[[dict[str, str]], msgspec.Struct]
STEPS: dict[Step, tuple[str, str, list[Line], Choice | None, Body]] = {
    Step.VERIFY: (
        "k",
        "核实",
        [Line("text", "核实情况", "调查了解到的事实")],
        Choice("核实结论", FINDINGS),
        lambda a: VerifyIn(text=a["text"], finding=Finding(a["choice"])),
    ),
    Step.HANDLE: (
        "h",
        "当场处理",
        [Line("text", "处理情况", "当场协调处理的经过和结果")],
        None,
        lambda a: StepTextIn(text=a["text"]),
    ),
    Step.TRANSFER: (
        "t",
        "转办",
        [
            Line("dept", "转办部门", "有权处理的部门"),
            Line("handler", "承办人", "可不填", required=False),
            Line("text", "转办说明", "可不填", required=False),
        ],
        None,
        lambda a: TransferIn(dept=a["dept"], handler=a["handler"], text=a["text"]),
    ),
    Step.FOLLOW: (
        "f",
        "跟踪",
        [Line("text", "跟踪情况", "如 已电话催办")],
        None,
        lambda a: StepTextIn(text=a["text"]),
    ),
    Step.RESULT: (
        "d",
        "转办结果",
        [Line("text", "处理结果", "承办部门的处理结果")],
        None,
        lambda a: StepTextIn(text=a["text"]),
    ),
    Step.ANSWER: (
        "a",
        "答复",
        [Line("text", "答复内容", "给投诉人的答复")],
        Choice("答复方式", VIAS),
        lambda a: AnswerIn(text=a["text"], via=AnswerVia(a["choice"])),
    ),
    Step.CLOSE: (
        "c",
        "办结",
        [Line("text", "办结说明", "可不填，如 投诉人表示满意", required=False)],
        None,
        lambda a: CloseIn(text=a["text"]),
    ),
}


class ComplaintDetailScreen(AppScreen):
    DEFAULT_CSS = """
    #complaint-detail { height: 1fr; padding: 0 1; }
    #complaint-record { height: auto; margin-top: 1; }
    """
    BINDINGS = [
        Binding("escape", "back", "返回"),
        *(Binding(key, f"step('{step.value}')", label) for step, (key, label, *_) in STEPS.items()),
        Binding("r", "reload", "刷新"),
    ]

    def __init__(self, number: str, complaint: ComplaintView | None = None) -> None:
        super().__init__()
        self.number = number
        self.complaint = complaint

    def compose(self) -> ComposeResult:
        yield StatusBar()
        with VerticalScroll(id="complaint-detail"):
            yield Static(f"投诉 {self.number} · 正在读取…", id="complaint-summary")
            yield Static("", id="complaint-record")
        yield Static("", id="complaint-error", classes="dialog-error")
        yield Static("", id="complaint-keys", classes="dialog-hint")
        yield KeyFooter(compact=True, show_command_palette=False)

    async def on_screen_resume(self) -> None:
        if self.complaint is not None:
            self.show(self.complaint)
        await self.action_reload()

    def _show_error(self, message: str) -> None:
        self.query_one("#complaint-error", Static).update(message)

    async def action_reload(self) -> None:
        found = await guarded(self.app, self.yz.api.complaint(self.number), self._show_error)
        if found is not None:
            self.show(found)

    def show(self, c: ComplaintView) -> None:
        self.complaint = c
        tz = self.yz.timezone
        text = Text()
        text.append(f"投诉 {c.number}　{c.channel_label}　", "bold")
        if c.confidential:
            text.append("保密　", "bold magenta")
        text.append(c.state_label + "\n", "bold green" if c.state == "closed" else "bold")
        contact = " ".join(p for p in (c.complainant_phone, c.complainant_contact) if p)
        rows = [
            ("受理时间", f"{when(c.received_at, tz)}（受理人 {c.recorded_by}）"),
            ("投诉人", f"{c.complainant_name or '匿名'} {contact}".strip()),
            ("被投诉对象", c.about or "—"),
            ("投诉内容", c.content),
        ]
        if c.finding_label:
            rows.append(("核实结论", c.finding_label))
        if c.transferred_to:
            rows.append(("转办", f"{c.transferred_to} {c.transfer_handler}".strip()))
        if c.answer:
            via = {v: label for v, label in VIAS}.get(c.answer_via or "", "")
            rows.append(("答复", f"（{via}，{c.answered_by} {when(c.answered_at, tz)}）{c.answer}"))
        for key, value in rows:
            text.append(f"{key}：", "bold")
            text.append(value + "\n")
        self.query_one("#complaint-summary", Static).update(text)
        record = Text("处理记录\n", "bold")
        for s in c.steps:
            record.append(f"{when(s.at, tz)}  {s.label}  {s.who}：", "bold")
            record.append(s.text + "\n")
        self.query_one("#complaint-record", Static).update(record)
        keys = [f"{STEPS[s][0]} {STEPS[s][1]}" for s in c.next_steps if s in STEPS]
        hint = " · ".join([*keys, "r 刷新", "Esc 返回"]) if keys else "已办结 · Esc 返回"
        self.query_one("#complaint-keys", Static).update(hint)
        self._show_error("")

    def action_step(self, value: str) -> None:
        step = Step(value)
        c = self.complaint
        if c is None:
            return
        if step not in c.next_steps:
            wanted = "、".join(STEPS[s][1] for s in c.next_steps if s in STEPS)
            self._show_error(
                f"当前为“{c.state_label}”，" + (f"下一步：{wanted}" if wanted else "已办结")
            )
            return
        _, label, lines, choice, make = STEPS[step]

        async def answered(answer: dict[str, str] | None) -> None:
            if not answer:
                return
            call = self.yz.api.complaint_step(self.number, step.value, make(answer))
            found = await guarded(self.app, call, self._show_error)
            if found is not None:
                self.show(found)
                self.notify(f"投诉 {self.number} 已{label}", markup=False)

        self.app.push_screen(StepDialog(f"{label} · 投诉 {self.number}", lines, choice), answered)

    def action_back(self) -> None:
        self.app.pop_screen()
