"""Staff terminal: case handling (办件) from a called ticket to delivery (R-K1–R-K6, R-S3).

The clerk drives every step with keys; after each step the station is checked through its
case service and its tables (state, 流转记录, notices printed 一式二份, SMS).
"""

from __future__ import annotations

from textual.widgets import Input, OptionList

from appliance.cases.rules.materials import MaterialStatus
from appliance.cases.schemas import MarkIn
from appliance.queue.rules.tickets import TicketSource
from tests.support.fingerprint import fingerprint
from tests.support.station import T0, WINDOW_CLERK, LiveServer
from tests.tui.cases_support import (
    act,
    case,
    checklist,
    detail_state,
    make_app,
    notice_jobs,
    open_case,
    shown_case,
    sms_kinds,
    step,
)
from tui.app import YizhanApp
from tui.case_widgets import (
    OVERDUE_STYLE,
    SOON_STYLE,
    CaseTable,
    MaterialChecklist,
    TimelineTable,
)
from tui.screens.case_decision import ActionDialog
from tui.screens.case_delivery import DeliveryDialog
from tui.screens.case_detail import CaseDetailScreen
from tui.screens.cases_intake import IntakeScreen
from tui.screens.cases_list import MyCasesScreen
from tui.screens.queue import QueueScreen
from tui.testing import TEST_SIZE as SIZE
from tui.testing import (
    screen_text,
    showing,
    start_logged_in,
    text_of,
    type_text,
    wait_for,
)


def called(app: YizhanApp) -> str | None:
    mine = app.my_window()
    return mine.current.number if mine and mine.current else None


def serving(app: YizhanApp) -> str | None:
    mine = app.my_window()
    current = mine.current if mine else None
    return current.number if current and current.status == "serving" else None


def legal(app: YizhanApp) -> list[str]:
    """The next actions the detail screen offers."""
    shown = shown_case(app).case
    return [a.action for a in shown.legal_actions] if shown else []


def error_text(app: YizhanApp) -> str:
    return text_of(app.screen.query_one(".dialog-error"))


async def test_ticket_to_delivery_r_k1_r_k2_r_k5_r_k6(live_server: LiveServer) -> None:
    """收件 from the served ticket, 受理, 准予, 取件通知, 窗口领取 — each step recorded."""
    ticket = live_server.station.services.queue.issue("A", TicketSource.KIOSK, "normal")
    app = make_app(live_server)
    async with app.run_test(size=SIZE) as pilot:
        await start_logged_in(pilot, *WINDOW_CLERK)
        await pilot.press("c")
        await wait_for(pilot, lambda: called(app) == "A001")
        await pilot.press("s")
        await wait_for(pilot, lambda: serving(app) == "A001")

        # 收件 (R-K1): e opens intake for the ticket being served.
        await pilot.press("e")
        await wait_for(pilot, lambda: showing(app, IntakeScreen))
        assert "正在办理 A001 号" in screen_text(app)

        # R-S3: pinyin initials find the item; ↓ and Enter pick it.
        await type_text(pilot, "gljt")
        results = app.screen.query_one("#item-results", OptionList)
        await wait_for(pilot, lambda: results.option_count > 0)
        assert results.get_option_at_index(0).id == "410122-MZ-001"
        await pilot.press("down", "enter")
        await wait_for(pilot, lambda: len(checklist(app).lines) == 4)
        assert app.focused is checklist(app)
        assert "高龄津贴申请" in screen_text(app)

        # Materials by keyboard: 1 已收, space cycles 缺 → 已收, 3 有瑕疵 with its problem.
        await pilot.press("1", "down", "1", "down", "space", "down", "3")
        await wait_for(pilot, lambda: app.screen.query("#answer"))
        await type_text(pilot, "未签字")
        await pilot.press("enter")
        await wait_for(pilot, lambda: showing(app, IntakeScreen))
        assert checklist(app).marks() == {
            "M1": MaterialStatus.RECEIVED,
            "M2": MaterialStatus.RECEIVED,
            "M3": MaterialStatus.RECEIVED,
            "M4": MarkIn(status=MaterialStatus.DEFECTIVE, note="未签字"),
        }
        await pilot.press("1")  # the applicant signs the form on the spot
        assert checklist(app).marks()["M4"] == "received"

        # Applicant: Tab past 申请人类型 and 证件类型 (身份证 by default), Enter moves on;
        # Ctrl+S opens the case.
        await pilot.press("tab", "tab", "tab")
        assert app.focused is app.screen.query_one("#applicant-name")
        await type_text(pilot, "张桂兰")
        await pilot.press("enter")
        await type_text(pilot, "410122194001080021")
        await pilot.press("enter")
        await type_text(pilot, "13800001234")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: detail_state(app) == "received")
        number = shown_case(app).case_number
        opened = case(live_server, number)
        assert opened.state == "received" and opened.ticket_id == ticket.id
        assert opened.applicant.name == "张桂兰" and opened.applicant.phone == "13800001234"
        assert [m.status for m in opened.materials] == ["received"] * 4
        assert "受理" in text_of(app.screen.query_one("#case-actions"))

        # 受理 (R-K2): one key, Enter confirms; the notice goes to the printer 一式二份.
        printed = len(notice_jobs(live_server))
        await step(pilot, app, "accept", ActionDialog)
        await pilot.press("enter")
        await wait_for(pilot, lambda: detail_state(app) == "accepted")
        assert case(live_server, number).state == "accepted"
        assert notice_jobs(live_server)[printed:] == [("受理通知书", 2)]
        assert sms_kinds(live_server)[-1:] == ["case_accepted"]
        result = text_of(app.screen.query_one("#case-result"))
        assert "受理通知书已送打印（一式二份）" in result and "已发短信" in result

        # 准予 (R-K5): 决定机关 comes filled from the item (县民政局); Enter, Enter.
        await wait_for(pilot, lambda: shown_case(app).guide is not None)
        await step(pilot, app, "approve", ActionDialog)
        assert app.screen.query_one("#field-decided_by", Input).value == "县民政局"
        await pilot.press("enter", "enter")
        await wait_for(pilot, lambda: detail_state(app) == "approved")
        assert case(live_server, number).state == "approved"

        # 取件通知 (R-K6): arrival date defaults to today.
        printed = len(notice_jobs(live_server))
        await step(pilot, app, "notify_pickup", ActionDialog)
        assert app.screen.query_one("#field-arrived_on", Input).value == "2026-11-23"
        await pilot.press("enter")
        await wait_for(pilot, lambda: detail_state(app) == "ready_for_pickup")
        assert notice_jobs(live_server)[printed:] == [("取件通知", 2)]
        assert sms_kinds(live_server)[-1:] == ["case_pickup"]

        # 送达 by 窗口领取: collector (filled with the applicant), ID, signature record.
        await step(pilot, app, "deliver", DeliveryDialog)
        await pilot.press("enter")  # on 窗口领取: to its first field
        assert app.screen.query_one("#pickup-collector_name", Input).value == "张桂兰"
        await pilot.press("enter")
        await type_text(pilot, "410122194001080021")
        await pilot.press("enter")
        await type_text(pilot, "QS-0001")
        await pilot.press("enter")
        await wait_for(pilot, lambda: detail_state(app) == "delivered")
        done = case(live_server, number)
        assert done.state == "delivered"
        assert [(t.action, t.from_state, t.to_state, t.who) for t in done.timeline] == [
            ("accept", "received", "accepted", "ck01"),
            ("approve", "accepted", "approved", "ck01"),
            ("notify_pickup", "approved", "ready_for_pickup", "ck01"),
            ("deliver", "ready_for_pickup", "delivered", "ck01"),
        ]
        assert done.timeline[-1].details["signature_ref"] == "QS-0001"
        assert done.timeline[1].details["decided_by"] == "县民政局"
        assert "该办件已终结" in text_of(app.screen.query_one("#case-actions"))
        rows = app.screen.query_one(TimelineTable).rows()
        assert [r.split()[0] for r in rows] == ["受理", "准予办结", "取件通知", "送达"]
        assert "窗口领取" in rows[-1] and "签收记录：QS-0001" in rows[-1]
        assert "证件号：410122********0021" in rows[-1]
        assert "410122194001080021" not in screen_text(app)  # the ID stays masked


async def test_refused_decision_shows_chinese_and_changes_nothing_r_k2(
    live_server: LiveServer,
) -> None:
    """容缺受理 with a deadline of today is refused: the reason shows, the form keeps its values."""
    number = open_case(
        live_server,
        materials={"M1": "received", "M2": "received", "M3": "missing", "M4": "received"},
    )
    app = make_app(live_server)
    async with app.run_test(size=SIZE) as pilot:
        await start_logged_in(pilot, *WINDOW_CLERK)
        await pilot.press("m")
        await wait_for(
            pilot,
            lambda: showing(app, MyCasesScreen) and app.screen.query_one(CaseTable).row_count == 1,
        )
        await pilot.press("enter")
        await wait_for(pilot, lambda: detail_state(app) == "received")
        await step(pilot, app, "accept_tolerant", ActionDialog)
        assert app.screen.query_one("#field-signed_by", Input).value == "张桂兰"
        before = fingerprint(live_server.station.services.db)

        await pilot.press("enter")
        await type_text(pilot, "2026-11-23")
        await pilot.press("enter")
        await wait_for(pilot, lambda: "容缺补齐期限须晚于今天" in error_text(app))
        assert showing(app, ActionDialog)
        assert app.screen.query_one("#field-deadline", Input).value == "2026-11-23"
        assert fingerprint(live_server.station.services.db) == before
        assert case(live_server, number).state == "received"

        # A form-level check needs no server: an empty reason for 不予受理.
        await pilot.press("escape")
        await wait_for(pilot, lambda: showing(app, CaseDetailScreen))
        await step(pilot, app, "refuse", ActionDialog)
        await pilot.press("enter")
        assert "请填写理由" in error_text(app)
        assert fingerprint(live_server.station.services.db) == before


async def test_correction_then_resubmit_with_the_checklist_r_k2(live_server: LiveServer) -> None:
    """补正: the notice lists every missing or defective material with the deadline;
    补正材料提交 re-marks the checklist in the form (a: all received), then 受理 is offered."""
    number = open_case(
        live_server,
        materials={
            "M1": "received",
            "M2": "received",
            "M3": "missing",
            "M4": {"status": "defective", "note": "未签字"},
        },
    )
    app = make_app(live_server)
    async with app.run_test(size=SIZE) as pilot:
        await start_logged_in(pilot, *WINDOW_CLERK)
        await pilot.press("m")
        await wait_for(
            pilot,
            lambda: showing(app, MyCasesScreen) and app.screen.query_one(CaseTable).row_count == 1,
        )
        await pilot.press("enter")
        await wait_for(pilot, lambda: detail_state(app) == "received")
        assert "accept" not in legal(app)

        printed = len(notice_jobs(live_server))
        await step(pilot, app, "request_correction", ActionDialog)
        await type_text(pilot, "2026/11/30")
        await pilot.press("enter", "enter")  # deadline, then the optional note
        await wait_for(pilot, lambda: detail_state(app) == "correction_requested")
        corrected = case(live_server, number)
        assert corrected.timeline[-1].details["deadline"] == "2026-11-30"
        assert "本人社会保障卡或银行卡" in corrected.timeline[-1].details["items"]
        assert "高龄津贴申请表（未签字）" in corrected.timeline[-1].details["items"]
        assert notice_jobs(live_server)[printed:] == [("补正通知书", 2)]

        await step(pilot, app, "resubmit", ActionDialog)
        assert app.focused is app.screen.query_one(MaterialChecklist)
        await pilot.press("a", "ctrl+s")
        await wait_for(pilot, lambda: detail_state(app) == "received")
        assert [m.status for m in case(live_server, number).materials] == ["received"] * 4
        assert "accept" in legal(app)


async def test_intake_refusal_keeps_what_was_typed_r_k1(live_server: LiveServer) -> None:
    """Without an ID number the server refuses in Chinese; the item, marks and name stay."""
    app = make_app(live_server)
    async with app.run_test(size=SIZE) as pilot:
        await start_logged_in(pilot, *WINDOW_CLERK)
        await pilot.press("e")
        await wait_for(pilot, lambda: showing(app, IntakeScreen))
        await type_text(pilot, "高龄")
        results = app.screen.query_one("#item-results", OptionList)
        await wait_for(pilot, lambda: results.option_count > 0)
        await pilot.press("enter")  # Enter in the search box takes the first hit
        await wait_for(pilot, lambda: len(checklist(app).lines) == 4)
        await pilot.press("a")  # all received
        app.screen.query_one("#applicant-name", Input).focus()
        await type_text(pilot, "张桂兰")
        before = fingerprint(live_server.station.services.db)
        await pilot.press("ctrl+s")
        await wait_for(
            pilot, lambda: "申请人证件号码" in text_of(app.screen.query_one("#intake-error"))
        )
        assert showing(app, IntakeScreen)
        assert app.screen.query_one("#applicant-name", Input).value == "张桂兰"
        assert set(checklist(app).marks().values()) == {"received"}
        assert fingerprint(live_server.station.services.db) == before

        # A slip of Esc loses nothing: the first one only warns, the second leaves.
        await pilot.press("escape")
        assert showing(app, IntakeScreen) and "再按一次 Esc" in text_of(
            app.screen.query_one("#intake-error")
        )
        await pilot.press("escape")
        await wait_for(pilot, lambda: showing(app, QueueScreen))


def row_styles(table: CaseTable) -> dict[str, str]:
    """Case number → the style of its row's first cell."""
    return {n: str(table.get_row_at(i)[0].style) for i, n in enumerate(table.numbers)}


async def test_my_cases_overdue_red_soon_amber_r_k3(live_server: LiveServer) -> None:
    """我的办件 by deadline: a 即办件 due 14 working days ago is red, one due in a working day
    amber, a deadline in 2027 (holidays not yet published) marked 暂定."""
    clock = live_server.station.clock
    overdue = open_case(
        live_server,
        item="410122-RS-001",
        materials={"M1": "received", "M2": "received"},
        name="李四",
    )
    act(live_server, overdue, "accept")  # 即办件: due the same day
    soon = open_case(live_server, name="王五")
    act(live_server, soon, "accept")  # 15 working days: due 2026-12-14
    clock.set(T0.replace(day=11, month=12))  # Friday 2026-12-11: one working day left
    calm = open_case(
        live_server,
        item="410122-MZ-002",
        materials={"M1": "received", "M2": "received"},
        name="赵六",
    )
    act(live_server, calm, "accept")  # 5 working days: due 2026-12-18
    later = open_case(
        live_server,
        item="410122-MZ-005",
        name="孙八",
        materials={f"M{i}": "received" for i in range(1, 6)},
    )
    act(live_server, later, "accept")  # 35 working days: in 2027, holidays unknown → 暂定

    app = make_app(live_server)
    async with app.run_test(size=SIZE) as pilot:
        await start_logged_in(pilot, *WINDOW_CLERK)
        await pilot.press("m")
        await wait_for(
            pilot,
            lambda: showing(app, MyCasesScreen) and app.screen.query_one(CaseTable).row_count == 4,
        )
        table = app.screen.query_one(CaseTable)
        assert table.numbers == [overdue, soon, calm, later]  # nearest deadline first
        styles = row_styles(table)
        assert styles[overdue] == OVERDUE_STYLE and "red" in styles[overdue]
        assert styles[soon] == SOON_STYLE
        assert styles[calm] == "" and styles[later] == ""
        rows = [" ".join(str(c) for c in table.get_row_at(i)) for i in range(4)]
        assert "138****1234" in rows[0] and "13800001234" not in " ".join(rows)
        assert "逾期 14 个工作日" in rows[0] and "剩 1 个工作日" in rows[1]
        assert "（暂定）" in rows[3] and "暂定" not in " ".join(rows[:3])
        assert "已逾期 1 件" in text_of(app.screen.query_one("#cases-head"))

        await pilot.press("down", "enter")
        await wait_for(pilot, lambda: detail_state(app) == "accepted")
        assert shown_case(app).case_number == soon
        await pilot.press("escape")
        await wait_for(pilot, lambda: showing(app, MyCasesScreen))
