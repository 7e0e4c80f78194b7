"""Helpers for driving the terminal with Textual pilots (used by tests/test_tui_*.py).

They wait for conditions (polling the pilot, bounded) instead of sleeping a fixed time.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from rich.text import Text
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Static

from tui.app import YizhanApp
from tui.queue_widgets import CategoryTable, NoShowTable

# generous: a loaded CI machine may take seconds per request; a passing wait costs nothing
DEFAULT_TIMEOUT = 30.0
TEST_SIZE = (100, 30)


def terminal_app(url: str, clock: Callable[[], datetime] | None = None) -> YizhanApp:
    """A terminal with a quick poll and a steady cursor, for pilots and snapshots."""
    return YizhanApp(url, clock, poll_seconds=0.5, cursor_blink=False)


async def wait_for(
    pilot: Pilot[Any], predicate: Callable[[], object], timeout: float = DEFAULT_TIMEOUT
) -> None:
    """Let the app run until ``predicate()`` holds; fail with AssertionError after ``timeout``."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout} s: {predicate}")
        await pilot.pause(0.05)


def showing(app: YizhanApp, screen_type: type[Screen[Any]]) -> bool:
    """True once a screen of that type is on top and mounted (composed)."""
    return isinstance(app.screen, screen_type) and app.screen.is_mounted


def text_of(widget: Widget) -> str:
    """The plain text a Static shows (status bar parts, panels, error lines)."""
    if isinstance(widget, Static):
        content = widget.content
        return content.plain if isinstance(content, Text) else str(content)
    return ""


def screen_text(app: YizhanApp) -> str:
    """All Static text of the active screen (and its status bar), joined by newlines."""
    return "\n".join(text_of(w) for w in app.screen.query(Static))


def notifications(app: YizhanApp) -> list[str]:
    """Messages of the notifications currently on show (toasts)."""
    return [n.message for n in app._notifications]


def has_notification(app: YizhanApp, fragment: str) -> bool:
    return any(fragment in message for message in notifications(app))


def category_numbers(app: YizhanApp, prefix: str) -> list[str]:
    """Numbers listed in the waiting table of category ``prefix`` on the queue screen."""
    tables = [t for t in app.screen.query(CategoryTable) if t.prefix == prefix]
    return tables[0].numbers if tables else []


def category_row_texts(app: YizhanApp, prefix: str) -> list[str]:
    """Each waiting row of a category as one line of plain text (number, marks, time)."""
    for table in app.screen.query(CategoryTable):
        if table.prefix == prefix:
            return [
                " ".join(str(cell) for cell in table.get_row_at(i)) for i in range(table.row_count)
            ]
    return []


def no_show_numbers(app: YizhanApp) -> list[str]:
    tables = list(app.screen.query(NoShowTable))
    return tables[0].numbers if tables else []


async def type_text(pilot: Pilot[Any], text: str) -> None:
    """Type text key by key, the way a staff member would."""
    await pilot.press(*text)


async def next_field(pilot: Pilot[Any]) -> None:
    """Press Enter in a form field and wait for the focus to move on.

    Under a loaded CI machine the pilot stops waiting for idle after a second, so keys typed
    straight after Enter could land in the field being left; a person never types that fast.
    """
    before = pilot.app.focused
    await pilot.press("enter")
    await wait_for(pilot, lambda: pilot.app.focused is not before)


async def log_in(pilot: Pilot[Any], code: str, pin: str, window: str = "") -> None:
    """Fill the login form and press Enter; waits for the queue screen to show data."""
    from tui.screens.queue import QueueScreen

    app = pilot.app
    assert isinstance(app, YizhanApp)
    await wait_for(pilot, lambda: app.screen.query("#login-code"))
    app.screen.query_one("#login-code").focus()
    await type_text(pilot, code)
    await pilot.press("tab")
    await type_text(pilot, pin)
    await pilot.press("tab")
    await type_text(pilot, window)
    await pilot.press("enter")
    await wait_for(pilot, lambda: app.session is not None and app.snapshot is not None)
    queue = next(s for s in app.screen_stack if isinstance(s, QueueScreen))
    await wait_for(pilot, lambda: bool(queue.query(CategoryTable)))


async def start_logged_in(pilot: Pilot[Any], code: str, pin: str, window: str = "") -> None:
    """Open a session without typing (the login form has its own tests); wait for data."""
    from tui.screens.queue import QueueScreen
    from tui.session import open_session

    app = pilot.app
    assert isinstance(app, YizhanApp)
    await wait_for(pilot, lambda: app.screen.query("#login-code"))
    app.start_session(await open_session(app.api, code, pin, window))
    await wait_for(pilot, lambda: app.snapshot is not None)
    queue = next(s for s in app.screen_stack if isinstance(s, QueueScreen))
    await wait_for(pilot, lambda: bool(queue.query(CategoryTable)))
