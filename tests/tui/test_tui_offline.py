"""Staff terminal: an unreachable server is a state (离线), retried every poll, never a crash."""

from __future__ import annotations

import httpx
import pytest

from appliance.queue.rules.tickets import TicketSource
from appliance.settings import load_settings
from tests.support.station import WINDOW_CLERK, LiveServer, free_port
from tui import app as app_module
from tui.api_client import StationApi
from tui.app import YizhanApp, run_tui
from tui.queue_widgets import CurrentTicketPanel
from tui.testing import TEST_SIZE as SIZE
from tui.testing import (
    has_notification,
    start_logged_in,
    terminal_app,
    text_of,
    type_text,
    wait_for,
)


class SwitchableTransport(httpx.AsyncBaseTransport):
    """The real network, or (while ``down``) a refused connection."""

    def __init__(self) -> None:
        self.down = False
        self._real = httpx.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self.down:
            raise httpx.ConnectError("connection refused", request=request)
        return await self._real.handle_async_request(request)

    async def aclose(self) -> None:
        await self._real.aclose()


async def test_closed_port_shows_offline_and_login_says_so() -> None:
    """No server at all: the status bar says 离线, login explains, nothing crashes."""
    app = terminal_app(f"http://127.0.0.1:{free_port()}")
    async with app.run_test(size=SIZE) as pilot:
        net = app.screen.query_one("#status-net")
        await wait_for(pilot, lambda: "离线" in text_of(net))
        await type_text(pilot, "ck01")
        await pilot.press("tab")
        await type_text(pilot, WINDOW_CLERK[1])
        await pilot.press("enter")
        error = app.screen.query_one("#login-error")
        await wait_for(pilot, lambda: "无法连接服务器" in text_of(error))
        assert app.is_running and app.session is None


async def test_server_lost_and_back_while_logged_in(live_server: LiveServer) -> None:
    """While the server is gone: 离线 shown, an action explains and changes nothing;
    when it is back the terminal is 在线 again without any key press."""
    live_server.station.services.queue.issue("A", TicketSource.KIOSK)
    transport = SwitchableTransport()
    api = StationApi(live_server.url, transport=transport)
    app = YizhanApp(live_server.url, clock=live_server.station.clock.now, poll_seconds=0.5, api=api)
    async with app.run_test(size=SIZE) as pilot:
        await start_logged_in(pilot, *WINDOW_CLERK)
        net = app.screen.query_one("#status-net")
        await wait_for(pilot, lambda: "在线" in text_of(net))

        transport.down = True
        await wait_for(pilot, lambda: "离线" in text_of(net))
        await pilot.press("c")
        await wait_for(pilot, lambda: has_notification(app, "无法连接服务器"))
        assert live_server.station.services.windows.window_state("1").current is None

        transport.down = False
        await wait_for(pilot, lambda: "在线" in text_of(net))
        await pilot.press("c")
        panel = app.screen.query_one(CurrentTicketPanel)
        await wait_for(pilot, lambda: "A001" in text_of(panel))


def test_run_tui_builds_the_app_from_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """``yizhan tui`` opens the terminal on ``server_url``; it never holds the device key."""
    seen: list[YizhanApp] = []
    monkeypatch.setattr(app_module.YizhanApp, "run", lambda self: seen.append(self))
    settings = load_settings(env={}, server_url="http://10.0.0.5:8080", device_key="k")
    assert run_tui(settings) == 0
    (app,) = seen
    assert not hasattr(app.api, "device_key")
    assert app.api.base_url == "http://10.0.0.5:8080"
