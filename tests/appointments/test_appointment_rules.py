"""Pure appointment rules (R-Q7, R-Q8): slots, capacity, the check-in window, 一人多约, the
on-time figures and the next open day after an outage."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from appliance.appointments.rules import (
    SlotTimes,
    Status,
    capacity_for,
    check_capacity,
    check_day,
    checkin_refusal,
    day_slots,
    find_slot,
    multi_days,
    next_open_day,
    on_time,
)
from appliance.calendar.rules import CalendarEntry, WorkingCalendar
from appliance.core.errors import Conflict, Invalid

MONDAY = date(2026, 11, 23)
START = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # a 10:00 slot, Beijing time
END = START + timedelta(minutes=30)


def test_slots_cut_the_opening_hours_into_whole_pieces_r_q7() -> None:
    slots = day_slots(time(8, 30), time(17, 30), 30)
    assert len(slots) == 18 and slots[0].label == "08:30–09:00"
    assert [s.label for s in day_slots(time(9), time(10, 10), 30)] == ["09:00–09:30", "09:30–10:00"]
    assert find_slot(slots, " 09:00 ").start == time(9)
    with pytest.raises(Invalid, match="不存在"):
        find_slot(slots, "09:15")
    with pytest.raises(ValueError):
        day_slots(time(9), time(10), 1)


def test_capacity_per_category_and_a_full_slot_r_q7() -> None:
    assert capacity_for("A", 2, "") == 2
    assert capacity_for("b", 2, "A=3，B=0") == 0
    assert capacity_for("A", 2, "A=x") == 2
    slot = SlotTimes(time(10), time(10, 30))
    check_capacity(1, 2, "综合受理", MONDAY, slot)
    with pytest.raises(Conflict, match="预约已满") as exc:
        check_capacity(2, 2, "综合受理", MONDAY, slot)
    assert exc.value.code == "slot_full"


def test_bookable_days_r_q7() -> None:
    cal = WorkingCalendar.from_entries(
        [CalendarEntry(date(2026, 11, 24), "holiday", "测试假日")], [2026]
    )
    check_day(MONDAY, MONDAY, cal, 14)
    for day, code in (
        (date(2026, 11, 24), "closed_day"),
        (date(2026, 11, 28), "closed_day"),
        (date(2026, 11, 22), "past_day"),
        (date(2026, 12, 8), "too_far"),
    ):
        with pytest.raises(Invalid) as exc:
            check_day(day, MONDAY, cal, 14)
        assert exc.value.code == code
    assert next_open_day(cal, MONDAY) == date(2026, 11, 25)  # over the holiday (R-Q8)
    assert next_open_day(cal, date(2026, 11, 27)) == date(2026, 11, 30)  # over the weekend


@pytest.mark.parametrize(
    ("status", "minutes", "code"),
    [
        (Status.BOOKED, -31, "too_early"),
        (Status.BOOKED, -30, None),
        (Status.BOOKED, 45, None),  # the slot's end plus 15 minutes' grace
        (Status.BOOKED, 46, "forfeited"),
        (Status.FORFEITED, 0, "forfeited"),
        (Status.CANCELLED, 0, "cancelled"),
        (Status.CHECKED_IN, 0, "checked_in"),
    ],
)
def test_the_check_in_window_r_q7(status: Status, minutes: int, code: str | None) -> None:
    now = START + timedelta(minutes=minutes)
    refusal = checkin_refusal(status, "YY-1", now, START, END, 30, 15)
    assert (refusal.code if refusal else None) == code


def test_several_bookings_a_day_are_flagged_and_left_out_r_q7() -> None:
    held = [("138", "2026-11-23"), ("138", "2026-11-23"), ("138", "2026-11-24"), ("139", "x")]
    assert multi_days(held) == {("138", "2026-11-23")}
    figures = on_time(
        [
            (Status.CHECKED_IN, False),
            (Status.FORFEITED, False),
            (Status.FORFEITED, True),
            (Status.CHECKED_IN, True),
            (Status.BOOKED, False),
            (Status.CANCELLED, False),
        ]
    )
    assert (figures.counted, figures.on_time, figures.missed, figures.excluded) == (2, 1, 1, 2)
    assert figures.rate == 0.5 and on_time([]).rate is None
