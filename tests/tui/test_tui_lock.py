"""Staff terminal: pause (暂停服务) locks the terminal until the staff PIN is entered (R-Q6)."""

from __future__ import annotations

from appliance.queue.rules.tickets import TicketSource
from tests.support.station import WINDOW_CLERK, LiveServer
from tui.app import YizhanApp
from tui.screens.lock import LockScreen
from tui.screens.queue import QueueScreen
from tui.testing import TEST_SIZE as SIZE
from tui.testing import (
    has_notification,
    showing,
    start_logged_in,
    terminal_app,
    text_of,
    type_text,
    wait_for,
)


def make_app(live: LiveServer) -> YizhanApp:
    return terminal_app(live.url, live.station.clock.now)


def locked(app: YizhanApp) -> bool:
    return showing(app, LockScreen)


def paused(live: LiveServer) -> bool:
    return live.station.services.windows.window_state("1").paused


async def test_pause_locks_and_only_the_pin_unlocks_r_q6(live_server: LiveServer) -> None:
    """p asks for a reason, pauses window 1 and locks; a wrong PIN keeps it locked."""
    live_server.station.services.queue.issue("A", TicketSource.KIOSK)
    app = make_app(live_server)
    async with app.run_test(size=SIZE) as pilot:
        await start_logged_in(pilot, *WINDOW_CLERK)
        await pilot.press("p")
        await wait_for(pilot, lambda: app.screen.query("#answer"))
        await type_text(pilot, "入户代办")
        await pilot.press("enter")
        await wait_for(pilot, lambda: locked(app))
        state = live_server.station.services.windows.window_state("1")
        assert state.paused and state.pause_reason == "入户代办"
        assert text_of(app.screen.query_one("#lock-reason")) == "暂停服务中：入户代办"

        await pilot.press("c")  # the queue keys are locked away: nobody is called
        await type_text(pilot, "0000")
        await pilot.press("enter")
        error = app.screen.query_one("#lock-error")
        await wait_for(pilot, lambda: text_of(error) == "工号或密码错误")
        assert paused(live_server) and isinstance(app.screen, LockScreen)
        assert live_server.station.services.windows.window_state("1").current is None

        await type_text(pilot, WINDOW_CLERK[1])
        await pilot.press("enter")
        await wait_for(pilot, lambda: showing(app, QueueScreen))
        assert not paused(live_server)
        assert has_notification(app, "已恢复服务")


async def test_pause_while_serving_is_refused(live_server: LiveServer) -> None:
    """The server refuses a pause while a ticket is called; the terminal stays unlocked."""
    services = live_server.station.services
    services.queue.issue("A", TicketSource.KIOSK)
    services.queue.call_next("1")
    app = make_app(live_server)
    async with app.run_test(size=SIZE) as pilot:
        await start_logged_in(pilot, *WINDOW_CLERK)
        await pilot.press("p")
        await wait_for(pilot, lambda: app.screen.query("#answer"))
        await type_text(pilot, "会议")
        await pilot.press("enter")
        await wait_for(pilot, lambda: has_notification(app, "请先办结或转移再暂停"))
        assert not paused(live_server)
        assert isinstance(app.screen, QueueScreen)


async def test_pause_and_resume_elsewhere_follow_r_q6(live_server: LiveServer) -> None:
    """Logging in to a paused window shows the lock; a resume or pause made at another
    terminal unlocks or locks this one within a poll."""
    services = live_server.station.services
    services.windows.pause("1", "外出办事")
    app = make_app(live_server)
    async with app.run_test(size=SIZE) as pilot:
        await start_logged_in(pilot, *WINDOW_CLERK)
        await wait_for(pilot, lambda: locked(app))
        assert "暂停服务中：外出办事" in text_of(app.screen.query_one("#lock-reason"))
        services.windows.resume("1")
        await wait_for(pilot, lambda: showing(app, QueueScreen))
        services.windows.pause("1", "午休")
        await wait_for(pilot, lambda: locked(app))
        assert "暂停服务中：午休" in text_of(app.screen.query_one("#lock-reason"))
