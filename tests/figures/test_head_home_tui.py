"""站长首页 on the staff terminal (R-M1, R-M3, R-T4): the station head opens it from the menu
(key ``s``), sees today's figures, the open follow-ups and complaints and four terminal
charts, and exports a period as XLSX (with a sheet per staff member); a clerk's menu does
not offer it."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook
from textual.widgets import Input
from textual_plotext import PlotextPlot

from tests.figures.scripted_day import DAY, run_day
from tests.support.station import MANAGER, WINDOW_CLERK, LiveServer
from tui.screens.consult_common import ExportDialog
from tui.screens.head_home import HeadHomeScreen
from tui.screens.menu import MenuScreen
from tui.testing import screen_text, showing, start_logged_in, terminal_app, wait_for

SIZE = (130, 48)


async def test_head_home_shows_today_and_exports_r_m1_r_m3_r_t4(
    live_server: LiveServer, tmp_path: Path
) -> None:
    run_day(live_server.station)
    out = tmp_path / "exports"
    app = terminal_app(live_server.url, live_server.station.clock.now)
    async with app.run_test(size=SIZE) as pilot:
        await start_logged_in(pilot, *MANAGER)
        await pilot.press("g")
        await wait_for(pilot, lambda: showing(app, MenuScreen))
        await pilot.press("s")
        await wait_for(pilot, lambda: showing(app, HeadHomeScreen))
        home = app.screen
        assert isinstance(home, HeadHomeScreen)
        await wait_for(pilot, lambda: home.home is not None)
        text = screen_text(app)
        assert f"{DAY} 今日统计" in text
        assert "取号 4 · 办结 3 · 过号 1" in text
        assert "等候中位数 20.5 分钟（P90 21 分钟）" in text
        assert "按时办结率 50%" in text and "延时服务 15 分钟" in text
        assert "满意率 66.7%" in text and "投诉登记 2 · 办不成事登记 1" in text
        assert "未办结差评回访 0 件" in text and "未办结投诉 1 件" in text
        assert len(home.query(PlotextPlot)) == 4
        assert home.home is not None and max(home.home.queue_by_hour) == 3

        await pilot.press("x")
        await wait_for(pilot, lambda: showing(app, ExportDialog))
        dialog = app.screen
        dialog.query_one("#export-start", Input).value = "2026-11-01"
        dialog.query_one("#export-end", Input).value = "2026-11-30"
        dialog.query_one("#export-dir", Input).value = str(out)
        await pilot.press("right")  # 格式: the second choice
        dialog.query_one("#export-start", Input).focus()
        await pilot.press("enter")
        await wait_for(pilot, lambda: showing(app, HeadHomeScreen))
    [saved] = list(out.iterdir())
    assert saved.name.startswith("统计报表-2026-11-01-2026-11-30")
    assert saved.suffix == ".xlsx"
    book = load_workbook(saved)
    sheet = book["全站"]
    assert sheet["A1"].value == "统计期间" and sheet["D1"].value == "取号数"
    staff = {row[2]: row for row in book["按工作人员"].iter_rows(min_row=2, values_only=True)}
    assert staff["王秀英（ck01）"][3:6] == (4, 3, 1)  # tickets, served, no-shows


async def test_the_clerks_menu_has_no_head_home_r_t1(live_server: LiveServer) -> None:
    app = terminal_app(live_server.url, live_server.station.clock.now)
    async with app.run_test(size=SIZE) as pilot:
        await start_logged_in(pilot, *WINDOW_CLERK)
        await pilot.press("g")
        await wait_for(pilot, lambda: showing(app, MenuScreen))
        assert "站长首页" not in screen_text(app)
        await pilot.press("s")
        await pilot.pause(0.2)
        assert not showing(app, HeadHomeScreen)
