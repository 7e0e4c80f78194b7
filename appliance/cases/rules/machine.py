"""The case state machine (办件状态机, R-K2–R-K8): ``perform`` and ``legal_actions``.

``perform(case, command, ctx)`` looks the (state, action) pair up in the transition
table, checks the case-level guards (materials, item permissions, forwarding), runs
the action's handler and returns the new case with one more ``Transition`` — who
(``ctx.actor``), when (``ctx.at``), why (``command.reason``), what and the details.
Anything illegal raises ``Conflict`` (409) naming the current state and listing the
legal next actions; bad fields raise ``Invalid`` (400). The input case is never
changed (it is immutable), so a refused action leaves it as it was.

Guards (case-dependent, independent of the day):
- 受理: every required material received (R-K2);
- 容缺受理: the item allows it, every main material received, something still owed;
- 告知承诺受理: the item allows it;
- 补正: there is something to correct;
- 特别程序: the item has special procedures;
- 准予 / 不予批准 from 受理 or 告知承诺受理: not for 上报件 or 通办/代收 cases, which are
  forwarded first and decided by the receiving body (R-K4, R-K8);
- 退回 after 已送达: only a mailed or electronic delivery can come back.

Facts outside the case (an applicant's 容缺失信 record) bar actions through ``barred``
(``Context.barred`` for ``perform``; the same mapping for ``legal_actions``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

from appliance.cases.rules.case import CaseFile
from appliance.cases.rules.commands import Command, Context
from appliance.cases.rules.handlers import HANDLERS
from appliance.cases.rules.materials import correction_list, missing_main, missing_required, names
from appliance.cases.rules.records import PickupDelivery, Transition
from appliance.cases.rules.states import ACTION_LABELS, STATE_LABELS, Action, CaseState
from appliance.cases.rules.table import TRANSITIONS, Notice, Row, rows_from
from appliance.core.errors import Conflict, Invalid

Guard = Callable[[CaseFile], tuple[str, str] | None]  # → (message, code) when blocked


def _accept_guard(case: CaseFile) -> tuple[str, str] | None:
    missing = missing_required(case.materials)
    if missing:
        return (
            f"必需材料不齐全（缺少或有瑕疵：{names(missing)}）；"
            "请一次性告知补正，或按容缺受理 / 告知承诺办理",
            "materials_incomplete",
        )
    return None


def _tolerant_guard(case: CaseFile) -> tuple[str, str] | None:
    if not case.item.allows_tolerant:
        return f"事项“{case.item.name}”不适用容缺受理", "tolerant_not_allowed"
    main = missing_main(case.materials)
    if main:
        return (
            f"主要申请材料不齐全（{names(main)}）",
            "main_materials_incomplete",
        )
    if not correction_list(case.materials):
        return "材料已齐全，无需容缺，请直接受理", "nothing_owed"
    return None


def _commitment_guard(case: CaseFile) -> tuple[str, str] | None:
    if not case.item.allows_commitment:
        return f"事项“{case.item.name}”不适用告知承诺", "commitment_not_allowed"
    return None


def _correction_guard(case: CaseFile) -> tuple[str, str] | None:
    if not correction_list(case.materials):
        return "材料齐全且无瑕疵，无需补正", "nothing_to_correct"
    return None


def _special_guard(case: CaseFile) -> tuple[str, str] | None:
    if not case.item.special_procedures:
        return f"事项“{case.item.name}”没有特别程序", "special_not_allowed"
    return None


def _decision_guard(case: CaseFile) -> tuple[str, str] | None:
    if case.state in (CaseState.ACCEPTED, CaseState.COMMITMENT_ACCEPTED) and case.needs_forwarding:
        why = "通办/代收件" if case.other_place is not None else "上报件"
        return f"{why}须先上报流转，由决定机关作出办理结果", "must_forward"
    return None


def _return_guard(case: CaseFile) -> tuple[str, str] | None:
    if case.state is CaseState.DELIVERED and isinstance(case.delivery, PickupDelivery):
        return "窗口领取已签收，不能退回", "pickup_signed"
    return None


GUARDS: dict[Action, Guard] = {
    Action.ACCEPT: _accept_guard,
    Action.ACCEPT_TOLERANT: _tolerant_guard,
    Action.ACCEPT_COMMITMENT: _commitment_guard,
    Action.REQUEST_CORRECTION: _correction_guard,
    Action.START_SPECIAL: _special_guard,
    Action.APPROVE: _decision_guard,
    Action.REJECT: _decision_guard,
    Action.RETURN: _return_guard,
}


Barred = Mapping[Action, str]  # action → why facts outside the case rule it out
NOTHING_BARRED: Barred = {}


def _blocked(case: CaseFile, action: Action, barred: Barred) -> tuple[str, str] | None:
    if action in barred:
        return barred[action], "barred"
    guard = GUARDS.get(action)
    return guard(case) if guard else None


def legal_actions(
    case: CaseFile, *, include_system: bool = False, barred: Barred = NOTHING_BARRED
) -> list[Action]:
    """The next legal actions for this case (the TUI's action list), in table order.

    System actions (视为受理, taken by a sweep, see ``deadlines.auto_acceptance``) are left
    out unless asked for. Time-dependent conditions (a deadline not yet passed) are
    checked by ``perform`` and are not reflected here.
    """
    return [
        r.action
        for r in rows_from(case.state)
        if (include_system or not r.system) and _blocked(case, r.action, barred) is None
    ]


def describe_legal(case: CaseFile, barred: Barred = NOTHING_BARRED) -> str:
    """Chinese list of the legal next actions (staff actions), for messages."""
    acts = legal_actions(case, barred=barred)
    if not acts:
        return "该办件已终结，无后续操作"
    return "可进行的操作：" + "、".join(ACTION_LABELS[a] for a in acts)


@dataclass(frozen=True)
class Step:
    """The result of one action: the new case, its record, and what to send."""

    case: CaseFile
    transition: Transition
    notices: tuple[Notice, ...]
    sms: bool


def _row(case: CaseFile, action: Action, barred: Barred = NOTHING_BARRED) -> Row:
    row = TRANSITIONS.get((case.state, action))
    if row is None:
        raise Conflict(
            f"办件 {case.number} 当前状态为“{STATE_LABELS[case.state]}”，"
            f"不能{ACTION_LABELS[action]}。{describe_legal(case, barred)}",
            "illegal_transition",
        )
    blocked = _blocked(case, action, barred)
    if blocked is not None:
        message, code = blocked
        raise Conflict(
            f"办件 {case.number} 当前状态为“{STATE_LABELS[case.state]}”，"
            f"不能{ACTION_LABELS[action]}：{message}。{describe_legal(case, barred)}",
            code,
        )
    return row


def check(case: CaseFile, action: Action) -> None:
    """Raise as ``perform`` would if ``action`` is not legal for ``case`` now."""
    _row(case, action)


def perform(case: CaseFile, command: Command, ctx: Context) -> Step:
    """Apply one action (R-K2): table → guards → fields → handler → transition record."""
    action = command.ACTION
    row = _row(case, action, ctx.barred)
    if command.REASON_REQUIRED and not command.reason.strip():
        raise Invalid(f"{ACTION_LABELS[action]}须说明理由", "reason_required")
    changed, details = HANDLERS[type(command)](case, command, ctx)
    target = row.to if row.to is not None else case.resume_state
    if target is None:  # pragma: no cover - the table guarantees a resume state
        raise Conflict(f"办件 {case.number} 无法确定恢复后的状态", "no_resume_state")
    record = Transition(
        action=action,
        from_state=case.state,
        to_state=target,
        actor=ctx.actor,
        at=ctx.at,
        reason=command.reason.strip(),
        details=details,
    )
    new = replace(changed, state=target, history=(*changed.history, record))
    return Step(new, record, row.notices, row.sms)
