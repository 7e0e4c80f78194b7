"""The staff terminal's follow-up screens (差评回访, R-E3) and comment-box form (意见箱, R-E2),
driven by Textual pilots against a live station.

The walk of the issue: a visitor presses 非常不满意 on the window keypad; the station head
opens 差评回访 from the menu, records 核实, 整改, 回访 and 办结, and the follow-up is closed.
"""

from __future__ import annotations

from typing import Any

import httpx
from textual.pilot import Pilot
from textual.widgets import Input

from appliance.core.roles import Role
from tests.ratings.support import followups, ratings, serve
from tests.support.station import COMPLAINTS, MANAGER, WINDOW_CLERK, LiveServer
from tui.app import YizhanApp
from tui.menu import entries_for
from tui.screens.dialogs import PromptDialog
from tui.screens.menu import MenuScreen
from tui.screens.ratings_comment_box import CommentBoxScreen
from tui.screens.ratings_followups import FollowUpDetailScreen, FollowUpListScreen
from tui.testing import screen_text, showing, start_logged_in, terminal_app, type_text, wait_for


def keypad(live: LiveServer, level: int) -> None:
    """The hardware service posts a key of window 1's rating keypad."""
    r = httpx.post(
        f"{live.url}/api/device/ratings",
        json={"window": "1", "level": level},
        headers={"X-Device-Key": live.station.settings.device_key},
    )
    assert r.status_code == 201 and r.json()["recorded"], r.text


async def record(pilot: Pilot[Any], app: YizhanApp, key: str, text: str, then: str) -> None:
    """Press a step's key, type what was done, and wait until the screen shows ``then``."""
    await pilot.press(key)
    await wait_for(pilot, lambda: showing(app, PromptDialog))
    await type_text(pilot, text)
    await pilot.press("enter")
    await wait_for(pilot, lambda: showing(app, FollowUpDetailScreen))
    await wait_for(pilot, lambda: then in screen_text(app))


def test_only_the_head_and_complaints_see_the_follow_ups_r_e3() -> None:
    for role in Role:
        keys = {e.key for e in entries_for(role)}
        assert ("h" in keys) == (role in (Role.MANAGER, Role.COMPLAINTS)), role


async def test_a_bad_keypad_rating_is_followed_up_to_closure_in_the_terminal_r_e3(
    live_server: LiveServer,
) -> None:
    st = live_server.station
    serve(st, phone="13900001111")
    keypad(live_server, 1)
    app = terminal_app(live_server.url, clock=st.clock.now)
    async with app.run_test(size=(120, 40)) as pilot:
        await start_logged_in(pilot, *MANAGER)
        await pilot.press("g")
        await wait_for(pilot, lambda: showing(app, MenuScreen))
        await pilot.press("h")
        await wait_for(pilot, lambda: showing(app, FollowUpListScreen))
        screen = app.screen
        assert isinstance(screen, FollowUpListScreen)
        await wait_for(pilot, lambda: screen.rows is not None and len(screen.rows) == 1)
        assert "差评回访（未办结）· 1 件" in screen_text(app)
        await pilot.press("enter")
        await wait_for(pilot, lambda: showing(app, FollowUpDetailScreen))
        detail = app.screen
        assert isinstance(detail, FollowUpDetailScreen)
        await wait_for(pilot, lambda: detail.detail is not None)
        text = screen_text(app)
        assert "非常不满意" in text and "评价器" in text and "13900001111" in text
        # 办结 before any 回访 is refused, in the screen, and nothing changes
        await record(pilot, app, "j", "想直接办结", "尚未回访，不能办结")
        await record(pilot, app, "v", "已电话联系评价人 等候过久属实", "当前：待整改或说明")
        await record(pilot, app, "z", "高峰时段增开窗口", "当前：待回访")
        await record(pilot, app, "h", "评价人认可整改", "当前：待办结")
        await record(pilot, app, "j", "办结", "当前：已办结")
        assert "该回访已办结" in screen_text(app)
        await pilot.press("escape")
        await wait_for(pilot, lambda: showing(app, FollowUpListScreen))
        await wait_for(pilot, lambda: screen.rows == [])
    (fu,) = followups(st)
    assert fu.state == "closed" and fu.closed_at is not None


async def test_the_comment_box_form_transcribes_a_card_r_e2(live_server: LiveServer) -> None:
    st = live_server.station
    serve(st)
    app = terminal_app(live_server.url, clock=st.clock.now)
    async with app.run_test(size=(120, 40)) as pilot:
        await start_logged_in(pilot, *COMPLAINTS)
        app.push_screen(FollowUpListScreen())
        await wait_for(pilot, lambda: showing(app, FollowUpListScreen))
        await pilot.press("n")
        await wait_for(pilot, lambda: showing(app, CommentBoxScreen))
        await type_text(pilot, "a001")
        await pilot.press("enter", "enter")  # 号码, then 日期 left as today
        await type_text(pilot, "9")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "总体评价请填 1–5" in screen_text(app))
        app.screen.query_one("#cb-level", Input).value = "2"
        app.screen.query_one("#cb-reason", Input).value = "窗口午休无人"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "已录入：A001 不满意" in screen_text(app))
        assert "已生成差评回访" in screen_text(app)
    (r,) = ratings(st)
    assert (r.source, r.level, r.reason_text, r.transcribed_by_name) == (
        "comment_box",
        2,
        "窗口午休无人",
        "赵丽",  # ts01, the transcriber: never the visitor
    )
    assert len(followups(st)) == 1


async def test_a_window_clerk_has_no_way_to_the_follow_ups_r_e3(live_server: LiveServer) -> None:
    app = terminal_app(live_server.url, clock=live_server.station.clock.now)
    async with app.run_test(size=(120, 40)) as pilot:
        await start_logged_in(pilot, *WINDOW_CLERK)
        await pilot.press("g")
        await wait_for(pilot, lambda: showing(app, MenuScreen))
        assert "差评回访" not in screen_text(app)
