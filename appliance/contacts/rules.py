"""首问负责 (first-contact responsibility, R-C1): channels, outcomes, and who is responsible.

Pure rules: no storage, no HTTP.

* The first member of staff a visitor asks is the 首问责任人 (JC 首问负责制 一; GD 5.1.2).
* When two staff answer, the higher-ranked one is responsible (GD 5.1.2: 同时有两位以上工作人员
  答复的，职务职级最高者为首问责任人). The station's rank order of roles is ``ROLE_RANK``:
  站长 above 窗口, 帮代办 and 投诉受理 (one rank), above 引导/咨询. On equal rank the one
  asked first stays responsible.
* Every contact ends in one outcome (GD 5.1.3 a–c; HLJ 6.1.1): answered on the spot; guided
  to a window or category (a ticket is issued or linked); outside this station's remit, with
  where to go instead; recorded in the consultation ledger for a later reply (R-C2); or taken
  in as a case (收件). Until then the contact is pending (待处理).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from appliance.core.errors import Invalid
from appliance.core.roles import ROLE_LABELS, Role


class ContactChannel(StrEnum):
    ONSITE = "onsite"  # 现场
    PHONE = "phone"  # 电话
    ONLINE = "online"  # 网络
    LETTER = "letter"  # 信函


CHANNEL_LABELS = {
    ContactChannel.ONSITE: "现场",
    ContactChannel.PHONE: "电话",
    ContactChannel.ONLINE: "网络",
    ContactChannel.LETTER: "信函",
}


class Outcome(StrEnum):
    PENDING = "pending"  # 待处理
    ANSWERED = "answered"  # 当场解答
    GUIDED = "guided"  # 引导至窗口（取号）
    REFERRED = "referred"  # 非本站职责，告知去向
    CONSULTATION = "consultation"  # 登记咨询台账，约期答复
    CASE = "case"  # 转收件办理


OUTCOME_LABELS = {
    Outcome.PENDING: "待处理",
    Outcome.ANSWERED: "当场解答",
    Outcome.GUIDED: "引导至窗口",
    Outcome.REFERRED: "非本站职责，已告知去向",
    Outcome.CONSULTATION: "登记咨询，约期答复",
    Outcome.CASE: "转收件办理",
}

# Outcomes a contact may be recorded or closed with directly; a case is linked by its own
# step once the intake screen has opened it.
DIRECT_OUTCOMES = (
    Outcome.PENDING,
    Outcome.ANSWERED,
    Outcome.GUIDED,
    Outcome.REFERRED,
    Outcome.CONSULTATION,
)

# 职务职级 (GD 5.1.2): a higher number outranks a lower one.
ROLE_RANK: dict[Role, int] = {
    Role.MANAGER: 3,
    Role.WINDOW: 2,
    Role.HELPER: 2,
    Role.COMPLAINTS: 2,
    Role.GUIDE: 1,
}


@dataclass(frozen=True)
class Responder:
    """A member of staff who answered the visitor."""

    staff_id: str
    code: str
    name: str
    role: Role

    @property
    def label(self) -> str:
        return f"{self.name}（{ROLE_LABELS[self.role]}）"


def responsible(first: Responder, others: Sequence[Responder] = ()) -> Responder:
    """首问责任人: the highest-ranked of those who answered; on a tie, the one asked first."""
    best = first
    for other in others:
        if ROLE_RANK[other.role] > ROLE_RANK[best.role]:
            best = other
    return best


def parse_channel(value: str) -> ContactChannel:
    try:
        return ContactChannel(value)
    except ValueError:
        names = "、".join(f"{c.value}（{label}）" for c, label in CHANNEL_LABELS.items())
        raise Invalid(f"未知的接待渠道“{value}”，可选：{names}", "bad_channel") from None


def parse_outcome(value: str, allowed: Sequence[Outcome] = DIRECT_OUTCOMES) -> Outcome:
    try:
        outcome = Outcome(value)
    except ValueError:
        outcome = None
    if outcome is None or outcome not in allowed:
        names = "、".join(f"{o.value}（{OUTCOME_LABELS[o]}）" for o in allowed)
        raise Invalid(f"未知的处理结果“{value}”，可选：{names}", "bad_outcome")
    return outcome


def clean_matter(matter: str) -> str:
    text = " ".join(matter.split())
    if not text:
        raise Invalid("请填写服务对象咨询或办理的事项", "matter_required")
    return text


@dataclass(frozen=True)
class OutcomeFields:
    """What an outcome needs, already trimmed: only the fields of that outcome are kept."""

    outcome: Outcome
    answer: str = ""
    category: str | None = None
    ticket: str | None = None
    referred_to: str = ""


def check_outcome(
    outcome: Outcome,
    *,
    answer: str = "",
    category: str | None = None,
    ticket: str | None = None,
    referred_to: str = "",
) -> OutcomeFields:
    """The fields of ``outcome``, or ``Invalid`` saying what is missing (GD 5.1.3)."""
    category = (category or "").strip().upper() or None
    ticket = (ticket or "").strip().upper() or None
    if outcome is Outcome.GUIDED:
        if category and ticket:
            raise Invalid(
                "引导至窗口：取新号（业务类别）和关联已取的号码只能选一项", "guided_twice"
            )
        if not category and not ticket:
            raise Invalid(
                "引导至窗口须选择业务类别（为服务对象取号），或填写已取的号码", "guided_nowhere"
            )
        return OutcomeFields(outcome, category=category, ticket=ticket)
    if outcome is Outcome.REFERRED:
        where = " ".join(referred_to.split())
        if not where:
            raise Invalid(
                "非本站职责的事项须写明去向：到哪个单位或地点办理（一次性告知）",
                "referral_required",
            )
        return OutcomeFields(outcome, referred_to=where)
    if outcome is Outcome.ANSWERED:
        return OutcomeFields(outcome, answer=answer.strip())
    return OutcomeFields(outcome)
