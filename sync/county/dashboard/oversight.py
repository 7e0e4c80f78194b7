"""电子监察 (R-M2) and 回访: overdue/at-risk cases, bad ratings to call back, complaints.

Cases (办件) come from the ``case_fact`` projection of the stations' case events (overdue
now and 临期, see ``case_figures``); they carry no personal data. Open complaints (投诉,
R-P2) come from the ``complaint_fact`` projection (``complaint_handlers``): a confidential
complaint shows its complainant as （保密）, never a name.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlmodel import Session, col, select

from appliance.complaints.rules import CHANNEL_LABELS, STATE_LABELS, WITHHELD
from sync.county.dashboard.case_figures import overdue_and_due_soon
from sync.county.dashboard.common import BEIJING
from sync.county.dashboard.figures import BAD_RATING_MAX, RATING_LABELS
from sync.county.dashboard.followups import followup_states, staff_labels
from sync.county.models import Station
from sync.county.projections import ComplaintFact, RatingPress

FOLLOW_UP_WINDOW = timedelta(days=30)
COMPLAINT_CHANNELS: dict[str, str] = {c.value: label for c, label in CHANNEL_LABELS.items()}
COMPLAINT_STATES: dict[str, str] = {s.value: label for s, label in STATE_LABELS.items()}


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
    """An open complaint (投诉) recorded at a station; ``complainant`` is masked, 匿名, or
    （保密） for a confidential one."""

    station_id: str
    station_name: str
    complaint_id: str
    summary: str
    at: datetime
    number: str = ""
    channel_label: str = ""
    state_label: str = ""
    complainant: str = ""
    confidential: bool = False


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
    staff_label: str = "—"  # 王秀英（ck01）, or the 工号
    followup: str = ""  # where its 回访 stands (empty: no follow-up event yet)
    followup_overdue: bool = False

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
    """Complaints (投诉) not yet closed at any station, oldest first (R-M2)."""
    names = {st.id: st.name for st in s.exec(select(Station))}
    rows = s.exec(
        select(ComplaintFact)
        .where(ComplaintFact.state != "closed")
        .order_by(col(ComplaintFact.received_at), col(ComplaintFact.number))
        .limit(500)
    )
    return [
        Complaint(
            station_id=r.station_id,
            station_name=names.get(r.station_id, r.station_id),
            complaint_id=r.complaint_id,
            summary=r.summary,
            at=r.received_at or r.updated_at,
            number=r.number,
            channel_label=COMPLAINT_CHANNELS.get(r.channel, r.channel),
            state_label=COMPLAINT_STATES.get(r.state, r.state),
            complainant=WITHHELD if r.confidential else r.complainant,
            confidential=r.confidential,
        )
        for r in rows
    ]


def bad_ratings(s: Session, now: datetime) -> list[BadRating]:
    """差评 of the last 30 days, newest first: each one is a 回访 to make."""
    names = {st.id: st.name for st in s.exec(select(Station))}
    rows = s.exec(
        select(RatingPress)
        .where(col(RatingPress.level) <= BAD_RATING_MAX)
        .where(col(RatingPress.pressed_at) >= now - FOLLOW_UP_WINDOW)
        .order_by(col(RatingPress.pressed_at).desc())
        .limit(500)
    ).all()
    staff = staff_labels(s)
    followups = followup_states(s, now - FOLLOW_UP_WINDOW * 2)
    ratings = []
    for r in rows:
        label = staff.get((r.station_id, r.staff_id or ""), r.staff_id or "—")
        state, late = followups.get((r.station_id, r.number), ("", False))
        ratings.append(
            BadRating(
                r.station_id,
                names.get(r.station_id, r.station_id),
                r.number,
                r.window_number,
                r.level,
                r.staff_id,
                r.pressed_at,
                staff_label=label,
                followup=state,
                followup_overdue=late,
            )
        )
    return ratings
