"""去向 dialog (R-T2): the staff member says where they are; the 公示栏 shows it.

A digit picks one of the station's whereabouts (``appliance.staff.service.WHEREABOUTS``);
the queue screen sends it through ``StationApi.set_whereabouts``.
"""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Label, Static

from tui.screens.base import Dialog

CHOICES = ("在岗", "外出办事", "入户代办", "会议", "休假", "下班")


class WhereaboutsDialog(Dialog[str]):
    """Pick a whereabouts by its digit; Esc cancels."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("设置去向（公示栏显示）", classes="dialog-title")
            for n, choice in enumerate(CHOICES, start=1):
                yield Static(f"{n}  {choice}", classes="whereabouts-choice")
            yield Static(f"按数字 1–{len(CHOICES)} 选择 · Esc 取消", classes="dialog-hint")

    def on_key(self, event: events.Key) -> None:
        if event.character and event.character.isdigit():
            n = int(event.character)
            if 1 <= n <= len(CHOICES):
                event.stop()
                self.dismiss(CHOICES[n - 1])
