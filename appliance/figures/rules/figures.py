"""Figures over a period (统计, R-M1) from daily roll-ups: grouped by day, week (ISO, from
Monday) or month, and by category, staff member or item; medians and p90 exact.

Definitions (the same at the station and the county):

* 等候时间: issued → first call; 办理时长: start (开始办理, else the call) → finish;
  median and p90 (nearest rank) in minutes, one decimal.
* 按时办结率: cases decided (准予 / 不予批准) on or before their 办结期限, or without one,
  among the cases decided in the period.
* 满意率 (好评率): ratings at 基本满意 or better among the counted ratings — the visitor's
  own and the comment box; a defaulted rating is counted apart and not in the rate.
* 主动评价率: visitor ratings per finished service (tickets served + cases decided).
* 回访完成率: follow-ups closed per follow-up opened in the period (capped at 100 %).

Pure: stdlib only.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from appliance.figures.rules.rollup import ALL, LEVELS, Bucket, DayRollup

PERIODS = ("day", "week", "month", "all")
DIMENSIONS = ("all", "category", "staff", "item")
GOOD_MIN = 3


def period_of(day: date, period: str) -> str:
    """The label of the period that holds ``day``: 2026-12-03, 2026-W49 or 2026-12."""
    if period == "day":
        return day.isoformat()
    if period == "week":
        year, week, _ = day.isocalendar()
        return f"{year}-W{week:02d}"
    if period == "month":
        return f"{day.year}-{day.month:02d}"
    return "all"


def days_between(start: date, end: date) -> list[date]:
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]


def percentile(samples: Sequence[int], q: float) -> float | None:
    """Nearest-rank percentile of seconds, in minutes with one decimal (None if empty)."""
    if not samples:
        return None
    ordered = sorted(samples)
    if q == 0.5 and len(ordered) % 2 == 0:
        mid = len(ordered) // 2
        return round((ordered[mid - 1] + ordered[mid]) / 120.0, 1)
    rank = max(1, math.ceil(q * len(ordered)))
    return round(ordered[rank - 1] / 60.0, 1)


def _rate(part: int, whole: int) -> float | None:
    return round(100.0 * min(part, whole) / whole, 1) if whole else None


@dataclass(frozen=True)
class FigureLine:
    """One line of figures: a period and a dimension key, counts and rates."""

    period: str
    key: str  # "all", or the category id, staff id or item code
    tickets: int
    served: int
    no_shows: int
    wait_median_min: float | None
    wait_p90_min: float | None
    service_median_min: float | None
    service_p90_min: float | None
    cases: int
    decided: int
    on_time: int
    late: int
    on_time_pct: float | None
    overdue: int
    ratings: int
    levels: tuple[int, int, int, int, int]  # 非常满意 … 非常不满意 (5 → 1)
    visitor_ratings: int
    comment_box: int
    defaulted: int
    satisfaction_pct: float | None
    active_pct: float | None
    followups: int
    followups_closed: int
    followup_pct: float | None
    real_name_followups: int
    real_name_closed: int
    complaints: int
    complaints_closed: int
    desk: int
    desk_closed: int
    overtime_minutes: int


def line_of(period: str, key: str, b: Bucket) -> FigureLine:
    counted = sum(b.levels.get(level, 0) for level in LEVELS)
    good = sum(b.levels.get(level, 0) for level in LEVELS if level >= GOOD_MIN)
    levels = tuple(b.levels.get(level, 0) for level in (5, 4, 3, 2, 1))
    return FigureLine(
        period=period,
        key=key,
        tickets=b.tickets,
        served=b.served,
        no_shows=b.no_shows,
        wait_median_min=percentile(b.waits, 0.5),
        wait_p90_min=percentile(b.waits, 0.9),
        service_median_min=percentile(b.services, 0.5),
        service_p90_min=percentile(b.services, 0.9),
        cases=b.cases,
        decided=b.decided,
        on_time=b.on_time,
        late=b.late,
        on_time_pct=_rate(b.on_time, b.decided),
        overdue=b.overdue,
        ratings=counted,
        levels=(levels[0], levels[1], levels[2], levels[3], levels[4]),
        visitor_ratings=b.visitor_ratings,
        comment_box=b.comment_box,
        defaulted=b.defaulted,
        satisfaction_pct=_rate(good, counted),
        active_pct=_rate(b.visitor_ratings, b.served + b.decided),
        followups=b.followups,
        followups_closed=b.followups_closed,
        followup_pct=_rate(b.followups_closed, b.followups),
        real_name_followups=b.real_name_followups,
        real_name_closed=b.real_name_closed,
        complaints=b.complaints,
        complaints_closed=b.complaints_closed,
        desk=b.desk,
        desk_closed=b.desk_closed,
        overtime_minutes=b.overtime_minutes,
    )


def figures(
    rollups: Iterable[DayRollup], start: date, end: date, period: str = "all", by: str = "all"
) -> list[FigureLine]:
    """Lines for every period in [start, end] (empty ones too, for ``all`` keys) and every
    key of the dimension ``by`` seen in it, sorted by period then key."""
    if period not in PERIODS:
        raise ValueError(f"unknown period {period!r}")
    if by not in DIMENSIONS:
        raise ValueError(f"unknown dimension {by!r}")
    merged: dict[tuple[str, str], Bucket] = {}
    if by == ALL:
        for day in days_between(start, end):
            merged.setdefault((period_of(day, period), ALL), Bucket())
    prefix = f"{by}:"
    for r in rollups:
        day = date.fromisoformat(r.day)
        if not start <= day <= end:
            continue
        label = period_of(day, period)
        for key, bucket in r.buckets.items():
            if by == ALL and key == ALL:
                merged[(label, ALL)].add(bucket)
            elif by != ALL and key.startswith(prefix):
                merged.setdefault((label, key[len(prefix) :]), Bucket()).add(bucket)
    return [line_of(p, k, b) for (p, k), b in sorted(merged.items())]


def queue_curve(rollup: DayRollup | None, first_hour: int = 7, last_hour: int = 19) -> list[int]:
    """排队人数: the waiting line's peak per hour over the working day."""
    if rollup is None:
        return [0] * (last_hour - first_hour + 1)
    return rollup.queue_by_hour[first_hour : last_hour + 1]


__all__ = [
    "DIMENSIONS",
    "PERIODS",
    "FigureLine",
    "days_between",
    "figures",
    "line_of",
    "percentile",
    "period_of",
    "queue_curve",
]
