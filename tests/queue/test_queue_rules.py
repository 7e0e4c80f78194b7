"""Pure queue rules with a frozen clock (R-Q2, R-Q3, R-Q4, R-Q5)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from appliance.core.errors import Conflict
from appliance.core.ids import uuid7
from appliance.core.masking import mask_id_number, mask_name, mask_phone
from appliance.queue.rules.tickets import (
    Candidate,
    Priority,
    TicketStatus,
    check_transition,
    choose_next,
    format_number,
    rejoin_queue_at,
)
from appliance.queue.rules.wait_estimate import (
    BusinessDay,
    average_service_minutes,
    estimate_wait_minutes,
    parse_hhmm,
)

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


def cand(
    tid: str,
    cat: str = "A",
    prio: Priority = Priority.NORMAL,
    mins_ago: float = 0,
    target: str | None = None,
) -> Candidate:
    return Candidate(tid, cat, prio, NOW - timedelta(minutes=mins_ago), target)


def pick(
    waiting: list[Candidate],
    streaks: dict[str, int] | None = None,
    cats: tuple[str, ...] = ("A",),
    max_streak: int = 2,
    open_windows: dict[str, int] | None = None,
) -> tuple[str, int] | None:
    d = choose_next("w1", cats, waiting, streaks or {}, open_windows or {}, max_streak, NOW)
    return (d.ticket.ticket_id, d.new_streak) if d else None


def test_fifo_for_ordinary_tickets_r_q3() -> None:
    assert pick([cand("late", mins_ago=1), cand("early", mins_ago=5)]) == ("early", 0)


def test_nobody_waiting_gives_none() -> None:
    assert pick([]) is None
    assert pick([cand("x", cat="B")]) is None  # window does not serve B


def test_priority_served_first_r_q4() -> None:
    got = pick([cand("old", mins_ago=30), cand("elder", prio=Priority.VULNERABLE, mins_ago=1)])
    assert got == ("elder", 1)


def test_appointment_before_vulnerable_r_q4() -> None:
    got = pick(
        [
            cand("elder", prio=Priority.VULNERABLE, mins_ago=10),
            cand("appt", prio=Priority.APPOINTMENT, mins_ago=1),
        ]
    )
    assert got is not None and got[0] == "appt"


def test_priority_streak_limit_prevents_starvation_r_q4() -> None:
    waiting = [cand("ordinary", mins_ago=30), cand("elder", prio=Priority.VULNERABLE, mins_ago=1)]
    assert pick(waiting, {"A": 1}) == ("elder", 2)
    # after max_streak priority calls in a row, the ordinary visitor is called
    assert pick(waiting, {"A": 2}) == ("ordinary", 0)


def test_priority_without_ordinary_waiting_does_not_grow_streak() -> None:
    assert pick([cand("elder", prio=Priority.VULNERABLE)], {"A": 2}) == ("elder", 0)


def test_transferred_to_this_window_comes_first_r_q3() -> None:
    waiting = [cand("old", mins_ago=50), cand("moved", cat="C", mins_ago=1, target="w1")]
    assert pick(waiting)[0] == "moved"  # type: ignore[index]
    # a ticket transferred to another window is not ours
    assert pick([cand("other", target="w2")]) is None


def test_busy_category_drained_first_balances_windows_r_q4() -> None:
    """Window serves A and B; B has 6 waiting on one open window, A has 1 on three."""
    waiting = [cand("a1", "A", mins_ago=6)] + [
        cand(f"b{i}", "B", mins_ago=5 - i * 0.1) for i in range(6)
    ]
    got = pick(waiting, cats=("A", "B"), open_windows={"A": 3, "B": 1})
    assert got is not None and got[0] == "b0"


def test_long_wait_still_wins_over_pressure() -> None:
    waiting = [
        cand("a1", "A", mins_ago=120),
        cand("b1", "B", mins_ago=5),
        cand("b2", "B", mins_ago=4),
    ]
    got = pick(waiting, cats=("A", "B"), open_windows={"A": 1, "B": 1})
    assert got is not None and got[0] == "a1"


@pytest.mark.parametrize(
    ("action", "status", "ok"),
    [
        ("finish", TicketStatus.SERVING, True),
        ("finish", TicketStatus.CALLED, True),
        ("finish", TicketStatus.DONE, False),
        ("start", TicketStatus.CALLED, True),
        ("start", TicketStatus.WAITING, False),
        ("recall", TicketStatus.CALLED, True),
        ("recall", TicketStatus.NO_SHOW, False),
        ("no_show", TicketStatus.SERVING, False),
        ("rejoin", TicketStatus.NO_SHOW, True),
        ("rejoin", TicketStatus.WAITING, False),
        ("call", TicketStatus.DONE, False),
    ],
)
def test_transitions_r_q3(action: str, status: TicketStatus, ok: bool) -> None:
    if ok:
        check_transition(action, status, "A001")
    else:
        with pytest.raises(Conflict) as err:
            check_transition(action, status, "A001")
        assert "A001" in err.value.message


def test_number_format() -> None:
    assert format_number("A", 1) == "A001"
    assert format_number("B", 14) == "B014"
    assert format_number("C", 1234) == "C1234"


def test_rejoin_rules_r_q3() -> None:
    queue = [NOW - timedelta(minutes=m) for m in (10, 8, 6, 4)]
    at_end = rejoin_queue_at("end", 3, NOW, queue)
    assert at_end > max(queue)
    after_two = rejoin_queue_at("after", 2, NOW, queue)
    assert sorted(queue)[1] < after_two < sorted(queue)[2]
    assert rejoin_queue_at("after", 10, NOW, queue) > max(queue)  # short queue: at the end
    with pytest.raises(Conflict):
        rejoin_queue_at("forbid", 3, NOW, queue)


def test_wait_estimate_uses_prior_until_enough_samples_r_q2() -> None:
    assert average_service_minutes([2.0, 2.0], prior_minutes=8.0, min_samples=5) == 8.0
    assert average_service_minutes([4.0] * 5, prior_minutes=8.0, min_samples=5) == 4.0
    # one forgotten open service is trimmed away from 10 samples on
    assert average_service_minutes([5.0] * 9 + [500.0], 8.0, 5) == pytest.approx(5.0)
    assert estimate_wait_minutes(0, 5.0, 1) == 0
    assert estimate_wait_minutes(3, 5.0, 1) == 15
    assert estimate_wait_minutes(3, 5.0, 2) == 8
    assert estimate_wait_minutes(3, 5.0, 0) == 15  # no open window: as if one


DAY = BusinessDay(ZoneInfo("Asia/Shanghai"), parse_hhmm("08:30"), parse_hhmm("17:30"))


def test_closing_warning_near_closing_time_r_q5() -> None:
    morning = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)  # 09:00 local
    assert DAY.closing_warning(morning, 30) is None
    late = datetime(2026, 11, 23, 9, 10, tzinfo=UTC)  # 17:10 local
    assert DAY.closing_warning(late, 10) is None
    warning = DAY.closing_warning(late, 30)
    assert warning is not None and "17:30" in warning and "今日可能无法办理" in warning
    after = datetime(2026, 11, 23, 9, 40, tzinfo=UTC)
    assert "已过今日办公时间" in (DAY.closing_warning(after, 0) or "")


def test_business_day_follows_local_date() -> None:
    # 23:30 UTC on the 22nd is already the 23rd in Beijing: numbering resets then
    assert DAY.local_date(datetime(2026, 11, 22, 16, 30, tzinfo=UTC)).isoformat() == "2026-11-23"


def test_overtime_minutes_r_q5() -> None:
    closing_utc = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
    assert (
        DAY.overtime_minutes(
            closing_utc - timedelta(minutes=20), closing_utc - timedelta(minutes=1)
        )
        == 0
    )
    assert (
        DAY.overtime_minutes(
            closing_utc - timedelta(minutes=20), closing_utc + timedelta(minutes=12)
        )
        == 12
    )
    assert (
        DAY.overtime_minutes(
            closing_utc + timedelta(minutes=5), closing_utc + timedelta(minutes=15)
        )
        == 10
    )


def test_masking_r_i3() -> None:
    assert mask_name("张三") == "张*"
    assert mask_name("张小三") == "张*三"
    assert mask_name("欧阳小明") == "欧**明"
    assert mask_phone("13812345678") == "138****5678"
    assert mask_id_number("110101199003071234") == "110101********1234"


def test_uuid7_is_time_ordered_and_versioned() -> None:
    ids = [uuid7() for _ in range(2000)]
    assert ids == sorted(ids)
    assert len(set(ids)) == len(ids)
    assert all(u.version == 7 for u in ids)
