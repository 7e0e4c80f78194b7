"""Commands: one dataclass per action, carrying the fields that action requires (R-K2–R-K6).

Every command has ``reason`` (why). Who and when come from ``Context``. A command's
``ACTION`` ties it to its rows in the transition table.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import ClassVar

from appliance.cases.rules.materials import MaterialStatus, SpecialProcedure
from appliance.cases.rules.records import Delivery, NotifyCommitment
from appliance.cases.rules.states import Action
from appliance.cases.rules.working_days import WorkingDays
from appliance.core.errors import Invalid

Marks = Mapping[str, tuple[MaterialStatus, str]]


@dataclass(frozen=True)
class Context:
    """Who acts and when: the staff member (or ``system``), the instant, the local day.

    ``barred`` holds actions ruled out by facts outside the case, with the reason: e.g.
    容缺受理 for an applicant with a lapsed 容缺 commitment on record (XC: 不再适用容缺办理).
    """

    actor: str
    at: datetime
    today: date
    calendar: WorkingDays
    barred: Mapping[Action, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.actor.strip():
            raise Invalid("缺少经办人", "actor_required")
        if self.at.tzinfo is None:
            raise Invalid("操作时间须带时区", "naive_time")


@dataclass(frozen=True, kw_only=True)
class Command:
    ACTION: ClassVar[Action]
    REASON_REQUIRED: ClassVar[bool] = False
    reason: str = ""


@dataclass(frozen=True, kw_only=True)
class Accept(Command):
    """受理: every required material received."""

    ACTION = Action.ACCEPT


@dataclass(frozen=True, kw_only=True)
class AutoAccept(Command):
    """视为受理: undecided past the acceptance deadline; accepted from the day of receipt."""

    ACTION = Action.AUTO_ACCEPT
    acceptance_days: int = 5  # 受理期限, working days after receipt


@dataclass(frozen=True, kw_only=True)
class RequestCorrection(Command):
    """一次性告知补正: the checklist yields the full list; a written deadline."""

    ACTION = Action.REQUEST_CORRECTION
    deadline: date


@dataclass(frozen=True, kw_only=True)
class Resubmit(Command):
    """补正材料提交: the applicant returns; the case goes back to 收件."""

    ACTION = Action.RESUBMIT
    marks: Marks = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True)
class Refuse(Command):
    """不予受理: reason required; the rights text is attached."""

    ACTION = Action.REFUSE
    REASON_REQUIRED = True


@dataclass(frozen=True, kw_only=True)
class AcceptTolerant(Command):
    """容缺受理: main materials complete, a signed commitment and a deadline."""

    ACTION = Action.ACCEPT_TOLERANT
    deadline: date
    signed_by: str


@dataclass(frozen=True, kw_only=True)
class Supply(Command):
    """补齐容缺材料: after these marks every required material must be received."""

    ACTION = Action.SUPPLY
    marks: Marks = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True)
class Lapse(Command):
    """容缺逾期: deadline passed with materials missing; the applicant is flagged."""

    ACTION = Action.LAPSE


@dataclass(frozen=True, kw_only=True)
class AcceptCommitment(Command):
    """告知承诺受理: the item allows it; the letter covers XC a–d."""

    ACTION = Action.ACCEPT_COMMITMENT
    commitment: NotifyCommitment


@dataclass(frozen=True, kw_only=True)
class StartSpecial(Command):
    """启动特别程序 (检验 / 专家评审 / 听证): the clock stops."""

    ACTION = Action.START_SPECIAL
    REASON_REQUIRED = True
    procedure: SpecialProcedure


@dataclass(frozen=True, kw_only=True)
class EndSpecial(Command):
    """特别程序结束: the clock resumes; back to the state before."""

    ACTION = Action.END_SPECIAL


@dataclass(frozen=True, kw_only=True)
class Forward(Command):
    """上报 / 流转 with a handover record (the actor hands over)."""

    ACTION = Action.FORWARD
    to_body: str
    received_by: str
    materials: tuple[str, ...]
    note: str = ""


@dataclass(frozen=True, kw_only=True)
class Extend(Command):
    """延期: extra working days, reason required (it is told to the applicant)."""

    ACTION = Action.EXTEND
    REASON_REQUIRED = True
    days: int


@dataclass(frozen=True, kw_only=True)
class Approve(Command):
    """办结：准予."""

    ACTION = Action.APPROVE
    decided_by: str
    document_no: str = ""


@dataclass(frozen=True, kw_only=True)
class Reject(Command):
    """办结：不予批准 — reason and contact (R-K5); rights attached."""

    ACTION = Action.REJECT
    REASON_REQUIRED = True
    decided_by: str
    contact: str


@dataclass(frozen=True, kw_only=True)
class NotifyPickup(Command):
    """结果到达，发取件通知 (due within 1 working day of arrival, R-K6)."""

    ACTION = Action.NOTIFY_PICKUP
    arrived_on: date


@dataclass(frozen=True, kw_only=True)
class Deliver(Command):
    """送达: pickup (name, ID, signature) / mail (address, tracking) / electronic."""

    ACTION = Action.DELIVER
    delivery: Delivery


@dataclass(frozen=True, kw_only=True)
class Return(Command):
    """退回: undeliverable or not collected."""

    ACTION = Action.RETURN
    REASON_REQUIRED = True


@dataclass(frozen=True, kw_only=True)
class Close(Command):
    """关闭: correction deadline passed, or archived after a return."""

    ACTION = Action.CLOSE
    REASON_REQUIRED = True


@dataclass(frozen=True, kw_only=True)
class Withdraw(Command):
    """撤回申请 at the applicant's request."""

    ACTION = Action.WITHDRAW
    REASON_REQUIRED = True


COMMANDS: dict[Action, type[Command]] = {
    c.ACTION: c
    for c in (
        Accept,
        AutoAccept,
        RequestCorrection,
        Resubmit,
        Refuse,
        AcceptTolerant,
        Supply,
        Lapse,
        AcceptCommitment,
        StartSpecial,
        EndSpecial,
        Forward,
        Extend,
        Approve,
        Reject,
        NotifyPickup,
        Deliver,
        Return,
        Close,
        Withdraw,
    )
}
