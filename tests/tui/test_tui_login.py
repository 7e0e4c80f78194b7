"""Staff terminal: login and logout, against a live station server."""

from __future__ import annotations

from textual.widgets import Input

from tests.support.station import GUIDE, MANAGER, WINDOW_CLERK, LiveServer
from tui.app import YizhanApp
from tui.screens.login import LoginScreen
from tui.screens.queue import QueueScreen
from tui.testing import TEST_SIZE as SIZE
from tui.testing import log_in, screen_text, showing, terminal_app, text_of, type_text, wait_for


def make_app(live: LiveServer) -> YizhanApp:
    return terminal_app(live.url, live.station.clock.now)


async def test_login_uses_the_account_window_and_shows_who_and_time(
    live_server: LiveServer,
) -> None:
    """Logging in without a window number uses the account's own window (ck01 → 1 号窗口)."""
    app = make_app(live_server)
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot, *WINDOW_CLERK)
        assert isinstance(app.screen, QueueScreen)
        assert app.session is not None and app.session.window == 1
        status = text_of(app.screen.query_one("#status-who"))
        assert status == "王秀英（ck01）· 1 号窗口"
        assert text_of(app.screen.query_one("#status-time")) == "2026-11-23 周一 09:00:00"
        await wait_for(pilot, lambda: "在线" in text_of(app.screen.query_one("#status-net")))


async def test_typed_window_then_logout_then_guide_without_window(live_server: LiveServer) -> None:
    """A typed window number wins over the account's; x logs out; a guide logs in unbound."""
    app = make_app(live_server)
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot, *MANAGER, window="1")
        assert app.session is not None and app.session.window == 1
        assert "李建国（zz01）· 1 号窗口" in screen_text(app)

        await pilot.press("x")
        await wait_for(pilot, lambda: showing(app, LoginScreen))
        assert app.session is None and app.api.token is None
        assert "未登录" in screen_text(app)

        await log_in(pilot, *GUIDE)
        assert app.session is not None and app.session.window is None
        assert "张伟（yd01）· 未绑定窗口" in screen_text(app)


async def test_wrong_pin_and_unknown_window_are_refused_in_chinese(
    live_server: LiveServer,
) -> None:
    app = make_app(live_server)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: showing(app, LoginScreen))
        error = app.screen.query_one("#login-error")
        await type_text(pilot, "ck01")
        await pilot.press("tab")
        await type_text(pilot, "9999")
        await pilot.press("enter")
        await wait_for(pilot, lambda: text_of(error) == "工号或密码错误")
        assert app.screen.query_one("#login-pin", Input).has_focus  # cleared, ready for a retry

        await type_text(pilot, WINDOW_CLERK[1])
        await pilot.press("tab")
        await type_text(pilot, "9")
        await pilot.press("enter")
        await wait_for(pilot, lambda: "找不到 9 号窗口" in text_of(error))
        assert showing(app, LoginScreen) and app.session is None


async def test_a_clerk_signs_in_only_at_their_own_window_r_q6(live_server: LiveServer) -> None:
    """ck01 belongs to window 1: typing window 2 is refused (the head may, to act for it); a
    guide without a window is offered no window keys at all."""
    app = make_app(live_server)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: showing(app, LoginScreen))
        error = app.screen.query_one("#login-error")
        await type_text(pilot, WINDOW_CLERK[0])
        await pilot.press("tab")
        await type_text(pilot, WINDOW_CLERK[1])
        await pilot.press("tab")
        await type_text(pilot, "2")
        await pilot.press("enter")
        await wait_for(pilot, lambda: "不能在 2 号窗口登录" in text_of(error))
        assert "您的账号绑定 1 号窗口" in text_of(error)
        assert showing(app, LoginScreen) and app.session is None and app.api.token is None

    for account, offered in ((GUIDE, False), (WINDOW_CLERK, True)):
        app = make_app(live_server)
        async with app.run_test(size=SIZE) as pilot:
            await log_in(pilot, *account)
            actions = {b.binding.action for b in app.screen.active_bindings.values()}
            assert ("call_next" in actions) is offered and ("pause" in actions) is offered
            assert "issue" in actions  # 代取号 is not a window action
