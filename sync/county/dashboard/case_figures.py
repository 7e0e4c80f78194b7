"""办件 figures and the overdue test shared by 电子监察 and 统计 (R-M1, R-M2).

A case is **overdue now** when its station reported it overdue for its current 办结期限
(``case_fact.overdue``), or when its time limit runs and the 办结期限 is already behind the
county's today (a station that went quiet cannot hide an overdue case). **Due soon** (临期)
is the station's reminder, when not overdue. Done on time / late compares the decision
date (准予 / 不予批准) with the 办结期限, as the station does (``DueStatus.DONE_*``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, and_, func, not_, or_
from sqlalchemy import select as sa_select
from sqlmodel import Session, col

from appliance.cases.rules.states import STATE_LABELS, CaseState
from sync.county.case_handlers import RUNNING
from sync.county.projections import CaseFact

CASE_HEADERS = ("办件数", "超期办件（当前）", "按时办结", "超期办结", "按时办结率（%）")
STATE_HEADERS = ("站点编码", "站点名称", "办件状态", "件数")


def state_label(value: str) -> str:
    try:
        return STATE_LABELS[CaseState(value)]
    except ValueError:
        return value or "未知"


def overdue_now(today: date) -> ColumnElement[bool]:
    c = CaseFact
    late = and_(col(c.state).in_(RUNNING), col(c.due_on) < today)
    return or_(col(c.overdue), late)


def due_soon_now(today: date) -> ColumnElement[bool]:
    return and_(col(CaseFact.due_soon), not_(overdue_now(today)))


@dataclass
class CaseFigures:
    """One station's (or all stations') case figures over a period."""

    received: int = 0  # cases received in the period
    overdue: int = 0  # overdue now (not bound to the period)
    on_time: int = 0  # decided in the period on or before the 办结期限
    late: int = 0  # decided in the period after it
    by_state: dict[str, int] = field(default_factory=dict)  # received in the period

    @property
    def on_time_pct(self) -> float | None:
        decided = self.on_time + self.late
        return round(100.0 * self.on_time / decided, 1) if decided else None

    def add(self, other: CaseFigures) -> None:
        self.received += other.received
        self.overdue += other.overdue
        self.on_time += other.on_time
        self.late += other.late
        for state, n in other.by_state.items():
            self.by_state[state] = self.by_state.get(state, 0) + n

    def row(self) -> list[object]:
        """The cells of ``CASE_HEADERS``."""
        pct = self.on_time_pct
        return [self.received, self.overdue, self.on_time, self.late, "" if pct is None else pct]


def case_figures(s: Session, start: date, end: date, today: date) -> dict[str, CaseFigures]:
    """Case figures per station id: three grouped queries over ``case_fact``."""
    c = CaseFact
    out: dict[str, CaseFigures] = {}

    def of(station_id: str) -> CaseFigures:
        return out.setdefault(station_id, CaseFigures())

    received = and_(col(c.received_on) >= start, col(c.received_on) <= end)
    for sid, state, n in s.execute(
        sa_select(col(c.station_id), col(c.state), func.count())
        .where(received)
        .group_by(col(c.station_id), col(c.state))
    ).all():
        fig = of(sid)
        fig.received += int(n)
        fig.by_state[state] = int(n)
    for sid, n in s.execute(
        sa_select(col(c.station_id), func.count())
        .where(overdue_now(today))
        .group_by(col(c.station_id))
    ).all():
        of(sid).overdue = int(n)
    late = and_(col(c.due_on).isnot(None), col(c.decided_on) > col(c.due_on))
    for sid, is_late, n in s.execute(
        sa_select(col(c.station_id), late, func.count())
        .where(col(c.decided_on) >= start, col(c.decided_on) <= end)
        .group_by(col(c.station_id), late)
    ).all():
        if is_late:
            of(sid).late = int(n)
        else:
            of(sid).on_time = int(n)
    return out


def overdue_and_due_soon(s: Session, today: date, limit: int = 500) -> list[tuple[Any, bool]]:
    """(case fact, overdue) of every case overdue now or due soon, nearest deadline first."""
    c = CaseFact
    over = overdue_now(today)
    rows = s.execute(
        sa_select(c, over)
        .where(or_(over, due_soon_now(today)))
        .order_by(col(c.due_on), col(c.station_id), col(c.case_number))
        .limit(limit)
    ).all()
    return [(fact, bool(is_over)) for fact, is_over in rows]
