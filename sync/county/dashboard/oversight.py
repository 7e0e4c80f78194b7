"""电子监察 (R-M2) and 回访: overdue/at-risk cases, bad ratings to call back, complaints.

Cases (办件) come from the ``case_fact`` projection of the stations' case events (overdue
now and 临期, see ``case_figures``); they carry no personal data. Stations do not record
complaints (投诉) yet, so :func:`open_complaints` is empty and the page shows its empty
state: nothing is faked.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlmodel import Session, col, select

from sync.county.dashboard.case_figures import overdue_and_due_soon
from sync.county.dashboard.common import BEIJING
from sync.county.dashboard.figures import BAD_RATING_MAX, RATING_LABELS
from sync.county.models import Station
from sync.county.projections import RatingPress

FOLLOW_UP_WINDOW = timedelta(days=30)


@dataclass(frozen=True)
class CaseAlert:
    """An overdue (超期) or at-risk (临期) case (办件) at one station."""

    station_id: str
    station_name: str
    case_id: str  # the case number (办件编号)
    title: str  # the item (事项) name
    deadline: date  # 办结期限
    overdue: bool


@dataclass(frozen=True)
class Complaint:
    """An open complaint (投诉) recorded at a station."""

    station_id: str
    station_name: str
    complaint_id: str
    summary: str
    at: datetime


@dataclass(frozen=True)
class BadRating:
    """A 差评 (level ≤ 2) that needs a call back (回访)."""

    station_id: str
    station_name: str
    ticket_number: str
    window_number: str
    level: int
    staff_id: str | None
    pressed_at: datetime

    @property
    def level_label(self) -> str:
        return RATING_LABELS.get(self.level, str(self.level))


def case_alerts(s: Session, now: datetime) -> list[CaseAlert]:
    """Overdue and 临期 cases from the ``case_fact`` projection (R-M2), nearest deadline first."""
    names = {st.id: st.name for st in s.exec(select(Station))}
    alerts = [
        CaseAlert(
            fact.station_id,
            names.get(fact.station_id, fact.station_id),
            fact.case_number,
            fact.item_name or fact.item_code,
            fact.due_on,
            overdue,
        )
        for fact, overdue in overdue_and_due_soon(s, now.astimezone(BEIJING).date())
        if fact.due_on is not None
    ]
    return sorted(alerts, key=lambda c: c.deadline)


def open_complaints(s: Session, now: datetime) -> list[Complaint]:
    """Open complaints (投诉): none until stations record them."""
    return []


def bad_ratings(s: Session, now: datetime) -> list[BadRating]:
    """差评 of the last 30 days, newest first: each one is a 回访 to make."""
    names = {st.id: st.name for st in s.exec(select(Station))}
    rows = s.exec(
        select(RatingPress)
        .where(col(RatingPress.level) <= BAD_RATING_MAX)
        .where(col(RatingPress.pressed_at) >= now - FOLLOW_UP_WINDOW)
        .order_by(col(RatingPress.pressed_at).desc())
        .limit(500)
    )
    return [
        BadRating(
            r.station_id,
            names.get(r.station_id, r.station_id),
            r.number,
            r.window_number,
            r.level,
            r.staff_id,
            r.pressed_at,
        )
        for r in rows
    ]
