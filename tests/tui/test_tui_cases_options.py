"""Staff terminal: the less common case paths — a case taken in for another place (R-K8),
特别程序 chosen from a list (R-S1, R-K3), 我的办件 with finished and all staff's cases,
and the warning on a provisional (暂定) deadline (R-K3)."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, OptionList

from appliance.cases.rules.records import OtherPlace, OtherPlaceKind
from appliance.catalogue.schemas import ItemDetail
from tests.support.station import T0, WINDOW_CLERK, LiveServer
from tests.tui.cases_support import (
    act,
    case,
    checklist,
    detail_state,
    make_app,
    open_case,
    shown_case,
    step,
    stored_case,
    with_procedures,
)
from tui.case_forms import form_fields
from tui.case_widgets import CaseTable, ChoiceBar
from tui.screens.case_decision import ActionDialog
from tui.screens.case_detail import CaseDetailScreen
from tui.screens.cases_intake import IntakeScreen
from tui.screens.cases_list import MyCasesScreen
from tui.testing import TEST_SIZE as SIZE
from tui.testing import showing, start_logged_in, text_of, type_text, wait_for

PROVISIONAL = "期限为暂定（2027 年节假日安排未公布），公布后自动重算"


async def test_intake_for_another_place_r_k8(live_server: LiveServer) -> None:
    """异地办件 defaults to 无 (its place hidden); ← → picks 代收 and the place, and the case is
    opened with other_place stored; no agent was entered and none is stored."""
    app = make_app(live_server)
    async with app.run_test(size=SIZE) as pilot:
        await start_logged_in(pilot, *WINDOW_CLERK)
        await pilot.press("e")
        await wait_for(pilot, lambda: showing(app, IntakeScreen))
        other = app.screen.query_one("#other-kind", ChoiceBar)
        assert other.value == "" and not app.screen.query_one("#other-place-row").display

        await type_text(pilot, "gljt")
        results = app.screen.query_one("#item-results", OptionList)
        await wait_for(pilot, lambda: results.option_count > 0)
        await pilot.press("enter")
        await wait_for(pilot, lambda: len(checklist(app).lines) == 4)
        await pilot.press("a")
        for field, value in (
            ("applicant-name", "张桂兰"),
            ("applicant-id", "410122194001080021"),
            ("applicant-phone", "13800001234"),
        ):
            app.screen.query_one(f"#{field}", Input).focus()
            await type_text(pilot, value)

        other.focus()
        await pilot.press("right", "right")  # 无 → 跨域通办 → 代收
        assert other.value == "collect"
        await wait_for(pilot, lambda: app.screen.query_one("#other-place-row").display)
        await pilot.press("down")
        assert app.focused is app.screen.query_one("#other-place")
        await type_text(pilot, "郑州市金水区")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: detail_state(app) == "received")

        number = shown_case(app).case_number
        stored = stored_case(live_server, number)
        assert stored.other_place == OtherPlace(OtherPlaceKind.COLLECT, "郑州市金水区")
        assert case(live_server, number).applicant.agent is None


async def test_intake_without_other_place_stores_none_r_k8(live_server: LiveServer) -> None:
    """Left at 无, no other place is stored (the common case); an agent, when entered, is kept."""
    app = make_app(live_server)
    async with app.run_test(size=SIZE) as pilot:
        await start_logged_in(pilot, *WINDOW_CLERK)
        await pilot.press("e")
        await wait_for(pilot, lambda: showing(app, IntakeScreen))
        await type_text(pilot, "gljt")
        results = app.screen.query_one("#item-results", OptionList)
        await wait_for(pilot, lambda: results.option_count > 0)
        await pilot.press("enter")
        await wait_for(pilot, lambda: len(checklist(app).lines) == 4)
        await pilot.press("a")
        for field, value in (
            ("applicant-name", "李四"),
            ("applicant-id", "410122194912290011"),
            ("applicant-phone", "13900002222"),
            ("agent-name", "李小四"),
            ("agent-id", "410122197912290031"),
        ):
            app.screen.query_one(f"#{field}", Input).focus()
            await type_text(pilot, value)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: detail_state(app) == "received")
        number = shown_case(app).case_number
        assert stored_case(live_server, number).other_place is None
        agent = case(live_server, number).applicant.agent
        assert agent is not None and agent.name == "李小四"


def test_procedure_choice_follows_the_item_r_s1() -> None:
    """The form offers every 特别程序 the station knows until the item's guide is read, then
    only those the item lists; the value sent is the command's (inspection …)."""
    every = form_fields("start_special")[0]
    assert every.kind == "choice"
    assert [label for _, label in every.options] == ["检验", "专家评审", "听证"]
    guide = ItemDetail(
        code="X",
        name="残疾人证申领",
        type="行政给付",
        legal_basis="",
        conditions="",
        legal_days=20,
        promised_days=20,
        kind="上报件",
        fees="不收费",
        fee_basis="",
        delivery_methods=[],
        category_prefix="",
        allows_notify_commit=False,
        allows_tolerant=False,
        special_procedures=["听证", "检验"],
        keywords=[],
        related=[],
        department="",
        window="",
        phone="",
        materials=[],
        version="",
    )
    narrowed = form_fields("start_special", guide)[0]
    assert narrowed.options == (("inspection", "检验"), ("hearing", "听证"))


async def test_special_procedure_chosen_by_keys_r_k3(
    live_server: LiveServer, tmp_path: Path
) -> None:
    """启动特别程序: ←/→ choose among the item's procedures, Enter moves to the reason; the case
    enters 特别程序中 with the chosen procedure recorded."""
    with_procedures(live_server, tmp_path, "410122-CL-002", ["检验", "专家评审"])
    number = open_case(live_server, item="410122-CL-002")
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
            pilot, lambda: detail_state(app) == "accepted" and shown_case(app).guide is not None
        )
        await step(pilot, app, "start_special", ActionDialog)
        choice = app.screen.query_one("#field-procedure", ChoiceBar)
        assert app.focused is choice
        assert [label for _, label in choice.options] == ["检验", "专家评审"]
        await pilot.press("right")
        assert choice.value == "expert_review"
        await pilot.press("enter")
        focused = app.focused
        assert focused is not None and focused.id == "field-reason"
        await type_text(pilot, "需组织专家评定残疾等级")
        await pilot.press("enter")
        await wait_for(pilot, lambda: detail_state(app) == "special_procedure")
        last = case(live_server, number).timeline[-1]
        assert (last.action, last.to_state) == ("start_special", "special_procedure")
        assert last.details["procedure"] == "expert_review"
        assert last.why == "需组织专家评定残疾等级"


async def test_my_cases_toggles_finished_and_all_staff_r_k3(live_server: LiveServer) -> None:
    """d adds my finished cases, a adds other staff's; the heading says which list shows."""
    open_mine = open_case(live_server, name="张桂兰")
    act(live_server, open_mine, "accept")
    refused = open_case(live_server, name="李四")
    act(live_server, refused, "refuse", {"reason": "不属于本站受理范围"})  # finished
    theirs = open_case(live_server, name="王五", staff="zz01")
    app = make_app(live_server)
    async with app.run_test(size=SIZE) as pilot:
        await start_logged_in(pilot, *WINDOW_CLERK)
        await pilot.press("m")
        await wait_for(
            pilot,
            lambda: showing(app, MyCasesScreen) and app.screen.query_one(CaseTable).row_count == 1,
        )
        table = app.screen.query_one(CaseTable)

        def head() -> str:
            return text_of(app.screen.query_one("#cases-head"))

        assert table.numbers == [open_mine]
        assert head().startswith("我的办件（本人 · 仅在办）· 1 件")

        await pilot.press("d")
        await wait_for(pilot, lambda: table.row_count == 2)
        assert set(table.numbers) == {open_mine, refused}
        assert head().startswith("我的办件（本人 · 含已办结）· 2 件")

        await pilot.press("a")
        await wait_for(pilot, lambda: table.row_count == 3)
        assert set(table.numbers) == {open_mine, refused, theirs}
        assert head().startswith("全部办件（全部人员 · 含已办结）· 3 件")

        await pilot.press("d")
        await wait_for(pilot, lambda: table.row_count == 2)
        assert set(table.numbers) == {open_mine, theirs}
        assert head().startswith("全部办件（全部人员 · 仅在办）· 2 件")

        await pilot.press("a")
        await wait_for(pilot, lambda: table.row_count == 1)
        assert table.numbers == [open_mine]


async def test_provisional_deadline_warned_r_k3(live_server: LiveServer) -> None:
    """A deadline in 2027 (holidays not yet published) is 暂定: my cases and the detail say
    it will be recomputed; a case with a firm deadline carries no warning."""
    firm = open_case(live_server, name="王五")
    act(live_server, firm, "accept")  # due 2026-12-14
    live_server.station.clock.set(T0.replace(day=11, month=12))
    later = open_case(
        live_server,
        item="410122-MZ-005",
        name="孙八",
        materials={f"M{i}": "received" for i in range(1, 6)},
    )
    act(live_server, later, "accept")  # 35 working days: in 2027
    app = make_app(live_server)
    async with app.run_test(size=SIZE) as pilot:
        await start_logged_in(pilot, *WINDOW_CLERK)
        await pilot.press("m")
        await wait_for(
            pilot,
            lambda: showing(app, MyCasesScreen) and app.screen.query_one(CaseTable).row_count == 2,
        )
        warning = app.screen.query_one("#cases-warning")
        assert warning.display and f"1 件办件的{PROVISIONAL}" in text_of(warning)

        await pilot.press("enter")  # the firm one (nearest deadline) first
        await wait_for(pilot, lambda: detail_state(app) == "accepted")
        assert shown_case(app).case_number == firm
        assert not app.screen.query_one("#case-warning").display

        await pilot.press("escape")
        await wait_for(pilot, lambda: showing(app, MyCasesScreen))
        await pilot.press("down", "enter")
        await wait_for(
            pilot, lambda: detail_state(app) == "accepted" and shown_case(app).case_number == later
        )
        warning = app.screen.query_one("#case-warning")
        assert warning.display and PROVISIONAL in text_of(warning)
        assert "（暂定）" in text_of(app.screen.query_one("#case-head"))


async def test_lapsed_commitment_warned_on_the_next_case_r_k2(live_server: LiveServer) -> None:
    """容缺失信: after a lapsed 容缺 commitment, the applicant's next case shows the record in
    red and the detail no longer offers 容缺受理 (XC: 不再适用容缺办理)."""
    missing_m3 = {"M1": "received", "M2": "received", "M3": "missing", "M4": "received"}
    first = open_case(live_server, materials=missing_m3)
    act(live_server, first, "accept_tolerant", {"deadline": "2026-11-27", "signed_by": "张桂兰"})
    live_server.station.clock.set(T0.replace(day=30))
    act(live_server, first, "lapse", {"reason": "逾期未补齐"})
    second = open_case(live_server, materials=missing_m3)
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
        assert "容缺失信" in text_of(warning) and first in text_of(warning)
        shown = shown_case(app).case
        assert shown is not None
        offered = [a.action for a in shown.legal_actions]
        assert "request_correction" in offered and "accept_tolerant" not in offered
