"""Snapshots of the staff terminal (what a clerk sees), with a frozen clock and fixed data.

Regenerate after an intended change with ``pytest tests/tui/test_tui_snapshots.py --snapshot-update``
and review the SVGs under ``tests/__snapshots__/``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.pilot import Pilot

from appliance.queue.rules.tickets import TicketSource
from tests.support.station import WINDOW_CLERK, LiveServer
from tui.screens.lock import LockScreen
from tui.screens.login import LoginScreen
from tui.testing import (
    category_numbers,
    log_in,
    no_show_numbers,
    showing,
    terminal_app,
    text_of,
    wait_for,
)

SnapCompare = Callable[..., bool]
SIZE = (120, 36)


def busy_morning(live: LiveServer) -> None:
    """A02 no-show, B002 (预约) transferred to window 1, A001 called, window 2 away 16 min."""
    services = live.station.services
    for category, source, priority in [
        ("A", TicketSource.KIOSK, "normal"),
        ("A", TicketSource.STAFF, "vulnerable"),
        ("A", TicketSource.BUTTON, "normal"),
        ("B", TicketSource.KIOSK, "normal"),
        ("B", TicketSource.APPOINTMENT, "appointment"),
        ("C", TicketSource.KIOSK, "normal"),
    ]:
        services.queue.issue(category, source, priority)
    services.queue.call_next("1")  # A002, 老弱病残孕 first (R-Q4)
    services.queue.no_show("1")
    services.queue.call_next("2")  # B002, appointment first
    services.queue.transfer("2", to_window="1")
    services.queue.call_specific("1", "A001")
    services.windows.pause("2", "入户代办")
    live.station.clock.advance(minutes=16)
    services.windows.check_absences()


def test_login_screen_snapshot(live_server: LiveServer, snap_compare: SnapCompare) -> None:
    """登录 screen: 工号, 密码, 窗口号; status bar online with the frozen time."""
    app = terminal_app(live_server.url, clock=live_server.station.clock.now)

    async def ready(pilot: Pilot[Any]) -> None:
        await wait_for(pilot, lambda: showing(app, LoginScreen))
        await wait_for(pilot, lambda: "在线" in text_of(app.screen.query_one("#status-net")))

    assert snap_compare(app, terminal_size=SIZE, run_before=ready)


def test_queue_screen_snapshot(live_server: LiveServer, snap_compare: SnapCompare) -> None:
    """叫号台 of window 1 after a busy morning: current ticket, marks, no-shows, alert (R-Q4)."""
    busy_morning(live_server)
    station = live_server.station
    app = terminal_app(live_server.url, station.clock.now)

    async def ready(pilot: Pilot[Any]) -> None:
        await log_in(pilot, *WINDOW_CLERK)
        await wait_for(pilot, lambda: category_numbers(app, "B") == ["B001", "B002"])
        await wait_for(pilot, lambda: no_show_numbers(app) == ["A002"])
        await wait_for(pilot, lambda: app.screen.query_one("#status-alerts").display)
        app.clear_notifications()

    assert snap_compare(app, terminal_size=SIZE, run_before=ready)


def test_lock_screen_snapshot(live_server: LiveServer, snap_compare: SnapCompare) -> None:
    """锁屏 while window 1 is paused (R-Q6)."""
    live_server.station.services.windows.pause("1", "会议")
    station = live_server.station
    app = terminal_app(live_server.url, station.clock.now)

    async def ready(pilot: Pilot[Any]) -> None:
        await log_in(pilot, *WINDOW_CLERK)
        await wait_for(pilot, lambda: showing(app, LockScreen))
        app.clear_notifications()

    assert snap_compare(app, terminal_size=SIZE, run_before=ready)


def test_queue_screen_100_columns_snapshot(
    live_server: LiveServer, snap_compare: SnapCompare
) -> None:
    """叫号台 of window 1 at 100×30 (a Pi screen): every panel title keeps its waiting count,
    the bar keeps the full name and code, and a toast over the footer keeps every character."""
    busy_morning(live_server)
    station = live_server.station
    app = terminal_app(live_server.url, station.clock.now)

    async def ready(pilot: Pilot[Any]) -> None:
        await log_in(pilot, *WINDOW_CLERK)
        await wait_for(pilot, lambda: category_numbers(app, "B") == ["B001", "B002"])
        app.clear_notifications()
        app.notify("已取号 B003（社保医保），前面 2 人，约等 16 分钟", markup=False)

    assert snap_compare(app, terminal_size=(100, 30), run_before=ready)


def test_toast_over_the_footer_snapshot(live_server: LiveServer, snap_compare: SnapCompare) -> None:
    """140×45: a long toast drawn over the footer's keys shows whole (issue 16, item 7)."""
    station = live_server.station
    app = terminal_app(live_server.url, station.clock.now)

    async def ready(pilot: Pilot[Any]) -> None:
        await log_in(pilot, *WINDOW_CLERK)
        app.clear_notifications()
        app.notify("未绑定窗口，不能进行窗口操作；请退出后登录时填写要代为操作的窗口号")
        app.notify("A003 号已过号")

    assert snap_compare(app, terminal_size=(140, 45), run_before=ready)
