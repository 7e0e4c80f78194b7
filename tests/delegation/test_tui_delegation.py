"""帮办代办 on the staff terminal (R-D1, R-D2): menu key ``y`` lists the delegations in hand,
``n`` signs a 代办 (委托书), and the detail screen walks it through progress, 中止 for one of
JC's seven grounds, 续办 and 办结 (the close screen), keyboard only."""

from __future__ import annotations

from pathlib import Path

from litestar.testing import TestClient
from openpyxl import load_workbook
from textual.widgets import Input

from appliance.http.app import create_app
from tests.delegation.support import agree
from tests.support.station import HELPER, MANAGER, LiveServer, login
from tui.screens.consult_common import ExportDialog, LedgerTable
from tui.screens.delegation_detail import DelegationDetailScreen
from tui.screens.delegation_dialogs import FieldsDialog, SuspendDialog
from tui.screens.delegation_form import DelegationFormScreen
from tui.screens.delegation_list import DelegationListScreen
from tui.screens.menu import MenuScreen
from tui.testing import (
    next_field,
    screen_text,
    showing,
    start_logged_in,
    terminal_app,
    type_text,
    wait_for,
)

SIZE = (120, 40)


async def test_a_delegation_is_signed_suspended_continued_and_completed_r_d1_r_d2(
    live_server: LiveServer,
) -> None:
    app = terminal_app(live_server.url, live_server.station.clock.now)
    async with app.run_test(size=SIZE) as pilot:
        await start_logged_in(pilot, *HELPER)
        await pilot.press("g")
        await wait_for(pilot, lambda: showing(app, MenuScreen))
        await pilot.press("y")
        await wait_for(pilot, lambda: showing(app, DelegationListScreen))
        ledger = app.screen
        assert isinstance(ledger, DelegationListScreen)
        await wait_for(pilot, lambda: ledger.entries == [])

        await pilot.press("n")
        await wait_for(pilot, lambda: showing(app, DelegationFormScreen))
        await pilot.press("down")  # kind: 代办 (the default)
        await type_text(pilot, "王秀英")
        await pilot.press("down")
        await type_text(pilot, "13800001234")
        await pilot.press("down", "down")  # no ID number
        await type_text(pilot, "养老保险待遇领取")
        await pilot.press("down")
        await type_text(pilot, "代为提交申请并领取结果")
        await pilot.press("ctrl+s")  # no period end: refused in the form
        await wait_for(pilot, lambda: "须填写委托期限" in screen_text(app))
        await pilot.press("down")
        await type_text(pilot, "12-31")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: showing(app, DelegationDetailScreen))
        detail = app.screen
        assert isinstance(detail, DelegationDetailScreen)
        await wait_for(pilot, lambda: detail.entry is not None)
        assert "委托期限：2026-11-23 至 2026-12-31" in screen_text(app)
        assert "代办服务委托书 DB-20261123-001-1" in screen_text(app)

        await pilot.press("p")
        await wait_for(pilot, lambda: showing(app, FieldsDialog))
        await type_text(pilot, "材料已报送县人社局")
        await pilot.press("enter")
        await wait_for(pilot, lambda: "材料已报送县人社局" in screen_text(app))

        await pilot.press("s")
        await wait_for(pilot, lambda: showing(app, SuspendDialog))
        await pilot.press("down", "down", "down", "down", "down", "enter")  # the sixth ground
        await type_text(pilot, "外出务工两周")
        await pilot.press("enter")
        await wait_for(
            pilot, lambda: detail.entry is not None and detail.entry.status == "suspended"
        )
        assert "中止原因：申请人提出暂停委托代办服务" in screen_text(app)

        await pilot.press("k")  # a suspended delegation cannot be completed
        await wait_for(pilot, lambda: showing(app, FieldsDialog))
        await type_text(pilot, "已领取")
        await pilot.press("enter")
        await wait_for(pilot, lambda: "请先签订续办委托书" in screen_text(app))

        await pilot.press("c")
        await wait_for(pilot, lambda: showing(app, FieldsDialog))
        await type_text(pilot, "申请人已返乡")
        await next_field(pilot)
        await type_text(pilot, "30")
        await pilot.press("enter")
        await wait_for(pilot, lambda: detail.entry is not None and detail.entry.status == "active")

        await pilot.press("k")
        await wait_for(pilot, lambda: showing(app, FieldsDialog))
        await type_text(pilot, "待遇已核定，次月发放")
        await pilot.press("enter")
        await wait_for(
            pilot, lambda: detail.entry is not None and detail.entry.status == "completed"
        )
        assert "请服务对象评价" in screen_text(app)
        assert [d.kind for d in detail.entry.documents] == [
            "agreement",
            "suspension",
            "continuation",
            "completion",
        ]

        await pilot.press("escape")
        await wait_for(pilot, lambda: showing(app, DelegationListScreen))
        await wait_for(pilot, lambda: ledger.entries == [])  # nothing in hand
        await pilot.press("a")
        await wait_for(pilot, lambda: ledger.show_all and len(ledger.entries or []) == 1)
    got = live_server.station.services.delegations.get("DB-20261123-001")
    assert got.continuations == 1 and got.rating_open


async def test_help_is_assigned_at_once_and_a_home_visit_scheduled_r_d1_r_d2(
    live_server: LiveServer,
) -> None:
    app = terminal_app(live_server.url, live_server.station.clock.now)
    async with app.run_test(size=SIZE) as pilot:
        await start_logged_in(pilot, *HELPER)
        app.push_screen(DelegationFormScreen())
        await wait_for(pilot, lambda: showing(app, DelegationFormScreen))
        await pilot.press("right", "down")  # kind: 帮办
        await type_text(pilot, "李大爷")
        await pilot.press("down", "down", "down")
        await type_text(pilot, "高龄津贴申请")
        await pilot.press("down")
        await type_text(pilot, "行动不便，上门协助填表")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: showing(app, DelegationDetailScreen))
        detail = app.screen
        assert isinstance(detail, DelegationDetailScreen)
        await wait_for(pilot, lambda: detail.entry is not None)
        assert detail.entry is not None and detail.entry.number == "BB-20261123-001"
        assert "帮办人：刘芳" in screen_text(app) and "受理分派" in screen_text(app)

        await pilot.press("v")
        await wait_for(pilot, lambda: showing(app, FieldsDialog))
        await type_text(pilot, "11-24 15:00")
        await next_field(pilot)
        await type_text(pilot, "东关村三组 8 号")
        await next_field(pilot)
        await type_text(pilot, "协助填表")
        await next_field(pilot)
        await pilot.press("enter")  # the agent goes
        await wait_for(pilot, lambda: detail.entry is not None and len(detail.entry.visits) == 1)
        assert "2026-11-24 15:00 东关村三组 8 号（协助填表）刘芳 · 待上门" in screen_text(app)

        await pilot.press("escape")
        app.push_screen(DelegationListScreen())
        await wait_for(pilot, lambda: showing(app, DelegationListScreen))
        ledger = app.screen
        assert isinstance(ledger, DelegationListScreen)
        await wait_for(pilot, lambda: bool(ledger.entries))
        assert "待上门 1 件" in screen_text(app)
        row = [str(c) for c in ledger.query_one(LedgerTable).get_row_at(0)]
        assert row[:2] == ["BB-20261123-001", "帮办"] and row[6] == "11-24 15:00"


async def test_the_head_exports_the_ledger_of_a_period_r_d2(
    live_server: LiveServer, tmp_path: Path
) -> None:
    station = live_server.station
    with TestClient(create_app(station.settings, services=station.services)) as client:
        agree(client, login(client, *HELPER))
    out = tmp_path / "usb"
    app = terminal_app(live_server.url, station.clock.now)
    async with app.run_test(size=SIZE) as pilot:
        await start_logged_in(pilot, *MANAGER)
        app.push_screen(DelegationListScreen())
        await wait_for(pilot, lambda: showing(app, DelegationListScreen))
        await pilot.press("x")
        await wait_for(pilot, lambda: showing(app, ExportDialog))
        dialog = app.screen
        dialog.query_one("#export-start", Input).value = "2026-11-01"
        dialog.query_one("#export-end", Input).value = "2026-11-30"
        dialog.query_one("#export-dir", Input).value = str(out)
        dialog.query_one("#export-start", Input).focus()
        await pilot.press("enter")
        await wait_for(pilot, lambda: showing(app, DelegationListScreen))
    [saved] = list(out.iterdir())
    assert saved.name == "帮办代办台账-2026-11-01-2026-11-30.xlsx"
    sheet = load_workbook(saved)["帮办代办台账"]
    assert sheet["A1"].value == "编号" and sheet["A2"].value == "DB-20261123-001"
    assert sheet["D2"].value == "王秀英"
