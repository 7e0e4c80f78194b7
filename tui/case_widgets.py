"""Widgets of the case screens (办件): a one-key choice, the materials checklist, tables.

Everything is driven by the keyboard: arrows move, space or 1/2/3 mark a material,
←/→ change a choice. Nothing here calls the server.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, tzinfo

from rich.table import Table
from rich.text import Text
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import DataTable, Input, Label, Static

from appliance.cases.rules.materials import MaterialStatus
from appliance.cases.rules.states import CaseState
from appliance.cases.schemas import CaseSummary, MarkIn, Marks, MaterialLineView, TransitionView
from appliance.catalogue.schemas import MaterialView
from appliance.core.masking import mask_id_number
from tui.case_models import material_code, requirement, state_label
from tui.screens.dialogs import PromptDialog

OVERDUE_STYLE = "bold red"
SOON_STYLE = "bold dark_orange"  # amber
URGENCY_STYLES = {"overdue": OVERDUE_STYLE, "soon": SOON_STYLE}
STATUS_LABELS = {"received": "已收", "missing": "缺", "defective": "有瑕疵"}
STATUS_STYLES = {"received": "green", "missing": "bold red", "defective": "bold dark_orange"}
STATUS_KEYS = {"1": "received", "2": "missing", "3": "defective"}
NEXT_STATUS = {"missing": "received", "received": "defective", "defective": "missing"}


def field_row(label: str, field: Widget, row_id: str | None = None) -> Horizontal:
    """One line of a form: a label and a compact input (or choice) beside it."""
    return Horizontal(Label(label, classes="field-label"), field, classes="field-row", id=row_id)


def compact_input(field_id: str, placeholder: str = "", value: str = "") -> Input:
    return Input(value, placeholder=placeholder, id=field_id, compact=True)


class ChoiceBar(Widget, can_focus=True):
    """One of a few options, shown in a row; ←/→ or space change it at once."""

    BINDINGS = [
        Binding("left", "move(-1)", "上一项", show=False),
        Binding("right,space", "move(1)", "下一项", show=False),
    ]
    index: reactive[int] = reactive(0)

    class Changed(Message):
        def __init__(self, bar: ChoiceBar, value: str) -> None:
            super().__init__()
            self.bar = bar
            self.value = value

    def __init__(self, options: Sequence[tuple[str, str]], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.options = list(options)  # (value, label)

    @property
    def value(self) -> str:
        return self.options[self.index][0]

    def select(self, value: str) -> None:
        self.index = next(i for i, (v, _) in enumerate(self.options) if v == value)

    def action_move(self, step: int) -> None:
        self.index = (self.index + step) % len(self.options)

    def watch_index(self) -> None:
        self.post_message(self.Changed(self, self.value))

    def render(self) -> Text:
        text = Text()
        for i, (_, label) in enumerate(self.options):
            mark, style = ("◉ ", "bold reverse") if i == self.index else ("○ ", "")
            text.append(mark + label, style=style)
            text.append("  ")
        return text


@dataclass(frozen=True)
class ChecklistLine:
    code: str
    name: str
    requirement: str
    status: str = "missing"
    note: str = ""


class MaterialChecklist(DataTable[Text]):
    """材料清单 (R-K1): ↑/↓ move; space cycles 已收 → 有瑕疵 → 缺; 1 已收, 2 缺, 3 有瑕疵
    (asks for the problem); a marks all received."""

    BINDINGS = [
        Binding("space", "cycle", "切换", show=False),
        Binding("1", "set('received')", "已收", show=False),
        Binding("2", "set('missing')", "缺", show=False),
        Binding("3", "set('defective')", "有瑕疵", show=False),
        Binding("a", "all_received", "全部已收", show=False),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, id=id)
        self.lines: list[ChecklistLine] = []
        self.add_columns("编码", "材料名称", "要求", "收取情况", "问题说明")

    def load_guide(self, materials: Sequence[MaterialView]) -> None:
        """An item's materials, in catalogue order (M1, M2 … as the case numbers them)."""
        self.lines = [
            ChecklistLine(material_code(i), m.name, requirement(m))
            for i, m in enumerate(materials, start=1)
        ]
        self._draw()

    def load_case(self, materials: Sequence[MaterialLineView]) -> None:
        self.lines = [
            ChecklistLine(
                m.code,
                m.name,
                "可容缺" if m.tolerable else ("必需" if m.required else "非必需"),
                m.status.value,
                m.note,
            )
            for m in materials
        ]
        self._draw()

    def marks(self) -> Marks:
        """``{"M1": "received", "M4": {"status": "defective", "note": "…"}}`` for the API."""
        return {
            ln.code: MarkIn(status=MaterialStatus(ln.status), note=ln.note)
            if ln.note
            else MaterialStatus(ln.status)
            for ln in self.lines
        }

    def _draw(self) -> None:
        row = self.cursor_row
        self.clear()
        for ln in self.lines:
            status = Text(
                STATUS_LABELS.get(ln.status, ln.status), style=STATUS_STYLES.get(ln.status, "")
            )
            self.add_row(
                Text(ln.code),
                Text(ln.name),
                Text(ln.requirement, style="dim"),
                status,
                Text(ln.note),
                key=ln.code,
            )
        if self.lines:
            self.move_cursor(row=min(max(row, 0), len(self.lines) - 1), animate=False)

    def _mark(self, index: int, status: str, note: str = "") -> None:
        self.lines[index] = replace(self.lines[index], status=status, note=note)
        self._draw()

    def _current(self) -> int | None:
        return self.cursor_row if 0 <= self.cursor_row < len(self.lines) else None

    def action_set(self, status: str) -> None:
        index = self._current()
        if index is None:
            return
        if status != "defective":
            self._mark(index, status)
            return
        line = self.lines[index]
        dialog = PromptDialog(
            "材料有瑕疵", f"“{line.name}”的问题：", "如 复印件模糊、未签字", line.note
        )

        def done(note: str | None) -> None:
            if note:  # cancelled: the mark stays as it was
                self._mark(index, "defective", note)

        self.app.push_screen(dialog, done)

    def action_cycle(self) -> None:
        index = self._current()
        if index is not None:
            self.action_set(NEXT_STATUS.get(self.lines[index].status, "received"))

    def action_all_received(self) -> None:
        self.lines = [replace(ln, status="received", note="") for ln in self.lines]
        self._draw()


UNDECIDED = frozenset({CaseState.RECEIVED, CaseState.CORRECTION_REQUESTED})
PROVISIONAL_STYLE = "bold yellow"


def provisional_warning(due_dates: Sequence[date], whole_list: bool = False) -> Text:
    """暂定期限的提示 (R-K3): the holiday calendar lacks the deadline's year, so the date
    counts weekends only and is recomputed once the year's 节假日安排 arrives."""
    years = "、".join(sorted({str(d.year) for d in due_dates}))
    what = f"{len(due_dates)} 件办件的期限" if whole_list else "期限"
    return Text(
        f"注意：{what}为暂定（{years} 年节假日安排未公布），公布后自动重算", style=PROVISIONAL_STYLE
    )


def due_cell(case: CaseSummary) -> Text:
    """期限: the date (暂定 when provisional) and how many working days are left; before a
    decision the date is the 受理期限."""
    if case.due_on is None:
        return Text(case.due_status_label or "未计时", style="dim")
    text = case.due_on.isoformat() + ("（暂定）" if case.due_provisional else "")
    if case.state in UNDECIDED and case.working_days_left is None:
        return Text(text + " 受理期限")
    left = case.working_days_left
    if case.urgency == "overdue" and left is not None:
        text += f" 逾期 {abs(left)} 个工作日" if left < 0 else " 已逾期"
    elif left is not None:
        text += f" 剩 {left} 个工作日"
    elif case.due_status_label:
        text += f" {case.due_status_label}"
    return Text(text)


class CaseTable(DataTable[Text]):
    """我的办件: nearest deadline first; overdue rows red, due within 2 working days amber."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(cursor_type="row", zebra_stripes=False, id=id)
        self.numbers: list[str] = []
        self.add_columns("办件编号", "事项", "申请人", "手机", "状态", "期限")

    def load(self, cases: Sequence[CaseSummary]) -> None:
        row = self.cursor_row
        self.numbers = [c.case_number for c in cases]
        self.clear()
        for c in cases:
            style = URGENCY_STYLES.get(c.urgency, "")
            cells = [
                Text(c.case_number),
                Text(c.item_name),
                Text(c.applicant_name),
                Text(c.phone),
                Text(c.state_label),
                due_cell(c),
            ]
            for cell in cells if style else ():
                cell.style = style
            self.add_row(*cells, key=c.case_number)
        if cases:
            self.move_cursor(row=min(max(row, 0), len(cases) - 1), animate=False)

    @property
    def selected_number(self) -> str | None:
        row = self.cursor_row
        return self.numbers[row] if 0 <= row < len(self.numbers) else None


DETAIL_LABELS = {
    "deadline": "期限",
    "items": "补正材料",
    "signed_by": "承诺人",
    "owed": "容缺材料",
    "to_body": "接收单位",
    "received_by": "接收人",
    "materials": "移交材料",
    "days": "延期工作日",
    "tell_applicant": "告知申请人",
    "new_due": "新期限",
    "decided_by": "决定机关",
    "contact": "联系方式",
    "arrived_on": "结果到达",
    "notice_due": "通知期限",
    "collector_name": "领取人",
    "collector_id": "证件号",
    "signature_ref": "签收记录",
    "address": "地址",
    "tracking_no": "快递单号",
    "destination": "送达地址",
    "reference": "凭证编号",
    "procedure": "特别程序",
    "stopped_on": "中止",
    "resumed_on": "恢复",
    "still_missing": "仍缺",
    "remarked": "重新核对",
    "correction_deadline": "补正期限",
    "accepted_from": "受理日",
}
HIDDEN_DETAILS = frozenset({"rights", "method", "late", "flagged", "other_place"})
METHOD_LABELS = {"pickup": "窗口领取", "mail": "邮寄", "electronic": "电子送达"}


def describe(entry: TransitionView) -> str:
    """理由与要点 of one timeline row; ID numbers masked (others may see the screen)."""
    parts = [entry.why] if entry.why else []
    if "method" in entry.details:
        parts.append(METHOD_LABELS.get(entry.details["method"], entry.details["method"]))
    for key, value in entry.details.items():
        if key in HIDDEN_DETAILS or not value or value == entry.why:
            continue
        if key == "collector_id":
            value = mask_id_number(value)
        parts.append(f"{DETAIL_LABELS.get(key, key)}：{value}")
    return "；".join(parts)


class TimelineTable(Static):
    """流转记录: when, who, what (from → to), why — long reasons wrap, nothing is cut."""

    def __init__(self, timezone: tzinfo, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.timezone = timezone
        self.entries: list[TransitionView] = []

    def load(self, entries: Sequence[TransitionView]) -> None:
        self.entries = list(entries)
        if not entries:
            self.update(Text("尚无流转记录（作出受理决定后记录）", style="dim"))
            return
        table = Table(box=None, expand=True, padding=(0, 1), header_style="bold")
        table.add_column("时间", no_wrap=True)
        table.add_column("经办人", no_wrap=True)
        table.add_column("操作", no_wrap=True, style="bold")
        table.add_column("状态", no_wrap=True)
        table.add_column("理由与要点", ratio=1, overflow="fold")
        for e in entries:
            when = e.at.astimezone(self.timezone).strftime("%m-%d %H:%M")
            change = f"{state_label(e.from_state)}→{state_label(e.to_state)}"
            table.add_row(when, e.who, e.action_label, change, describe(e))
        self.update(table)

    def rows(self) -> list[str]:
        """Each entry as one line of plain text (for tests and logs)."""
        return [f"{e.action_label} {e.who} {describe(e)}" for e in self.entries]
