"""Shared bits of every screen: typed access to the app, and calm (non-blinking) inputs."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast

from textual.screen import ModalScreen, Screen
from textual.widgets import Input

if TYPE_CHECKING:
    from tui.app import YizhanApp

T = TypeVar("T")


def _apply_blink(screen: Screen[Any]) -> None:
    blink = getattr(screen.app, "cursor_blink", True)
    for field in screen.query(Input):
        field.cursor_blink = blink


class AppScreen(Screen[None]):
    """A full screen of the terminal.

    Textual runs ``on_mount`` of every class in the MRO, so subclasses define their own
    ``on_mount`` without calling ``super().on_mount()``.
    """

    @property
    def yz(self) -> YizhanApp:
        return cast("YizhanApp", self.app)

    def on_mount(self) -> None:
        _apply_blink(self)


class Dialog(ModalScreen[T | None], Generic[T]):
    """A small modal that returns a value, or None when cancelled with Esc."""

    BINDINGS = [("escape", "cancel", "取消")]

    def on_mount(self) -> None:
        _apply_blink(self)

    def action_cancel(self) -> None:
        self.dismiss(None)
