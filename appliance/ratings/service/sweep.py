"""The ratings' background pass (``rating_sweep_seconds``, a server worker):

1. SMS replies (短信评价, R-E2): each inbound SMS (``inbound_sms``, stored by the modem's
   spool through ``/api/device/sms/inbound``) that starts with 1–5 rates the case its sender
   was invited to rate — the newest open invitation of that number, or the case the reply
   names. The rating keeps the inbound row's id, so a reply is never counted twice.
2. Unrated services past their rating period: with ``rating_default_level`` set, the station
   records that level, marked ``default`` (some provinces ask for it; off by default).
3. Overdue follow-ups (R-E3): a missed deadline is marked once (``rating.followup_overdue``,
   which reaches the county) and keeps one staff alert until the follow-up catches up.

Each change is its own write transaction, judged on rows re-read under the write lock, so a
pass is idempotent; a pass that finds nothing to do writes nothing.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import or_
from sqlmodel import Session, col, select

from appliance.jobs.tables import InboundSms
from appliance.ratings.rules.followup import FollowUpState, overdue
from appliance.ratings.rules.levels import Source, check_level, parse_sms_reply, phone_key
from appliance.ratings.schemas import RatingIn
from appliance.ratings.service.followups import FollowUpService, sync_overdue
from appliance.ratings.service.rates import finished_services
from appliance.ratings.service.ratings import RatingService
from appliance.ratings.service.record import Given, record_rating
from appliance.ratings.service.subjects import case_by_id, rating_of, ticket_by_id
from appliance.ratings.tables import Rating, RatingFollowUp, RatingInvite

log = logging.getLogger("yizhan.ratings")
DEFAULT_LOOKBACK_DAYS = 30  # unrated services this far past their period still get a default


@dataclass
class SweepReport:
    lines: list[str] = field(default_factory=list)


def default_level(value: str) -> int | None:
    """``rating_default_level``: empty (none) or 1–5."""
    text = value.strip()
    return None if not text else check_level(int(text))


class RatingSweep:
    def __init__(self, ratings: RatingService, followups: FollowUpService) -> None:
        self.ratings = ratings
        self.followups = followups
        self.db = ratings.db
        self.settings = ratings.settings
        self.clock = ratings.clock
        self._seen: set[str] = set()  # inbound SMS that rate nothing (logged once)

    def run(self) -> SweepReport:
        report = SweepReport()
        self.sms_replies(report)
        self.defaults(report)
        self.overdue(report)
        return report

    # ---- 1. SMS replies ------------------------------------------------------------------
    def sms_replies(self, report: SweepReport) -> None:
        now = self.clock.now()
        since = now - timedelta(days=self.settings.rating_open_days)
        with self.db.read() as s:
            rows = list(
                s.exec(
                    select(InboundSms)
                    .where(col(InboundSms.stored_at) >= since)
                    .order_by(col(InboundSms.stored_at), col(InboundSms.id))
                )
            )
            used = set(
                s.exec(
                    select(Rating.source_ref).where(
                        col(Rating.source_ref).in_([r.id for r in rows])
                    )
                )
            )
        for row in rows:
            if row.id in used or row.id in self._seen:
                continue
            line = self._reply(row)
            if line is None:
                self._seen.add(row.id)
            else:
                report.lines.append(line)

    def _reply(self, row: InboundSms) -> str | None:
        parsed = parse_sms_reply(row.body)
        if parsed is None:
            log.info("inbound SMS %s is not a rating reply", row.id)
            return None
        level, text, named = parsed
        cal = self.ratings.calendar.calendar()
        now = self.clock.now()
        with self.db.write() as s:
            if s.exec(select(Rating.id).where(Rating.source_ref == row.id)).first():
                return None
            invite = self._invite(s, row, named)
            if invite is None:
                log.info("inbound SMS %s: no open rating invitation for that number", row.id)
                return None
            invite.answered_at = now
            s.add(invite)
            subject = case_by_id(s, invite.subject_id)
            if rating_of(s, subject) is not None:
                log.info("SMS rating of %s ignored: already rated", subject.ref)
                return None
            body = RatingIn(level=level, reason_text=text)
            self.ratings.record(
                s, subject, body, Source.SMS, now, cal,
                contact=row.phone, real_name=True, source_ref=row.id,
            )  # fmt: skip
            return f"短信评价 {subject.ref}：{level}"

    @staticmethod
    def _invite(s: Session, row: InboundSms, named: str | None) -> RatingInvite | None:
        q = (
            select(RatingInvite)
            .where(
                RatingInvite.phone_key == phone_key(row.phone),
                col(RatingInvite.answered_at).is_(None),
                col(RatingInvite.created_at) <= row.stored_at,
                col(RatingInvite.expires_at) >= row.stored_at,
            )
            .order_by(col(RatingInvite.created_at).desc())
        )
        if named is not None:
            q = q.where(RatingInvite.subject_ref == named)
        return s.exec(q.limit(1)).first()

    # ---- 2. defaults for services left unrated -------------------------------------------
    def defaults(self, report: SweepReport) -> None:
        level = default_level(self.settings.rating_default_level)
        if level is None:
            return
        now = self.clock.now()
        closed = now - timedelta(days=self.settings.rating_open_days)
        tz = self.ratings.day.tz
        last = closed.astimezone(tz).date()
        first = last - timedelta(days=DEFAULT_LOOKBACK_DAYS)
        with self.db.read() as s:
            services = finished_services(s, first, last, tz)
            rated = set(
                s.exec(
                    select(Rating.subject_kind, Rating.subject_id).where(
                        col(Rating.service_date) >= (first - timedelta(days=1)).isoformat()
                    )
                )
            )
        due = sorted(k for k, at in services.items() if at < closed and k not in rated)
        for kind, sid in due:
            with self.db.write() as s:
                subject = ticket_by_id(s, sid) if kind == "ticket" else case_by_id(s, sid)
                if subject.finished_at is None or rating_of(s, subject) is not None:
                    continue
                record_rating(
                    s,
                    subject,
                    Given(level, {}),
                    Source.DEFAULT,
                    now,
                    subject.business_date or subject.finished_at.astimezone(tz).date().isoformat(),
                    None,
                )
            report.lines.append(f"逾期未评价，记为默认评价 {subject.ref}：{level}")

    # ---- 3. overdue follow-ups -----------------------------------------------------------
    def overdue(self, report: SweepReport) -> None:
        now = self.clock.now()
        today = self.ratings.day.local_date(now)
        with self.db.read() as s:
            rows = list(
                s.exec(
                    select(RatingFollowUp).where(
                        or_(
                            col(RatingFollowUp.state) != FollowUpState.CLOSED,
                            col(RatingFollowUp.alert_id).is_not(None),
                        )
                    )
                )
            )
        for fu in rows:
            if not _needs_sync(fu, today):
                continue
            with self.db.write() as s:
                fresh = s.get(RatingFollowUp, fu.id)
                rating = s.get(Rating, fu.rating_id)
                if fresh is None or rating is None:
                    continue
                if sync_overdue(s, fresh, rating, today, now):
                    report.lines.append(f"差评回访超期 {rating.subject_ref}")


def _needs_sync(fu: RatingFollowUp, today: date) -> bool:
    late = overdue(
        FollowUpState(fu.state),
        today,
        date.fromisoformat(fu.contact_due),
        date.fromisoformat(fu.rectify_due),
    )
    if not late:
        return fu.alert_id is not None
    marks = {"contact": fu.contact_overdue_at, "rectify": fu.rectify_overdue_at}
    return fu.alert_id is None or any(marks[k.value] is None for k in late)
