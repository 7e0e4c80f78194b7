"""The rates of the services finished in a period (R-E3, R-E4), read from the tables.

A service's day is the ticket's business day, or the local day a case first finished; a
rating and its follow-up belong to the day of the service they rate, so a period's
好评率, 主动评价率 and follow-up completion all speak of the same services. The arithmetic
is ``rules.rates.rating_rates`` (also usable on facts read from the event log).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func
from sqlmodel import Session, col, select

from appliance.cases.tables import CaseTransitionRecord
from appliance.queue.rules.tickets import TicketStatus
from appliance.queue.tables import Ticket
from appliance.ratings.rules.followup import FollowUpState, overdue
from appliance.ratings.rules.levels import FINISHED_CASE_STATES, SubjectKind, rating_closes_at
from appliance.ratings.rules.rates import FollowUpFact, Rates, RatingFact, rating_rates
from appliance.ratings.schemas import RatingRatesView
from appliance.ratings.tables import Rating, RatingFollowUp


def finished_services(
    s: Session, first: date, last: date, tz: ZoneInfo
) -> dict[tuple[str, str], datetime]:
    """(kind, id) → finished_at of every service finished in the period."""
    out: dict[tuple[str, str], datetime] = {}
    tickets = s.exec(
        select(Ticket.id, Ticket.finished_at).where(
            Ticket.status == TicketStatus.DONE,
            col(Ticket.business_date) >= first.isoformat(),
            col(Ticket.business_date) <= last.isoformat(),
        )
    )
    for tid, at in tickets:
        if at is not None:
            out[(SubjectKind.TICKET.value, tid)] = at
    start = datetime.combine(first, time(0), tzinfo=tz).astimezone(UTC)
    end = datetime.combine(last + timedelta(days=1), time(0), tzinfo=tz).astimezone(UTC)
    finished = func.min(CaseTransitionRecord.at)
    cases = s.exec(
        select(CaseTransitionRecord.case_id, finished)
        .where(col(CaseTransitionRecord.to_state).in_(FINISHED_CASE_STATES))
        .group_by(col(CaseTransitionRecord.case_id))
        .having(finished >= start, finished < end)
    )
    for cid, at in cases:
        out[(SubjectKind.CASE.value, cid)] = at
    return out


def period_rates(
    s: Session, first: date, last: date, now: datetime, tz: ZoneInfo, open_days: int
) -> Rates:
    """The rates of the services finished from ``first`` to ``last`` (local days)."""
    services = finished_services(s, first, last, tz)
    in_period = (
        col(Rating.service_date) >= first.isoformat(),
        col(Rating.service_date) <= last.isoformat(),
    )
    ratings = list(s.exec(select(Rating).where(*in_period)))
    rated = {(r.subject_kind, r.subject_id) for r in ratings}
    unrated = [at for key, at in services.items() if key not in rated]
    missing = sum(1 for at in unrated if now > rating_closes_at(at, open_days))
    today = now.astimezone(tz).date()
    followups = [
        FollowUpFact(
            closed=fu.state == FollowUpState.CLOSED,
            real_name=r.real_name,
            overdue=bool(
                overdue(
                    FollowUpState(fu.state),
                    today,
                    date.fromisoformat(fu.contact_due),
                    date.fromisoformat(fu.rectify_due),
                )
            ),
        )
        for fu, r in s.exec(
            select(RatingFollowUp, Rating)
            .join(Rating, col(Rating.id) == col(RatingFollowUp.rating_id))
            .where(*in_period)
        )
    ]
    return rating_rates(
        (RatingFact(r.level, r.source, r.real_name, r.voided) for r in ratings),
        followups,
        services=len(services),
        missing=missing,
        pending=len(unrated) - missing,
    )


def rates_view(first: date, last: date, r: Rates) -> RatingRatesView:
    return RatingRatesView(
        first=first,
        last=last,
        services=r.services,
        rated=r.rated,
        visitor=r.visitor,
        comment_box=r.comment_box,
        defaulted=r.defaulted,
        voided=r.voided,
        missing=r.missing,
        pending=r.pending,
        good=r.good,
        bad=r.bad,
        levels=dict(r.levels),
        by_source=dict(r.by_source),
        good_rate=r.good_rate,
        active_rate=r.active_rate,
        followups=r.followups,
        followups_closed=r.followups_closed,
        followups_overdue=r.followups_overdue,
        followup_rate=r.followup_rate,
        real_name_followups=r.real_name_followups,
        real_name_closed=r.real_name_closed,
        real_name_rate=r.real_name_rate,
        target=r.target,
        meets_target=r.meets_target,
    )
