"""送达 (R-K6): hand the result over at the window, by mail or electronically.

←/→ choose the way (窗口领取 / 邮寄 / 电子送达); only that way's fields show:
窗口领取 asks for the collector's name, ID number and the signature record; 邮寄 for the
address, tracking number and recipient; 电子送达 for where it went and the reference.
An undeliverable result is 退回 (its own action, with a reason).
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label, Static

from tui.case_forms import DELIVERY_FIELDS, DELIVERY_METHODS, build_body
from tui.case_widgets import ChoiceBar
from tui.screens.case_decision import HINT, FormDialog


class DeliveryDialog(FormDialog):
    """送达 with the fields of the chosen way of delivery."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog case-dialog"):
            yield Label(self.title_text(), classes="dialog-title")
            yield Label("送达方式（←/→ 切换）：")
            yield ChoiceBar(DELIVERY_METHODS, id="delivery-method")
            for method, fields in DELIVERY_FIELDS.items():
                with Vertical(id=f"delivery-{method}", classes="delivery-group"):
                    yield from self.field_widgets(fields, prefix=method)
            yield Static("", classes="dialog-error")
            yield Static(HINT, classes="dialog-hint")

    def on_mount(self) -> None:
        self._show_method("pickup")
        self.query_one(ChoiceBar).focus()

    @property
    def method(self) -> str:
        return self.query_one(ChoiceBar).value

    def on_choice_bar_changed(self, event: ChoiceBar.Changed) -> None:
        self._show_method(event.value)

    def _show_method(self, method: str) -> None:
        for name in DELIVERY_FIELDS:
            self.query_one(f"#delivery-{name}", Vertical).display = name == method

    def on_key(self, event: Any) -> None:
        """Enter on the way of delivery moves on to its first field."""
        if event.key == "enter" and isinstance(self.focused, ChoiceBar):
            event.stop()
            event.prevent_default()
            group = self.query_one(f"#delivery-{self.method}", Vertical)
            group.query(Input).first().focus()

    def body(self) -> dict[str, Any]:
        fields = DELIVERY_FIELDS[self.method]
        delivery = build_body(fields, self.collect(fields, prefix=self.method))
        return {"delivery": {"method": self.method, **delivery}}
