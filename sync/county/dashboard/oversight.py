"""电子监察 (R-M2) and 回访: overdue/at-risk cases, bad ratings to call back, complaints.

Cases (办件) come from the ``case_fact`` projection of the stations' case events
(``ProjectedCases``: overdue now and 临期, see ``case_figures``); they carry no personal
data. Complaints (投诉) are not synced yet: a later issue registers a provider with
``register_complaint_source``; until then the page shows its empty state, nothing is faked.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Protocol

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


class CaseSource(Protocol):
    def overdue_and_at_risk(self, s: Session, now: datetime) -> list[CaseAlert]: ...


class ComplaintSource(Protocol):
    def open_complaints(self, s: Session, now: datetime) -> list[Complaint]: ...


class NoCases:
    """No case source (tests may register it): always empty."""

    def overdue_and_at_risk(self, s: Session, now: datetime) -> list[CaseAlert]:
        return []


class ProjectedCases:
    """Overdue and 临期 cases from the ``case_fact`` projection (R-M2)."""

    def overdue_and_at_risk(self, s: Session, now: datetime) -> list[CaseAlert]:
        names = {st.id: st.name for st in s.exec(select(Station))}
        return [
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


class NoComplaints:
    """Complaints are not recorded yet: always empty."""

    def open_complaints(self, s: Session, now: datetime) -> list[Complaint]:
        return []


_case_source: CaseSource = ProjectedCases()
_complaint_source: ComplaintSource = NoComplaints()


def register_case_source(source: CaseSource) -> None:
    global _case_source
    _case_source = source


def register_complaint_source(source: ComplaintSource) -> None:
    global _complaint_source
    _complaint_source = source


def case_alerts(s: Session, now: datetime) -> list[CaseAlert]:
    return sorted(_case_source.overdue_and_at_risk(s, now), key=lambda c: c.deadline)


def open_complaints(s: Session, now: datetime) -> list[Complaint]:
    return _complaint_source.open_complaints(s, now)


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
