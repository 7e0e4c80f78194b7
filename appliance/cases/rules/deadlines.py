"""Time limits (办理时限, R-K2, R-K3, R-K6): due dates, reminders, overdue, auto-acceptance.

All functions are pure: they take the local ``today`` and a ``WorkingDays`` calendar.

- 承诺期限: the Nth working day after acceptance; 即办件 are due the day of acceptance.
- The clock stops during special procedures: a stop ``[start, end)`` does not count
  the working days from the start day up to the day before the case resumes.
- Extensions add working days (only with a reason, see ``records.Extension``).
- The reminder falls ``remind_days`` working days before the due date (default 1).
- Auto-acceptance: a case still undecided (收件) after the acceptance period
  (default 5 working days after receipt) counts as accepted from the day of receipt.
- A date in a year without calendar data makes the result *provisional*.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from appliance.cases.rules.case import CaseFile
from appliance.cases.rules.materials import ItemKind
from appliance.cases.rules.states import DECIDED_STATES, CaseState
from appliance.cases.rules.working_days import (
    Stop,
    WorkingDays,
    add_working_days,
    provisional,
    subtract_working_days,
    working_days_between,
)

DEFAULT_ACCEPTANCE_DAYS = 5
DEFAULT_REMIND_DAYS = 1
PICKUP_NOTICE_DAYS = 1


@dataclass(frozen=True)
class Deadline:
    """A due date; ``due`` is None while the clock is stopped."""

    due: date | None
    provisional: bool = False

    @property
    def stopped(self) -> bool:
        return self.due is None


def compute_due(
    calendar: WorkingDays,
    accepted_on: date,
    kind: ItemKind,
    promised_days: int,
    stops: tuple[Stop, ...] = (),
    extension_days: int = 0,
) -> Deadline:
    """承诺期限 from acceptance, honouring stops and extensions (R-K3)."""
    if any(s.end is None for s in stops):
        return Deadline(None, provisional(calendar, accepted_on))
    days = (0 if kind is ItemKind.IMMEDIATE else promised_days) + extension_days
    if days == 0:
        due = accepted_on
        ends = [s.end for s in stops if s.end is not None and s.start <= accepted_on < s.end]
        ends += [s.end for s in stops if s.end is not None and s.start >= accepted_on]
        if ends:  # a 即办件 that went through a special procedure: due when it resumes
            due = max(ends)
            while not calendar.is_workday(due):
                due += timedelta(days=1)
    else:
        due = add_working_days(calendar, accepted_on, days, stops)
    return Deadline(due, provisional(calendar, accepted_on, due))


def case_deadline(case: CaseFile, calendar: WorkingDays) -> Deadline | None:
    """The case's current due date, or None before acceptance."""
    if case.accepted_on is None:
        return None
    return compute_due(
        calendar,
        case.accepted_on,
        case.item.kind,
        case.item.promised_days,
        case.stops,
        sum(e.days for e in case.extensions),
    )


def reminder_day(calendar: WorkingDays, due: date, remind_days: int = DEFAULT_REMIND_DAYS) -> date:
    """The working day the reminder falls on (到期提醒)."""
    return subtract_working_days(calendar, due, remind_days)


class DueStatus(StrEnum):
    """时限状态 for lists, figures and escalation (R-K3)."""

    NOT_RUNNING = "not_running"  # 未受理 / 已终止
    ON_TRACK = "on_track"  # 正常
    DUE_SOON = "due_soon"  # 临期（提醒）
    OVERDUE = "overdue"  # 超期
    STOPPED = "stopped"  # 计时中止（特别程序）
    DONE_ON_TIME = "done_on_time"  # 按时办结
    DONE_LATE = "done_late"  # 超期办结


DUE_STATUS_LABELS: dict[DueStatus, str] = {
    DueStatus.NOT_RUNNING: "未计时",
    DueStatus.ON_TRACK: "正常",
    DueStatus.DUE_SOON: "临期",
    DueStatus.OVERDUE: "超期",
    DueStatus.STOPPED: "计时中止",
    DueStatus.DONE_ON_TIME: "按时办结",
    DueStatus.DONE_LATE: "超期办结",
}


@dataclass(frozen=True)
class DueView:
    """Where a case stands against its time limit."""

    status: DueStatus
    due: date | None = None
    remind_on: date | None = None
    working_days_left: int | None = None  # negative when overdue
    provisional: bool = False


def due_view(
    case: CaseFile,
    today: date,
    calendar: WorkingDays,
    remind_days: int = DEFAULT_REMIND_DAYS,
) -> DueView:
    """Reminder and overdue detection for one case on ``today`` (R-K3)."""
    deadline = case_deadline(case, calendar)
    if deadline is None:
        return DueView(DueStatus.NOT_RUNNING)
    if deadline.due is None:
        return DueView(DueStatus.STOPPED, provisional=deadline.provisional)
    due = deadline.due
    remind_on = reminder_day(calendar, due, remind_days)
    prov = deadline.provisional
    if case.state in DECIDED_STATES and case.outcome is not None:
        done = DueStatus.DONE_ON_TIME if case.outcome.on <= due else DueStatus.DONE_LATE
        return DueView(done, due, remind_on, provisional=prov)
    if case.state is CaseState.CLOSED:
        return DueView(DueStatus.NOT_RUNNING, due, remind_on, provisional=prov)
    left = working_days_between(calendar, today, due)
    if today > due:
        status = DueStatus.OVERDUE
    elif today >= remind_on:
        status = DueStatus.DUE_SOON
    else:
        status = DueStatus.ON_TRACK
    return DueView(status, due, remind_on, left, prov)


def is_overdue(case: CaseFile, today: date, calendar: WorkingDays) -> bool:
    return due_view(case, today, calendar).status is DueStatus.OVERDUE


def needs_reminder(
    case: CaseFile, today: date, calendar: WorkingDays, remind_days: int = DEFAULT_REMIND_DAYS
) -> bool:
    return due_view(case, today, calendar, remind_days).status is DueStatus.DUE_SOON


def acceptance_deadline(
    calendar: WorkingDays, received_on: date, days: int = DEFAULT_ACCEPTANCE_DAYS
) -> date:
    """受理期限: the last day a decision on intake can be made."""
    return add_working_days(calendar, received_on, days)


@dataclass(frozen=True)
class AutoAcceptance:
    """逾期视为受理: applies, and from which day (R-K2)."""

    applies: bool
    deadline: date
    accepted_from: date


def auto_acceptance(
    case: CaseFile,
    today: date,
    calendar: WorkingDays,
    days: int = DEFAULT_ACCEPTANCE_DAYS,
) -> AutoAcceptance:
    """Whether a case left undecided past the acceptance deadline counts as accepted.

    It applies only to a case still in 收件 (no acceptance, correction or refusal was
    issued) on a day after the deadline; it is then accepted from the day of receipt.
    """
    deadline = acceptance_deadline(calendar, case.received_on, days)
    applies = case.state is CaseState.RECEIVED and today > deadline
    return AutoAcceptance(applies, deadline, case.received_on)


def tolerant_overdue(case: CaseFile, today: date) -> bool:
    """容缺承诺 past its deadline with materials still owed."""
    t = case.tolerant
    return (
        case.state is CaseState.TOLERANT_ACCEPTED
        and t is not None
        and t.fulfilled_on is None
        and today > t.deadline
    )


def pickup_notice_due(calendar: WorkingDays, arrived_on: date) -> date:
    """取件通知 is due within 1 working day of the result's arrival (R-K6)."""
    return add_working_days(calendar, arrived_on, PICKUP_NOTICE_DAYS)
