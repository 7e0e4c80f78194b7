"""Staff terminal: the appointment book from the keyboard (R-Q7, R-Q8).

A guide opens it from the menu (g, a), books a phone caller with the 一次性告知单 by SMS,
sees the free slots, checks a visitor in (the ticket comes back), moves and cancels with a
reason, and registers an outage; the station is checked through its tables after each step.
"""

from __future__ import annotations

from datetime import timedelta

from appliance.core.roles import Role
from tests.appointments.support import TODAY, TOMORROW, rows
from tests.support.station import GUIDE, T0, LiveServer
from tui.menu import entries_for
from tui.screens.appointments_detail import AppointmentDetailScreen
from tui.screens.appointments_list import AppointmentListScreen
from tui.screens.appointments_new import AppointmentFormScreen, OutageFormScreen
from tui.screens.consult_common import LedgerTable
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


def test_every_role_finds_the_appointments_in_the_menu_r_q7() -> None:
    for role in Role:
        assert "a" in [e.key for e in entries_for(role)], role


async def test_book_check_in_move_cancel_and_outage_from_the_keyboard_r_q7_r_q8(
    live_server: LiveServer,
) -> None:
    station = live_server.station
    db = station.services.db
    app = terminal_app(live_server.url, station.clock.now)
    async with app.run_test(size=TEST_SIZE) as pilot:
        await start_logged_in(pilot, *GUIDE)
        await pilot.press("g")
        await wait_for(pilot, lambda: bool(app.screen.query("#menu-list")))
        await pilot.press("a")
        await wait_for(pilot, lambda: showing(app, AppointmentListScreen))
        await wait_for(pilot, lambda: "当天没有预约" in screen_text(app))

        await pilot.press("n")  # 预约登记
        await wait_for(pilot, lambda: showing(app, AppointmentFormScreen))
        await type_text(pilot, "c")
        await pilot.press("enter")
        await type_text(pilot, "410122-MZ-001")
        await pilot.press("enter", "enter")  # today stays; the free slots show
        await wait_for(pilot, lambda: "可约时段：09:00（余2） 09:30（余2）" in screen_text(app))
        await type_text(pilot, "09:30")
        await pilot.press("enter")
        await type_text(pilot, "陈阿婆")
        await pilot.press("enter")
        await type_text(pilot, "13812345678")
        await pilot.press("enter", "right", "down", "right", "right")  # 电话; 短信发送材料清单
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: showing(app, AppointmentDetailScreen))
        await wait_for(pilot, lambda: "已短信发送材料清单" in screen_text(app))
        [(number, channel, notice, slot)] = rows(
            db, "SELECT number, channel, notice_by, slot_time FROM appointment"
        )
        assert (channel, notice, slot) == ("phone", "sms", "09:30")
        [(body,)] = rows(db, "SELECT body FROM sms_message WHERE kind = 'appointment_booked'")
        assert "高龄津贴申请" in body and "请带齐" in body

        station.clock.set(T0 + timedelta(minutes=20))  # 09:20: the visitor arrives
        await pilot.press("i")
        await wait_for(pilot, lambda: "签到取号：C" in screen_text(app))
        [(status, ticket)] = rows(db, "SELECT status, ticket_number FROM appointment")
        assert status == "checked_in" and ticket.startswith("C")
        await pilot.press("c")  # a checked-in appointment cannot be cancelled
        await wait_for(pilot, lambda: isinstance(app.screen, StepDialog))
        await type_text(pilot, "误操作")
        await pilot.press("enter")
        await wait_for(pilot, lambda: "不能取消" in screen_text(app))
        await pilot.press("escape")
        await wait_for(pilot, lambda: showing(app, AppointmentListScreen))
        await wait_for(pilot, lambda: number in app.screen.query_one(LedgerTable).ids)

        await pilot.press("n")
        await wait_for(pilot, lambda: showing(app, AppointmentFormScreen))
        await type_text(pilot, "a")
        await pilot.press("enter", "enter")
        await pilot.press("ctrl+a", "ctrl+k")  # clear the line
        await type_text(pilot, TOMORROW)
        await pilot.press("enter")
        await type_text(pilot, "10:00")
        await pilot.press("enter", "enter")
        await type_text(pilot, "13900001111")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: showing(app, AppointmentDetailScreen))
        await pilot.press("m")  # 改约
        await wait_for(pilot, lambda: isinstance(app.screen, StepDialog))
        await type_text(pilot, TOMORROW)
        await pilot.press("enter")
        await type_text(pilot, "15:00")
        await pilot.press("enter")
        await type_text(pilot, "经办人下午才到岗")
        await pilot.press("enter")
        await wait_for(pilot, lambda: "已改约 1 次" in screen_text(app))
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, StepDialog))
        await type_text(pilot, "停电检修")
        await pilot.press("enter")
        await wait_for(pilot, lambda: "已取消" in screen_text(app))
        moved = rows(
            db, "SELECT status, slot_time, reason FROM appointment WHERE phone = '13900001111'"
        )
        assert moved == [("cancelled", "15:00", "停电检修")]
        kinds = rows(db, "SELECT kind FROM sms_message WHERE phone = '13900001111' ORDER BY 1")
        assert [k for (k,) in kinds] == [
            "appointment_booked",
            "appointment_cancelled",
            "appointment_moved",
        ]

        await pilot.press("escape")
        await wait_for(pilot, lambda: showing(app, AppointmentListScreen))
        await pilot.press("o")  # 停电断网登记
        await wait_for(pilot, lambda: showing(app, OutageFormScreen))
        await pilot.press("down")
        await type_text(pilot, "09:05")
        await pilot.press("enter", "enter", "enter")
        await type_text(pilot, "李四 1380000")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "应写成" in screen_text(app))
        await pilot.press("ctrl+a", "ctrl+k")  # clear the line
        await type_text(pilot, "李四 13800000001 A;王五 13800000002 B")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: showing(app, AppointmentListScreen))
        offers = rows(
            db, "SELECT slot_date, priority, channel FROM appointment WHERE outage_id IS NOT NULL"
        )
        assert offers == [(TOMORROW, True, "outage")] * 2
        [(kind,)] = rows(db, "SELECT kind FROM outage")
        assert kind == "power" and TODAY < TOMORROW
