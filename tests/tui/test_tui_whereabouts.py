"""去向 from the terminal (R-T2, issue 16 item 1): w opens the dialog, a digit sets it."""

from __future__ import annotations

from sqlmodel import select

from appliance.staff.tables import Staff
from tests.support.station import WINDOW_CLERK, LiveServer
from tui.app import YizhanApp
from tui.screens.whereabouts import WhereaboutsDialog
from tui.testing import TEST_SIZE as SIZE
from tui.testing import has_notification, start_logged_in, terminal_app, wait_for


def make_app(live: LiveServer) -> YizhanApp:
    return terminal_app(live.url, live.station.clock.now)


def whereabouts(live: LiveServer, code: str) -> str:
    with live.station.services.db.read() as s:
        return s.exec(select(Staff).where(Staff.code == code)).one().whereabouts


async def test_w_sets_whereabouts_shown_on_the_board_r_t2(live_server: LiveServer) -> None:
    app = make_app(live_server)
    async with app.run_test(size=SIZE) as pilot:
        await start_logged_in(pilot, *WINDOW_CLERK)
        await pilot.press("w")
        await wait_for(pilot, lambda: isinstance(app.screen, WhereaboutsDialog))
        await pilot.press("3")
        await wait_for(pilot, lambda: has_notification(app, "去向已设为：入户代办"))
        assert whereabouts(live_server, "ck01") == "入户代办"
        await pilot.press("w")
        await wait_for(pilot, lambda: isinstance(app.screen, WhereaboutsDialog))
        await pilot.press("1")  # 在岗 without 签到 is refused, in Chinese
        await wait_for(pilot, lambda: has_notification(app, "您尚未签到"))
        assert whereabouts(live_server, "ck01") == "入户代办"
