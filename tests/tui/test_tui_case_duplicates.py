"""重复申请 on the terminal (issue 16, item 6): a second open application of the same item by
the same applicant shows the first case in red on 办件详情."""

from __future__ import annotations

from tests.support.station import WINDOW_CLERK, LiveServer
from tests.tui.cases_support import act, detail_state, make_app, open_case
from tui.case_widgets import CaseTable
from tui.screens.case_detail import CaseDetailScreen
from tui.screens.cases_list import MyCasesScreen
from tui.testing import TEST_SIZE as SIZE
from tui.testing import showing, start_logged_in, text_of, wait_for


async def test_second_application_shows_the_open_case_r_k1(live_server: LiveServer) -> None:
    first = open_case(live_server)
    act(live_server, first, "accept")
    second = open_case(live_server)
    app = make_app(live_server)
    async with app.run_test(size=SIZE) as pilot:
        await start_logged_in(pilot, *WINDOW_CLERK)
        await pilot.press("m")
        await wait_for(
            pilot,
            lambda: showing(app, MyCasesScreen) and app.screen.query_one(CaseTable).row_count == 2,
        )
        app.push_screen(CaseDetailScreen(second))
        await wait_for(pilot, lambda: detail_state(app) == "received")
        warning = app.screen.query_one("#case-warning")
        assert warning.display
        assert text_of(warning).startswith(f"重复申请：同一事项的在办件 {first}（受理，")
