"""The follow-up (回访) of a bad rating to closure (R-E3; XC 服务改进, HN-6 8.3).

Every bad rating opens one follow-up. It moves through four steps, each recorded with who,
when and the text:

| state     | waits for        | next state |
|-----------|------------------|------------|
| verify    | 核实 (verify)     | rectify    |
| rectify   | 整改 or 说明      | callback   |
| callback  | 回访 (call back)  | close      |
| close     | 办结 (close)      | closed     |

A follow-up never closes without a 回访 record. Deadlines are in working days from the day it
opened: contact the visitor (核实) within ``contact_days`` (default 1), finish (整改/说明,
回访, 办结) within ``rectify_days`` (default 15). Past a deadline it is overdue (超期) until the
step is done. A rating given by mistake or in malice may be appealed (申诉); the station
head decides, and both the appeal and the decision stay on the record.

Pure: the working calendar comes in as a value.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from appliance.calendar.rules import WorkingCalendar
from appliance.core.errors import Conflict


class FollowUpState(StrEnum):
    VERIFY = "verify"
    RECTIFY = "rectify"
    CALLBACK = "callback"
    CLOSE = "close"
    CLOSED = "closed"


STATE_LABELS: dict[FollowUpState, str] = {
    FollowUpState.VERIFY: "待核实",
    FollowUpState.RECTIFY: "待整改或说明",
    FollowUpState.CALLBACK: "待回访",
    FollowUpState.CLOSE: "待办结",
    FollowUpState.CLOSED: "已办结",
}


class Step(StrEnum):
    VERIFY = "verify"
    RECTIFY = "rectify"
    EXPLAIN = "explain"
    CALLBACK = "callback"
    CLOSE = "close"


STEP_LABELS: dict[Step, str] = {
    Step.VERIFY: "核实",
    Step.RECTIFY: "整改",
    Step.EXPLAIN: "说明",
    Step.CALLBACK: "回访",
    Step.CLOSE: "办结",
}

# The steps each state accepts, and where each step leads.
ALLOWED: dict[FollowUpState, tuple[Step, ...]] = {
    FollowUpState.VERIFY: (Step.VERIFY,),
    FollowUpState.RECTIFY: (Step.RECTIFY, Step.EXPLAIN),
    FollowUpState.CALLBACK: (Step.CALLBACK,),
    FollowUpState.CLOSE: (Step.CLOSE,),
    FollowUpState.CLOSED: (),
}
LEADS_TO: dict[Step, FollowUpState] = {
    Step.VERIFY: FollowUpState.RECTIFY,
    Step.RECTIFY: FollowUpState.CALLBACK,
    Step.EXPLAIN: FollowUpState.CALLBACK,
    Step.CALLBACK: FollowUpState.CLOSE,
    Step.CLOSE: FollowUpState.CLOSED,
}


class Grounds(StrEnum):
    """Why a rating is appealed (申诉理由)."""

    MISTAKE = "mistake"  # 误评: the visitor pressed or chose the wrong level
    MALICE = "malice"  # 恶意评价: not about the service


GROUNDS_LABELS: dict[Grounds, str] = {Grounds.MISTAKE: "误评", Grounds.MALICE: "恶意评价"}


class AppealBy(StrEnum):
    """Who appeals: the visitor who rated, or the staff member rated."""

    VISITOR = "visitor"
    STAFF = "staff"


APPEAL_BY_LABELS: dict[AppealBy, str] = {
    AppealBy.VISITOR: "评价人本人",
    AppealBy.STAFF: "被评价的工作人员",
}

STEP_TEXT_MAX = 300


def next_state(state: FollowUpState, step: Step, done: frozenset[Step]) -> FollowUpState:
    """The state after ``step``, or a Chinese refusal naming what comes first.

    ``done`` are the steps already recorded: 办结 needs a 回访 among them.
    """
    if state is FollowUpState.CLOSED:
        raise Conflict("该回访已办结，不能再记录步骤", "followup_closed")
    if step is Step.CLOSE and Step.CALLBACK not in done:
        raise Conflict("尚未回访，不能办结：请先联系评价人并记录回访情况", "callback_required")
    if step not in ALLOWED[state]:
        wanted = "或".join(STEP_LABELS[s] for s in ALLOWED[state])
        raise Conflict(
            f"当前为“{STATE_LABELS[state]}”，应先记录{wanted}，不能记录{STEP_LABELS[step]}",
            "step_out_of_order",
        )
    return LEADS_TO[step]


@dataclass(frozen=True)
class Deadlines:
    """联系（核实）期限 and 办结（整改）期限, both working days after the day it opened."""

    contact_due: date
    rectify_due: date
    provisional: bool


def deadlines(
    calendar: WorkingCalendar, opened_on: date, contact_days: int, rectify_days: int
) -> Deadlines:
    contact = calendar.add_working_days(opened_on, contact_days)
    rectify = calendar.add_working_days(opened_on, rectify_days)
    return Deadlines(contact.date, rectify.date, contact.provisional or rectify.provisional)


class Overdue(StrEnum):
    CONTACT = "contact"  # not verified (visitor not contacted) in time
    RECTIFY = "rectify"  # not closed in time


OVERDUE_LABELS: dict[Overdue, str] = {
    Overdue.CONTACT: "超过联系期限未核实",
    Overdue.RECTIFY: "超过整改期限未办结",
}


def overdue(
    state: FollowUpState, today: date, contact_due: date, rectify_due: date
) -> frozenset[Overdue]:
    """What is overdue today (a deadline day itself is still in time)."""
    out: set[Overdue] = set()
    if state is FollowUpState.VERIFY and today > contact_due:
        out.add(Overdue.CONTACT)
    if state is not FollowUpState.CLOSED and today > rectify_due:
        out.add(Overdue.RECTIFY)
    return frozenset(out)
