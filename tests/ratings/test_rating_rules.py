"""The pure rules of ratings: levels and reasons (R-E1), when a service may be rated (R-E2),
SMS replies, the follow-up machine and its deadlines (R-E3), and the rates (R-E3, R-E4)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from appliance.calendar.rules import CalendarEntry, WorkingCalendar
from appliance.core.errors import Conflict, Invalid
from appliance.ratings.rules.followup import (
    FollowUpState,
    Overdue,
    Step,
    deadlines,
    next_state,
    overdue,
)
from appliance.ratings.rules.levels import (
    LEVELS,
    Source,
    check_dimensions,
    check_level,
    check_rateable,
    check_reason,
    is_bad,
    parse_sms_reply,
    phone_key,
)
from appliance.ratings.rules.rates import FollowUpFact, RatingFact, rating_rates

NOW = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)


def test_five_levels_and_the_bottom_two_are_bad_r_e1() -> None:
    assert LEVELS == {5: "非常满意", 4: "满意", 3: "基本满意", 2: "不满意", 1: "非常不满意"}
    assert [level for level in LEVELS if is_bad(level)] == [2, 1]
    for wrong in (0, 6, -1):
        with pytest.raises(Invalid, match="1–5"):
            check_level(wrong)


def test_dimensions_are_the_four_of_hlj_9_3_each_scored_1_to_5_r_e1() -> None:
    scores = {"environment": 3, "attitude": 5, "quality": 4, "efficiency": 2}
    assert list(check_dimensions(scores)) == ["attitude", "quality", "efficiency", "environment"]
    with pytest.raises(Invalid, match="未知评价维度"):
        check_dimensions({"price": 3})
    with pytest.raises(Invalid, match="服务态度的评分须为 1–5"):
        check_dimensions({"attitude": 9})


def test_a_bad_rating_must_say_what_went_wrong_where_the_channel_can_ask_r_e1() -> None:
    with pytest.raises(Invalid, match="不满意的原因"):
        check_reason(2, Source.TABLET, None, "  ")
    with pytest.raises(Invalid, match="不满意的原因"):
        check_reason(1, Source.QR, None, "")
    assert check_reason(1, Source.QR, "waiting", "")[0] == "waiting"
    assert check_reason(2, Source.TABLET, None, "窗口无人")[1] == "窗口无人"
    # the keypad and an SMS reply cannot ask; a good rating need not say anything
    assert check_reason(1, Source.KEYPAD, None, "") == (None, "")
    assert check_reason(5, Source.QR, None, "") == (None, "")
    with pytest.raises(Invalid, match="未知的不满意原因"):
        check_reason(1, Source.QR, "bribe", "")


def test_no_rating_before_the_service_ends_once_only_and_within_its_period_r_e2() -> None:
    args = {"now": NOW, "open_days": 7, "source": Source.QR, "what": "A001 号"}
    with pytest.raises(Conflict, match="不能事前评价"):
        check_rateable(finished_at=None, already_rated=False, **args)  # type: ignore[arg-type]
    with pytest.raises(Conflict, match="只能评价一次"):
        check_rateable(finished_at=NOW, already_rated=True, **args)  # type: ignore[arg-type]
    week = NOW - timedelta(days=7)
    check_rateable(finished_at=week, already_rated=False, **args)  # type: ignore[arg-type]
    with pytest.raises(Conflict, match="已超过评价期限"):
        late = week - timedelta(seconds=1)
        check_rateable(finished_at=late, already_rated=False, **args)  # type: ignore[arg-type]
    # the comment box is transcribed when the box is opened: not held to the period
    box = {**args, "source": Source.COMMENT_BOX}
    check_rateable(finished_at=NOW - timedelta(days=30), already_rated=False, **box)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("5", (5, "", None)),
        (" １ ", (1, "", None)),
        ("2 等太久了", (2, "等太久了", None)),
        ("1 YZ0001-20261123-0007 态度差", (1, "态度差", "YZ0001-20261123-0007")),
        ("12", None),
        ("6", None),
        ("好", None),
        ("", None),
    ],
)
def test_an_sms_reply_starts_with_one_digit_1_to_5_r_e2(
    body: str, expected: tuple[int, str, str | None] | None
) -> None:
    assert parse_sms_reply(body) == expected


def test_phone_numbers_match_with_or_without_the_country_code_r_e2() -> None:
    assert phone_key("+86 138-0000-1234") == phone_key("13800001234") == "13800001234"


def test_the_follow_up_moves_verify_rectify_callback_close_r_e3() -> None:
    state, done = FollowUpState.VERIFY, frozenset[Step]()
    for step in (Step.VERIFY, Step.EXPLAIN, Step.CALLBACK, Step.CLOSE):
        state = next_state(state, step, done)
        done = done | {step}
    assert state is FollowUpState.CLOSED
    assert next_state(FollowUpState.RECTIFY, Step.RECTIFY, frozenset()) is FollowUpState.CALLBACK
    with pytest.raises(Conflict, match="应先记录核实"):
        next_state(FollowUpState.VERIFY, Step.RECTIFY, frozenset())
    with pytest.raises(Conflict, match="已办结"):
        next_state(FollowUpState.CLOSED, Step.VERIFY, done)


def test_a_follow_up_never_closes_without_a_callback_record_r_e3() -> None:
    for state in (FollowUpState.VERIFY, FollowUpState.RECTIFY, FollowUpState.CLOSE):
        with pytest.raises(Conflict, match="尚未回访，不能办结") as refused:
            next_state(state, Step.CLOSE, frozenset({Step.VERIFY, Step.RECTIFY}))
        assert refused.value.code == "callback_required"


def test_deadlines_count_working_days_over_holidays_r_e3() -> None:
    # 2026-09-30 (Wed) a bad rating; 10-01..10-07 National Day, 10-10 (Sat) a make-up workday
    holidays = [CalendarEntry(date(2026, 10, d), "holiday", "国庆节") for d in range(1, 8)]
    cal = WorkingCalendar.from_entries(
        [*holidays, CalendarEntry(date(2026, 10, 10), "workday", "国庆节")], [2026]
    )
    d = deadlines(cal, date(2026, 9, 30), 1, 15)
    assert d.contact_due == date(2026, 10, 8) and not d.provisional
    assert d.rectify_due == date(2026, 10, 27)  # 8, 9, 10 (Sat, worked), 12–16, 19–23, 26, 27
    assert deadlines(cal, date(2026, 12, 30), 1, 15).provisional  # 2027 not published yet


def test_overdue_from_the_day_after_a_deadline_r_e3() -> None:
    c, r = date(2026, 11, 24), date(2026, 12, 14)
    assert overdue(FollowUpState.VERIFY, c, c, r) == frozenset()
    assert overdue(FollowUpState.VERIFY, c + timedelta(days=1), c, r) == {Overdue.CONTACT}
    assert overdue(FollowUpState.RECTIFY, c + timedelta(days=1), c, r) == frozenset()
    assert overdue(FollowUpState.VERIFY, r + timedelta(days=1), c, r) == {
        Overdue.CONTACT,
        Overdue.RECTIFY,
    }
    assert overdue(FollowUpState.CLOSED, r + timedelta(days=9), c, r) == frozenset()


def test_rates_good_active_and_follow_up_completion_r_e3_r_e4() -> None:
    ratings = [
        *(RatingFact(5, "keypad") for _ in range(15)),
        RatingFact(3, "qr"),
        RatingFact(1, "sms", real_name=True),
        RatingFact(2, "comment_box"),
        RatingFact(1, "keypad", voided=True),  # appeal upheld: kept, not counted
        RatingFact(5, "default"),  # not the visitor's view
    ]
    followups = [
        FollowUpFact(closed=True, real_name=True),
        FollowUpFact(closed=False, real_name=False, overdue=True),
        FollowUpFact(closed=True, real_name=False),
    ]
    r = rating_rates(ratings, followups, services=25, missing=3, pending=2)
    assert (r.rated, r.visitor, r.comment_box, r.defaulted, r.voided) == (20, 18, 1, 1, 1)
    assert (r.good, r.bad) == (16, 2) and r.good_rate == 16 / 18
    assert r.active_rate == 19 / 25  # the visitor's own and the comment box; not the default
    assert r.levels == {5: 15, 4: 0, 3: 1, 2: 1, 1: 1}
    assert r.followup_rate == 2 / 3 and r.followups_overdue == 1
    assert r.real_name_rate == 1.0 and r.meets_target is False
    assert (r.missing, r.pending) == (3, 2)
    empty = rating_rates([], services=0)
    assert empty.good_rate is None and empty.active_rate is None and empty.meets_target is None
