"""站长设置 (issue 16, item 8): the head's screens for staff, categories and windows, SMS
templates, and the print and SMS queues with retry; offered to the head only."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input

from appliance.core.roles import Role
from appliance.queue.rules.tickets import TicketSource
from tests.support.station import MANAGER, LiveServer
from tui.app import YizhanApp
from tui.menu import entries_for
from tui.screens.admin_common import AdminListScreen
from tui.screens.admin_jobs import JobsAdminScreen
from tui.screens.admin_sms_templates import SmsTemplatesScreen
from tui.screens.admin_staff import StaffAdminScreen
from tui.screens.admin_station import StationAdminScreen
from tui.screens.consult_common import LedgerTable
from tui.screens.menu import MenuScreen
from tui.testing import showing, start_logged_in, terminal_app, text_of, type_text, wait_for

SIZE = (120, 36)
ADMIN_KEYS = {"p", "c", "t", "j"}


def test_setup_screens_are_offered_to_the_head_only() -> None:
    assert {e.key for e in entries_for(Role.MANAGER)} >= ADMIN_KEYS
    for role in Role:
        if role is not Role.MANAGER:
            assert not ADMIN_KEYS & {e.key for e in entries_for(role)}, role


def rows(app: YizhanApp) -> list[str]:
    table = app.screen.query_one(LedgerTable)
    return [" ".join(str(c) for c in table.get_row_at(i)) for i in range(table.row_count)]


def focused(app: YizhanApp, widget_id: str) -> bool:
    """A dialog's field has the cursor (keys typed now reach it)."""
    return app.focused is not None and app.focused.id == widget_id


async def open_from_menu(pilot: Pilot[Any], key: str, screen: type[AdminListScreen]) -> None:
    app = pilot.app
    assert isinstance(app, YizhanApp)
    await pilot.press("g")
    await wait_for(pilot, lambda: showing(app, MenuScreen))
    await pilot.press(key)
    await wait_for(pilot, lambda: showing(app, screen) and bool(rows(app)))


async def fill(pilot: Pilot[Any], *values: str) -> None:
    """Type each value into the next line of a step dialog (Enter moves on, then submits)."""
    for value in values:
        await type_text(pilot, value)
        await pilot.press("enter")


async def test_head_adds_and_deactivates_staff(live_server: LiveServer) -> None:
    staff = live_server.station.services.staff
    app = terminal_app(live_server.url, live_server.station.clock.now)
    async with app.run_test(size=SIZE) as pilot:
        await start_logged_in(pilot, *MANAGER)
        await open_from_menu(pilot, "p", StaffAdminScreen)
        assert any(r.startswith("ck01") for r in rows(app))
        await pilot.press("n")
        await wait_for(pilot, lambda: focused(app, "step-choice"))
        await pilot.press("right")  # 引导/咨询 → 窗口
        await pilot.press("down")
        await fill(pilot, "ck09", "王秀英", "135792", "", "", "1")
        await wait_for(pilot, lambda: any(r.startswith("ck09") for r in rows(app)))
        added = next(s for s in staff.list_all() if s.code == "ck09")
        assert added.role == "window" and added.active and added.window_id
        row = next(r for r in rows(app) if r.startswith("ck09"))
        assert "王秀英" in row and "1 号" in row and "未签到" in row

        table = app.screen.query_one(LedgerTable)
        table.move_cursor(row=[r.startswith("ck09") for r in rows(app)].index(True))
        await pilot.press("d")
        await wait_for(pilot, lambda: focused(app, "answer"))
        await type_text(pilot, "停用")
        await pilot.press("enter")
        await wait_for(pilot, lambda: any("已停用" in r for r in rows(app) if "ck09" in r))
        assert not next(s for s in staff.list_all() if s.code == "ck09").active


async def test_head_adds_a_category_and_a_window(live_server: LiveServer) -> None:
    app = terminal_app(live_server.url, live_server.station.clock.now)
    async with app.run_test(size=SIZE) as pilot:
        await start_logged_in(pilot, *MANAGER)
        await open_from_menu(pilot, "c", StationAdminScreen)
        await pilot.press("c")
        await wait_for(pilot, lambda: focused(app, "step-prefix"))
        await fill(pilot, "d", "退役军人服务", "8")
        await wait_for(
            pilot, lambda: any("退役军人服务" in r and "无窗口办理" in r for r in rows(app))
        )
        await pilot.press("w")
        await wait_for(pilot, lambda: focused(app, "step-number"))
        await fill(pilot, "3", "退役窗口", "X")  # no category X: said, nothing added
        await wait_for(
            pilot, lambda: "没有这些业务类别：X" in text_of(app.screen.query_one("#admin-error"))
        )
        await pilot.press("w")
        await wait_for(pilot, lambda: focused(app, "step-number"))
        await fill(pilot, "3", "退役窗口", "D")
        await wait_for(pilot, lambda: any(r.startswith("窗口 3 号") for r in rows(app)))
        windows = live_server.station.services.windows.queue_snapshot().windows
        assert any(w.number == 3 for w in windows)


async def test_head_edits_a_category_and_a_window(live_server: LiveServer) -> None:
    """Issue 16, item 8: the head changes, not only adds: the dialog shows today's values."""
    config = live_server.station.services.config
    app = terminal_app(live_server.url, live_server.station.clock.now)
    async with app.run_test(size=SIZE) as pilot:
        await start_logged_in(pilot, *MANAGER)
        await open_from_menu(pilot, "c", StationAdminScreen)
        table = app.screen.query_one(LedgerTable)
        table.move_cursor(row=[r.startswith("业务类别 A") for r in rows(app)].index(True))
        await pilot.press("e")
        await wait_for(pilot, lambda: focused(app, "step-name"))
        field = app.screen.query_one("#step-name", Input)
        assert field.value == "综合受理"
        field.value = "综合窗口受理"
        await pilot.press("enter", "enter")
        await wait_for(pilot, lambda: any("综合窗口受理" in r for r in rows(app)))
        assert next(c for c in config.categories() if c.prefix == "A").name == "综合窗口受理"

        served = next(w for w in config.windows() if w.number == 1).category_prefixes
        table = app.screen.query_one(LedgerTable)
        table.move_cursor(row=[r.startswith("窗口 1 号") for r in rows(app)].index(True))
        await pilot.press("e")
        await wait_for(pilot, lambda: focused(app, "step-name"))
        await pilot.press("enter")
        letters = app.screen.query_one("#step-categories", Input)
        letters.value = "A B Z"  # Z does not exist: said, nothing changed
        await pilot.press("enter")
        error = "没有这些业务类别：Z"
        await wait_for(pilot, lambda: error in text_of(app.screen.query_one("#admin-error")))
        assert next(w for w in config.windows() if w.number == 1).category_prefixes == served
        await pilot.press("e")
        await wait_for(pilot, lambda: focused(app, "step-name"))
        await pilot.press("enter")
        app.screen.query_one("#step-categories", Input).value = "C"
        await pilot.press("enter")
        await wait_for(
            pilot, lambda: any(r.startswith("窗口 1 号") and " C " in r for r in rows(app))
        )
        assert next(w for w in config.windows() if w.number == 1).category_prefixes == ["C"]


async def test_head_edits_an_sms_template(live_server: LiveServer) -> None:
    sms = live_server.station.services.sms
    first = sms.templates()[0]
    app = terminal_app(live_server.url, live_server.station.clock.now)
    async with app.run_test(size=SIZE) as pilot:
        await start_logged_in(pilot, *MANAGER)
        await open_from_menu(pilot, "t", SmsTemplatesScreen)
        app.screen.query_one(LedgerTable).move_cursor(row=0)
        await pilot.press("enter")
        await wait_for(pilot, lambda: focused(app, "answer"))
        field = app.screen.query_one("#answer", Input)
        assert field.value == first.body
        field.value = first.body + "（驿站）"
        await pilot.press("enter")
        await wait_for(pilot, lambda: sms.templates()[0].body == first.body + "（驿站）")
        await wait_for(pilot, lambda: any("（驿站）" in r for r in rows(app)))


async def test_head_retries_a_failed_sms_and_reprints(live_server: LiveServer) -> None:
    services = live_server.station.services
    services.queue.issue("A", TicketSource.STAFF, "normal", phone="13800138000")
    [claim] = services.sms.claim()
    services.sms.mark_failed(claim.id, "模块无信号", permanent=True)
    app = terminal_app(live_server.url, live_server.station.clock.now)
    async with app.run_test(size=SIZE) as pilot:
        await start_logged_in(pilot, *MANAGER)
        await open_from_menu(pilot, "j", JobsAdminScreen)
        assert rows(app)[0].startswith("短信") and "发送失败" in rows(app)[0]
        assert "模块无信号" in rows(app)[0]
        app.screen.query_one(LedgerTable).move_cursor(row=0)
        await pilot.press("e")
        await wait_for(pilot, lambda: services.sms.list_messages("pending"))
        await wait_for(pilot, lambda: any("等待发送" in r for r in rows(app)))
        await pilot.press("a")  # failures only: none left
        await wait_for(pilot, lambda: not rows(app))
