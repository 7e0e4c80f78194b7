"""The pure figure rules (R-M1): event days, the day fold, percentiles and periods."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from appliance.figures.rules.figures import figures, percentile, period_of
from appliance.figures.rules.rollup import ALL, FigureEvent, event_day, fold_day

TZ = ZoneInfo("Asia/Shanghai")


def ev(seq: int, type_: str, at: datetime, entity: str = "t1", **payload: object) -> FigureEvent:
    return FigureEvent(seq, type_, entity, payload, at)


def test_a_ticket_finished_after_midnight_stays_with_its_day_r_m1() -> None:
    issued = ev(
        1, "ticket.issued", datetime(2026, 11, 23, 15, 0, tzinfo=UTC), business_date="2026-11-23"
    )
    finished = ev(
        3, "ticket.finished", datetime(2026, 11, 23, 16, 5, tzinfo=UTC), business_date="2026-11-23"
    )
    called = ev(
        2, "ticket.called", datetime(2026, 11, 23, 15, 50, tzinfo=UTC), business_date="2026-11-23"
    )
    case = ev(4, "case.opened", datetime(2026, 11, 23, 16, 5, tzinfo=UTC), "c1")
    assert event_day(finished, TZ) == date(2026, 11, 23)  # 00:05 on the 24th in Beijing
    assert event_day(case, TZ) == date(2026, 11, 24)
    day = fold_day(date(2026, 11, 23), [finished, case, called, issued], TZ)
    b = day.buckets[ALL]
    assert (b.tickets, b.served, b.cases, b.waits, b.services) == (1, 1, 0, [3000], [900])


def test_percentiles_are_exact_r_m1() -> None:
    assert percentile([], 0.5) is None
    assert percentile([60, 120, 180], 0.5) == 2.0
    assert percentile([60, 120, 180, 240], 0.5) == 2.5
    assert percentile(list(range(60, 660, 60)), 0.9) == 9.0  # 1…10 min: the 9th
    assert percentile([600], 0.9) == 10.0


def test_periods_r_m1() -> None:
    assert period_of(date(2026, 11, 23), "day") == "2026-11-23"
    assert period_of(date(2026, 11, 29), "week") == "2026-W48"
    assert period_of(date(2026, 11, 30), "week") == "2026-W49"
    assert period_of(date(2026, 11, 30), "month") == "2026-11"
    assert period_of(date(2026, 11, 30), "all") == "all"


def test_ratings_rates_and_defaulted_apart_r_m1() -> None:
    at = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
    rows = [
        ev(1, "rating.given", at, "r1", level=5, source="keypad"),
        ev(2, "rating.given", at, "r2", level=2, source="qr"),
        ev(3, "rating.given", at, "r3", level=5, source="default"),
        ev(4, "rating.given", at, "r4", level=9, source="keypad"),  # not a level: ignored
    ]
    day = fold_day(date(2026, 11, 23), rows, TZ)
    [line] = figures([day], date(2026, 11, 23), date(2026, 11, 23))
    assert (line.ratings, line.defaulted, line.satisfaction_pct) == (2, 1, 50.0)
    assert line.active_pct is None  # no finished service: no rate


def test_decided_without_a_deadline_is_on_time_r_m1() -> None:
    at = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
    rows = [
        ev(1, "case.approve", at, "c1", due_on=None),
        ev(2, "case.approve", at, "c2", due_on="2026-11-23"),
        ev(3, "case.reject", at, "c3", due_on="2026-11-22"),
    ]
    [line] = figures(
        [fold_day(date(2026, 11, 23), rows, TZ)], date(2026, 11, 23), date(2026, 11, 23)
    )
    assert (line.decided, line.on_time, line.late, line.on_time_pct) == (3, 2, 1, 66.7)


def test_unknown_period_or_dimension_r_m1() -> None:
    with pytest.raises(ValueError):
        figures([], date(2026, 11, 1), date(2026, 11, 2), "year")
    with pytest.raises(ValueError):
        figures([], date(2026, 11, 1), date(2026, 11, 2), "day", "window")
