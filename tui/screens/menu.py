"""功能菜单: the screens beyond the queue that the signed-in role may open (``tui.menu``).

A letter opens its entry at once; arrows and Enter work too; Esc goes back.
"""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from appliance.core.roles import Role
from tui.menu import MenuEntry, entries_for
from tui.queue_widgets import KeyFooter
from tui.screens.base import AppScreen
from tui.status_bar import StatusBar


class MenuScreen(AppScreen):
    BINDINGS = [Binding("escape", "back", "返回")]

    def __init__(self) -> None:
        super().__init__()
        self.entries: list[MenuEntry] = []

    def compose(self) -> ComposeResult:
        yield StatusBar()
        yield Static("功能菜单（按字母键打开，Esc 返回）", id="menu-title")
        yield OptionList(id="menu-list")
        yield KeyFooter(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        session = self.yz.session
        self.entries = entries_for(Role(session.staff.role)) if session else []
        menu = self.query_one(OptionList)
        for entry in self.entries:
            menu.add_option(Option(f"{entry.key}  {entry.label}", id=entry.key))
        if not self.entries:
            self.query_one("#menu-title", Static).update("没有可用的功能")
        menu.focus()

    def _open(self, entry: MenuEntry) -> None:
        self.app.push_screen(entry.open(self.yz))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        entry = next((e for e in self.entries if e.key == event.option.id), None)
        if entry is not None:
            self._open(entry)

    def on_key(self, event: events.Key) -> None:
        entry = next((e for e in self.entries if e.key == event.character), None)
        if entry is not None:
            event.stop()
            self._open(entry)

    def action_back(self) -> None:
        self.app.pop_screen()
