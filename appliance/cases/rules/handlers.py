"""What each action does to a case, once the table and guards allow it (R-K2–R-K8).

A handler checks the command's fields and the time-dependent rules, and returns the
changed case (state not yet set) and the details for the transition record. It never
touches ``state`` or ``history``: ``machine.perform`` does that.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import TypeVar, cast

from appliance.cases.rules import commands as c
from appliance.cases.rules.case import AcceptMode, CaseFile
from appliance.cases.rules.deadlines import acceptance_deadline, case_deadline, pickup_notice_due
from appliance.cases.rules.materials import SPECIAL_PROCEDURE_LABELS as PROC
from appliance.cases.rules.materials import (
    MaterialStatus,
    correction_list,
    mark,
    missing_required,
    names,
)
from appliance.cases.rules.records import (
    RIGHTS_TEXT,
    Correction,
    Extension,
    Handover,
    MailDelivery,
    Outcome,
    Refusal,
    TolerantCommitment,
    delivery_details,
)
from appliance.cases.rules.states import CaseState
from appliance.cases.rules.working_days import Stop, on_working_day
from appliance.core.errors import Conflict, Invalid

Details = dict[str, str]
Result = tuple[CaseFile, Details]
Handler = Callable[[CaseFile, c.Command, c.Context], Result]
C = TypeVar("C", bound=c.Command)

HANDLERS: dict[type[c.Command], Handler] = {}


def _on(kind: type[C]) -> Callable[[Callable[[CaseFile, C, c.Context], Result]], Handler]:
    def register(fn: Callable[[CaseFile, C, c.Context], Result]) -> Handler:
        HANDLERS[kind] = cast(Handler, fn)
        return cast(Handler, fn)

    return register


def _d(day: date) -> str:
    return day.isoformat()


@_on(c.Accept)
def _accept(case: CaseFile, cmd: c.Accept, ctx: c.Context) -> Result:
    return replace(case, accepted_on=ctx.today, accept_mode=AcceptMode.NORMAL), {}


@_on(c.AutoAccept)
def _auto_accept(case: CaseFile, cmd: c.AutoAccept, ctx: c.Context) -> Result:
    deadline = acceptance_deadline(ctx.calendar, case.received_on, cmd.acceptance_days)
    if ctx.today <= deadline:
        raise Conflict(
            f"办件 {case.number} 的受理期限至 {_d(deadline)}，尚未届满，不能视为受理",
            "acceptance_period_running",
        )
    new = replace(case, accepted_on=case.received_on, accept_mode=AcceptMode.AUTO)
    return new, {"accepted_from": _d(case.received_on), "acceptance_deadline": _d(deadline)}


@_on(c.RequestCorrection)
def _request_correction(case: CaseFile, cmd: c.RequestCorrection, ctx: c.Context) -> Result:
    if cmd.deadline < ctx.today:
        raise Invalid("补正期限不能早于今天", "bad_deadline")
    cmd = replace(cmd, deadline=on_working_day(ctx.calendar, cmd.deadline))
    lines = tuple(line.text() for line in correction_list(case.materials))
    details = {"deadline": _d(cmd.deadline), "items": "；".join(lines)}
    return replace(case, correction=Correction(lines, cmd.deadline)), details


@_on(c.Resubmit)
def _resubmit(case: CaseFile, cmd: c.Resubmit, ctx: c.Context) -> Result:
    checklist = mark(case.materials, cmd.marks)
    return replace(case, materials=checklist), {"remarked": "、".join(sorted(cmd.marks))}


@_on(c.Refuse)
def _refuse(case: CaseFile, cmd: c.Refuse, ctx: c.Context) -> Result:
    refusal = Refusal(reason=cmd.reason.strip())
    return replace(case, refusal=refusal), {"rights": RIGHTS_TEXT}


@_on(c.AcceptTolerant)
def _accept_tolerant(case: CaseFile, cmd: c.AcceptTolerant, ctx: c.Context) -> Result:
    if cmd.deadline <= ctx.today:
        raise Invalid("容缺补齐期限须晚于今天", "bad_deadline")
    cmd = replace(cmd, deadline=on_working_day(ctx.calendar, cmd.deadline))
    owed = tuple(m.rule.code for m in missing_required(case.materials))
    owed += tuple(
        m.rule.code
        for m in case.materials
        if m.status is MaterialStatus.DEFECTIVE and m.rule.code not in owed
    )
    tolerant = TolerantCommitment(owed=owed, deadline=cmd.deadline, signed_by=cmd.signed_by)
    new = replace(case, tolerant=tolerant, accepted_on=ctx.today, accept_mode=AcceptMode.TOLERANT)
    return new, {"deadline": _d(cmd.deadline), "owed": "、".join(owed), "signed_by": cmd.signed_by}


@_on(c.Supply)
def _supply(case: CaseFile, cmd: c.Supply, ctx: c.Context) -> Result:
    assert case.tolerant is not None
    if ctx.today > case.tolerant.deadline:
        raise Conflict(
            f"容缺补齐期限 {_d(case.tolerant.deadline)} 已过，不再适用容缺办理，请作容缺逾期处理",
            "tolerant_deadline_passed",
        )
    checklist = mark(case.materials, cmd.marks)
    still = missing_required(checklist)
    if still:
        raise Conflict(f"仍缺少或有瑕疵的材料：{names(still)}，尚未补齐", "materials_incomplete")
    tolerant = replace(case.tolerant, fulfilled_on=ctx.today)
    return replace(case, materials=checklist, tolerant=tolerant), {}


@_on(c.Lapse)
def _lapse(case: CaseFile, cmd: c.Lapse, ctx: c.Context) -> Result:
    assert case.tolerant is not None
    if ctx.today <= case.tolerant.deadline:
        raise Conflict(
            f"容缺补齐期限至 {_d(case.tolerant.deadline)}，尚未届满", "tolerant_deadline_running"
        )
    still = names(missing_required(case.materials))
    return replace(case, applicant_flagged=True), {"still_missing": still, "flagged": "yes"}


@_on(c.AcceptCommitment)
def _accept_commitment(case: CaseFile, cmd: c.AcceptCommitment, ctx: c.Context) -> Result:
    new = replace(
        case, commitment=cmd.commitment, accepted_on=ctx.today, accept_mode=AcceptMode.COMMITMENT
    )
    return new, {"signed_by": cmd.commitment.signed_by}


@_on(c.StartSpecial)
def _start_special(case: CaseFile, cmd: c.StartSpecial, ctx: c.Context) -> Result:
    if cmd.procedure not in case.item.special_procedures:
        allowed = "、".join(PROC[p] for p in sorted(case.item.special_procedures))
        raise Invalid(
            f"事项“{case.item.name}”不含特别程序“{PROC[cmd.procedure]}”（可用：{allowed}）",
            "special_not_allowed",
        )
    stops = (*case.stops, Stop(ctx.today))
    new = replace(case, stops=stops, resume_state=case.state)
    return new, {"procedure": cmd.procedure.value, "stopped_on": _d(ctx.today)}


@_on(c.EndSpecial)
def _end_special(case: CaseFile, cmd: c.EndSpecial, ctx: c.Context) -> Result:
    last = case.stops[-1]
    if ctx.today < last.start:
        raise Invalid("特别程序结束日期不能早于开始日期", "bad_date")
    stops = (*case.stops[:-1], Stop(last.start, ctx.today))
    new = replace(case, stops=stops, resume_state=None)
    return new, {"stopped_on": _d(last.start), "resumed_on": _d(ctx.today)}


@_on(c.Forward)
def _forward(case: CaseFile, cmd: c.Forward, ctx: c.Context) -> Result:
    handover = Handover(
        to_body=cmd.to_body,
        handed_by=ctx.actor,
        received_by=cmd.received_by,
        materials=tuple(m for m in (x.strip() for x in cmd.materials) if m),
        on=ctx.today,
        note=cmd.note,
    )
    details = {
        "to_body": handover.to_body,
        "received_by": handover.received_by,
        "materials": "、".join(handover.materials),
    }
    if case.other_place is not None:
        details["other_place"] = f"{case.other_place.kind.value}:{case.other_place.place}"
    return replace(case, handovers=(*case.handovers, handover)), details


@_on(c.Extend)
def _extend(case: CaseFile, cmd: c.Extend, ctx: c.Context) -> Result:
    ext = Extension(days=cmd.days, reason=cmd.reason, on=ctx.today)
    new = replace(case, extensions=(*case.extensions, ext))
    deadline = case_deadline(new, ctx.calendar)
    details = {"days": str(cmd.days), "tell_applicant": cmd.reason.strip()}
    if deadline is not None and deadline.due is not None:
        details["new_due"] = _d(deadline.due)
    return new, details


@_on(c.Approve)
def _approve(case: CaseFile, cmd: c.Approve, ctx: c.Context) -> Result:
    outcome = Outcome(
        approved=True, decided_by=cmd.decided_by, on=ctx.today, document_no=cmd.document_no
    )
    return replace(case, outcome=outcome), {"decided_by": outcome.decided_by}


@_on(c.Reject)
def _reject(case: CaseFile, cmd: c.Reject, ctx: c.Context) -> Result:
    outcome = Outcome(
        approved=False,
        decided_by=cmd.decided_by,
        on=ctx.today,
        reason=cmd.reason.strip(),
        contact=cmd.contact,
        rights=RIGHTS_TEXT,
    )
    details = {"decided_by": outcome.decided_by, "contact": outcome.contact, "rights": RIGHTS_TEXT}
    return replace(case, outcome=outcome), details


@_on(c.NotifyPickup)
def _notify_pickup(case: CaseFile, cmd: c.NotifyPickup, ctx: c.Context) -> Result:
    if cmd.arrived_on > ctx.today:
        raise Invalid("结果到达日期不能晚于今天", "bad_date")
    due = pickup_notice_due(ctx.calendar, cmd.arrived_on)
    new = replace(case, result_arrived_on=cmd.arrived_on, pickup_notified_on=ctx.today)
    details = {"arrived_on": _d(cmd.arrived_on), "notice_due": _d(due)}
    details["late"] = "yes" if ctx.today > due else "no"
    return new, details


@_on(c.Deliver)
def _deliver(case: CaseFile, cmd: c.Deliver, ctx: c.Context) -> Result:
    new = replace(case, delivery=cmd.delivery, delivered_on=ctx.today)
    return new, delivery_details(cmd.delivery)


@_on(c.Return)
def _return(case: CaseFile, cmd: c.Return, ctx: c.Context) -> Result:
    details = {}
    if isinstance(case.delivery, MailDelivery):
        details["tracking_no"] = case.delivery.tracking_no
    return case, details


@_on(c.Close)
def _close(case: CaseFile, cmd: c.Close, ctx: c.Context) -> Result:
    if case.state is CaseState.CORRECTION_REQUESTED:
        assert case.correction is not None
        if ctx.today <= case.correction.deadline:
            raise Conflict(
                f"补正期限至 {_d(case.correction.deadline)}，尚未届满，不能关闭",
                "correction_period_running",
            )
        return case, {"correction_deadline": _d(case.correction.deadline)}
    return case, {}


@_on(c.Withdraw)
def _withdraw(case: CaseFile, cmd: c.Withdraw, ctx: c.Context) -> Result:
    return case, {}
