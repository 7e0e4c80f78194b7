"""Staff terminal: complaints from the keyboard (R-P2).

The 投诉受理 clerk opens them from the menu (g, v): registers a confidential complaint from
the 12345 hotline, is stopped from answering before 核实, verifies, settles it on the spot,
answers and closes it. A window clerk is not offered the screen at all.
"""

from __future__ import annotations

from appliance.core.roles import Role
from tests.desk.desk_support import rows
from tests.support.station import COMPLAINTS, LiveServer
from tui.menu import entries_for
from tui.screens.complaints_detail import ComplaintDetailScreen
from tui.screens.complaints_form import ComplaintFormScreen
from tui.screens.complaints_list import ComplaintListScreen
from tui.screens.desk_common import StepDialog
from tui.testing import (
    TEST_SIZE,
    screen_text,
    showing,
    start_logged_in,
    terminal_app,
    type_text,
    wait_for,
)


def test_only_the_complaints_role_and_the_head_are_offered_complaints_r_p2() -> None:
    offered = {role for role in Role if "v" in [e.key for e in entries_for(role)]}
    assert offered == {Role.COMPLAINTS, Role.MANAGER}


async def test_register_verify_handle_answer_close_from_the_keyboard_r_p2(
    live_server: LiveServer,
) -> None:
    station = live_server.station
    app = terminal_app(live_server.url, station.clock.now)
    async with app.run_test(size=TEST_SIZE) as pilot:
        await start_logged_in(pilot, *COMPLAINTS)
        await pilot.press("g")
        await wait_for(pilot, lambda: bool(app.screen.query("#menu-list")))
        await pilot.press("v")
        await wait_for(pilot, lambda: showing(app, ComplaintListScreen))
        await pilot.press("n")
        await wait_for(pilot, lambda: showing(app, ComplaintFormScreen))
        await type_text(pilot, "窗口人员让我第二天再来")
        await pilot.press("down", "right")  # 渠道: 12345
        await pilot.press("down", "right")  # 保密
        await pilot.press("down")
        await type_text(pilot, "赵小梅")
        await pilot.press("enter")
        await type_text(pilot, "13612345678")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: showing(app, ComplaintDetailScreen))
        await wait_for(pilot, lambda: "待核实" in screen_text(app))
        [(number, channel, secret, name)] = rows(
            station, "SELECT number, channel, confidential, complainant_name FROM complaint"
        )
        assert (channel, secret, name) == ("hotline", 1, "赵小梅")

        await pilot.press("a")  # no answer before 核实: only k is offered
        await wait_for(pilot, lambda: "下一步：核实" in screen_text(app))
        assert not isinstance(app.screen, StepDialog)

        await pilot.press("k")
        await wait_for(pilot, lambda: isinstance(app.screen, StepDialog))
        await pilot.press("right", "enter")  # 核实结论: 部分属实
        await type_text(pilot, "调取叫号记录，确有此事")
        await pilot.press("enter")
        await wait_for(pilot, lambda: "部分属实" in screen_text(app))

        await pilot.press("h")
        await wait_for(pilot, lambda: isinstance(app.screen, StepDialog))
        await type_text(pilot, "当场安排优先办理")
        await pilot.press("enter")
        await wait_for(pilot, lambda: "待答复" in screen_text(app))

        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(app.screen, StepDialog))
        await pilot.press("right", "enter")  # 答复方式: 电话
        await type_text(pilot, "已致歉并当场办结")
        await pilot.press("enter")
        await wait_for(pilot, lambda: "已答复，待办结" in screen_text(app))

        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, StepDialog))
        await pilot.press("enter")  # 办结说明 may stay empty
        await wait_for(pilot, lambda: "已办结" in screen_text(app))
        assert rows(
            station, "SELECT state, answer, answer_via FROM complaint WHERE number = :n", n=number
        ) == [("closed", "已致歉并当场办结", "phone")]
        steps = [s for (s,) in rows(station, "SELECT step FROM complaint_step ORDER BY seq")]
        assert steps == ["register", "verify", "handle", "answer", "close"]
