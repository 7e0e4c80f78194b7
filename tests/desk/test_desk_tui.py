"""Staff terminal: the "办不成事" register from the keyboard (R-P1).

A clerk opens it from the menu (g, w), registers a problem passed on the same day to a named
handler with the visitor told by SMS, follows it and closes it with its result; the station
is checked through its tables after each step.
"""

from __future__ import annotations

from appliance.core.roles import Role
from tests.desk.desk_support import rows
from tests.support.station import WINDOW_CLERK, LiveServer
from tui.menu import entries_for
from tui.screens.desk_common import StepDialog
from tui.screens.desk_detail import DeskDetailScreen
from tui.screens.desk_form import DeskFormScreen
from tui.screens.desk_list import DeskListScreen
from tui.testing import (
    TEST_SIZE,
    screen_text,
    showing,
    start_logged_in,
    terminal_app,
    type_text,
    wait_for,
)


def test_every_role_finds_the_desk_in_the_menu_r_p1() -> None:
    for role in Role:
        assert "w" in [e.key for e in entries_for(role)], role


async def test_register_transfer_follow_and_close_from_the_keyboard_r_p1(
    live_server: LiveServer,
) -> None:
    station = live_server.station
    app = terminal_app(live_server.url, station.clock.now)
    async with app.run_test(size=TEST_SIZE) as pilot:
        await start_logged_in(pilot, *WINDOW_CLERK)
        await pilot.press("g")
        await wait_for(pilot, lambda: bool(app.screen.query("#menu-list")))
        await pilot.press("w")
        await wait_for(pilot, lambda: showing(app, DeskListScreen))
        await wait_for(pilot, lambda: "暂无办理中的登记" in screen_text(app))
        await pilot.press("n")
        await wait_for(pilot, lambda: showing(app, DeskFormScreen))
        await type_text(pilot, "医保报销跑了三趟没办成")
        await pilot.press("down", "right", "down")  # 问题类型: 办事难; on to 办理类型
        await pilot.press("right", "right", "right", "down")  # 本级事权·当日转办
        await type_text(pilot, "镇医保服务站")
        await pilot.press("enter")
        await type_text(pilot, "刘芳")
        await pilot.press("enter", "enter", "down")  # no handler phone; SMS stays chosen
        await type_text(pilot, "王秀英")
        await pilot.press("enter")
        await type_text(pilot, "13912345678")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: showing(app, DeskDetailScreen))
        await wait_for(pilot, lambda: "转办跟踪中" in screen_text(app))

        [(number, kind, ptype, dept, handler, status)] = rows(
            station,
            "SELECT number, kind, problem_type, handler_dept, handler_name, status FROM desk_entry",
        )
        assert (kind, ptype, dept, handler, status) == (
            "transfer",
            "hard",
            "镇医保服务站",
            "刘芳",
            "open",
        )
        [(sms_kind, phone)] = rows(station, "SELECT kind, phone FROM sms_message")
        assert (sms_kind, phone) == ("desk_transferred", "13912345678")

        await pilot.press("f")
        await wait_for(pilot, lambda: isinstance(app.screen, StepDialog))
        await type_text(pilot, "已电话催办")
        await pilot.press("enter")
        await wait_for(pilot, lambda: "已电话催办" in screen_text(app))

        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, StepDialog))
        await pilot.press("enter")  # an empty result is refused in the dialog
        await wait_for(pilot, lambda: "请填写办理结果" in screen_text(app))
        await type_text(pilot, "医保站已报销到账")
        await pilot.press("enter")
        await wait_for(pilot, lambda: "已办结" in screen_text(app))
        assert rows(
            station, "SELECT status, result FROM desk_entry WHERE number = :n", n=number
        ) == [("closed", "医保站已报销到账")]
        steps = rows(station, "SELECT step FROM desk_step ORDER BY seq")
        assert [s for (s,) in steps] == ["register", "transfer", "notify", "note", "close"]
