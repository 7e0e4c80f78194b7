"""功能菜单: one explicit list of screens, each offered only to the roles that may use it."""

from __future__ import annotations

from appliance.core.roles import ALL_ROLES, Role
from tests.support.station import WINDOW_CLERK, LiveServer
from tui.menu import MENU, entries_for
from tui.screens.cases_list import MyCasesScreen
from tui.screens.menu import MenuScreen
from tui.testing import showing, start_logged_in, terminal_app, wait_for


def test_menu_keys_are_unique_and_every_role_has_an_entry() -> None:
    keys = [e.key for e in MENU]
    assert len(keys) == len(set(keys)) and all(len(k) == 1 for k in keys)
    for role in ALL_ROLES:
        assert entries_for(Role(role)), role


async def test_the_menu_opens_an_entry_by_its_letter_r_t1(live_server: LiveServer) -> None:
    app = terminal_app(live_server.url)
    async with app.run_test(size=(120, 40)) as pilot:
        await start_logged_in(pilot, *WINDOW_CLERK)
        await pilot.press("g")
        await wait_for(pilot, lambda: showing(app, MenuScreen))
        await pilot.press("m")
        await wait_for(pilot, lambda: showing(app, MyCasesScreen))
        await pilot.press("escape")
        await wait_for(pilot, lambda: showing(app, MenuScreen))
