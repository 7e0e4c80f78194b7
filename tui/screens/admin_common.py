"""The frame of the station head's setup screens (站长设置): a heading, one list, an error
line, a hint and the keys; ``r`` reloads and Esc goes back. Every change goes to the server
once; its refusal is shown in Chinese on the error line and nothing else changes.
"""

from __future__ import annotations

from collections.abc import Awaitable
from datetime import datetime, tzinfo
from typing import TypeVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from tui.admin_api import AdminApi
from tui.queue_widgets import KeyFooter
from tui.screens.base import AppScreen
from tui.screens.case_common import guarded
from tui.screens.consult_common import LedgerTable
from tui.status_bar import StatusBar

R = TypeVar("R")
Row = tuple[str, tuple[Text | str, ...]]


def stamp(at: datetime | None, tz: tzinfo) -> str:
    return at.astimezone(tz).strftime("%m-%d %H:%M") if at else ""


class AdminListScreen(AppScreen):
    """One list of the station's setup; subclasses give ``TITLE_TEXT``, ``COLUMNS``, ``HINT``
    and ``rows()``, and add their own keys."""

    DEFAULT_CSS = """
    .admin-head { height: auto; padding: 0 1; text-style: bold; }
    .admin-table { height: 1fr; }
    """
    BINDINGS = [Binding("escape", "back", "返回"), Binding("r", "reload", "刷新")]
    TITLE_TEXT = ""
    COLUMNS: tuple[str, ...] = ()
    HINT = ""

    def compose(self) -> ComposeResult:
        yield StatusBar()
        yield Static(f"{self.TITLE_TEXT} · 正在读取…", id="admin-head", classes="admin-head")
        yield LedgerTable(self.COLUMNS, id="admin-table")
        yield Static("", id="admin-error", classes="dialog-error")
        yield Static(self.HINT, classes="dialog-hint")
        yield KeyFooter(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one(LedgerTable).add_class("admin-table")
        self.query_one(LedgerTable).focus()

    async def on_screen_resume(self) -> None:
        await self.action_reload()

    @property
    def admin(self) -> AdminApi:
        return AdminApi(self.yz.api)

    @property
    def selected(self) -> str | None:
        return self.query_one(LedgerTable).selected

    def show_error(self, message: str) -> None:
        self.query_one("#admin-error", Static).update(message)

    async def call(self, call: Awaitable[R]) -> R | None:
        """One API call; a refusal shows on the error line (and returns None)."""
        return await guarded(self.app, call, self.show_error)

    async def rows(self) -> list[Row] | None:
        raise NotImplementedError

    async def action_reload(self) -> None:
        rows = await self.rows()
        if rows is None:
            return
        self.query_one(LedgerTable).fill(rows)
        head = Text(f"{self.TITLE_TEXT} · {len(rows)} 条", style="bold")
        self.query_one("#admin-head", Static).update(head)

    async def done(self, message: str) -> None:
        """After a change: say what happened and show the list as it is now."""
        self.show_error("")
        self.notify(message, markup=False)
        await self.action_reload()

    def action_back(self) -> None:
        self.app.pop_screen()
