"""Staff terminal: the forced PIN change at login, and the login alert on the status bar
(issue 12, defect 1; R-T1, R-T3)."""

from __future__ import annotations

from textual.widgets import Input

from appliance.staff.service.accounts import hash_pin
from tests.support.station import MANAGER, LiveServer
from tui.app import YizhanApp
from tui.screens.login import ChangePinDialog, LoginScreen
from tui.screens.queue import QueueScreen
from tui.testing import TEST_SIZE as SIZE
from tui.testing import log_in, screen_text, showing, terminal_app, text_of, type_text, wait_for

OLD = "4321"  # a PIN from before the 6-digit minimum


def make_app(live: LiveServer) -> YizhanApp:
    return terminal_app(live.url, live.station.clock.now)


async def test_a_short_pin_is_changed_on_the_login_screen_r_t1(live_server: LiveServer) -> None:
    services = live_server.station.services
    services.staff.create("ck09", "孙丽", "window", "", pin_hash=hash_pin(OLD))
    app = make_app(live_server)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: showing(app, LoginScreen))
        await type_text(pilot, "ck09")
        await pilot.press("tab")
        await type_text(pilot, OLD)
        await pilot.press("enter")
        await wait_for(pilot, lambda: showing(app, ChangePinDialog))
        assert "少于 6 位" in text_of(app.screen.query_one("#pin-change-why"))
        assert app.session is None and app.api.token is None

        error = app.screen.query_one("#pin-change-error")
        await type_text(pilot, "580246")
        await pilot.press("enter")  # to the second field
        await type_text(pilot, "580247")
        await pilot.press("enter")
        await wait_for(pilot, lambda: "不一致" in text_of(error))

        await type_text(pilot, "123456")
        await pilot.press("tab")
        await type_text(pilot, "123456")
        await pilot.press("enter")  # the server refuses a straight run: asked again, saying why
        await wait_for(
            pilot,
            lambda: (
                showing(app, ChangePinDialog)
                and "连续数字" in text_of(app.screen.query_one("#pin-change-error"))
            ),
        )

        await type_text(pilot, "580246")
        await pilot.press("tab")
        await type_text(pilot, "580246")
        await pilot.press("enter")
        await wait_for(pilot, lambda: showing(app, QueueScreen))
        assert app.session is not None and app.session.staff.code == "ck09"
        await wait_for(pilot, lambda: "孙丽（ck09）" in screen_text(app))

    # the old PIN is gone, the new one logs in without a change
    app = make_app(live_server)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: showing(app, LoginScreen))
        await type_text(pilot, "ck09")
        await pilot.press("tab")
        await type_text(pilot, OLD)
        await pilot.press("enter")
        error = app.screen.query_one("#login-error")
        await wait_for(pilot, lambda: text_of(error) == "工号或密码错误")
        assert app.screen.query_one("#login-pin", Input).has_focus
        await type_text(pilot, "580246")
        await pilot.press("enter")
        await wait_for(pilot, lambda: showing(app, QueueScreen))


async def test_cancelling_the_change_opens_no_session_r_t1(live_server: LiveServer) -> None:
    live_server.station.services.staff.create("ck09", "孙丽", "window", "", pin_hash=hash_pin(OLD))
    app = make_app(live_server)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: showing(app, LoginScreen))
        await type_text(pilot, "ck09")
        await pilot.press("tab")
        await type_text(pilot, OLD)
        await pilot.press("enter")
        await wait_for(pilot, lambda: showing(app, ChangePinDialog))
        await pilot.press("escape")
        await wait_for(pilot, lambda: showing(app, LoginScreen))
        assert "密码未修改" in text_of(app.screen.query_one("#login-error"))
        assert app.session is None and app.api.token is None


async def test_repeated_wrong_pins_show_an_alert_on_the_heads_status_bar_r_t1(
    live_server: LiveServer,
) -> None:
    import httpx

    station = live_server.station
    with httpx.Client(base_url=live_server.url) as http:
        for _ in range(station.settings.login_alert_failures):
            r = http.post("/api/auth/login", json={"code": "ck01", "pin": "000000"})
            assert r.status_code in (401, 429)
            station.clock.advance(minutes=1)  # slow guessing: each one is counted
    app = make_app(live_server)
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot, *MANAGER)
        bar = app.screen.query_one("#status-alerts")
        await wait_for(pilot, lambda: "工号 ck01 已连续 5 次密码错误" in text_of(bar))
