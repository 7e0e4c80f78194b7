"""Staff terminal: tickets for visitors (R-Q1), attendance (R-T2) and alerts, by keys."""

from __future__ import annotations

from sqlmodel import select
from textual.binding import Binding

from appliance.queue.tables import Ticket
from appliance.staff.tables import Staff
from hwservice.button_sim import ButtonClient
from tests.support.station import MANAGER, WINDOW_CLERK, LiveServer
from tui.app import YizhanApp
from tui.screens.queue import QueueScreen
from tui.testing import TEST_SIZE as SIZE
from tui.testing import (
    category_numbers,
    category_row_texts,
    has_notification,
    start_logged_in,
    terminal_app,
    text_of,
    type_text,
    wait_for,
)


def make_app(live: LiveServer) -> YizhanApp:
    return terminal_app(live.url, live.station.clock.now)


def tickets(live: LiveServer) -> list[Ticket]:
    with live.station.services.db.read() as s:
        return list(s.exec(select(Ticket).order_by(Ticket.number)))


def on_duty(live: LiveServer, code: str) -> bool:
    with live.station.services.db.read() as s:
        staff = s.exec(select(Staff).where(Staff.code == code)).one()
        return staff.on_duty


async def test_issue_for_a_visitor_with_priority_and_phone_r_q1_r_q4(
    live_server: LiveServer,
) -> None:
    """i opens 代取号: category letter, 老弱病残孕 checkbox (space) and a phone number."""
    app = make_app(live_server)
    async with app.run_test(size=SIZE) as pilot:
        await start_logged_in(pilot, *WINDOW_CLERK)
        await pilot.press("i")
        await wait_for(pilot, lambda: app.screen.query("#issue-category"))
        await type_text(pilot, "b")
        await pilot.press("tab", "space", "tab")
        await type_text(pilot, "13800138000")
        await pilot.press("enter")
        await wait_for(pilot, lambda: category_numbers(app, "B") == ["B001"])
        (ticket,) = tickets(live_server)
        assert (ticket.number, ticket.source, ticket.priority) == ("B001", "staff", "vulnerable")
        assert ticket.phone == "13800138000"
        assert has_notification(app, "已取号 B001（社保医保）")
        assert "老弱病残孕优先" in category_row_texts(app, "B")[0]


async def test_issue_refused_or_cancelled_makes_no_ticket(live_server: LiveServer) -> None:
    """An unknown category is refused with the server's message; Esc cancels the dialog."""
    app = make_app(live_server)
    async with app.run_test(size=SIZE) as pilot:
        await start_logged_in(pilot, *WINDOW_CLERK)
        await pilot.press("i")
        await wait_for(pilot, lambda: app.screen.query("#issue-category"))
        await type_text(pilot, "z")
        await pilot.press("enter")
        await wait_for(pilot, lambda: has_notification(app, "找不到业务类别“Z”"))

        await pilot.press("i")
        await wait_for(pilot, lambda: app.screen.query("#issue-category"))
        await pilot.press("a", "escape")
        await wait_for(pilot, lambda: not app.screen.query("#issue-category"))
        assert tickets(live_server) == []


async def test_a_door_button_ticket_shows_in_the_queue_r_q1(live_server: LiveServer) -> None:
    """The door button (its simulator, with the device key) issues; the terminal, which
    holds no device key and has no button key, shows the ticket in its category."""
    keys = [b for b in QueueScreen.BINDINGS if isinstance(b, Binding)]
    assert keys and all(b.action != "press_button" and "b" not in b.key.split(",") for b in keys)
    app = make_app(live_server)
    async with app.run_test(size=SIZE) as pilot:
        await start_logged_in(pilot, *WINDOW_CLERK)
        with ButtonClient(live_server.url, live_server.station.settings.device_key) as button:
            button.press()
        await wait_for(pilot, lambda: category_numbers(app, "A") == ["A001"])
        (ticket,) = tickets(live_server)
        assert (ticket.number, ticket.source) == ("A001", "button")
        await pilot.press("b")  # no longer a key of the terminal: nothing is issued
        await pilot.pause(0.2)
        assert len(tickets(live_server)) == 1


async def test_clock_in_and_out_r_t2(live_server: LiveServer) -> None:
    """k clocks in (签到), a second k is refused in Chinese, o clocks out (签退)."""
    app = make_app(live_server)
    async with app.run_test(size=SIZE) as pilot:
        await start_logged_in(pilot, *MANAGER)
        await pilot.press("k")
        await wait_for(pilot, lambda: has_notification(app, "李建国 签到成功"))
        assert on_duty(live_server, "zz01")
        await pilot.press("k")
        await wait_for(pilot, lambda: has_notification(app, "您已签到，无需重复签到"))
        assert on_duty(live_server, "zz01")
        await pilot.press("o")
        await wait_for(pilot, lambda: has_notification(app, "李建国 签退成功"))
        assert not on_duty(live_server, "zz01")


async def test_open_alerts_show_in_the_status_bar_r_q6(live_server: LiveServer) -> None:
    """A pause past the allowed absence raises an alert every terminal shows."""
    station = live_server.station
    app = make_app(live_server)
    async with app.run_test(size=SIZE) as pilot:
        await start_logged_in(pilot, *WINDOW_CLERK)
        alerts = app.screen.query_one("#status-alerts")
        assert not alerts.display
        station.services.windows.pause("2", "入户代办")
        station.clock.advance(minutes=16)
        assert station.services.windows.check_absences()
        await wait_for(pilot, lambda: alerts.display)
        assert text_of(alerts) == "⚠ 2 号窗口暂停服务已超过 15 分钟（原因：入户代办）"
        assert "09:16:00" in text_of(app.screen.query_one("#status-time"))
        station.services.windows.resume("2")
        await wait_for(pilot, lambda: not alerts.display)


async def test_printer_state_shows_in_the_status_bar(live_server: LiveServer) -> None:
    """A receipt printer out of paper is shown to staff; the queue goes on."""
    station = live_server.station
    app = make_app(live_server)
    async with app.run_test(size=SIZE) as pilot:
        await start_logged_in(pilot, *WINDOW_CLERK)
        alerts = app.screen.query_one("#status-alerts")
        station.services.devices.report("printer.receipt", "media-empty", "打印机缺纸")
        await wait_for(pilot, lambda: alerts.display)
        assert text_of(alerts) == "⚠ 小票打印机：打印机缺纸"
        station.services.devices.report("printer.receipt", "ready", "打印机就绪")
        await wait_for(pilot, lambda: not alerts.display)


async def test_reprint_a_receipt(live_server: LiveServer) -> None:
    """y asks for a number (补打小票) and queues a new receipt job; an unknown number is refused."""
    station = live_server.station
    station.services.queue.issue("A", "kiosk")
    app = make_app(live_server)
    async with app.run_test(size=SIZE) as pilot:
        await start_logged_in(pilot, *WINDOW_CLERK)
        await pilot.press("y")
        await wait_for(pilot, lambda: app.screen.query("#answer"))
        await type_text(pilot, "a001")
        await pilot.press("enter")
        await wait_for(pilot, lambda: has_notification(app, "A001 号小票已加入打印队列"))
        assert [j.title for j in station.services.print_jobs.list_jobs()] == ["A001", "A001"]
        await pilot.press("y")
        await wait_for(pilot, lambda: app.screen.query("#answer"))
        await type_text(pilot, "b404")
        await pilot.press("enter")
        await wait_for(pilot, lambda: has_notification(app, "今日没有 B404 号"))
        assert len(station.services.print_jobs.list_jobs()) == 2
