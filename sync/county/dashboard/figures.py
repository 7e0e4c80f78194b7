"""统计: station figures computed from the synced projections (tickets, waits, ratings, cases).

Satisfaction (满意率) counts 基本满意 and better (level ≥ 3); levels ≤ 2 are 差评, the same
line the follow-up list uses. Case figures (办件) are in ``case_figures``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Float, cast, extract, func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from sync.county.dashboard.case_figures import (
    CASE_HEADERS,
    CaseFigures,
    case_figures,
    state_label,
)
from sync.county.dashboard.common import BEIJING
from sync.county.models import Station
from sync.county.projections import RatingPress, TicketFact

RATING_LABELS = {5: "非常满意", 4: "满意", 3: "基本满意", 2: "不满意", 1: "非常不满意"}
BAD_RATING_MAX = 2
DEFAULT_DAYS = 14


@dataclass
class StationFigures:
    """One station's figures over the period."""

    station_id: str
    name: str
    tickets: int = 0
    served: int = 0
    no_shows: int = 0  # 过号: tickets whose last call went unanswered
    median_wait_min: float | None = None  # called − issued
    median_service_min: float | None = None  # finished − started
    ratings: dict[int, int] = field(default_factory=lambda: {k: 0 for k in RATING_LABELS})
    case: CaseFigures = field(default_factory=CaseFigures)  # 办件

    @property
    def rating_count(self) -> int:
        return sum(self.ratings.values())

    @property
    def satisfaction_pct(self) -> float | None:
        total = self.rating_count
        if not total:
            return None
        good = sum(n for level, n in self.ratings.items() if level > BAD_RATING_MAX)
        return round(100.0 * good / total, 1)


@dataclass
class Figures:
    """Figures across stations for ``days`` ending on ``end`` (Beijing dates)."""

    start: str
    end: str
    days: list[str]
    stations: list[StationFigures]
    per_day: dict[str, dict[str, int]]  # station id → date → tickets

    @property
    def total(self) -> StationFigures:
        t = StationFigures("", "全部站点")
        for s in self.stations:
            t.tickets += s.tickets
            t.served += s.served
            t.no_shows += s.no_shows
            for k, n in s.ratings.items():
                t.ratings[k] += n
            t.case.add(s.case)
        return t


def _minutes(seconds: object) -> float | None:
    return None if seconds is None else round(float(str(seconds)) / 60.0, 1)


def _median_seconds(later: Any, earlier: Any) -> ColumnElement[Any]:
    span = extract("epoch", col(later) - col(earlier))
    return func.percentile_cont(0.5).within_group(cast(span, Float))


def compute_figures(s: Session, now: datetime, days: int = DEFAULT_DAYS) -> Figures:
    """Tickets per day per station, median waits and service times, ratings (R-M2)."""
    days = max(1, min(days, 366))
    end_date = now.astimezone(BEIJING).date()
    dates = [(end_date - timedelta(days=i)).isoformat() for i in range(days - 1, -1, -1)]
    start, end = dates[0], dates[-1]
    start_at = datetime.fromisoformat(start).replace(tzinfo=BEIJING)
    end_at = datetime.fromisoformat(end).replace(tzinfo=BEIJING) + timedelta(days=1)
    names = {st.id: st.name for st in s.exec(select(Station).order_by(col(Station.id)))}
    figs = {sid: StationFigures(sid, name) for sid, name in names.items()}
    per_day: dict[str, dict[str, int]] = {sid: dict.fromkeys(dates, 0) for sid in names}
    t = TicketFact
    in_period = (col(t.business_date) >= start, col(t.business_date) <= end)
    for sid, day, n in s.execute(
        sa_select(col(t.station_id), col(t.business_date), func.count())
        .where(*in_period)
        .group_by(col(t.station_id), col(t.business_date))
    ).all():
        if sid in per_day and day in per_day[sid]:
            per_day[sid][day] = int(n)
            figs[sid].tickets += int(n)
    for sid, n in s.execute(
        sa_select(col(t.station_id), func.count())
        .where(*in_period, col(t.status) == "no_show")
        .group_by(col(t.station_id))
    ).all():
        if sid in figs:
            figs[sid].no_shows = int(n)
    for sid, served, wait, service in s.execute(
        sa_select(
            col(t.station_id),
            func.count(col(t.finished_at)),
            _median_seconds(t.called_at, t.issued_at),
            _median_seconds(t.finished_at, t.started_at),
        )
        .where(*in_period)
        .group_by(col(t.station_id))
    ).all():
        if sid in figs:
            figs[sid].served = int(served)
            figs[sid].median_wait_min = _minutes(wait)
            figs[sid].median_service_min = _minutes(service)
    r = RatingPress
    for sid, level, n in s.execute(
        sa_select(col(r.station_id), col(r.level), func.count())
        .where(col(r.pressed_at) >= start_at, col(r.pressed_at) < end_at)
        .group_by(col(r.station_id), col(r.level))
    ).all():
        if sid in figs and int(level) in RATING_LABELS:
            figs[sid].ratings[int(level)] += int(n)
    cases = case_figures(s, date.fromisoformat(start), date.fromisoformat(end), end_date)
    for sid, fig in cases.items():
        if sid in figs:
            figs[sid].case = fig
    return Figures(start, end, dates, list(figs.values()), per_day)


FIGURE_HEADERS = (
    "站点编码",
    "站点名称",
    "取号数",
    "办结数",
    "过号数",
    "等候时间中位数（分钟）",
    "办理时长中位数（分钟）",
    "评价数",
    *(f"{RATING_LABELS[k]}（{k}分）" for k in (5, 4, 3, 2, 1)),
    "满意率（%）",
    *CASE_HEADERS,
)


def figures_table(f: Figures) -> list[list[object]]:
    """One row per station plus a total row, same columns as ``FIGURE_HEADERS``."""

    def row(x: StationFigures) -> list[object]:
        return [
            x.station_id,
            x.name,
            x.tickets,
            x.served,
            x.no_shows,
            "" if x.median_wait_min is None else x.median_wait_min,
            "" if x.median_service_min is None else x.median_service_min,
            x.rating_count,
            *(x.ratings[k] for k in (5, 4, 3, 2, 1)),
            "" if x.satisfaction_pct is None else x.satisfaction_pct,
            *x.case.row(),
        ]

    total = f.total
    rows = [row(x) for x in f.stations]
    last = row(total)
    last[0] = "合计"
    rows.append(last)
    return rows


DAILY_HEADERS = ("日期", "站点编码", "站点名称", "取号数")


def daily_table(f: Figures) -> list[list[object]]:
    return [
        [day, x.station_id, x.name, f.per_day[x.station_id][day]]
        for day in f.days
        for x in f.stations
    ]


def state_table(f: Figures) -> list[list[object]]:
    """办件状态: cases received in the period per station and state (``STATE_HEADERS``)."""
    return [
        [x.station_id, x.name, state_label(state), n]
        for x in f.stations
        for state, n in sorted(x.case.by_state.items())
    ]
