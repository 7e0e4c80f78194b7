"""What the person at the terminal sees (issue 16, items 7 and 9–12), read from the screen as
drawn: the compositor's own lines, the cells a terminal receives, not the widgets' source text.
"""

from __future__ import annotations

import pytest
from textual.widgets import Input
from textual.widgets._toast import Toast

from appliance.queue.rules.tickets import TicketSource
from tests.support.station import GUIDE, MANAGER, WINDOW_CLERK, LiveServer
from tui.app import YizhanApp
from tui.queue_widgets import KeyFooter
from tui.screens.login import LoginScreen
from tui.screens.queue import _issued_message
from tui.testing import (
    category_row_texts,
    showing,
    start_logged_in,
    terminal_app,
    text_of,
    type_text,
    wait_for,
)

SIZES = [(140, 45), (100, 30)]


def rendered_lines(app: YizhanApp) -> list[str]:
    """Every line of the screen exactly as composed for the terminal."""
    strips = app.screen._compositor.render_strips()
    return ["".join(segment.text for segment in strip) for strip in strips]


def toast_texts(app: YizhanApp) -> list[str]:
    """The text drawn inside each toast on screen, its lines joined, without blanks."""
    lines = rendered_lines(app)
    texts = []
    for toast in app.screen.query(Toast):
        r = toast.region
        rows = [_cells(lines[y], r.x, r.right) for y in range(r.y, r.bottom)]
        texts.append("".join("".join(rows).replace("▌", "").split()))
    return texts


def _cells(line: str, start: int, end: int) -> str:
    """The characters of a line from cell ``start`` to ``end`` (CJK characters are 2 cells)."""
    from rich.cells import cell_len

    out, x = [], 0
    for ch in line:
        if start <= x < end:
            out.append(ch)
        x += cell_len(ch)
    return "".join(out)


def footer_text(app: YizhanApp) -> str:
    lines = rendered_lines(app)
    region = app.screen.query_one(KeyFooter).region
    return "\n".join(lines[y] for y in range(region.y, region.bottom))


@pytest.mark.parametrize("size", SIZES)
async def test_toasts_over_the_footer_keep_every_chinese_character(
    live_server: LiveServer, size: tuple[int, int]
) -> None:
    """Item 7: each confirmation toast shows its whole message, over the footer too."""
    services = live_server.station.services
    services.queue.issue("A", TicketSource.KIOSK, "normal")
    app = terminal_app(live_server.url, live_server.station.clock.now)
    async with app.run_test(size=size, notifications=True) as pilot:
        await start_logged_in(pilot, *WINDOW_CLERK)
        await pilot.press("c")
        await pilot.press("n")
        ticket = services.queue.issue("B", TicketSource.STAFF, "normal")
        issued = _issued_message(ticket)
        app.notify(issued, markup=False)
        app.notify("未绑定窗口，不能进行窗口操作；请退出后登录时填写要代为操作的窗口号")
        wanted = ["请A001号到1号窗口办理", "A001号已过号", "".join(issued.split())]
        wanted.append("未绑定窗口，不能进行窗口操作；请退出后登录时填写要代为操作的窗口号")
        await wait_for(pilot, lambda: len(list(app.screen.query(Toast))) == len(wanted))
        await pilot.pause()
        footer = app.screen.query_one(KeyFooter).region
        assert any(t.region.overlaps(footer) for t in app.screen.query(Toast))
        assert sorted(toast_texts(app)) == sorted(wanted)


async def test_the_guide_is_not_offered_window_keys(live_server: LiveServer) -> None:
    """Item 8: 引导 (no window) sees no window keys in the footer, and they do nothing."""
    live_server.station.services.queue.issue("A", TicketSource.KIOSK, "normal")
    app = terminal_app(live_server.url, live_server.station.clock.now)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await start_logged_in(pilot, *GUIDE)
        await pilot.pause()
        footer = footer_text(app)
        assert "代取号" in footer and "功能菜单" in footer
        for label in ["呼叫下一位", "重呼", "开始办理", "完成", "转移", "指定呼叫", "暂停服务"]:
            assert label not in footer, label
        await pilot.press("c", "f", "p")
        await pilot.pause()
        assert not list(app.screen.query(Toast))
        assert live_server.station.services.windows.window_state("1").current is None


async def test_a_transferred_ticket_is_marked_in_the_target_queue(live_server: LiveServer) -> None:
    """Item 12: A001 moved from window 1 to category C shows 转入 in the C queue."""
    services = live_server.station.services
    services.queue.issue("A", TicketSource.KIOSK, "normal")
    services.queue.issue("C", TicketSource.KIOSK, "normal")
    services.queue.call_next("1")
    services.queue.transfer("1", to_category="C")
    app = terminal_app(live_server.url, live_server.station.clock.now)
    async with app.run_test(size=(140, 45)) as pilot:
        await start_logged_in(pilot, *MANAGER)  # window 2 serves B and C
        rows = {r.split()[0]: r for r in category_row_texts(app, "C")}
        assert set(rows) == {"A001", "C001"}  # A001 keeps its place in the line
        assert "转入" in rows["A001"] and "转入" not in rows["C001"]


async def test_queue_at_100_columns_keeps_counts_and_the_full_name(
    live_server: LiveServer,
) -> None:
    """Item 10: at 100×30 every panel title keeps its waiting count, the bar name and code;
    item 11: the queue action reads 完成."""
    services = live_server.station.services
    for category in "BBC":
        services.queue.issue(category, TicketSource.KIOSK, "normal")
    app = terminal_app(live_server.url, live_server.station.clock.now)
    async with app.run_test(size=(100, 30)) as pilot:
        await start_logged_in(pilot, *MANAGER)
        await pilot.pause()
        screen = "\n".join(rendered_lines(app))
        assert "B 等候 2 人" in screen and "C 等候 1 人" in screen
        who = text_of(app.screen.query_one("#status-who"))
        assert who.startswith(f"{app.session.staff.name if app.session else '?'}（zz01）")
        assert who in screen
        assert "f 完成" in footer_text(app) and "办结" not in footer_text(app)


async def test_login_says_what_is_missing_or_misplaced(live_server: LiveServer) -> None:
    """Item 9: empty PIN, a window number in the code or PIN field, a refused PIN."""
    app = terminal_app(live_server.url, live_server.station.clock.now)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: showing(app, LoginScreen))
        screen = app.screen
        error = screen.query_one("#login-error")
        code = screen.query_one("#login-code", Input)
        pin = screen.query_one("#login-pin", Input)
        where = screen.query_one("#login-where")
        await wait_for(pilot, lambda: text_of(where) == "正在填写：工号")

        await type_text(pilot, "ck01")
        await pilot.press("enter")  # no PIN yet: say so, go to the PIN field
        await wait_for(pilot, lambda: "还没有输入密码" in text_of(error))
        assert pin.has_focus and code.value == "ck01"
        await wait_for(pilot, lambda: text_of(where) == "正在填写：密码")

        await type_text(pilot, "1")  # the window number, typed in the PIN field
        await pilot.press("enter")
        await wait_for(pilot, lambda: "像是窗口号" in text_of(error) and "密码栏" in text_of(error))
        assert pin.value == "" and pin.has_focus and code.value == "ck01"

        code.value = "2"  # a window number in the code field
        await pilot.press("enter")
        await wait_for(pilot, lambda: "工号栏" in text_of(error))
        assert code.has_focus

        code.value = "ck01"
        pin.focus()
        await type_text(pilot, "999999")
        await pilot.press("enter")
        await wait_for(pilot, lambda: text_of(error) == "工号或密码错误")
        assert pin.value == "" and pin.has_focus and code.value == "ck01"
        assert showing(app, LoginScreen) and app.session is None
        assert pin.region.bottom <= app.size.height  # the focused field is on screen
