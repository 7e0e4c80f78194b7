"""Snapshots of the case screens (办件): intake, my cases, one case's detail (R-K1–R-K3).

Frozen clock, fixed data and a steady cursor keep them deterministic. Regenerate after an
intended change with ``pytest tests/tui/test_tui_cases_snapshots.py --snapshot-update`` and
review the SVGs under ``tests/__snapshots__/``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.pilot import Pilot
from textual.widgets import OptionList

from tests.support.station import T0, WINDOW_CLERK, LiveServer
from tests.tui.cases_support import act, open_case
from tui.case_widgets import CaseTable, MaterialChecklist
from tui.screens.case_detail import CaseDetailScreen
from tui.screens.cases_intake import IntakeScreen
from tui.screens.cases_list import MyCasesScreen
from tui.testing import log_in, showing, terminal_app, type_text, wait_for

SnapCompare = Callable[..., bool]
SIZE = (120, 36)


def test_intake_screen_snapshot(live_server: LiveServer, snap_compare: SnapCompare) -> None:
    """收件: 高龄津贴申请 picked by ``gljt``, materials marked (one 有瑕疵), applicant typed."""
    station = live_server.station
    app = terminal_app(live_server.url, station.clock.now)

    async def ready(pilot: Pilot[Any]) -> None:
        await log_in(pilot, *WINDOW_CLERK)
        await pilot.press("e")
        await wait_for(pilot, lambda: showing(app, IntakeScreen))
        await type_text(pilot, "gljt")
        results = app.screen.query_one("#item-results", OptionList)
        await wait_for(pilot, lambda: results.option_count > 0)
        await pilot.press("enter")
        checklist = app.screen.query_one(MaterialChecklist)
        await wait_for(pilot, lambda: len(checklist.lines) == 4)
        await pilot.press("1", "down", "1", "down", "down", "3")
        await wait_for(pilot, lambda: app.screen.query("#answer"))
        await type_text(pilot, "未签字")
        await pilot.press("enter")
        await wait_for(pilot, lambda: showing(app, IntakeScreen))
        await pilot.press("tab", "tab")
        await type_text(pilot, "张桂兰")
        app.clear_notifications()

    assert snap_compare(app, terminal_size=SIZE, run_before=ready)


def busy_caseload(live: LiveServer) -> None:
    """On 2026-12-11: an overdue 即办件, one due within 2 working days, one calm, one still
    undecided (收件) and one due in 2027 (暂定: that year's holidays are not yet known)."""
    overdue = open_case(
        live,
        item="410122-RS-001",
        materials={"M1": "received", "M2": "received"},
        name="李四",
        phone="13900002222",
    )
    act(live, overdue, "accept")
    soon = open_case(live, name="王五", phone="13700003333")
    act(live, soon, "accept")
    live.station.clock.set(T0.replace(day=11, month=12))
    calm = open_case(
        live,
        item="410122-MZ-002",
        materials={"M1": "received", "M2": "received"},
        name="赵六",
        phone="13600004444",
    )
    act(live, calm, "accept")
    open_case(
        live,
        materials={"M1": "received", "M2": "received", "M3": "missing", "M4": "received"},
        name="钱七",
        phone="13500005555",
    )
    later = open_case(
        live,
        item="410122-MZ-005",
        materials={f"M{i}": "received" for i in range(1, 6)},
        name="孙八",
        phone="13400006666",
    )
    act(live, later, "accept")  # 35 working days: due in 2027, no holidays yet → 暂定


def test_my_cases_snapshot(live_server: LiveServer, snap_compare: SnapCompare) -> None:
    """我的办件 on 2026-12-11: red overdue, amber due soon, then the rest by deadline (R-K3)."""
    busy_caseload(live_server)
    station = live_server.station
    app = terminal_app(live_server.url, station.clock.now)

    async def ready(pilot: Pilot[Any]) -> None:
        await log_in(pilot, *WINDOW_CLERK)
        await pilot.press("m")
        await wait_for(
            pilot,
            lambda: showing(app, MyCasesScreen) and app.screen.query_one(CaseTable).row_count == 5,
        )
        app.clear_notifications()

    assert snap_compare(app, terminal_size=SIZE, run_before=ready)


def test_case_detail_snapshot(live_server: LiveServer, snap_compare: SnapCompare) -> None:
    """办件详情 after 容缺受理: masked applicant, checklist, 流转记录 and the next actions."""
    number = open_case(
        live_server,
        materials={"M1": "received", "M2": "received", "M3": "missing", "M4": "received"},
    )
    act(live_server, number, "accept_tolerant", {"signed_by": "张桂兰", "deadline": "2026-11-30"})
    act(live_server, number, "extend", {"days": 5, "reason": "需入户核实老人居住情况"}, "zz01")
    station = live_server.station
    app = terminal_app(live_server.url, station.clock.now)

    async def ready(pilot: Pilot[Any]) -> None:
        await log_in(pilot, *WINDOW_CLERK)
        await pilot.press("m")
        await wait_for(
            pilot,
            lambda: showing(app, MyCasesScreen) and app.screen.query_one(CaseTable).row_count == 1,
        )
        await pilot.press("enter")
        await wait_for(
            pilot, lambda: isinstance(app.screen, CaseDetailScreen) and app.screen.guide is not None
        )
        app.clear_notifications()

    assert snap_compare(app, terminal_size=SIZE, run_before=ready)
