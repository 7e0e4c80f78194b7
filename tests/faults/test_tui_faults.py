"""故障台账 and 应急处置 on the staff terminal (R-I1, R-I2): menu key ``u`` lists the faults,
``n`` records one, Enter opens it, ``c`` without a handling step is refused, ``a`` and ``t``
record steps and the people told, ``c`` closes it; F9 from any screen opens the emergency
checklists, and each step's digit is recorded with its time."""

from __future__ import annotations

from tests.support.station import WINDOW_CLERK, LiveServer
from tui.screens.consult_common import LedgerTable
from tui.screens.emergency import EmergencyChecklistScreen, EmergencyMenuScreen
from tui.screens.faults_detail import ActionDialog, CloseDialog, FaultDetailScreen
from tui.screens.faults_form import FaultFormScreen
from tui.screens.faults_list import FaultListScreen
from tui.screens.login import LoginScreen
from tui.screens.menu import MenuScreen
from tui.screens.queue import QueueScreen
from tui.testing import (
    has_notification,
    screen_text,
    showing,
    start_logged_in,
    terminal_app,
    type_text,
    wait_for,
)

SIZE = (120, 40)


async def test_a_fault_is_recorded_handled_and_closed_r_i1(live_server: LiveServer) -> None:
    station = live_server.station
    app = terminal_app(live_server.url, station.clock.now)
    async with app.run_test(size=SIZE) as pilot:
        await start_logged_in(pilot, *WINDOW_CLERK)
        await pilot.press("g")
        await wait_for(pilot, lambda: showing(app, MenuScreen))
        await pilot.press("u")
        await wait_for(pilot, lambda: showing(app, FaultListScreen))
        ledger = app.screen
        assert isinstance(ledger, FaultListScreen)
        await wait_for(pilot, lambda: ledger.entries == [])
        await pilot.press("n")
        await wait_for(pilot, lambda: showing(app, FaultFormScreen))
        await type_text(pilot, "受理系统无法登录")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: showing(app, FaultDetailScreen))
        detail = app.screen
        assert isinstance(detail, FaultDetailScreen)
        await wait_for(pilot, lambda: detail.fault is not None)
        assert "III级（暂定）" in screen_text(app) and "还没有处理记录" in screen_text(app)

        await pilot.press("c")  # no handling step yet: refused, the fault stays open
        await wait_for(pilot, lambda: showing(app, CloseDialog))
        await pilot.press("enter", "enter")
        await wait_for(pilot, lambda: "还没有处理记录，请先登记处理措施" in screen_text(app))
        assert detail.fault is not None and detail.fault.status == "open"

        await pilot.press("a")
        await wait_for(pilot, lambda: showing(app, ActionDialog))
        await type_text(pilot, "重启受理电脑")
        await pilot.press("enter")
        await wait_for(pilot, lambda: detail.fault is not None and len(detail.fault.actions) == 1)
        await pilot.press("t")
        await wait_for(pilot, lambda: showing(app, ActionDialog))
        await type_text(pilot, "张主任")
        await pilot.press("enter")
        await wait_for(pilot, lambda: detail.fault is not None and len(detail.fault.actions) == 2)
        station.clock.advance(minutes=30)
        await pilot.press("c")
        await wait_for(pilot, lambda: showing(app, CloseDialog))
        await type_text(pilot, "网线松动")
        await pilot.press("enter")
        await type_text(pilot, "已恢复")
        await pilot.press("enter")
        await wait_for(pilot, lambda: detail.fault is not None and detail.fault.status == "closed")
        text = screen_text(app)
        assert "II级" in text and "已通知：张主任" in text and "网线松动" in text
        await pilot.press("p")
        await wait_for(pilot, lambda: has_notification(app, "已送打印"))

        await pilot.press("escape")
        await wait_for(pilot, lambda: showing(app, FaultListScreen))
        await wait_for(pilot, lambda: ledger.entries == [])  # nothing open
        await pilot.press("a")
        await wait_for(pilot, lambda: ledger.show_all and len(ledger.entries or []) == 1)
        row = [str(c) for c in ledger.query_one(LedgerTable).get_row_at(0)]
        assert row[2] == "II级" and row[6] == "已处理"


async def test_f9_opens_the_checklist_and_records_steps_r_i2(live_server: LiveServer) -> None:
    station = live_server.station
    app = terminal_app(live_server.url, station.clock.now)
    async with app.run_test(size=SIZE) as pilot:
        await start_logged_in(pilot, *WINDOW_CLERK)
        await wait_for(pilot, lambda: showing(app, QueueScreen))
        await pilot.press("f9")
        await wait_for(pilot, lambda: showing(app, EmergencyMenuScreen))
        assert "突发停电" in screen_text(app) and "电梯故障" in screen_text(app)
        await pilot.press("2")  # 火灾
        await wait_for(pilot, lambda: showing(app, EmergencyChecklistScreen))
        checklist = app.screen
        assert isinstance(checklist, EmergencyChecklistScreen)
        await wait_for(pilot, lambda: checklist.record is not None)
        assert "119" in screen_text(app)
        station.clock.advance(minutes=1)
        await pilot.press("1")
        await wait_for(pilot, lambda: checklist.record is not None and checklist.record.done == 1)
        assert "09:01 已完成" in screen_text(app)
        await pilot.press("escape")
        await wait_for(pilot, lambda: showing(app, QueueScreen))
    [record] = station.services.emergencies.list()
    assert record.title == "火灾" and record.done == 1 and record.ended_at is not None
    assert record.steps[0].done_by == "王秀英"
    app = terminal_app(live_server.url, station.clock.now)
    async with app.run_test(size=SIZE) as pilot:
        await start_logged_in(pilot, *WINDOW_CLERK)
        await pilot.press("f9")
        await wait_for(pilot, lambda: showing(app, EmergencyMenuScreen))
        menu = app.screen
        assert isinstance(menu, EmergencyMenuScreen)
        await wait_for(pilot, lambda: menu.history is not None)
        assert f"{record.number}  火灾  完成 1/5 步  已结束" in screen_text(app)


async def test_the_checklists_show_without_signing_in_r_i2(live_server: LiveServer) -> None:
    app = terminal_app(live_server.url, live_server.station.clock.now)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: showing(app, LoginScreen))
        await pilot.press("f9")
        await wait_for(pilot, lambda: showing(app, EmergencyMenuScreen))
        await pilot.press("1")
        await wait_for(pilot, lambda: showing(app, EmergencyChecklistScreen))
        checklist = app.screen
        assert isinstance(checklist, EmergencyChecklistScreen)
        await wait_for(pilot, lambda: "未登录" in screen_text(app))
        await pilot.press("3")
        await wait_for(pilot, lambda: 3 in checklist.local)
        await pilot.press("escape")
        await wait_for(pilot, lambda: showing(app, LoginScreen))
    assert live_server.station.services.emergencies.list() == []
