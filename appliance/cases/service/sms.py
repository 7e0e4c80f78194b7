"""The applicant's SMS on a case decision (R-K6): which template, and its placeholders.

Templates (``sms_template``, migration 0006) use ``{station}`` ``{case}`` ``{item}``
``{deadline}`` ``{reason}``; ``{number}`` and ``{category}`` are kept for templates a
station wrote before 0006.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from appliance.cases.rules.case import CaseFile
from appliance.cases.rules.states import Action, CaseState

SMS_KINDS: dict[Action, str] = {
    Action.ACCEPT: "case_accepted",
    Action.AUTO_ACCEPT: "case_accepted",
    Action.ACCEPT_TOLERANT: "case_accepted",
    Action.ACCEPT_COMMITMENT: "case_accepted",
    Action.REQUEST_CORRECTION: "case_correction",
    Action.REFUSE: "case_refused",
    Action.APPROVE: "case_decided",
    Action.REJECT: "case_decided",
    Action.NOTIFY_PICKUP: "case_pickup",
    Action.EXTEND: "case_extended",
    Action.LAPSE: "case_lapsed",
}


PROVISIONAL = "（暂定）"


def chinese_day(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def sms_values(
    station: str,
    case: CaseFile,
    due_on: str | None,
    reason: str,
    today: date,
    provisional: bool = False,
) -> dict[str, Any]:
    """Placeholders of a case SMS: {case} {item} {deadline} {reason} (+ legacy names).

    A 办结期限 counted over a year without the county's holiday data reads “（暂定）”, as on
    the notice (issue 16, item 3)."""
    deadline = due_on or ""
    if case.state is CaseState.CORRECTION_REQUESTED and case.correction is not None:
        deadline, provisional = case.correction.deadline.isoformat(), False
    elif case.state is CaseState.TOLERANT_ACCEPTED and case.tolerant is not None and not due_on:
        deadline, provisional = case.tolerant.deadline.isoformat(), False
    if deadline:
        deadline = chinese_day(date.fromisoformat(deadline)) + (PROVISIONAL if provisional else "")
    return {
        "station": station,
        "case": case.number,
        "number": case.number,
        "item": case.item.name,
        "category": case.item.name,
        "deadline": deadline,
        "reason": reason or "见通知书",
    }
