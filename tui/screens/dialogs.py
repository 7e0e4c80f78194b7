"""Small modal dialogs: one text answer (转移, 指定呼叫, 暂停原因, 过号重排) and 代取号."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Checkbox, Input, Label, Static

from tui.screens.base import Dialog

HINT = "Enter 确定 · Esc 取消"


@dataclass(frozen=True)
class TransferTarget:
    """转移 to another window (number) or another category (letter)."""

    to_window: int | None = None
    to_category: str | None = None


def parse_transfer(text: str) -> TransferTarget | None:
    """ "2" means window 2, "B" means category B; anything else is not understood."""
    text = text.strip().upper()
    if text.isdigit():
        return TransferTarget(to_window=int(text))
    if text.isascii() and text.isalpha():
        return TransferTarget(to_category=text)
    return None


@dataclass(frozen=True)
class IssueRequest:
    """代取号: category letter, priority (R-Q4) and an optional phone for SMS."""

    category: str
    priority: str
    phone: str | None


class PromptDialog(Dialog[str]):
    """Ask for one line of text; refuses an empty answer."""

    def __init__(self, title: str, label: str, placeholder: str = "", value: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.label = label
        self.placeholder = placeholder
        self.value = value

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.title_text, classes="dialog-title")
            yield Label(self.label)
            yield Input(self.value, placeholder=self.placeholder, id="answer")
            yield Static("", classes="dialog-error")
            yield Static(HINT, classes="dialog-hint")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        answer = event.value.strip()
        if not answer:
            self.query_one(".dialog-error", Static).update(f"请填写{self.label.rstrip('：')}")
            return
        self.dismiss(answer)


class IssueDialog(Dialog[IssueRequest]):
    """代取号 for a visitor at the staff terminal (R-Q1)."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("代取号", classes="dialog-title")
            yield Label("业务类别字母：")
            yield Input(placeholder="如 A", id="issue-category")
            yield Checkbox("老弱病残孕优先", id="issue-vulnerable")
            yield Label("手机号（可选，用于短信提醒）：")
            yield Input(placeholder="11 位手机号，可不填", id="issue-phone")
            yield Static("", classes="dialog-error")
            yield Static("Tab 切换 · 空格 勾选 · " + HINT, classes="dialog-hint")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        category = self.query_one("#issue-category", Input).value.strip().upper()
        if not category:
            self.query_one(".dialog-error", Static).update("请填写业务类别字母")
            self.query_one("#issue-category", Input).focus()
            return
        vulnerable = self.query_one("#issue-vulnerable", Checkbox).value
        phone = self.query_one("#issue-phone", Input).value.strip() or None
        self.dismiss(IssueRequest(category, "vulnerable" if vulnerable else "normal", phone))
