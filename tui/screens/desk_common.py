"""Shared by the "办不成事" and complaint screens (R-P1, R-P2): a small form dialog for one
step (a few lines of text and, where asked, one choice), and text helpers.

Every dialog is quick from the keyboard: Enter moves to the next line and, on the last one,
records; ←/→ change a choice; Esc cancels.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Label, Static

from tui.case_widgets import ChoiceBar, field_row
from tui.screens.base import Dialog


@dataclass(frozen=True)
class Line:
    """One text line of a step dialog."""

    key: str
    label: str
    placeholder: str = ""
    required: bool = True
    value: str = ""  # what the line shows first (editing an existing record)


@dataclass(frozen=True)
class Choice:
    """One choice of a step dialog: its label and (value, label) options."""

    label: str
    options: Sequence[tuple[str, str]]


class StepDialog(Dialog[dict[str, str]]):
    """Ask for a step's text lines (and one choice); answers ``{key: value}`` with the
    choice under ``"choice"``. A required line left empty is refused in the dialog."""

    DEFAULT_CSS = "StepDialog .field-row { height: auto; }"
    BINDINGS = [
        ("escape", "cancel", "取消"),
        Binding("enter,down", "next_line", "下一项", show=False),
        Binding("up", "previous_line", "上一项", show=False),
    ]

    def __init__(
        self, title: str, lines: Sequence[Line], choice: Choice | None = None, note: str = ""
    ) -> None:
        super().__init__()
        self.title_text = title
        self.lines = list(lines)
        self.choice = choice
        self.note = note

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.title_text, classes="dialog-title")
            if self.note:
                yield Label(self.note)
            if self.choice is not None:
                yield field_row(
                    self.choice.label + "：", ChoiceBar(self.choice.options, id="step-choice")
                )
            for line in self.lines:
                yield Label(line.label + "：")
                yield Input(line.value, placeholder=line.placeholder, id=f"step-{line.key}")
            yield Static("", classes="dialog-error")
            yield Static("Enter 下一项 / 确定 · ←/→ 选择 · Esc 取消", classes="dialog-hint")

    def on_mount(self) -> None:
        first = "#step-choice" if self.choice is not None else f"#step-{self.lines[0].key}"
        self.query_one(first).focus()

    def action_next_line(self) -> None:
        self.focus_next()

    def action_previous_line(self) -> None:
        self.focus_previous()

    def _value(self, key: str) -> str:
        return self.query_one(f"#step-{key}", Input).value.strip()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        keys = [f"step-{line.key}" for line in self.lines]
        if event.input.id != keys[-1]:
            self.focus_next()
            return
        for line in self.lines:
            if line.required and not self._value(line.key):
                self.query_one(".dialog-error", Static).update(f"请填写{line.label}")
                self.query_one(f"#step-{line.key}", Input).focus()
                return
        answer = {line.key: self._value(line.key) for line in self.lines}
        if self.choice is not None:
            answer["choice"] = self.query_one("#step-choice", ChoiceBar).value
        self.dismiss(answer)


def short(text: str, width: int = 28) -> str:
    plain = " ".join(text.split())
    return plain if len(plain) <= width else plain[:width] + "…"


def when(at: datetime | None, tz: tzinfo) -> str:
    return at.astimezone(tz).strftime("%m-%d %H:%M") if at else "—"
