"""咨询台账 on the staff terminal (R-C2, R-C3): menu key ``z`` lists the open entries
(overdue in red), ``n`` records one, Enter opens it, ``r`` replies (never empty) and closes
it, ``p`` puts it into the knowledge base."""

from __future__ import annotations

from litestar.testing import TestClient

from appliance.http.app import create_app
from tests.support.station import GUIDE, LiveServer, login
from tui.screens.consult_common import LedgerTable
from tui.screens.consult_detail import ConsultationDetailScreen, PromoteDialog, ReplyDialog
from tui.screens.consult_form import ConsultationFormScreen
from tui.screens.consult_list import ConsultationListScreen
from tui.screens.menu import MenuScreen
from tui.testing import screen_text, showing, start_logged_in, terminal_app, type_text, wait_for

SIZE = (120, 40)


async def test_a_letter_is_recorded_answered_and_promoted_r_c2_r_c3(
    live_server: LiveServer,
) -> None:
    app = terminal_app(live_server.url, live_server.station.clock.now)
    async with app.run_test(size=SIZE) as pilot:
        await start_logged_in(pilot, *GUIDE)
        await pilot.press("g")
        await wait_for(pilot, lambda: showing(app, MenuScreen))
        await pilot.press("z")
        await wait_for(pilot, lambda: showing(app, ConsultationListScreen))
        ledger = app.screen
        assert isinstance(ledger, ConsultationListScreen)
        await wait_for(pilot, lambda: ledger.entries == [])
        await pilot.press("n")
        await wait_for(pilot, lambda: showing(app, ConsultationFormScreen))
        await type_text(pilot, "低保标准是多少")
        await pilot.press("down", "right", "right", "right")  # 方式: 信函
        await pilot.press("down", "down", "down")  # no answer now; reply date: the default
        await type_text(pilot, "张桂兰")
        await pilot.press("down")
        await type_text(pilot, "13800001234")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: showing(app, ConsultationDetailScreen))
        detail = app.screen
        assert isinstance(detail, ConsultationDetailScreen)
        await wait_for(pilot, lambda: detail.entry is not None)
        assert "约定答复日期：2026-11-26" in screen_text(app)
        assert "信函" in screen_text(app) and "待答复" in screen_text(app)

        await pilot.press("r")
        await wait_for(pilot, lambda: showing(app, ReplyDialog))
        await pilot.press("enter")  # empty: refused, the entry stays open
        assert "没有答复，咨询不能关闭" in screen_text(app)
        await type_text(pilot, "城市每人每月 720 元，农村 560 元")
        await pilot.press("enter")
        await wait_for(pilot, lambda: detail.entry is not None and detail.entry.status == "closed")
        assert "已答复" in screen_text(app)

        await pilot.press("p")
        await wait_for(pilot, lambda: showing(app, PromoteDialog))
        await type_text(pilot, "低保 标准")
        await pilot.press("enter")
        await wait_for(pilot, lambda: detail.entry is not None and detail.entry.promoted_id)
        assert "已加入知识库" in screen_text(app)
        k = live_server.station.services.knowledge.search("dbbz")
        assert [(e.question, e.keywords, e.asked_count) for e in k] == [
            ("低保标准是多少", ["低保", "标准"], 1)
        ]

        await pilot.press("escape")
        await wait_for(pilot, lambda: showing(app, ConsultationListScreen))
        await wait_for(pilot, lambda: ledger.entries == [])  # nothing open
        await pilot.press("a")
        await wait_for(pilot, lambda: ledger.show_all and len(ledger.entries or []) == 1)


async def test_overdue_entries_come_first_in_red_r_c2(live_server: LiveServer) -> None:
    station = live_server.station
    with TestClient(create_app(station.settings, services=station.services)) as client:
        h = login(client, *GUIDE)
        base = {"channel": "phone", "visitor_contact": "13800001234"}
        for question, days in (("社保卡补办", 5), ("医保报销比例", 1)):
            body = {**base, "question": question, "reply_in_working_days": days}
            assert client.post("/api/consultations", json=body, headers=h).status_code == 201
    station.clock.advance(days=2)  # Wednesday: the one-day reply is overdue
    app = terminal_app(live_server.url, station.clock.now)
    async with app.run_test(size=SIZE) as pilot:
        await start_logged_in(pilot, *GUIDE)
        app.push_screen(ConsultationListScreen())
        await wait_for(pilot, lambda: showing(app, ConsultationListScreen))
        ledger = app.screen
        assert isinstance(ledger, ConsultationListScreen)
        await wait_for(pilot, lambda: ledger.entries is not None and len(ledger.entries) == 2)
        assert "逾期未答复 1 条" in screen_text(app)
        table = ledger.query_one(LedgerTable)
        first = [str(c) for c in table.get_row_at(0)]
        assert "医保报销比例" in first[2] and first[5] == "逾期未答复"
        assert "red" in str(table.get_row_at(0)[5].style)
