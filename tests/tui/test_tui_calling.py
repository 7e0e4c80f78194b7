"""Staff terminal: the calling actions of a window, driven by keys (R-Q3, R-Q4).

Each test presses the key a clerk would press and checks both the station (through its
services) and what the terminal shows.
"""

from __future__ import annotations

from textual.widgets import Input

from appliance.queue.rules.tickets import TicketSource
from appliance.queue.schemas import WindowState
from tests.support.station import WINDOW_CLERK, LiveServer
from tui.app import YizhanApp
from tui.queue_widgets import CurrentTicketPanel
from tui.testing import TEST_SIZE as SIZE
from tui.testing import (
    category_numbers,
    category_row_texts,
    has_notification,
    no_show_numbers,
    start_logged_in,
    terminal_app,
    text_of,
    type_text,
    wait_for,
)


def make_app(live: LiveServer) -> YizhanApp:
    return terminal_app(live.url, live.station.clock.now)


def issue(live: LiveServer, category: str = "A", priority: str = "normal") -> str:
    return live.station.services.queue.issue(category, TicketSource.KIOSK, priority).number


def window(live: LiveServer, number: int = 1) -> WindowState:
    return live.station.services.windows.window_state(str(number))


def panel(app: YizhanApp) -> str:
    return text_of(app.screen.query_one(CurrentTicketPanel))


async def test_call_recall_start_finish_r_q3(live_server: LiveServer) -> None:
    """c (or F2) calls the next visitor; r recalls, s starts, f finishes (完成; 办结 is said of cases)."""
    issue(live_server)
    app = make_app(live_server)
    async with app.run_test(size=SIZE) as pilot:
        await start_logged_in(pilot, *WINDOW_CLERK)
        assert category_numbers(app, "A") == ["A001"]

        await pilot.press("f2")
        await wait_for(pilot, lambda: "A001" in panel(app) and "已呼叫" in panel(app))
        current = window(live_server).current
        assert current is not None and current.number == "A001" and current.status == "called"
        assert has_notification(app, "请 A001 号到 1 号窗口办理")
        assert category_numbers(app, "A") == []

        await pilot.press("r")
        await wait_for(pilot, lambda: "已重呼 1 次" in panel(app))
        current = window(live_server).current
        assert current is not None and current.recall_count == 1

        await pilot.press("s")
        await wait_for(pilot, lambda: "办理中" in panel(app))
        current = window(live_server).current
        assert current is not None and current.status == "serving"

        await pilot.press("f")
        await wait_for(pilot, lambda: "当前无号" in panel(app))
        assert window(live_server).current is None
        assert has_notification(app, "A001 号已完成")


async def test_no_show_then_rejoin(live_server: LiveServer) -> None:
    """n marks 过号; j puts the selected no-show back in the queue (过号重排)."""
    issue(live_server)
    app = make_app(live_server)
    async with app.run_test(size=SIZE) as pilot:
        await start_logged_in(pilot, *WINDOW_CLERK)
        await pilot.press("c")
        await wait_for(pilot, lambda: "A001" in panel(app))

        await pilot.press("n")
        await wait_for(pilot, lambda: no_show_numbers(app) == ["A001"])
        snap = live_server.station.services.windows.queue_snapshot()
        assert [t.number for t in snap.no_shows] == ["A001"]
        assert window(live_server).current is None

        await pilot.press("j")
        await wait_for(pilot, lambda: app.screen.query("#answer"))
        assert app.screen.query_one("#answer", Input).value == "A001"
        await pilot.press("enter")
        await wait_for(pilot, lambda: category_numbers(app, "A") == ["A001"])
        assert no_show_numbers(app) == []
        snap = live_server.station.services.windows.queue_snapshot()
        assert snap.no_shows == [] and [t.number for t in snap.categories[0].waiting] == ["A001"]


async def test_call_a_specific_ticket(live_server: LiveServer) -> None:
    """a asks for a number (指定呼叫) and calls it even when others are ahead."""
    for _ in range(3):
        issue(live_server)
    app = make_app(live_server)
    async with app.run_test(size=SIZE) as pilot:
        await start_logged_in(pilot, *WINDOW_CLERK)
        await pilot.press("a")
        await wait_for(pilot, lambda: app.screen.query("#answer"))
        await type_text(pilot, "a003")
        await pilot.press("enter")
        await wait_for(pilot, lambda: "A003" in panel(app))
        current = window(live_server).current
        assert current is not None and current.number == "A003"
        assert category_numbers(app, "A") == ["A001", "A002"]


async def test_transfer_to_window_and_to_category(live_server: LiveServer) -> None:
    """t moves the current ticket to window 2 (marked 转 2 号窗口) or to category C."""
    issue(live_server)
    issue(live_server)
    app = make_app(live_server)
    async with app.run_test(size=SIZE) as pilot:
        await start_logged_in(pilot, *WINDOW_CLERK)
        await pilot.press("c")
        await wait_for(pilot, lambda: "A001" in panel(app))
        await pilot.press("t")
        await wait_for(pilot, lambda: app.screen.query("#answer"))
        await type_text(pilot, "2")
        await pilot.press("enter")
        await wait_for(pilot, lambda: "当前无号" in panel(app))
        snap = live_server.station.services.windows.queue_snapshot()
        moved = next(t for t in snap.categories[0].waiting if t.number == "A001")
        assert moved.target_window_number == 2
        assert has_notification(app, "A001 号已转至 2 号窗口")
        await wait_for(pilot, lambda: any("转 2 号窗口" in r for r in category_row_texts(app, "A")))

        await pilot.press("c")  # A002: A001 now waits for window 2 only
        await wait_for(pilot, lambda: "A002" in panel(app))
        await pilot.press("t")
        await wait_for(pilot, lambda: app.screen.query("#answer"))
        await type_text(pilot, "c")
        await pilot.press("enter")
        await wait_for(pilot, lambda: "当前无号" in panel(app))
        snap = live_server.station.services.windows.queue_snapshot()
        assert [t.number for t in snap.categories[2].waiting] == ["A002"]
        assert has_notification(app, "A002 号已转到“民政残联”排队")


async def test_priority_and_transferred_in_are_marked_r_q4(live_server: LiveServer) -> None:
    """Waiting lists mark 老弱病残孕优先, 预约 and tickets transferred to my window."""
    services = live_server.station.services
    issue(live_server, "A")
    issue(live_server, "A", "vulnerable")
    services.queue.issue("B", TicketSource.APPOINTMENT, "appointment")
    services.queue.issue("C", TicketSource.KIOSK)
    services.queue.call_next("2")  # window 2 serves B and C: calls B001 (appointment)
    services.queue.transfer("2", to_window="1")
    app = make_app(live_server)
    async with app.run_test(size=SIZE) as pilot:
        await start_logged_in(pilot, *WINDOW_CLERK)
        rows_a = category_row_texts(app, "A")
        assert rows_a[0].startswith("A001") and "优先" not in rows_a[0]
        assert rows_a[1].startswith("A002") and "老弱病残孕优先" in rows_a[1]
        rows_b = category_row_texts(app, "B")
        assert rows_b[0].startswith("B001") and "预约" in rows_b[0] and "转入本窗口" in rows_b[0]
        assert category_row_texts(app, "C") == []  # window 1 does not serve C: not shown

        await pilot.press("c")  # a ticket transferred to this window comes first
        await wait_for(pilot, lambda: "B001" in panel(app) and "预约" in panel(app))


async def test_call_next_with_nobody_waiting_is_refused(live_server: LiveServer) -> None:
    """A refusal shows the server's Chinese message and changes nothing (R-Q3)."""
    app = make_app(live_server)
    services = live_server.station.services
    async with app.run_test(size=SIZE) as pilot:
        await start_logged_in(pilot, *WINDOW_CLERK)
        before = services.windows.queue_snapshot()
        await pilot.press("c")
        await wait_for(pilot, lambda: has_notification(app, "1 号窗口当前无人等候"))
        await pilot.press("r")
        await wait_for(pilot, lambda: has_notification(app, "1 号窗口当前没有已呼叫的号"))
        after = services.windows.queue_snapshot()
        assert after.event_seq == before.event_seq
        assert after.windows == before.windows
        assert "当前无号" in panel(app)


async def test_queue_follows_other_terminals(live_server: LiveServer) -> None:
    """Tickets issued elsewhere appear within a poll; an answered call leaves the list."""
    app = make_app(live_server)
    async with app.run_test(size=SIZE) as pilot:
        await start_logged_in(pilot, *WINDOW_CLERK)
        issue(live_server, "B")
        await wait_for(pilot, lambda: category_numbers(app, "B") == ["B001"])
        live_server.station.services.queue.call_next("2")
        await wait_for(pilot, lambda: category_numbers(app, "B") == [])
