"""Staff terminal: notices kept with a case and 补打 (R-K2), and the 一次性告知单 printed
from intake for a visitor who lacks materials (R-C4).

Every check reads the station's own tables: a reprint is a new print job of the kept
notice (一式二份, copies=2); the 告知单 is one job of one copy.
"""

from __future__ import annotations

from textual.widgets import OptionList

from tests.support.fingerprint import fingerprint
from tests.support.station import WINDOW_CLERK, LiveServer
from tests.tui.cases_support import (
    act,
    checklist,
    detail_state,
    make_app,
    open_case,
    print_jobs,
)
from tui.case_widgets import CaseTable
from tui.screens.case_detail import CaseDetailScreen
from tui.screens.case_notices import NoticeList, ReprintDialog
from tui.screens.cases_intake import IntakeScreen
from tui.screens.cases_list import MyCasesScreen
from tui.testing import TEST_SIZE as SIZE
from tui.testing import has_notification, showing, start_logged_in, text_of, type_text, wait_for


async def test_reprint_a_kept_notice_r_k2(live_server: LiveServer) -> None:
    """The detail lists 收件凭证 and 受理通知书 with their print state; p, Enter reprints the
    latest: a second job for that notice, 一式二份; Esc in the chooser prints nothing."""
    number = open_case(live_server)
    act(live_server, number, "accept")
    app = make_app(live_server)
    async with app.run_test(size=SIZE) as pilot:
        await start_logged_in(pilot, *WINDOW_CLERK)
        await pilot.press("m")
        await wait_for(
            pilot,
            lambda: showing(app, MyCasesScreen) and app.screen.query_one(CaseTable).row_count == 1,
        )
        await pilot.press("enter")
        await wait_for(
            pilot,
            lambda: (
                detail_state(app) == "accepted"
                and len(app.screen.query_one(NoticeList).notices) == 2
            ),
        )
        notices = app.screen.query_one(NoticeList)
        assert [n.title for n in notices.notices] == ["收件凭证", "受理通知书"]
        rows = notices.rows()
        assert rows[1].startswith("11-23 09:00 受理通知书 ")  # issued at, station time
        assert all(r.split()[-1] in {"待打印", "打印中", "已打印"} for r in rows)
        accepted = notices.notices[1]
        before = print_jobs(live_server)
        assert [(j.copies) for j in before if j.case_notice_id == accepted.id] == [2]

        # Esc leaves the chooser without printing.
        state = fingerprint(live_server.station.services.db)
        await pilot.press("p")
        await wait_for(pilot, lambda: showing(app, ReprintDialog))
        await pilot.press("escape")
        await wait_for(pilot, lambda: showing(app, CaseDetailScreen))
        assert fingerprint(live_server.station.services.db) == state

        # p, Enter: the chooser starts on the latest notice (受理通知书).
        await pilot.press("p")
        await wait_for(pilot, lambda: showing(app, ReprintDialog))
        await pilot.press("enter")
        await wait_for(pilot, lambda: showing(app, CaseDetailScreen))
        result = text_of(app.screen.query_one("#case-result"))
        assert "已补打受理通知书" in result and "一式二份" in result
        assert has_notification(app, "已补打受理通知书")

        after = print_jobs(live_server)
        assert len(after) == len(before) + 1
        mine = [j for j in after if j.case_notice_id == accepted.id]
        assert [j.copies for j in mine] == [2, 2]  # the first print and the reprint
        assert mine[-1].title == "受理通知书" and mine[-1].id == after[-1].id
        receipt = notices.notices[0]
        assert [j.copies for j in after if j.case_notice_id == receipt.id] == [2]  # untouched

        # ↑ chooses an older notice: the 收件凭证 is reprinted, also 一式二份.
        await pilot.press("p")
        await wait_for(pilot, lambda: showing(app, ReprintDialog))
        await pilot.press("up", "enter")
        await wait_for(pilot, lambda: showing(app, CaseDetailScreen))
        assert "已补打收件凭证" in text_of(app.screen.query_one("#case-result"))
        again = [j for j in print_jobs(live_server) if j.case_notice_id == receipt.id]
        assert [j.copies for j in again] == [2, 2]


async def test_guide_printed_from_intake_r_c4(live_server: LiveServer) -> None:
    """Ctrl+P prints the picked item's 一次性告知单 (one copy, the visitor takes it home);
    before an item is picked it only says to pick one."""
    app = make_app(live_server)
    async with app.run_test(size=SIZE) as pilot:
        await start_logged_in(pilot, *WINDOW_CLERK)
        await pilot.press("e")
        await wait_for(pilot, lambda: showing(app, IntakeScreen))
        before = print_jobs(live_server)

        await pilot.press("ctrl+p")
        assert "请先检索并选择事项" in text_of(app.screen.query_one("#intake-error"))
        assert print_jobs(live_server) == before

        await type_text(pilot, "gljt")
        results = app.screen.query_one("#item-results", OptionList)
        await wait_for(pilot, lambda: results.option_count > 0)
        await pilot.press("enter")
        await wait_for(pilot, lambda: len(checklist(app).lines) == 4)
        assert "Ctrl+P 打印一次性告知单" in text_of(app.screen.query_one("#guide-line"))

        await pilot.press("ctrl+p")  # from the checklist, where the focus is
        await wait_for(pilot, lambda: len(print_jobs(live_server)) == len(before) + 1)
        job = print_jobs(live_server)[-1]
        assert job.title == "一次性告知单" and job.copies == 1 and job.case_notice_id is None
        await wait_for(pilot, lambda: "已送打印" in text_of(app.screen.query_one("#guide-line")))
        assert "高龄津贴申请的一次性告知单已送打印" in text_of(app.screen.query_one("#guide-line"))
        assert showing(app, IntakeScreen)  # intake goes on; nothing typed is lost
