"""办件进度 as the applicant may see it (R-K7): the check, the steps, what to do next.

Pure rules. The check is the last 4 digits of the applicant's phone (of the agent's
when the applicant left none); a case with neither cannot be queried online. The
steps and the outcome are written for the applicant: Chinese labels and dates, never a
staff member, an ID number, a full phone, an address or a signature record; a mail
tracking number shows only its ends.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import date, datetime

from appliance.cases.rules.case import CaseFile
from appliance.cases.rules.materials import SPECIAL_PROCEDURE_LABELS, SpecialProcedure
from appliance.cases.rules.records import (
    Applicant,
    ElectronicDelivery,
    MailDelivery,
    PickupDelivery,
    Transition,
)
from appliance.cases.rules.states import ACTION_LABELS, STATE_LABELS, Action, CaseState

SUFFIX_DIGITS = 4
PICKUP_HINT = "请携带申请人身份证件到窗口领取；委托他人代领的，请携带双方身份证件及委托书"


@dataclass(frozen=True)
class PublicStep:
    """One step of the public timeline (办理过程)."""

    at: datetime
    label: str
    state_label: str
    note: str = ""


@dataclass(frozen=True)
class PublicOutcome:
    """What the applicant should know or do now (办理结果 / 取件信息 / 待办事项)."""

    title: str
    lines: tuple[str, ...]


def _digits(phone: str) -> str:
    return "".join(ch for ch in phone if ch.isascii() and ch.isdigit())


def check_phone(applicant: Applicant) -> str | None:
    """The phone whose last 4 digits open the case: the applicant's, else the agent's."""
    own = _digits(applicant.phone)
    if len(own) >= SUFFIX_DIGITS:
        return own
    agent = _digits(applicant.agent.phone) if applicant.agent is not None else ""
    return agent if len(agent) >= SUFFIX_DIGITS else None


def suffix_matches(applicant: Applicant, last4: str) -> bool:
    """Constant-time comparison of the typed digits with the check phone's last 4."""
    phone = check_phone(applicant)
    if phone is None or len(last4) != SUFFIX_DIGITS:
        return False
    return hmac.compare_digest(phone[-SUFFIX_DIGITS:].encode(), last4.encode())


def mask_tracking(number: str) -> str:
    """SF1234567890 -> SF******7890 (short numbers keep only their last 2)."""
    text = number.strip()
    if len(text) >= 8:
        return text[:2] + "*" * (len(text) - 6) + text[-4:]
    if len(text) > 2:
        return "*" * (len(text) - 2) + text[-2:]
    return "*" * len(text)


def chinese_day(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _day_text(iso: str) -> str:
    try:
        return chinese_day(date.fromisoformat(iso))
    except ValueError:
        return ""


def _material_names(case: CaseFile, codes: str) -> str:
    by_code = {m.rule.code: m.rule.name for m in case.materials}
    return "、".join(by_code.get(c, c) for c in codes.split("、") if c)


def _procedure(value: str) -> str:
    try:
        return SPECIAL_PROCEDURE_LABELS[SpecialProcedure(value)]
    except ValueError:
        return "特别程序"


def _delivery_note(t: Transition) -> str:
    method = t.details.get("method", "")
    if method == "pickup":
        return "已在窗口领取"
    if method == "mail":
        tracking = t.details.get("tracking_no", "")
        return f"已邮寄，快递单号 {mask_tracking(tracking)}" if tracking else "已邮寄"
    if method == "electronic":
        return "已电子送达"
    return ""


def _note(case: CaseFile, t: Transition) -> str:
    """A plain note on one decision, with nothing personal of staff or third parties."""
    d = t.details
    reason = t.reason.strip()
    a = t.action
    if a is Action.ACCEPT:
        return "材料齐全，予以受理"
    if a is Action.AUTO_ACCEPT:
        return "受理期限届满，自收件之日起视为受理"
    if a is Action.REQUEST_CORRECTION:
        return f"请于{_day_text(d.get('deadline', ''))}前补正：{d.get('items', '')}"
    if a is Action.RESUBMIT:
        return "已提交补正材料，重新审核"
    if a in (Action.REFUSE, Action.RETURN, Action.CLOSE) and reason:
        return f"理由：{reason}"
    if a is Action.ACCEPT_TOLERANT:
        owed = _material_names(case, d.get("owed", ""))
        return f"请于{_day_text(d.get('deadline', ''))}前补齐：{owed}"
    if a is Action.SUPPLY:
        return "容缺材料已补齐"
    if a is Action.LAPSE:
        return "容缺材料逾期未补齐"
    if a is Action.ACCEPT_COMMITMENT:
        return "按告知承诺制受理"
    if a is Action.START_SPECIAL:
        return f"进入{_procedure(d.get('procedure', ''))}程序，期间暂停计时"
    if a is Action.END_SPECIAL:
        return "特别程序结束，恢复计时"
    if a is Action.FORWARD:
        return f"已移交{d.get('to_body', '')}办理"
    if a is Action.EXTEND:
        new_due = _day_text(d.get("new_due", ""))
        tail = f"，办结期限延至{new_due}" if new_due else ""
        return f"延长{d.get('days', '')}个工作日，理由：{reason}{tail}"
    if a is Action.APPROVE:
        return f"决定机关：{d.get('decided_by', '')}"
    if a is Action.REJECT:
        return f"理由：{reason}；咨询：{d.get('contact', '')}"
    if a is Action.NOTIFY_PICKUP:
        return "办理结果已到达，请到窗口领取"
    if a is Action.DELIVER:
        return _delivery_note(t)
    if a is Action.WITHDRAW:
        return "申请人撤回申请"
    return ""


def public_steps(case: CaseFile) -> list[PublicStep]:
    """收件, then every recorded decision, oldest first."""
    steps = [PublicStep(case.received_at, "收件", STATE_LABELS[CaseState.RECEIVED], "材料已收取")]
    for t in case.history:
        steps.append(
            PublicStep(t.at, ACTION_LABELS[t.action], STATE_LABELS[t.to_state], _note(case, t))
        )
    return steps


def _last(case: CaseFile, action: Action) -> Transition | None:
    for t in reversed(case.history):
        if t.action is action:
            return t
    return None


def _outcome_line(case: CaseFile) -> list[str]:
    o = case.outcome
    if o is None:
        return []
    if o.approved:
        doc = f"（文号：{o.document_no}）" if o.document_no else ""
        return [f"办理结果：准予{doc}", f"决定机关：{o.decided_by}"]
    return [f"办理结果：不予批准，理由：{o.reason}", f"决定机关：{o.decided_by}，咨询：{o.contact}"]


def public_outcome(case: CaseFile) -> PublicOutcome:
    """The current state in the applicant's words, with what to do next."""
    s = case.state
    if s is CaseState.RECEIVED:
        return PublicOutcome("正在审核", ("工作人员正在审核您的申请材料",))
    if s is CaseState.CORRECTION_REQUESTED and case.correction is not None:
        due = chinese_day(case.correction.deadline)
        return PublicOutcome(
            "需要补正材料",
            (*case.correction.lines, f"请于{due}前携带以上材料到窗口补正"),
        )
    if s is CaseState.REFUSED and case.refusal is not None:
        return PublicOutcome("不予受理", (f"理由：{case.refusal.reason}", case.refusal.rights))
    if s is CaseState.TOLERANT_ACCEPTED and case.tolerant is not None:
        if case.tolerant.fulfilled_on is None:
            owed = _material_names(case, "、".join(case.tolerant.owed))
            due = chinese_day(case.tolerant.deadline)
            return PublicOutcome("容缺受理，办理中", (f"请于{due}前补齐：{owed}",))
        return PublicOutcome("办理中", ("容缺材料已补齐，正在办理",))
    if s is CaseState.TOLERANT_LAPSED:
        return PublicOutcome("容缺材料逾期", ("容缺材料逾期未补齐，请尽快到窗口联系",))
    if s is CaseState.SPECIAL_PROCEDURE:
        return PublicOutcome("特别程序中", ("正在进行特别程序，期间暂停计时",))
    if s is CaseState.FORWARDED and case.handovers:
        return PublicOutcome("办理中", (f"已移交{case.handovers[-1].to_body}办理",))
    if s in (CaseState.ACCEPTED, CaseState.COMMITMENT_ACCEPTED, CaseState.FORWARDED):
        return PublicOutcome("办理中", ("已受理，正在办理",))
    if s is CaseState.APPROVED:
        return PublicOutcome("已办结", (*_outcome_line(case), "结果到达本站后将短信通知您领取"))
    if s is CaseState.REJECTED:
        rights = (case.outcome.rights,) if case.outcome and case.outcome.rights else ()
        return PublicOutcome("已办结", (*_outcome_line(case), *rights))
    if s is CaseState.READY_FOR_PICKUP:
        arrived = (
            (f"结果到达日期：{chinese_day(case.result_arrived_on)}",)
            if case.result_arrived_on
            else ()
        )
        return PublicOutcome("待取件", (PICKUP_HINT, *arrived, *_outcome_line(case)))
    if s is CaseState.DELIVERED:
        return PublicOutcome("已送达", _delivered_lines(case))
    if s is CaseState.RETURNED:
        return PublicOutcome("结果已退回", ("办理结果未能送达，已退回本站，请联系本站",))
    closing = _last(case, Action.WITHDRAW) or _last(case, Action.CLOSE)
    reason = closing.reason.strip() if closing is not None else ""
    return PublicOutcome(STATE_LABELS[s], (f"理由：{reason}",) if reason else ())


def _delivered_lines(case: CaseFile) -> tuple[str, ...]:
    on = f"{chinese_day(case.delivered_on)}" if case.delivered_on else ""
    d = case.delivery
    if isinstance(d, MailDelivery):
        return (f"已于{on}邮寄，快递单号 {mask_tracking(d.tracking_no)}",)
    if isinstance(d, ElectronicDelivery):
        return (f"已于{on}电子送达",)
    if isinstance(d, PickupDelivery):
        return (f"已于{on}在窗口领取",)
    return ("办理结果已送达",)
