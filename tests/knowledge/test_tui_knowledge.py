"""知识库 on the staff terminal (R-C3): menu key ``b`` searches as you type (pinyin initials
too), Ctrl+N adds an entry, Enter opens one, ``e`` edits and ``x`` twice retires it."""

from __future__ import annotations

from textual.widgets import Input

from tests.support.station import WINDOW_CLERK, LiveServer
from tui.screens.consult_common import LedgerTable
from tui.screens.knowledge import KnowledgeScreen
from tui.screens.knowledge_detail import KnowledgeDetailScreen, KnowledgeFormScreen
from tui.screens.menu import MenuScreen
from tui.testing import screen_text, showing, start_logged_in, terminal_app, type_text, wait_for

SIZE = (120, 40)


async def test_add_find_edit_and_retire_an_entry_r_c3(live_server: LiveServer) -> None:
    app = terminal_app(live_server.url, live_server.station.clock.now)
    async with app.run_test(size=SIZE) as pilot:
        await start_logged_in(pilot, *WINDOW_CLERK)
        await pilot.press("g")
        await wait_for(pilot, lambda: showing(app, MenuScreen))
        await pilot.press("b")
        await wait_for(pilot, lambda: showing(app, KnowledgeScreen))
        search = app.screen
        assert isinstance(search, KnowledgeScreen)
        await wait_for(pilot, lambda: search.entries == [])

        await pilot.press("ctrl+n")
        await wait_for(pilot, lambda: showing(app, KnowledgeFormScreen))
        await type_text(pilot, "残疾证怎么办理")
        await pilot.press("enter")
        await type_text(pilot, "带身份证户口本和一寸照片到县残联评残")
        await pilot.press("enter")
        await type_text(pilot, "残疾证 评残")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: showing(app, KnowledgeDetailScreen))
        detail = app.screen
        assert isinstance(detail, KnowledgeDetailScreen)
        await wait_for(pilot, lambda: detail.entry is not None)
        assert "关键词：残疾证、评残" in screen_text(app)

        await pilot.press("escape")
        await wait_for(pilot, lambda: showing(app, KnowledgeScreen))
        search.query_one("#knowledge-search", Input).focus()
        await type_text(pilot, "pc")  # 评残 by its initials
        await wait_for(pilot, lambda: len(search.entries or []) == 1)
        await pilot.press("enter")  # to the list
        await pilot.press("enter")  # open the entry
        await wait_for(pilot, lambda: showing(app, KnowledgeDetailScreen))
        detail = app.screen
        assert isinstance(detail, KnowledgeDetailScreen)
        await wait_for(pilot, lambda: detail.entry is not None)

        await pilot.press("e")
        await wait_for(pilot, lambda: showing(app, KnowledgeFormScreen))
        answer = app.screen.query_one("#kf-answer", Input)
        answer.value = ""
        answer.focus()
        await type_text(pilot, "到县政务大厅残联窗口申请评残")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: showing(app, KnowledgeDetailScreen))
        detail = app.screen
        assert isinstance(detail, KnowledgeDetailScreen)
        await wait_for(pilot, lambda: detail.entry is not None)
        assert detail.entry is not None and detail.entry.answer == "到县政务大厅残联窗口申请评残"

        await pilot.press("x")
        assert "再按一次 x" in screen_text(app)
        await pilot.press("x")
        await wait_for(pilot, lambda: detail.entry is not None and not detail.entry.active)
        assert "已停用" in screen_text(app)
        await pilot.press("escape")
        await wait_for(pilot, lambda: showing(app, KnowledgeScreen))
        await wait_for(pilot, lambda: search.entries == [])
        assert search.query_one(LedgerTable).ids == []
