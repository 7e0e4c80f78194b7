"""Pure rules of the "办不成事" desk (R-P1): what each kind needs, overdue, labels."""

from __future__ import annotations

from datetime import date

import pytest

from appliance.calendar.rules import weekends_only
from appliance.core.errors import Conflict, Invalid
from appliance.desk.rules import (
    DeskKind,
    DeskStatus,
    NotifyBy,
    Registration,
    check_notify,
    check_registration,
    closes_at_once,
    desk_number,
    due_date,
    is_overdue,
    state_label,
)

MON = date(2026, 11, 23)


def test_each_kind_needs_its_own_fields_r_p1() -> None:
    check_registration(Registration(DeskKind.SIMPLE, "问题", resolution="当场办好"))
    check_registration(Registration(DeskKind.COMPLEX, "问题"))
    check_registration(Registration(DeskKind.OUTSIDE, "问题", referral="县市场监管局"))
    check_registration(
        Registration(
            DeskKind.TRANSFER,
            "问题",
            handler_dept="镇民政办",
            handler_name="王敏",
            notify_by=NotifyBy.PAPER,
        )
    )
    with pytest.raises(Invalid, match="承办人姓名"):
        check_registration(
            Registration(
                DeskKind.TRANSFER, "问题", handler_dept="镇民政办", notify_by=NotifyBy.PAPER
            )
        )
    with pytest.raises(Invalid, match="手机号码"):
        check_registration(
            Registration(
                DeskKind.TRANSFER,
                "问题",
                handler_dept="镇民政办",
                handler_name="王敏",
                notify_by=NotifyBy.SMS,
                phone_is_mobile=False,
            )
        )
    with pytest.raises(Invalid, match="不填去向"):
        check_registration(
            Registration(DeskKind.SIMPLE, "问题", resolution="办好", referral="县局")
        )


def test_five_working_days_and_overdue_from_the_day_after_r_p1() -> None:
    due = due_date(DeskKind.COMPLEX, MON, weekends_only())
    assert due is not None and due.date == date(2026, 11, 30) and due.provisional
    assert due_date(DeskKind.SIMPLE, MON, weekends_only()) is None
    assert not is_overdue(DeskStatus.OPEN, date(2026, 11, 30), date(2026, 11, 30))
    assert is_overdue(DeskStatus.OPEN, date(2026, 11, 30), date(2026, 12, 1))
    assert not is_overdue(DeskStatus.CLOSED, date(2026, 11, 30), date(2026, 12, 1))
    assert closes_at_once(DeskKind.SIMPLE) and closes_at_once(DeskKind.OUTSIDE)
    assert not closes_at_once(DeskKind.COMPLEX) and not closes_at_once(DeskKind.TRANSFER)


def test_labels_and_numbers_r_p1() -> None:
    assert desk_number(MON, 7) == "BC-20261123-007"
    due, late = date(2026, 11, 30), date(2026, 12, 2)
    assert state_label(DeskKind.COMPLEX, DeskStatus.CLOSED, due, late, late) == "逾期办结"
    assert state_label(DeskKind.COMPLEX, DeskStatus.CLOSED, due, due, late) == "已办结"
    assert state_label(DeskKind.TRANSFER, DeskStatus.OPEN, None, None, late) == "转办跟踪中"
    with pytest.raises(Conflict, match="不是转办"):
        check_notify(DeskKind.COMPLEX, DeskStatus.OPEN, "BC-1", NotifyBy.PAPER, False)
    with pytest.raises(Conflict, match="已办结"):
        check_notify(DeskKind.TRANSFER, DeskStatus.CLOSED, "BC-1", NotifyBy.PAPER, False)
