"""The transition table (办件状态迁移表, R-K2–R-K6): data, not code.

Each row says: from this state, this action leads to that state, issues these notices
and queues an SMS to the applicant or not. ``to=None`` means "back to the state the
case was in before" (only ``end_special``: the clock resumes where it stopped).
The fields each action requires are those of its command (``commands.COMMANDS``).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from appliance.cases.rules.states import Action, CaseState

S = CaseState
A = Action


class Notice(StrEnum):
    """Notices a step issues (printed 一式二份 by the notices module, R-K2)."""

    ACCEPTANCE = "acceptance"  # 受理通知书
    RECEIPT = "receipt"  # 收件凭证
    CORRECTION = "correction"  # 补正通知书 / 一次性告知书
    REFUSAL = "refusal"  # 不予受理通知书
    TOLERANT = "tolerant"  # 容缺受理承诺书
    COMMITMENT = "commitment"  # 告知承诺书
    HANDOVER = "handover"  # 交接单
    EXTENSION = "extension"  # 延期告知
    PICKUP = "pickup"  # 取件通知


NOTICE_LABELS: dict[Notice, str] = {
    Notice.ACCEPTANCE: "受理通知书",
    Notice.RECEIPT: "收件凭证",
    Notice.CORRECTION: "补正通知书",
    Notice.REFUSAL: "不予受理通知书",
    Notice.TOLERANT: "容缺受理承诺书",
    Notice.COMMITMENT: "告知承诺书",
    Notice.HANDOVER: "交接单",
    Notice.EXTENSION: "延期告知书",
    Notice.PICKUP: "取件通知",
}


@dataclass(frozen=True)
class Row:
    """One legal transition."""

    source: CaseState
    action: Action
    to: CaseState | None
    notices: tuple[Notice, ...] = ()
    sms: bool = False
    system: bool = False  # taken by the station's sweep, not offered to staff


N = Notice
_ACCEPTING = (S.ACCEPTED, S.COMMITMENT_ACCEPTED)

_ROWS: list[Row] = [
    # 收件 → decisions (R-K2)
    Row(S.RECEIVED, A.ACCEPT, S.ACCEPTED, (N.ACCEPTANCE,), sms=True),
    Row(S.RECEIVED, A.AUTO_ACCEPT, S.ACCEPTED, (N.ACCEPTANCE,), sms=True, system=True),
    Row(S.RECEIVED, A.REQUEST_CORRECTION, S.CORRECTION_REQUESTED, (N.CORRECTION,), sms=True),
    Row(S.RECEIVED, A.REFUSE, S.REFUSED, (N.REFUSAL,), sms=True),
    Row(S.RECEIVED, A.ACCEPT_TOLERANT, S.TOLERANT_ACCEPTED, (N.TOLERANT, N.ACCEPTANCE), sms=True),
    Row(
        S.RECEIVED,
        A.ACCEPT_COMMITMENT,
        S.COMMITMENT_ACCEPTED,
        (N.COMMITMENT, N.ACCEPTANCE),
        sms=True,
    ),
    Row(S.RECEIVED, A.WITHDRAW, S.CLOSED),
    # 补正中
    Row(S.CORRECTION_REQUESTED, A.RESUBMIT, S.RECEIVED, (N.RECEIPT,)),
    Row(S.CORRECTION_REQUESTED, A.REFUSE, S.REFUSED, (N.REFUSAL,), sms=True),
    Row(S.CORRECTION_REQUESTED, A.CLOSE, S.CLOSED),
    Row(S.CORRECTION_REQUESTED, A.WITHDRAW, S.CLOSED),
    # 容缺受理
    Row(S.TOLERANT_ACCEPTED, A.SUPPLY, S.ACCEPTED, (N.RECEIPT,)),
    Row(S.TOLERANT_ACCEPTED, A.LAPSE, S.TOLERANT_LAPSED, sms=True),
    Row(S.TOLERANT_ACCEPTED, A.EXTEND, S.TOLERANT_ACCEPTED, (N.EXTENSION,), sms=True),
    Row(S.TOLERANT_ACCEPTED, A.REJECT, S.REJECTED, sms=True),
    Row(S.TOLERANT_ACCEPTED, A.WITHDRAW, S.CLOSED),
    Row(S.TOLERANT_LAPSED, A.REJECT, S.REJECTED, sms=True),
    # 特别程序 (R-K3)
    Row(S.SPECIAL_PROCEDURE, A.END_SPECIAL, None),
    # 上报流转中 (R-K4, R-K8)
    Row(S.FORWARDED, A.FORWARD, S.FORWARDED, (N.HANDOVER,)),
    Row(S.FORWARDED, A.START_SPECIAL, S.SPECIAL_PROCEDURE),
    Row(S.FORWARDED, A.EXTEND, S.FORWARDED, (N.EXTENSION,), sms=True),
    Row(S.FORWARDED, A.APPROVE, S.APPROVED, sms=True),
    Row(S.FORWARDED, A.REJECT, S.REJECTED, sms=True),
    Row(S.FORWARDED, A.WITHDRAW, S.CLOSED),
    # 办结 → 出件 (R-K5, R-K6)
    Row(S.APPROVED, A.NOTIFY_PICKUP, S.READY_FOR_PICKUP, (N.PICKUP,), sms=True),
    Row(S.APPROVED, A.DELIVER, S.DELIVERED),
    Row(S.REJECTED, A.NOTIFY_PICKUP, S.READY_FOR_PICKUP, (N.PICKUP,), sms=True),
    Row(S.REJECTED, A.DELIVER, S.DELIVERED),
    Row(S.READY_FOR_PICKUP, A.DELIVER, S.DELIVERED),
    Row(S.READY_FOR_PICKUP, A.RETURN, S.RETURNED),
    Row(S.DELIVERED, A.RETURN, S.RETURNED),
    Row(S.RETURNED, A.DELIVER, S.DELIVERED),
    Row(S.RETURNED, A.CLOSE, S.CLOSED),
]
# 受理 and 告知承诺受理 share their way forward.
for _s in _ACCEPTING:
    _ROWS += [
        Row(_s, A.START_SPECIAL, S.SPECIAL_PROCEDURE),
        Row(_s, A.FORWARD, S.FORWARDED, (N.HANDOVER,)),
        Row(_s, A.EXTEND, _s, (N.EXTENSION,), sms=True),
        Row(_s, A.APPROVE, S.APPROVED, sms=True),
        Row(_s, A.REJECT, S.REJECTED, sms=True),
        Row(_s, A.WITHDRAW, S.CLOSED),
    ]

TRANSITIONS: dict[tuple[CaseState, Action], Row] = {(r.source, r.action): r for r in _ROWS}
"""(from state, action) → row. Terminal states (不予受理, 已关闭) have no rows."""

assert len(TRANSITIONS) == len(_ROWS), "duplicate row in the transition table"

SYSTEM_ACTIONS = frozenset(r.action for r in _ROWS if r.system)
"""Actions only the station's sweep takes (逾期视为受理), never staff."""


def rows_from(state: CaseState) -> list[Row]:
    """The rows leaving ``state``, in table order."""
    return [r for r in _ROWS if r.source is state]
