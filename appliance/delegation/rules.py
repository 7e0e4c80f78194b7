"""帮办代办 (help and delegation, R-D1, R-D2): kinds, states, the seven grounds for 中止.

Pure rules: no storage, no HTTP; the caller hands in plain values and today.

* 帮办 (help, XC 帮办代办; HLJ 6.6.1) is logged and assigned to a staff member at once; it
  closes with what was done.
* 代办 (acting for the applicant, HLJ 6.6.2; JC 附件5 四) starts from a signed 代办服务委托书
  that names the agent (代办员), the content, the period and each side's responsibilities.
* Progress is fed back to the applicant and written into the ledger (代办服务工作台账).
* A 代办 may be suspended (中止) only for one of the seven grounds JC 附件5 四(三) lists,
  on a 代办服务中止单 the applicant signs; it continues under a 续办委托书.
* Completion prints the 代办服务办结单 and opens the satisfaction rating (一事一评).
* The agent never collects fees (HLJ 6.6.2.2 a: 引导服务对象自行缴纳): a fee is recorded
  as paid by the applicant, never as money handed to the agent.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from appliance.core.errors import Conflict, Invalid

MAX_PERIOD_DAYS = 366  # a 委托书 covers at most a year; a longer matter is continued


class Kind(StrEnum):
    HELP = "help"  # 帮办
    DELEGATE = "delegate"  # 代办


KIND_LABELS = {Kind.HELP: "帮办", Kind.DELEGATE: "代办"}
NUMBER_PREFIX = {Kind.HELP: "BB", Kind.DELEGATE: "DB"}


class Status(StrEnum):
    ACTIVE = "active"  # 办理中
    SUSPENDED = "suspended"  # 已中止
    COMPLETED = "completed"  # 已办结


STATUS_LABELS = {Status.ACTIVE: "办理中", Status.SUSPENDED: "已中止", Status.COMPLETED: "已办结"}
OPEN_STATUSES = frozenset({Status.ACTIVE, Status.SUSPENDED})


class SuspendReason(StrEnum):
    """The seven grounds of JC 附件5 四(三) 服务中止与续办, in the standard's order."""

    NOT_LAWFUL = "not_lawful"
    MATERIALS_DEFECTIVE = "materials_defective"
    MATERIALS_UNTRUE = "materials_untrue"
    MATERIALS_LATE = "materials_late"
    FEES_UNPAID = "fees_unpaid"
    APPLICANT_PAUSED = "applicant_paused"
    OTHER = "other"


SUSPEND_REASON_LABELS = {
    SuspendReason.NOT_LAWFUL: "代办事项不符合相关法律法规和政策要求",
    SuspendReason.MATERIALS_DEFECTIVE: "申请材料不符合法定条件、标准，且不能补正",
    SuspendReason.MATERIALS_UNTRUE: "申请材料内容不真实",
    SuspendReason.MATERIALS_LATE: "未在规定期限内提交材料，代办员催促后仍未提交",
    SuspendReason.FEES_UNPAID: "未及时缴纳各类行政事业性收费",
    SuspendReason.APPLICANT_PAUSED: "申请人提出暂停委托代办服务",
    SuspendReason.OTHER: "其他确需中止代办的客观情况",
}

DEFAULT_RESPONSIBILITIES = (
    "代办员：一次性告知所需材料，按委托内容办理并全程跟踪，定期反馈进展，"
    "对代办中知悉的信息保密，不收取任何费用；"
    "委托人：提供真实、齐全的材料，按时补交材料，自行缴纳各项行政事业性收费。"
)
NO_FEES_NOTE = "代办服务免费；办理中涉及的各项收费由委托人自行缴纳，代办员不代收任何费用。"


def parse_reason(value: str) -> SuspendReason:
    """One of the seven grounds, or a Chinese refusal that lists them (R-D2)."""
    try:
        return SuspendReason(value.strip())
    except ValueError:
        names = "；".join(
            f"{i}. {label}（{r.value}）"
            for i, (r, label) in enumerate(SUSPEND_REASON_LABELS.items(), start=1)
        )
        raise Invalid(
            f"中止原因“{value}”不在交城县代办规范（附件5）列出的七种情形之内，不能中止。可选：{names}",
            "bad_suspend_reason",
        ) from None


def need_text(value: str, what: str) -> str:
    text = value.strip()
    if not text:
        raise Invalid(f"请填写{what}", "missing_field")
    return text


def check_period(start: date, end: date, today: date) -> None:
    """委托期限: a start no later than the end, ending no earlier than today, at most a year."""
    if end < start:
        raise Invalid(
            f"委托期限的结束日期 {end.isoformat()} 早于开始日期 {start.isoformat()}，请重新填写",
            "bad_period",
        )
    if end < today:
        raise Invalid(
            f"委托期限已于 {end.isoformat()} 结束，请填写今天以后的结束日期", "bad_period"
        )
    if (end - start).days + 1 > MAX_PERIOD_DAYS:
        raise Invalid(f"一份委托书的期限最长 {MAX_PERIOD_DAYS} 天，期满可续办", "bad_period")


def check_delegate(kind: Kind, number: str, action: str) -> None:
    if kind != Kind.DELEGATE:
        raise Conflict(f"{number} 是帮办登记，不能{action}（只有代办可以）", "not_delegation")


def check_open(status: Status, number: str, action: str) -> None:
    """Progress, visits and fees need a delegation that has not ended."""
    if status == Status.COMPLETED:
        raise Conflict(f"{number} 已办结，不能再{action}", "delegation_completed")


def check_suspendable(status: Status, number: str) -> None:
    if status != Status.ACTIVE:
        label = STATUS_LABELS[status]
        raise Conflict(f"{number} 当前为“{label}”，只有办理中的代办可以中止", "not_active")


def check_resumable(status: Status, number: str) -> None:
    if status != Status.SUSPENDED:
        label = STATUS_LABELS[status]
        raise Conflict(
            f"{number} 当前为“{label}”，只有已中止的代办可以签订续办委托书", "not_suspended"
        )


def check_completable(status: Status, number: str) -> None:
    if status == Status.SUSPENDED:
        raise Conflict(f"{number} 已中止，请先签订续办委托书再办结", "suspended")
    if status == Status.COMPLETED:
        raise Conflict(f"{number} 已经办结", "delegation_completed")


def is_overdue(status: Status, period_end: date | None, today: date) -> bool:
    """A 代办 still in hand after its 委托期限 (shown in red)."""
    return status == Status.ACTIVE and period_end is not None and period_end < today


def delegation_number(kind: Kind, day: date, seq: int) -> str:
    return f"{NUMBER_PREFIX[kind]}-{day.strftime('%Y%m%d')}-{seq:03d}"


def yuan(fen: int) -> str:
    return f"{fen // 100}.{fen % 100:02d} 元"
