"""首问登记 on the staff terminal (R-C1): the fast form from the menu key ``q``, the ledger
(list, detail, close) and 转收件 into the intake screen without retyping."""

from __future__ import annotations

from typing import Any

from sqlmodel import col, select
from textual.pilot import Pilot
from textual.widgets import Input, OptionList

from appliance.contacts.tables import ContactRecord
from tests.support.station import GUIDE, WINDOW_CLERK, LiveServer
from tui.app import YizhanApp
from tui.screens.case_detail import CaseDetailScreen
from tui.screens.contacts import ContactFormScreen
from tui.screens.contacts_case import ContactIntakeScreen
from tui.screens.contacts_detail import CloseDialog, ContactDetailScreen
from tui.screens.contacts_list import ContactListScreen
from tui.screens.menu import MenuScreen
from tui.testing import screen_text, showing, start_logged_in, terminal_app, type_text, wait_for

SIZE = (120, 40)


def stored(live: LiveServer) -> list[ContactRecord]:
    with live.station.services.db.read() as s:
        return list(s.exec(select(ContactRecord).order_by(col(ContactRecord.occurred_at))))


def field(app: YizhanApp, field_id: str) -> Input:
    return app.screen.query_one(f"#{field_id}", Input)


async def open_form(pilot: Pilot[Any], app: YizhanApp) -> None:
    await pilot.press("g")
    await wait_for(pilot, lambda: showing(app, MenuScreen))
    await pilot.press("q")
    await wait_for(pilot, lambda: showing(app, ContactFormScreen))


async def test_a_contact_takes_a_few_keys_and_the_ledger_closes_a_pending_one_r_c1(
    live_server: LiveServer,
) -> None:
    app = terminal_app(live_server.url, live_server.station.clock.now)
    async with app.run_test(size=SIZE) as pilot:
        await start_logged_in(pilot, *GUIDE)
        await open_form(pilot, app)
        form = app.screen
        assert isinstance(form, ContactFormScreen)
        # 1. pinyin initials find the item; ↓ Enter pick it: 引导取号 to its category
        await type_text(pilot, "gljt")
        hits = form.query_one("#contact-hits", OptionList)
        await wait_for(pilot, lambda: hits.display and hits.option_count > 0)
        await pilot.press("down", "enter")
        await wait_for(pilot, lambda: field(app, "contact-matter").value == "高龄津贴申请")
        assert field(app, "contact-detail").value == "C"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: form.last is not None)
        assert form.last is not None and form.last.ticket_number == "C001"
        assert "C001 号 · 民政残联（2 号窗口）" in screen_text(app)
        assert field(app, "contact-matter").value == ""  # ready for the next visitor
        # 2. outside the station's remit: where to go
        await type_text(pilot, "户口迁移")
        await pilot.press("down", "down", "right", "right", "down")
        await type_text(pilot, "县公安局户政窗口")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: len(stored(live_server)) == 2)
        # 3. 稍后登记: the contact stays pending in the ledger
        await type_text(pilot, "社保卡补办")
        await pilot.press("down", "down", *["right"] * 5, "ctrl+s")
        await wait_for(pilot, lambda: len(stored(live_server)) == 3)
        guided, referred, pending = stored(live_server)
        assert (guided.outcome, guided.ticket_number, guided.first_staff_name) == (
            "guided",
            "C001",
            "张伟",
        )
        assert (referred.outcome, referred.referred_to) == ("referred", "县公安局户政窗口")
        assert pending.outcome == "pending"

        await pilot.press("ctrl+l")
        await wait_for(pilot, lambda: showing(app, ContactListScreen))
        ledger = app.screen
        assert isinstance(ledger, ContactListScreen)
        await wait_for(pilot, lambda: ledger.contacts is not None and len(ledger.contacts) == 3)
        await pilot.press("p")
        await wait_for(pilot, lambda: ledger.pending and len(ledger.contacts or []) == 1)
        await pilot.press("enter")
        await wait_for(pilot, lambda: showing(app, ContactDetailScreen))
        detail = app.screen
        assert isinstance(detail, ContactDetailScreen)
        await wait_for(pilot, lambda: detail.contact is not None)
        assert "1 当场解答" in screen_text(app)
        await pilot.press("1")
        await wait_for(pilot, lambda: showing(app, CloseDialog))
        await type_text(pilot, "已告知到县社保局补办")
        await pilot.press("enter")
        await wait_for(pilot, lambda: detail.contact is not None and not detail.contact.open)
        assert "处理结果：当场解答" in screen_text(app)
        assert stored(live_server)[2].answer == "已告知到县社保局补办"
        await pilot.press("escape")
        await wait_for(pilot, lambda: showing(app, ContactListScreen))
        await wait_for(pilot, lambda: ledger.contacts == [])


async def test_a_contact_becomes_a_case_without_retyping_r_c1(live_server: LiveServer) -> None:
    app = terminal_app(live_server.url, live_server.station.clock.now)
    async with app.run_test(size=SIZE) as pilot:
        await start_logged_in(pilot, *WINDOW_CLERK)
        await open_form(pilot, app)
        await type_text(pilot, "gljt")
        hits = app.screen.query_one("#contact-hits", OptionList)
        await wait_for(pilot, lambda: hits.display and hits.option_count > 0)
        await pilot.press("down", "enter")
        await wait_for(pilot, lambda: field(app, "contact-matter").value == "高龄津贴申请")
        field(app, "contact-name").focus()
        await type_text(pilot, "张桂兰")
        await pilot.press("down")
        await type_text(pilot, "13800001234")
        app.screen.query_one("#contact-outcome").focus()
        await pilot.press("right", "right", "right")  # 引导取号 → … → 转收件
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: showing(app, ContactIntakeScreen))
        assert field(app, "item-search").value == "410122-MZ-001"
        assert field(app, "applicant-name").value == "张桂兰"
        assert field(app, "applicant-phone").value == "13800001234"
        results = app.screen.query_one("#item-results", OptionList)
        await wait_for(pilot, lambda: results.option_count > 0)
        field(app, "item-search").focus()
        await pilot.press("enter")  # the contact's item
        await wait_for(
            pilot, lambda: "高龄津贴申请" in screen_text(app) and "已选" in screen_text(app)
        )
        await pilot.press("a")  # all materials received
        field(app, "applicant-id").focus()
        await type_text(pilot, "410122194001080021")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: showing(app, CaseDetailScreen))
        await wait_for(pilot, lambda: stored(live_server)[0].case_number is not None)
        [contact] = stored(live_server)
        screen = app.screen
        assert isinstance(screen, CaseDetailScreen)
        assert (contact.outcome, contact.case_number) == ("case", screen.case_number)
