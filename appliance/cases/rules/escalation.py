"""Escalations of a case (到期提醒、超期预警、补正逾期、取件通知逾期, R-K3, R-K6).

``escalations(case, today, calendar)`` lists the conditions that hold for a case on
``today``; the station's sweep keeps one open staff alert per condition and closes it when
the condition stops holding. Each condition carries the date it is about (``on``): the
办结期限, the 补正期限 or the day the 取件通知 was due. A recomputed or extended deadline is
a new date, hence a new condition (it may remind again).

- 临期 (reminder): the time limit runs and today is on or after the reminder day;
- 超期 (overdue): the time limit runs and today is after the 办结期限; it holds until the
  case is decided (or the deadline moves: extension, special procedure);
- 补正逾期: a correction past its deadline; staff may close the case (never automatic);
- 取件通知逾期: a result (准予 / 不予批准) not notified within 1 working day of its arrival.

Messages name the case number, the item and the applicant masked (R-I3), never more.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from appliance.cases.rules.case import CaseFile
from appliance.cases.rules.deadlines import (
    DEFAULT_REMIND_DAYS,
    DueStatus,
    due_view,
    pickup_notice_due,
)
from appliance.cases.rules.states import CaseState
from appliance.cases.rules.working_days import WorkingDays
from appliance.core.masking import mask_name


class EscalationKind(StrEnum):
    """What a case is escalated for."""

    REMINDER = "reminder"  # 到期提醒（临期）
    OVERDUE = "overdue"  # 超期
    CORRECTION_LAPSED = "correction_lapsed"  # 补正逾期，可关闭
    PICKUP_LATE = "pickup_late"  # 取件通知未按时发出


ESCALATION_LABELS: dict[EscalationKind, str] = {
    EscalationKind.REMINDER: "到期提醒",
    EscalationKind.OVERDUE: "超期预警",
    EscalationKind.CORRECTION_LAPSED: "补正逾期",
    EscalationKind.PICKUP_LATE: "取件通知逾期",
}


@dataclass(frozen=True)
class Escalation:
    """One condition that holds for a case today, with the staff message (masked)."""

    kind: EscalationKind
    on: date  # the date it is about (办结期限 / 补正期限 / 取件通知期限)
    message: str


def short_day(day: date) -> str:
    """``12月14日`` (the year is implied on a staff alert)."""
    return f"{day.month}月{day.day}日"


def case_label(case: CaseFile) -> str:
    """``YZ0001-20261123-0001（高龄津贴申请，申请人 张*兰）``: no personal data in clear."""
    return f"{case.number}（{case.item.name}，申请人 {mask_name(case.applicant.name)}）"


def escalations(
    case: CaseFile, today: date, calendar: WorkingDays, remind_days: int = DEFAULT_REMIND_DAYS
) -> list[Escalation]:
    """The escalation conditions that hold for ``case`` on ``today``."""
    out: list[Escalation] = []
    view = due_view(case, today, calendar, remind_days)
    label = case_label(case)
    if view.status is DueStatus.DUE_SOON and view.due is not None:
        out.append(
            Escalation(
                EscalationKind.REMINDER,
                view.due,
                f"办件临期：{label} 办结期限 {short_day(view.due)}，请抓紧办理",
            )
        )
    elif view.status is DueStatus.OVERDUE and view.due is not None:
        out.append(
            Escalation(
                EscalationKind.OVERDUE,
                view.due,
                f"办件超期：{label} 办结期限 {short_day(view.due)} 已过，请尽快办结",
            )
        )
    correction = case.correction
    if (
        case.state is CaseState.CORRECTION_REQUESTED
        and correction is not None
        and today > correction.deadline
    ):
        out.append(
            Escalation(
                EscalationKind.CORRECTION_LAPSED,
                correction.deadline,
                f"补正逾期：{label} 补正期限 {short_day(correction.deadline)} 已过，可关闭办件",
            )
        )
    outcome = case.outcome
    if case.state in (CaseState.APPROVED, CaseState.REJECTED) and outcome is not None:
        due = pickup_notice_due(calendar, outcome.on)
        if today > due:
            out.append(
                Escalation(
                    EscalationKind.PICKUP_LATE,
                    due,
                    f"取件通知未发：{label} 结果 {short_day(outcome.on)} 已到，"
                    f"应于 {short_day(due)} 前通知申请人",
                )
            )
    return out
