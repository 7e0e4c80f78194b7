"""The staff terminal's menu (功能菜单): every screen beyond the queue, in one explicit list.

A feature that brings a screen adds one ``MenuEntry`` to ``MENU``; the menu (key ``g`` on the
queue screen) offers only the entries the signed-in role may use, so nobody is shown a screen
that would refuse them. Keys are single characters, unique across the list.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from appliance.core.roles import ALL_ROLES, Role

if TYPE_CHECKING:
    from textual.screen import Screen

    from tui.app import YizhanApp


@dataclass(frozen=True)
class MenuEntry:
    """One line of the menu: its key, its Chinese label, who may open it, and how."""

    key: str
    label: str
    roles: frozenset[Role]
    open: Callable[[YizhanApp], Screen[None]]

    def allowed(self, role: Role) -> bool:
        return role in self.roles


def _my_cases(app: YizhanApp) -> Screen[None]:
    from tui.screens.cases_list import MyCasesScreen

    return MyCasesScreen()


MENU: list[MenuEntry] = [
    MenuEntry("m", "我的办件", frozenset(ALL_ROLES), _my_cases),
]


def entries_for(role: Role) -> list[MenuEntry]:
    """The entries a role may open, in menu order."""
    return [e for e in MENU if e.allowed(role)]
