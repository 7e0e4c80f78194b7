"""帮办代办 rules (R-D1, R-D2): the seven grounds of JC 附件5 四(三) and nothing else, the
period of a 委托书, which state allows which step, and numbering."""

from __future__ import annotations

from datetime import date

import pytest

from appliance.core.errors import Conflict, Invalid
from appliance.delegation.rules import (
    SUSPEND_REASON_LABELS,
    Kind,
    Status,
    SuspendReason,
    check_completable,
    check_delegate,
    check_period,
    check_resumable,
    check_suspendable,
    delegation_number,
    is_overdue,
    parse_reason,
    yuan,
)

TODAY = date(2026, 11, 23)


def test_exactly_the_seven_grounds_of_jc_annex5_r_d2() -> None:
    assert len(SUSPEND_REASON_LABELS) == 7
    assert list(SUSPEND_REASON_LABELS.values())[0] == "代办事项不符合相关法律法规和政策要求"
    assert list(SUSPEND_REASON_LABELS.values())[-1] == "其他确需中止代办的客观情况"
    for reason in SuspendReason:
        assert parse_reason(f" {reason.value} ") is reason
    for bad in ("", "agent_on_leave", "申请人提出暂停委托代办服务", "OTHER"):
        with pytest.raises(Invalid) as refused:
            parse_reason(bad)
        assert "七种情形" in refused.value.message and "7. 其他确需中止代办的客观情况" in (
            refused.value.message
        )


def test_the_period_of_an_agreement_r_d1() -> None:
    check_period(TODAY, date(2026, 12, 31), TODAY)
    check_period(date(2026, 11, 1), TODAY, TODAY)  # signed earlier, ends today
    for start, end, words in (
        (TODAY, date(2026, 11, 22), "早于开始日期"),
        (date(2026, 11, 1), date(2026, 11, 20), "已于"),
        (TODAY, date(2027, 11, 30), "最长"),
    ):
        with pytest.raises(Invalid) as refused:
            check_period(start, end, TODAY)
        assert words in refused.value.message


def test_which_state_allows_which_step_r_d2() -> None:
    check_suspendable(Status.ACTIVE, "DB-1")
    check_resumable(Status.SUSPENDED, "DB-1")
    check_completable(Status.ACTIVE, "DB-1")
    with pytest.raises(Conflict):
        check_suspendable(Status.SUSPENDED, "DB-1")
    with pytest.raises(Conflict):
        check_resumable(Status.ACTIVE, "DB-1")
    with pytest.raises(Conflict, match="续办委托书"):
        check_completable(Status.SUSPENDED, "DB-1")
    with pytest.raises(Conflict):
        check_completable(Status.COMPLETED, "DB-1")
    with pytest.raises(Conflict, match="帮办"):
        check_delegate(Kind.HELP, "BB-1", "中止")


def test_numbers_overdue_and_money_r_d1_r_d2() -> None:
    assert delegation_number(Kind.DELEGATE, TODAY, 7) == "DB-20261123-007"
    assert delegation_number(Kind.HELP, TODAY, 12) == "BB-20261123-012"
    assert is_overdue(Status.ACTIVE, date(2026, 11, 22), TODAY)
    assert not is_overdue(Status.ACTIVE, TODAY, TODAY)
    assert not is_overdue(Status.SUSPENDED, date(2026, 11, 1), TODAY)
    assert yuan(20050) == "200.50 元"
