"""Staff terminal: 归档 (R-A1–R-A3). A finished case shows as due, ``b`` builds its package,
and its paper files go through a transfer list that is returned once and resubmitted."""

from __future__ import annotations

import httpx
from textual.widgets import DataTable, Input

from tests.archives.support import delivered
from tests.cases.notice_support import Desk
from tests.support.station import WINDOW_CLERK, LiveServer
from tui.screens.archives import ArchivesScreen
from tui.screens.archives_transfers import TransfersScreen
from tui.screens.dialogs import PromptDialog
from tui.testing import screen_text, showing, start_logged_in, terminal_app, wait_for


async def _answer(pilot: object, app: object, label: str, text: str) -> None:
    """Answer the prompt that asks for ``label`` (the next one may open at once)."""
    from textual.pilot import Pilot

    from tui.app import YizhanApp

    assert isinstance(pilot, Pilot) and isinstance(app, YizhanApp)

    def asking() -> bool:
        return isinstance(app.screen, PromptDialog) and app.screen.label == label

    await wait_for(pilot, asking)
    dialog = app.screen
    dialog.query_one(Input).value = text
    await pilot.press("enter")
    await wait_for(pilot, lambda: app.screen is not dialog)


async def test_build_and_transfer_from_the_terminal_r_a1_r_a2(live_server: LiveServer) -> None:
    station = live_server.station
    with httpx.Client(base_url=live_server.url) as http:
        number = delivered(Desk(http, station))  # type: ignore[arg-type]
    app = terminal_app(live_server.url)
    async with app.run_test(size=(140, 45)) as pilot:
        await start_logged_in(pilot, *WINDOW_CLERK)
        await pilot.press("g")
        await pilot.press("d")
        await wait_for(pilot, lambda: showing(app, ArchivesScreen))
        screen = app.screen
        await wait_for(pilot, lambda: screen.query_one("#arch-due", DataTable).row_count == 1)
        assert screen.query_one("#arch-due", DataTable).get_row_at(0)[0] == number
        assert "待归档 1 件" in screen_text(app)
        await pilot.press("b")
        await wait_for(pilot, lambda: screen.query_one("#arch-packages", DataTable).row_count == 1)
        assert screen.query_one("#arch-due", DataTable).row_count == 0
        assert "已归档 1 件" in screen_text(app)
        await pilot.press("t")
        await wait_for(pilot, lambda: showing(app, TransfersScreen))
        await pilot.press("n")
        await _answer(pilot, app, "接收单位：", "县民政局社会救助股")
        transfers = station.services.archive_transfers
        await wait_for(pilot, lambda: len(transfers.all()) == 1)
        await wait_for(pilot, lambda: "待接收" in screen_text(app))
        await pilot.press("x")
        await _answer(pilot, app, "接收人姓名：", "李会计")
        await _answer(pilot, app, "退回原因：", "申请表缺签名")
        await wait_for(pilot, lambda: transfers.all()[0].status == "returned")
        await wait_for(pilot, lambda: "退回原因：申请表缺签名" in screen_text(app))
        await pilot.press("s")
        await _answer(pilot, app, "修正补充说明：", "已补签名")
        await wait_for(pilot, lambda: transfers.all()[0].round == 2)
        await pilot.press("a")
        await _answer(pilot, app, "接收人姓名：", "李会计")
        await wait_for(pilot, lambda: transfers.all()[0].status == "accepted")
        [t] = transfers.all()
        assert [r.outcome for r in t.rounds] == ["returned", "accepted"]
        assert t.rounds[1].note == "已补签名" and t.rounds[0].case_numbers == [number]
        await wait_for(pilot, lambda: "接收人：李会计" in screen_text(app))
