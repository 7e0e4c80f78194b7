"""Wire types of the station figures (统计, R-M1): one line of figures, a period's table and
the station head's home (today's figures and the charts' series).

Shared by the station's controller, the staff terminal and the county's tests. Pure: stdlib
and msgspec only.
"""

from __future__ import annotations

from datetime import date

import msgspec


class FigureRowView(msgspec.Struct, frozen=True, kw_only=True):
    """One period × one key of the dimension (``all``, a category, staff member or item)."""

    period: str  # 2026-12-03, 2026-W49, 2026-12 or "all"
    key: str
    label: str  # the key's Chinese name (全部 for ``all``)
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
    levels: list[int]  # counted ratings at 5, 4, 3, 2, 1
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


class FiguresView(msgspec.Struct, frozen=True, kw_only=True):
    """统计: the figures of [start, end] grouped by ``period`` and ``by``."""

    start: date
    end: date
    period: str  # day, week, month, all
    by: str  # all, category, staff, item
    rows: list[FigureRowView]


class TrendPoint(msgspec.Struct, frozen=True, kw_only=True):
    day: date
    cases: int
    tickets: int
    wait_median_min: float | None
    satisfaction_pct: float | None


class HeadHomeView(msgspec.Struct, frozen=True, kw_only=True):
    """站长首页: today's figures, the waiting line per hour, the last days' trend, and what
    is still open (差评回访, 投诉)."""

    today: date
    figures: FigureRowView
    queue_hours: list[int]  # the hours of ``queue_by_hour``
    queue_by_hour: list[int]  # peak waiting line per hour today
    trend: list[TrendPoint]  # oldest first, today last
    open_followups: int
    open_complaints: int


__all__ = ["FigureRowView", "FiguresView", "HeadHomeView", "TrendPoint"]
