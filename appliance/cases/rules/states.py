"""Case states and actions (办件状态与操作, R-K2–R-K6).

Values are stable English snake_case strings (stored in the database and sent over the
API); labels are the Chinese terms staff see.

| value                 | label          | meaning                                              |
|-----------------------|----------------|------------------------------------------------------|
| received              | 收件           | intake recorded, no decision yet (R-K1)              |
| correction_requested  | 补正中         | 补正通知书 issued, waiting for the applicant (R-K2)    |
| refused               | 不予受理       | 不予受理通知书 with reason and rights (terminal)        |
| tolerant_accepted     | 容缺受理       | accepted with a written commitment to supply the rest |
| tolerant_lapsed       | 容缺逾期       | commitment deadline passed, materials still missing  |
| accepted              | 受理           | accepted; the time limit runs (R-K3)                 |
| commitment_accepted   | 告知承诺受理   | accepted on a 告知承诺书 (XC a–d)                       |
| special_procedure     | 特别程序中     | 检验 / 专家评审 / 听证: the clock stops (R-K3)          |
| forwarded             | 上报流转中     | handed to the deciding department or county (R-K4)   |
| approved              | 已办结-准予    | outcome: approved (R-K5)                             |
| rejected              | 已办结-不予    | outcome: not approved, with reason and contact (R-K5)|
| ready_for_pickup      | 待取件         | result arrived, pickup notice issued (R-K6)          |
| delivered             | 已送达         | handed over / mailed / sent electronically (R-K6)    |
| returned              | 退回           | undeliverable, result returned (R-K6)                |
| closed                | 已关闭         | closed without decision (correction lapsed, withdrawn, archived after return) |
"""

from __future__ import annotations

from enum import StrEnum


class CaseState(StrEnum):
    """办件状态."""

    RECEIVED = "received"
    CORRECTION_REQUESTED = "correction_requested"
    REFUSED = "refused"
    TOLERANT_ACCEPTED = "tolerant_accepted"
    TOLERANT_LAPSED = "tolerant_lapsed"
    ACCEPTED = "accepted"
    COMMITMENT_ACCEPTED = "commitment_accepted"
    SPECIAL_PROCEDURE = "special_procedure"
    FORWARDED = "forwarded"
    APPROVED = "approved"
    REJECTED = "rejected"
    READY_FOR_PICKUP = "ready_for_pickup"
    DELIVERED = "delivered"
    RETURNED = "returned"
    CLOSED = "closed"


STATE_LABELS: dict[CaseState, str] = {
    CaseState.RECEIVED: "收件",
    CaseState.CORRECTION_REQUESTED: "补正中",
    CaseState.REFUSED: "不予受理",
    CaseState.TOLERANT_ACCEPTED: "容缺受理",
    CaseState.TOLERANT_LAPSED: "容缺逾期",
    CaseState.ACCEPTED: "受理",
    CaseState.COMMITMENT_ACCEPTED: "告知承诺受理",
    CaseState.SPECIAL_PROCEDURE: "特别程序中",
    CaseState.FORWARDED: "上报流转中",
    CaseState.APPROVED: "已办结-准予",
    CaseState.REJECTED: "已办结-不予",
    CaseState.READY_FOR_PICKUP: "待取件",
    CaseState.DELIVERED: "已送达",
    CaseState.RETURNED: "退回",
    CaseState.CLOSED: "已关闭",
}


class Action(StrEnum):
    """办件操作 (each one a row group in the transition table)."""

    ACCEPT = "accept"  # 受理
    AUTO_ACCEPT = "auto_accept"  # 逾期未作决定，视为受理
    REQUEST_CORRECTION = "request_correction"  # 一次性告知补正
    RESUBMIT = "resubmit"  # 补正后重新提交
    REFUSE = "refuse"  # 不予受理
    ACCEPT_TOLERANT = "accept_tolerant"  # 容缺受理
    SUPPLY = "supply"  # 补齐容缺材料
    LAPSE = "lapse"  # 容缺承诺逾期
    ACCEPT_COMMITMENT = "accept_commitment"  # 告知承诺受理
    START_SPECIAL = "start_special"  # 启动特别程序（计时中止）
    END_SPECIAL = "end_special"  # 特别程序结束（恢复计时）
    FORWARD = "forward"  # 上报 / 流转
    EXTEND = "extend"  # 延期
    APPROVE = "approve"  # 办结：准予
    REJECT = "reject"  # 办结：不予批准
    NOTIFY_PICKUP = "notify_pickup"  # 结果到达，取件通知
    DELIVER = "deliver"  # 送达
    RETURN = "return"  # 无法送达，退回
    CLOSE = "close"  # 关闭（补正逾期、退回后归档）
    WITHDRAW = "withdraw"  # 申请人撤回


ACTION_LABELS: dict[Action, str] = {
    Action.ACCEPT: "受理",
    Action.AUTO_ACCEPT: "视为受理",
    Action.REQUEST_CORRECTION: "一次性告知补正",
    Action.RESUBMIT: "补正材料提交",
    Action.REFUSE: "不予受理",
    Action.ACCEPT_TOLERANT: "容缺受理",
    Action.SUPPLY: "补齐容缺材料",
    Action.LAPSE: "容缺逾期",
    Action.ACCEPT_COMMITMENT: "告知承诺受理",
    Action.START_SPECIAL: "启动特别程序",
    Action.END_SPECIAL: "结束特别程序",
    Action.FORWARD: "上报流转",
    Action.EXTEND: "延期",
    Action.APPROVE: "准予办结",
    Action.REJECT: "不予批准",
    Action.NOTIFY_PICKUP: "取件通知",
    Action.DELIVER: "送达",
    Action.RETURN: "退回",
    Action.CLOSE: "关闭",
    Action.WITHDRAW: "撤回申请",
}

# States in which the promised time limit runs (R-K3); SPECIAL_PROCEDURE stops it.
RUNNING_STATES = frozenset(
    {
        CaseState.ACCEPTED,
        CaseState.COMMITMENT_ACCEPTED,
        CaseState.TOLERANT_ACCEPTED,
        CaseState.TOLERANT_LAPSED,
        CaseState.FORWARDED,
    }
)

# States with a decision (R-K5) or after it.
DECIDED_STATES = frozenset(
    {
        CaseState.APPROVED,
        CaseState.REJECTED,
        CaseState.READY_FOR_PICKUP,
        CaseState.DELIVERED,
        CaseState.RETURNED,
    }
)
