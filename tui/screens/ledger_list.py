"""The frame every front-desk ledger list shares (咨询台账, 办不成事, 投诉, 帮办代办, 故障台账):
a heading with the counts, one list, an error line that also says when the list is empty, a
hint, and the keys. ``a`` switches between the open entries and all recent ones, Enter opens
the selected entry, ``n`` registers a new one, ``x`` exports any period (R-M3), ``r``
reloads, Esc goes back. The list reloads whenever the screen comes back (after a detail or a
form), and the cursor stays on the entry it was on.

A ledger gives its texts as class attributes and four methods: ``fetch`` (the API call),
``headline`` (the heading with its counts), ``cells`` (one row) and ``detail``/``form``
(the screens that Enter and ``n`` open). Its widgets keep the ids ``#<KEY>-head``,
``#<KEY>-table`` and ``#<KEY>-error``.
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any, Generic, TypeVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Static

from tui.queue_widgets import KeyFooter
from tui.screens.base import AppScreen
from tui.screens.case_common import guarded
from tui.screens.consult_common import ExportDialog, LedgerTable
from tui.status_bar import StatusBar

V = TypeVar("V")
Cells = tuple[Text | str, ...]


class LedgerListScreen(AppScreen, Generic[V]):
    DEFAULT_CSS = """
    LedgerListScreen .ledger-head { height: auto; padding: 0 1; text-style: bold; }
    LedgerListScreen .ledger-table { height: 1fr; }
    """
    BINDINGS = [
        Binding("escape", "back", "返回"),
        Binding("a", "toggle_all", "切换全部"),
        Binding("x", "export", "导出"),
        Binding("r", "reload", "刷新"),
    ]
    KEY = ""  # the ids' prefix
    TITLE = ""  # 咨询台账 …
    COLUMNS: tuple[str, ...] = ()
    HINT = ""
    EXPORT = ("", "")  # the ledger's export name and its title (ExportDialog)
    EMPTY = ("", "")  # what the error line says of an empty list: (open, all)

    def __init__(self) -> None:
        super().__init__()
        self.show_all = False
        self.entries: list[V] | None = None

    # ---- what each ledger gives ------------------------------------------------------------
    def fetch(self, status: str) -> Awaitable[list[V]]:
        """The entries: ``status`` is "open" or "all"."""
        raise NotImplementedError

    def headline(self, entries: list[V]) -> Text:
        raise NotImplementedError

    def cells(self, entry: V) -> tuple[str, Cells]:
        """(the entry's key, its row)."""
        raise NotImplementedError

    def detail(self, key: str) -> Screen[Any]:
        raise NotImplementedError

    def form(self) -> Screen[Any]:
        raise NotImplementedError

    # ---- the frame ------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield StatusBar()
        yield Static(f"{self.TITLE} · 正在读取…", id=f"{self.KEY}-head", classes="ledger-head")
        table = LedgerTable(self.COLUMNS, id=f"{self.KEY}-table")
        table.add_class("ledger-table")
        yield table
        yield Static("", id=f"{self.KEY}-error", classes="dialog-error")
        yield Static(self.HINT, classes="dialog-hint")
        yield KeyFooter(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one(LedgerTable).focus()

    async def on_screen_resume(self) -> None:
        await self.action_reload()

    def show_error(self, message: str) -> None:
        self.query_one(f"#{self.KEY}-error", Static).update(message)

    async def action_reload(self) -> None:
        show_all = self.show_all
        entries = await guarded(
            self.app, self.fetch("all" if show_all else "open"), self.show_error
        )
        if entries is None or show_all != self.show_all:  # switched meanwhile: a newer load
            return
        self.entries = entries
        self.query_one(f"#{self.KEY}-head", Static).update(self.headline(entries))
        self.show_error("" if entries else self.EMPTY[1 if show_all else 0])
        self.query_one(LedgerTable).fill([self.cells(e) for e in entries])

    async def action_toggle_all(self) -> None:
        self.show_all = not self.show_all
        await self.action_reload()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        key = self.query_one(LedgerTable).selected
        if key:
            self.app.push_screen(self.detail(key))

    def action_new(self) -> None:
        self.app.push_screen(self.form())

    def action_export(self) -> None:
        self.app.push_screen(ExportDialog(*self.EXPORT))

    def action_back(self) -> None:
        self.app.pop_screen()
