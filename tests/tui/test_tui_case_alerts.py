"""Staff terminal: overdue and due-soon cases escalate to the status bar (R-K3, R-I3).

The server's case sweep raises one alert per case condition; the bar counts them on one
line ("超期办件 1 件 · 临期 1 件") instead of listing them, and shows no personal data.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import text

from appliance.cases.service.cases import CaseService
from appliance.cases.service.sweep import CaseSweep
from tests.support.station import WINDOW_CLERK, LiveServer
from tui.status_bar import case_summary
from tui.testing import TEST_SIZE as SIZE
from tui.testing import screen_text, start_logged_in, terminal_app, text_of, wait_for

ITEM = "410122-MZ-001"  # 高龄津贴申请, 15 working days
ALL_RECEIVED = {"M1": "received", "M2": "received", "M3": "received", "M4": "received"}
APPLICANT = {
    "kind": "person",
    "name": "张桂兰",
    "id_number": "410122194001080021",
    "phone": "13800001234",
}


def test_case_summary_counts_kinds_in_a_fixed_order() -> None:
    kinds = ["absence", "case_reminder", "case_overdue", "case_overdue", "case_pickup_late"]
    assert case_summary(kinds) == "超期办件 2 件 · 临期 1 件 · 取件通知未发 1 件"
    assert case_summary(["absence", "device:printer"]) == ""


def _at(live: LiveServer, day: str) -> None:
    live.station.clock.set(datetime.fromisoformat(f"{day}T09:00:00+08:00"))


def _accepted_case(cases: CaseService, clerk_id: str) -> str:
    body = {"item_code": ITEM, "applicant": APPLICANT, "materials": ALL_RECEIVED}
    number = cases.open(body, clerk_id, "ck01").case_number
    cases.act(number, "accept", {}, "ck01")
    return number


async def test_overdue_and_due_soon_cases_show_in_the_status_bar_r_k3(
    live_server: LiveServer,
) -> None:
    station = live_server.station
    services = station.services
    cases = CaseService(services.db, station.settings, station.clock)
    with services.db.read() as s:
        clerk_id = str(s.execute(text("SELECT id FROM staff WHERE code = 'ck01'")).scalar_one())
    _at(live_server, "2026-11-23")
    late = _accepted_case(cases, clerk_id)  # due 12-14
    _at(live_server, "2026-11-26")
    _accepted_case(cases, clerk_id)  # due 12-17, reminder day 12-16
    _at(live_server, "2026-12-16")
    CaseSweep(services.db, station.settings, station.clock).run()

    app = terminal_app(live_server.url, station.clock.now)
    async with app.run_test(size=SIZE) as pilot:
        await start_logged_in(pilot, *WINDOW_CLERK)
        line = app.screen.query_one("#status-cases")
        await wait_for(pilot, lambda: line.display)
        assert text_of(line) == "⚠ 超期办件 1 件 · 临期 1 件"
        assert not app.screen.query_one("#status-alerts").display  # not listed one by one
        shown = screen_text(app)
        assert "张桂兰" not in shown and "13800001234" not in shown  # R-I3

        cases.act(late, "approve", {"decided_by": "县民政局"}, "ck01")
        CaseSweep(services.db, station.settings, station.clock).run()
        await wait_for(pilot, lambda: text_of(line) == "⚠ 临期 1 件")
