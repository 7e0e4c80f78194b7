"""Dialogs of the follow-up screen (R-E3): 申诉 (appeal) and the station head's 裁定."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label, RadioButton, RadioSet, Static

from appliance.ratings.rules.followup import APPEAL_BY_LABELS, GROUNDS_LABELS, AppealBy, Grounds
from appliance.ratings.schemas import AppealDecisionIn, AppealIn
from tui.screens.base import Dialog

HINT = "↑/↓ 选择 · Tab 切换 · Enter 确定 · Esc 取消"


def _chosen(radios: RadioSet) -> int:
    return radios.pressed_index if radios.pressed_index >= 0 else 0


class AppealDialog(Dialog[AppealIn]):
    """申诉: why (误评 / 恶意评价), who appeals, and the grounds in words."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("申诉", classes="dialog-title")
            yield Label("申诉理由：")
            with RadioSet(id="appeal-grounds"):
                for i, label in enumerate(GROUNDS_LABELS.values()):
                    yield RadioButton(label, value=i == 0)
            yield Label("申诉人：")
            with RadioSet(id="appeal-by"):
                for i, label in enumerate(APPEAL_BY_LABELS.values()):
                    yield RadioButton(label, value=i == 0)
            yield Label("申诉说明：")
            yield Input(placeholder="如：评价人来电说明按错了键", id="appeal-text")
            yield Static("", classes="dialog-error")
            yield Static(HINT, classes="dialog-hint")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if not text:
            self.query_one(".dialog-error", Static).update("请填写申诉说明")
            return
        grounds = list(Grounds)[_chosen(self.query_one("#appeal-grounds", RadioSet))]
        by = list(AppealBy)[_chosen(self.query_one("#appeal-by", RadioSet))]
        self.dismiss(AppealIn(grounds=grounds, by=by, text=text))


class DecisionDialog(Dialog[AppealDecisionIn]):
    """The station head's decision: upheld (the rating no longer counts) or not."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("申诉裁定（站长）", classes="dialog-title")
            with RadioSet(id="decision"):
                yield RadioButton("申诉成立（该评价不计入统计，记录保留）", value=True)
                yield RadioButton("申诉不成立")
            yield Label("裁定意见：")
            yield Input(id="decision-text")
            yield Static("", classes="dialog-error")
            yield Static(HINT, classes="dialog-hint")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if not text:
            self.query_one(".dialog-error", Static).update("请填写裁定意见")
            return
        upheld = _chosen(self.query_one("#decision", RadioSet)) == 0
        self.dismiss(AppealDecisionIn(upheld=upheld, text=text))
