"""Builders for the case state machine tests (R-K1–R-K8): an item, cases in every state,
a valid command for every action. No tests here."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone

from appliance.cases.rules import commands as c
from appliance.cases.rules.case import CaseFile, open_case
from appliance.cases.rules.machine import perform
from appliance.cases.rules.materials import (
    ItemKind,
    ItemRules,
    MaterialRule,
    MaterialStatus,
    SpecialProcedure,
)
from appliance.cases.rules.records import (
    Applicant,
    ApplicantKind,
    Channel,
    MailDelivery,
    NotifyCommitment,
    OtherPlace,
)
from appliance.cases.rules.states import Action, CaseState
from appliance.cases.rules.working_days import WeekendsOnly, WorkingDays
from appliance.core.clock import FrozenClock

CST = timezone(timedelta(hours=8))
# Monday 2026-11-23 09:00 Beijing time.
T0 = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)
D0 = date(2026, 11, 23)
LATER_DAYS = 30  # far past every deadline the builders set
CAL = WeekendsOnly()

R, M, D = MaterialStatus.RECEIVED, MaterialStatus.MISSING, MaterialStatus.DEFECTIVE

ITEM = ItemRules(
    code="LB-001",
    name="最低生活保障申请",
    kind=ItemKind.PROMISED,
    promised_days=5,
    materials=(
        MaterialRule("id", "申请人身份证", original=True),
        MaterialRule("form", "低保申请书"),
        MaterialRule("income", "家庭收入证明", may_be_missing=True),
        MaterialRule("photo", "家庭成员照片", required=False),
    ),
    allows_tolerant=True,
    allows_commitment=True,
    special_procedures=frozenset({SpecialProcedure.INSPECTION, SpecialProcedure.HEARING}),
)

APPLICANT = Applicant(ApplicantKind.PERSON, "张三", "110101199003071234", "13800001234")

COMMITMENT = NotifyCommitment(
    legal_basis="《社会救助暂行办法》第十一条",
    conditions="家庭人均收入低于当地低保标准；5个工作日；虚假承诺将撤销决定并记入信用记录",
    services="民政办提供咨询（电话 0731-0000000），事后入户核查",
    verification="经核查不实的，限期10日整改；按失信等级处理；可申诉并申请信用修复",
    signed_by="张三",
)

ALL_RECEIVED = {"id": (R, ""), "form": (R, ""), "income": (R, ""), "photo": (R, "")}
INCOME_MISSING = {"id": (R, ""), "form": (R, ""), "income": (M, ""), "photo": (R, "")}


def clock(at: datetime = T0) -> FrozenClock:
    return FrozenClock(at)


def ctx_from(clk: FrozenClock, actor: str = "李四", cal: WorkingDays = CAL) -> c.Context:
    """A context for a frozen clock: the local day follows Beijing time."""
    now = clk.now()
    return c.Context(actor=actor, at=now, today=now.astimezone(CST).date(), calendar=cal)


def ctx(days: int = 0, actor: str = "李四") -> c.Context:
    return ctx_from(clock(T0 + timedelta(days=days)), actor)


def new_case(
    marks: dict[str, tuple[MaterialStatus, str]] | None = None,
    item: ItemRules = ITEM,
    other_place: OtherPlace | None = None,
) -> CaseFile:
    return open_case(
        number="YZ0001-20261123-0007",
        item=item,
        applicant=APPLICANT,
        channel=Channel.COUNTER,
        received_at=T0,
        received_on=D0,
        other_place=other_place,
        marks=INCOME_MISSING if marks is None else marks,
    )


def run(case: CaseFile, *commands: c.Command, days: int = 0) -> CaseFile:
    for cmd in commands:
        case = perform(case, cmd, ctx(days)).case
    return case


def accepted() -> CaseFile:
    return run(new_case(ALL_RECEIVED), c.Accept())


def approved() -> CaseFile:
    return run(accepted(), c.Approve(decided_by="镇民政办"))


def mailed() -> CaseFile:
    delivery = MailDelivery(address="湖南省某县某村1号", tracking_no="SF1234567890")
    return run(approved(), c.Deliver(delivery=delivery))


def tolerant() -> CaseFile:
    return run(new_case(), c.AcceptTolerant(deadline=D0 + timedelta(days=5), signed_by="张三"))


def case_in(state: CaseState, action: Action | None = None) -> CaseFile:
    """A case in ``state``, set up so that ``action`` (if in the table) passes its guards."""
    s = CaseState
    if state is s.RECEIVED:
        return new_case(ALL_RECEIVED if action is Action.ACCEPT else INCOME_MISSING)
    builders: dict[CaseState, Callable[[], CaseFile]] = {
        s.CORRECTION_REQUESTED: lambda: run(
            new_case(), c.RequestCorrection(deadline=D0 + timedelta(days=3))
        ),
        s.REFUSED: lambda: run(new_case(), c.Refuse(reason="不属于本站受理范围")),
        s.TOLERANT_ACCEPTED: tolerant,
        s.TOLERANT_LAPSED: lambda: run(tolerant(), c.Lapse(), days=LATER_DAYS),
        s.ACCEPTED: accepted,
        s.COMMITMENT_ACCEPTED: lambda: run(new_case(), c.AcceptCommitment(commitment=COMMITMENT)),
        s.SPECIAL_PROCEDURE: lambda: run(
            accepted(), c.StartSpecial(procedure=SpecialProcedure.INSPECTION, reason="房屋检验")
        ),
        s.FORWARDED: lambda: run(accepted(), forward_cmd()),
        s.APPROVED: approved,
        s.REJECTED: lambda: run(
            accepted(), c.Reject(decided_by="镇民政办", reason="收入超标", contact="0731-1")
        ),
        s.READY_FOR_PICKUP: lambda: run(approved(), c.NotifyPickup(arrived_on=D0)),
        s.DELIVERED: mailed,
        s.RETURNED: lambda: run(mailed(), c.Return(reason="查无此人")),
        s.CLOSED: lambda: run(new_case(), c.Withdraw(reason="申请人撤回")),
    }
    return builders[state]()


def forward_cmd() -> c.Forward:
    return c.Forward(to_body="县民政局", received_by="王五", materials=("申请书", "身份证复印件"))


# Actions whose precondition is a deadline that has passed: performed 30 days on.
LATE_ACTIONS = {Action.AUTO_ACCEPT, Action.LAPSE, Action.CLOSE}


def command_for(action: Action, today: date) -> c.Command:
    """A valid command for ``action`` on ``today``."""
    later = today + timedelta(days=7)
    commands: dict[Action, c.Command] = {
        Action.ACCEPT: c.Accept(),
        Action.AUTO_ACCEPT: c.AutoAccept(),
        Action.REQUEST_CORRECTION: c.RequestCorrection(deadline=later),
        Action.RESUBMIT: c.Resubmit(marks={"income": (R, "")}),
        Action.REFUSE: c.Refuse(reason="不符合申请条件"),
        Action.ACCEPT_TOLERANT: c.AcceptTolerant(deadline=later, signed_by="张三"),
        Action.SUPPLY: c.Supply(marks={"income": (R, "")}),
        Action.LAPSE: c.Lapse(),
        Action.ACCEPT_COMMITMENT: c.AcceptCommitment(commitment=COMMITMENT),
        Action.START_SPECIAL: c.StartSpecial(
            procedure=SpecialProcedure.HEARING, reason="涉及相邻权人利益"
        ),
        Action.END_SPECIAL: c.EndSpecial(),
        Action.FORWARD: forward_cmd(),
        Action.EXTEND: c.Extend(days=3, reason="需入户核查，延期3个工作日"),
        Action.APPROVE: c.Approve(decided_by="镇民政办", document_no="民低〔2026〕7号"),
        Action.REJECT: c.Reject(decided_by="镇民政办", reason="收入超标", contact="0731-1"),
        Action.NOTIFY_PICKUP: c.NotifyPickup(arrived_on=today),
        Action.DELIVER: c.Deliver(
            delivery=MailDelivery(address="湖南省某县某村1号", tracking_no="EMS0001")
        ),
        Action.RETURN: c.Return(reason="地址无法投递"),
        Action.CLOSE: c.Close(reason="逾期未补正"),
        Action.WITHDRAW: c.Withdraw(reason="申请人书面撤回"),
    }
    return commands[action]
