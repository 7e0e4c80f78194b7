"""咨询台账 rules (R-C2): the agreed reply date, 3 working days for letters and e-mail (HN-3
6.2.6) on the station calendar, overdue, and no closing without an answer."""

from __future__ import annotations

from datetime import date

import pytest

from appliance.calendar.rules import CalendarEntry, WorkingCalendar
from appliance.consultations.rules import (
    ConsultChannel,
    ConsultStatus,
    check_closable,
    check_promotable,
    clean_answer,
    consultation_number,
    is_overdue,
    ledger_state,
    reply_due,
)
from appliance.core.errors import Conflict, Invalid

# 2026 National Day: 10-01 … 10-07 off, Sunday 09-27 and Saturday 10-10 worked (调休)
CAL = WorkingCalendar.from_entries(
    [
        *(CalendarEntry(date(2026, 10, d), "holiday", "国庆节") for d in range(1, 8)),
        CalendarEntry(date(2026, 9, 27), "workday", "调休"),
        CalendarEntry(date(2026, 10, 10), "workday", "调休"),
    ],
    [2026],
)
MONDAY = date(2026, 11, 23)
LETTER, EMAIL, PHONE = ConsultChannel.LETTER, ConsultChannel.EMAIL, ConsultChannel.PHONE


def test_letters_and_email_default_to_three_working_days_r_c2() -> None:
    assert reply_due(LETTER, MONDAY, CAL).day == date(2026, 11, 26)
    assert reply_due(EMAIL, date(2026, 11, 27), CAL).day == date(2026, 12, 2)  # Fri → Wed
    # across the National Day holidays, counting the make-up Saturday
    assert reply_due(LETTER, date(2026, 9, 30), CAL).day == date(2026, 10, 10)


def test_a_letter_may_not_be_promised_later_than_three_working_days_r_c2() -> None:
    assert reply_due(LETTER, MONDAY, CAL, requested=date(2026, 11, 25)).day == date(2026, 11, 25)
    with pytest.raises(Invalid, match="3 个工作日内答复，最迟 2026-11-26"):
        reply_due(LETTER, MONDAY, CAL, requested=date(2026, 11, 27))
    with pytest.raises(Invalid, match="最迟 2026-11-26"):
        reply_due(EMAIL, MONDAY, CAL, in_working_days=5)


def test_other_channels_need_the_date_agreed_with_the_visitor_r_c2() -> None:
    with pytest.raises(Invalid, match="须约定答复日期"):
        reply_due(PHONE, MONDAY, CAL)
    assert reply_due(PHONE, MONDAY, CAL, in_working_days=5).day == date(2026, 11, 30)
    assert reply_due(PHONE, MONDAY, CAL, requested=MONDAY).day == MONDAY  # later today


@pytest.mark.parametrize(
    ("requested", "days", "fragment"),
    [
        (date(2026, 11, 20), None, "早于咨询日期"),
        (date(2026, 11, 28), None, "不是工作日"),  # a Saturday
        (date(2026, 10, 2), None, "不是工作日"),  # National Day (asked 09-30 below)
        (date(2027, 6, 1), None, "最迟为 30 个工作日后"),
        (None, 0, "1–30 个工作日"),
        (date(2026, 11, 25), 2, "只能填一项"),
    ],
)
def test_a_bad_reply_date_is_refused_in_chinese_r_c2(
    requested: date | None, days: int | None, fragment: str
) -> None:
    asked = date(2026, 9, 30) if requested == date(2026, 10, 2) else MONDAY
    with pytest.raises(Invalid, match=fragment):
        reply_due(PHONE, asked, CAL, requested=requested, in_working_days=days)


def test_a_date_in_a_year_without_calendar_data_is_provisional_r_c2() -> None:
    due = reply_due(PHONE, date(2026, 12, 30), CAL, requested=date(2027, 1, 4))
    assert due.provisional and due.day == date(2027, 1, 4)


def test_overdue_is_an_open_entry_after_its_reply_date_r_c2() -> None:
    due = date(2026, 11, 26)
    assert not is_overdue(ConsultStatus.OPEN, due, due)
    assert is_overdue(ConsultStatus.OPEN, due, date(2026, 11, 27))
    assert not is_overdue(ConsultStatus.CLOSED, due, date(2026, 12, 27))
    assert not is_overdue(ConsultStatus.OPEN, None, date(2026, 12, 27))
    assert ledger_state(ConsultStatus.OPEN, due, None, date(2026, 11, 27)) == "逾期未答复"
    assert ledger_state(ConsultStatus.OPEN, due, None, due) == "待答复"
    assert ledger_state(ConsultStatus.CLOSED, None, MONDAY, MONDAY) == "当场答复"
    assert ledger_state(ConsultStatus.CLOSED, due, date(2026, 11, 27), due) == "逾期答复"
    assert ledger_state(ConsultStatus.CLOSED, due, due, due) == "已答复"


def test_no_answer_no_closing_and_no_promotion_before_an_answer_r_c2_r_c3() -> None:
    with pytest.raises(Invalid, match="咨询不能关闭"):
        clean_answer("  \n ")
    assert clean_answer(" 每人每月 600 元 ") == "每人每月 600 元"
    with pytest.raises(Conflict, match="已答复并关闭"):
        check_closable(ConsultStatus.CLOSED, "ZX-20261123-001")
    with pytest.raises(Conflict, match="尚未答复"):
        check_promotable(ConsultStatus.OPEN, "ZX-20261123-001", promoted=False)
    with pytest.raises(Conflict, match="已加入知识库"):
        check_promotable(ConsultStatus.CLOSED, "ZX-20261123-001", promoted=True)
    assert consultation_number(MONDAY, 7) == "ZX-20261123-007"
