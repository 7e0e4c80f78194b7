"""Time limits of a case (R-K2, R-K3, R-K6) with a frozen clock: due dates in working days,
即办件, clock stops for special procedures, extensions, reminders, overdue, auto-acceptance."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import pytest

from appliance.cases.rules import commands as c
from appliance.cases.rules.case import AcceptMode
from appliance.cases.rules.deadlines import (
    DueStatus,
    acceptance_deadline,
    auto_acceptance,
    case_deadline,
    compute_due,
    due_view,
    is_overdue,
    needs_reminder,
    pickup_notice_due,
    tolerant_overdue,
)
from appliance.cases.rules.machine import perform
from appliance.cases.rules.materials import ItemKind, MaterialStatus, SpecialProcedure
from appliance.cases.rules.records import Extension
from appliance.cases.rules.states import CaseState
from appliance.cases.rules.working_days import (
    FixedCalendar,
    Stop,
    WeekendsOnly,
    add_working_days,
    subtract_working_days,
    working_days_between,
)
from appliance.core.errors import Conflict, Invalid
from tests.cases.machine_support import (
    ALL_RECEIVED,
    CAL,
    ITEM,
    T0,
    accepted,
    clock,
    ctx,
    ctx_from,
    new_case,
    run,
    tolerant,
)

MON = date(2026, 11, 23)  # D0
FRI = date(2026, 11, 27)
SAT = date(2026, 11, 28)
NEXT_MON = date(2026, 11, 30)
TUE, WED, THU, FRI2 = (date(2026, 12, d) for d in (1, 2, 3, 4))
P = ItemKind.PROMISED

# A synthetic calendar: Tue 1 Dec is a holiday, Sat 28 Nov a make-up working day.
HOLIDAY_CAL = FixedCalendar(
    holidays=frozenset({TUE}), makeup_workdays=frozenset({SAT}), years=frozenset({2026})
)


def test_due_is_the_nth_working_day_after_acceptance() -> None:
    assert compute_due(CAL, MON, P, 5).due == NEXT_MON
    assert compute_due(CAL, FRI, P, 5).due == FRI2
    assert compute_due(CAL, FRI, P, 1).due == NEXT_MON  # the weekend does not count


def test_immediate_items_are_due_the_same_day() -> None:
    assert compute_due(CAL, MON, ItemKind.IMMEDIATE, 0).due == MON
    assert compute_due(CAL, MON, ItemKind.IMMEDIATE, 3).due == MON


def test_holidays_and_makeup_days_count_correctly() -> None:
    # Sat 28 (make-up) 1, Mon 30 2, Tue 1 holiday, Wed 2 3.
    deadline = compute_due(HOLIDAY_CAL, FRI, P, 3)
    assert deadline.due == WED and not deadline.provisional


def test_years_without_calendar_data_are_provisional() -> None:
    assert compute_due(CAL, MON, P, 5).provisional  # weekends only: never covered
    late = compute_due(HOLIDAY_CAL, date(2026, 12, 28), P, 5)
    assert late.due == date(2027, 1, 4) and late.provisional


def test_clock_stops_during_special_procedures() -> None:
    stop = Stop(date(2026, 11, 25), NEXT_MON)  # Wed..Fri do not count
    assert compute_due(CAL, MON, P, 5, (stop,)).due == THU
    running = compute_due(CAL, MON, P, 5, (Stop(date(2026, 11, 25)),))
    assert running.due is None and running.stopped


def test_immediate_item_after_a_special_procedure_is_due_when_it_resumes() -> None:
    stop = Stop(MON, SAT)
    assert compute_due(CAL, MON, ItemKind.IMMEDIATE, 0, (stop,)).due == NEXT_MON


def test_extensions_add_working_days() -> None:
    assert compute_due(CAL, MON, P, 5, extension_days=2).due == WED


def test_machine_pause_resume_and_extension_move_the_due_date() -> None:
    clk = clock()
    case = perform(new_case(ALL_RECEIVED), c.Accept(), ctx_from(clk)).case
    assert case_deadline(case, CAL) == compute_due(CAL, MON, P, 5)
    clk.advance(days=2)  # Wed 25
    hearing = c.StartSpecial(procedure=SpecialProcedure.HEARING, reason="听证")
    case = perform(case, hearing, ctx_from(clk)).case
    assert due_view(case, WED, CAL).status is DueStatus.STOPPED
    clk.advance(days=5)  # Mon 30
    case = perform(case, c.EndSpecial(), ctx_from(clk)).case
    deadline = case_deadline(case, CAL)
    assert deadline is not None and deadline.due == THU
    step = perform(case, c.Extend(days=2, reason="需补充入户调查"), ctx_from(clk))
    assert step.transition.details == {
        "days": "2",
        "tell_applicant": "需补充入户调查",
        "new_due": "2026-12-07",
    }
    assert step.sms and step.case.state is CaseState.ACCEPTED


def test_extension_needs_a_reason_and_positive_days() -> None:
    with pytest.raises(Invalid, match="延期须说明理由"):
        perform(accepted(), c.Extend(days=2), ctx())
    with pytest.raises(Invalid, match="正整数"):
        perform(accepted(), c.Extend(days=0, reason="x"), ctx())
    with pytest.raises(Invalid, match="延期理由"):
        Extension(days=1, reason=" ", on=MON)


@pytest.mark.parametrize(
    ("today", "status", "left"),
    [
        (date(2026, 11, 26), DueStatus.ON_TRACK, 2),
        (FRI, DueStatus.DUE_SOON, 1),  # 1 working day before the due date
        (SAT, DueStatus.DUE_SOON, 1),
        (NEXT_MON, DueStatus.DUE_SOON, 0),  # due today
        (TUE, DueStatus.OVERDUE, -1),
        (FRI2, DueStatus.OVERDUE, -4),
    ],
)
def test_reminder_and_overdue(today: date, status: DueStatus, left: int) -> None:
    view = due_view(accepted(), today, CAL)
    assert (view.status, view.due, view.remind_on, view.working_days_left) == (
        status,
        NEXT_MON,
        FRI,
        left,
    )
    assert is_overdue(accepted(), today, CAL) is (status is DueStatus.OVERDUE)
    assert needs_reminder(accepted(), today, CAL) is (status is DueStatus.DUE_SOON)


def test_reminder_lead_is_configurable() -> None:
    view = due_view(accepted(), date(2026, 11, 26), CAL, remind_days=2)
    assert view.remind_on == date(2026, 11, 26) and view.status is DueStatus.DUE_SOON


def test_not_running_before_acceptance_and_done_after_outcome() -> None:
    assert due_view(new_case(), MON, CAL).status is DueStatus.NOT_RUNNING
    on_time = run(accepted(), c.Approve(decided_by="镇民政办"), days=7)  # Mon 30 = due
    assert due_view(on_time, FRI2, CAL).status is DueStatus.DONE_ON_TIME
    late = run(accepted(), c.Approve(decided_by="镇民政办"), days=8)
    assert due_view(late, FRI2, CAL).status is DueStatus.DONE_LATE
    withdrawn = run(accepted(), c.Withdraw(reason="撤回"))
    assert due_view(withdrawn, FRI2, CAL).status is DueStatus.NOT_RUNNING


def test_immediate_case_is_due_the_day_it_is_accepted() -> None:
    item = dataclasses.replace(ITEM, kind=ItemKind.IMMEDIATE, promised_days=0)
    case = run(new_case(ALL_RECEIVED, item=item), c.Accept())
    assert due_view(case, MON, CAL).status is DueStatus.DUE_SOON
    assert due_view(case, date(2026, 11, 24), CAL).status is DueStatus.OVERDUE


# --- auto-acceptance (R-K2) ----------------------------------------------------------------


def test_auto_acceptance_applies_past_the_acceptance_deadline_from_receipt() -> None:
    assert acceptance_deadline(CAL, MON) == NEXT_MON
    waiting = auto_acceptance(new_case(), NEXT_MON, CAL)
    assert not waiting.applies and waiting.deadline == NEXT_MON
    due = auto_acceptance(new_case(), TUE, CAL)
    assert due.applies and due.accepted_from == MON
    assert auto_acceptance(new_case(), date(2026, 11, 26), CAL, days=2).applies


def test_auto_acceptance_does_not_apply_once_a_decision_was_issued() -> None:
    corrected = run(new_case(), c.RequestCorrection(deadline=FRI))
    assert not auto_acceptance(corrected, FRI2, CAL).applies
    assert not auto_acceptance(accepted(), FRI2, CAL).applies


def test_auto_accept_action_counts_from_the_day_of_receipt() -> None:
    clk = clock()
    with pytest.raises(Conflict, match="尚未届满"):
        perform(new_case(), c.AutoAccept(), ctx_from(clk, actor="system"))
    clk.set(T0 + timedelta(days=8))  # Tue 1 Dec
    step = perform(new_case(), c.AutoAccept(), ctx_from(clk, actor="system"))
    case = step.case
    assert case.state is CaseState.ACCEPTED and case.accept_mode == AcceptMode.AUTO
    assert case.accepted_on == MON
    assert step.transition.details["accepted_from"] == "2026-11-23"
    assert due_view(case, TUE, CAL).status is DueStatus.OVERDUE  # due Mon 30 already


# --- 容缺 deadline and pickup notice (R-K2, R-K6) ---------------------------------------------


def test_tolerant_overdue_detection() -> None:
    case = tolerant()  # deadline Sat 28 given, lands on Mon 30 (issue 16: a working day)
    assert not tolerant_overdue(case, SAT)
    assert not tolerant_overdue(case, NEXT_MON)
    assert tolerant_overdue(case, NEXT_MON + timedelta(days=1))
    supplied = run(case, c.Supply(marks={"income": (MaterialStatus.RECEIVED, "")}))
    assert not tolerant_overdue(supplied, NEXT_MON + timedelta(days=1))


def test_pickup_notice_within_one_working_day_of_arrival() -> None:
    assert pickup_notice_due(CAL, FRI) == NEXT_MON
    approved = run(accepted(), c.Approve(decided_by="镇民政办"))
    on_time = perform(approved, c.NotifyPickup(arrived_on=FRI), ctx(7))
    assert on_time.transition.details["late"] == "no"
    late = perform(approved, c.NotifyPickup(arrived_on=FRI), ctx(8))
    assert late.transition.details == {
        "arrived_on": "2026-11-27",
        "notice_due": "2026-11-30",
        "late": "yes",
    }
    with pytest.raises(Invalid, match="不能晚于今天"):
        perform(approved, c.NotifyPickup(arrived_on=TUE), ctx(7))


# --- working-day helpers ------------------------------------------------------------------


def test_working_day_helpers() -> None:
    cal = WeekendsOnly()
    assert add_working_days(cal, FRI, 0) == FRI
    assert subtract_working_days(cal, NEXT_MON, 1) == FRI
    assert working_days_between(cal, FRI, NEXT_MON) == 1
    assert working_days_between(cal, NEXT_MON, FRI) == -1
    assert not cal.covered(2026)
    with pytest.raises(ValueError):
        add_working_days(cal, FRI, -1)
