"""The rating channels (评价渠道, R-E1, R-E2): keypad, window tablet, one-time link, comment box
— and the 邀请评价 SMS queued when a case finishes (the reply is read by ``sweep``).

Every channel checks the same rules (``rules.levels.check_rateable``): one rating per finished
service, none before it ends, none after its rating period. Each public method is one write
transaction; a refusal raises before anything is written. Staff software has no way in
except the comment-box transcription, stored as ``comment_box`` under the transcriber's name.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta

from sqlmodel import Session, select

from appliance.calendar.rules import WorkingCalendar
from appliance.calendar.service import CalendarService
from appliance.core.clock import Clock
from appliance.core.errors import Conflict, Invalid, NotFound
from appliance.core.roles import Principal
from appliance.core.text import NO_PHONE
from appliance.db.database import Database
from appliance.documents.rating_link import link_key, verify_token
from appliance.jobs.service.sms import queue_sms
from appliance.queue.rules.wait_estimate import BusinessDay
from appliance.queue.service import repo
from appliance.ratings.rules.followup import Deadlines, deadlines
from appliance.ratings.rules.levels import (
    FINISHED_CASE_STATES,
    Source,
    check_dimensions,
    check_level,
    check_rateable,
    check_reason,
    is_bad,
    level_label,
    phone_key,
    rating_closes_at,
)
from appliance.ratings.schemas import (
    CommentBoxIn,
    LinkView,
    RatingIn,
    RatingOffer,
    RatingPress,
    RatingRatesView,
    RatingReceipt,
    RatingView,
    WindowRatingIn,
)
from appliance.ratings.service.rates import period_rates, rates_view
from appliance.ratings.service.record import Given, record_rating
from appliance.ratings.service.subjects import (
    Subject,
    case_by_id,
    case_by_number,
    last_finished_at_window,
    rating_of,
    subject_of,
    ticket_by_number,
    ticket_subject,
)
from appliance.ratings.service.views import options, rating_view
from appliance.ratings.tables import RatingInvite
from appliance.settings import Settings

log = logging.getLogger("yizhan.ratings")

INVITE_SMS = "rating_invite"
LINK_NOT_FOUND = "评价链接无效，请核对后重新扫码"


class RatingService:
    def __init__(self, db: Database, settings: Settings, clock: Clock, day: BusinessDay) -> None:
        self.db = db
        self.settings = settings
        self.clock = clock
        self.day = day
        self.calendar = CalendarService(db, clock)

    # ---- helpers -------------------------------------------------------------------------
    def _today(self, now: datetime) -> date:
        return self.day.local_date(now)

    def _deadlines(self, cal: WorkingCalendar, now: datetime) -> Deadlines:
        return deadlines(
            cal,
            self._today(now),
            self.settings.followup_contact_days,
            self.settings.followup_rectify_days,
        )

    def record(
        self,
        s: Session,
        subject: Subject,
        body: RatingIn,
        source: Source,
        now: datetime,
        cal: WorkingCalendar,
        *,
        transcriber: Principal | None = None,
        contact: str | None = None,
        real_name: bool | None = None,
        source_ref: str | None = None,
    ) -> RatingReceipt:
        """Check and write one rating in ``s`` (R-E1: level, dimensions, reason)."""
        level = check_level(body.level)
        dims = check_dimensions({str(k): v for k, v in body.dimensions.items()})
        reason, text = check_reason(
            level, source, body.reason.value if body.reason else None, body.reason_text
        )
        check_rateable(
            finished_at=subject.finished_at,
            already_rated=rating_of(s, subject) is not None,
            now=now,
            open_days=self.settings.rating_open_days,
            source=source,
            what=subject.label,
        )
        assert subject.finished_at is not None
        named = subject.named if real_name is None else real_name
        record_rating(
            s,
            subject,
            Given(level, dims, reason, text),
            source,
            now,
            subject.business_date or self._today(subject.finished_at).isoformat(),
            self._deadlines(cal, now),
            opened_on=self._today(now).isoformat(),
            transcriber=transcriber,
            contact=subject.phone if contact is None else (contact or None),
            real_name=named,
            source_ref=source_ref,
        )
        thanks = "感谢您的评价！"
        if is_bad(level):
            thanks += "我们会认真核实并改进" + ("，并与您联系回访。" if named else "。")
        return RatingReceipt(
            level=level, label=level_label(level), bad=is_bad(level), subject=subject.label,
            message=thanks,
        )  # fmt: skip

    def _window_offer(self, s: Session, window: str, now: datetime) -> tuple[int, Subject | None]:
        """The window's number and the service its keypad and tablet offer now (if any)."""
        win = repo.get_window(s, window)
        today = self._today(now)
        days = [today.isoformat(), (today - timedelta(days=1)).isoformat()]
        last = last_finished_at_window(s, win.id, days)
        if last is None or last.finished_at is None:
            return win.number, None
        if now - last.finished_at > timedelta(seconds=self.settings.rating_offer_seconds):
            return win.number, None
        return win.number, ticket_subject(s, last)

    # ---- the window keypad (评价器) --------------------------------------------------------
    def keypad(self, window: str, level: int) -> RatingPress:
        """A keypad press rates the service just finished at that window, once; a later
        press is ignored with a log line (R-E2)."""
        check_level(level)
        cal = self.calendar.calendar()
        now = self.clock.now()
        with self.db.write() as s:
            number, subject = self._window_offer(s, window, now)
            if subject is None:
                raise Conflict(
                    f"{number} 号窗口还没有办结的服务可以评价（服务结束后 "
                    f"{int(self.settings.rating_offer_seconds)} 秒内按键评价）",
                    "nothing_to_rate",
                )
            if rating_of(s, subject) is not None:
                log.info("keypad press %s ignored: %s already rated", level, subject.label)
                return RatingPress(
                    window_number=number, level=level, label=level_label(level),
                    ticket_number=subject.ref, recorded=False, note="该服务已评价，本次按键不计",
                )  # fmt: skip
            self.record(s, subject, RatingIn(level=level), Source.KEYPAD, now, cal)
            return RatingPress(
                window_number=number, level=level, label=level_label(level),
                ticket_number=subject.ref, recorded=True, note="感谢您的评价",
            )  # fmt: skip

    # ---- the window tablet or kiosk page --------------------------------------------------
    def offer(self, window: str) -> RatingOffer:
        """What the window's rating page offers now."""
        now = self.clock.now()
        with self.db.read() as s:
            number, subject = self._window_offer(s, window, now)
            rated = subject is not None and rating_of(s, subject) is not None
        if subject is None or rated or subject.finished_at is None:
            message = "本次服务已评价，感谢您的支持" if rated else "请在办理结束后评价"
            return RatingOffer(
                available=False, window_number=number, ticket_number=None, finished_at=None,
                offer_until=None, message=message, options=options(),
            )  # fmt: skip
        until = subject.finished_at + timedelta(seconds=self.settings.rating_offer_seconds)
        return RatingOffer(
            available=True, window_number=number, ticket_number=subject.ref,
            finished_at=subject.finished_at, offer_until=until,
            message=f"请为 {subject.ref} 号的本次服务评价", options=options(),
        )  # fmt: skip

    def rate_at_window(self, window: str, body: WindowRatingIn) -> RatingReceipt:
        cal = self.calendar.calendar()
        now = self.clock.now()
        with self.db.write() as s:
            number, subject = self._window_offer(s, window, now)
            if subject is None or subject.ref != body.ticket_number.strip().upper():
                raise Conflict(
                    f"{number} 号窗口的评价时间已过或已办理下一位，请在办理结束后评价",
                    "offer_gone",
                )
            return self.record(s, subject, body, Source.TABLET, now, cal)

    # ---- the one-time link (receipt and case-notice QR) ------------------------------------
    def _linked(self, s: Session, token: str) -> Subject:
        found = verify_token(link_key(self.settings), token)
        if found is None:
            raise NotFound(LINK_NOT_FOUND, "bad_link")
        try:
            return subject_of(s, *found)
        except NotFound:
            raise NotFound(LINK_NOT_FOUND, "bad_link") from None

    def check_link(self, token: str) -> LinkView:
        """What a link rates and whether it can be used now (nothing is written)."""
        now = self.clock.now()
        with self.db.read() as s:
            subject = self._linked(s, token)
            rated = rating_of(s, subject) is not None
        days = self.settings.rating_open_days
        if rated:
            state, message = "rated", "该服务已经评价过了，感谢您的支持"
        elif subject.finished_at is None:
            state, message = "not_finished", "办理尚未结束，办结后才能评价（不能事前评价）"
        elif now > rating_closes_at(subject.finished_at, days):
            state, message = "closed", f"已超过评价期限（办结后 {days} 天内可以评价）"
        else:
            state, message = "open", "请为本次服务评价"
        return LinkView(state=state, subject=subject.label, message=message, options=options())

    def rate_by_link(self, token: str, body: RatingIn) -> RatingReceipt:
        cal = self.calendar.calendar()
        now = self.clock.now()
        with self.db.write() as s:
            return self.record(s, self._linked(s, token), body, Source.QR, now, cal)

    # ---- the paper comment box (意见箱), transcribed by staff --------------------------------
    def transcribe(self, body: CommentBoxIn, actor: Principal) -> RatingView:
        """A comment-box card, stored as ``comment_box`` under the transcriber's name — never
        as the visitor: the contact is the card's own, if it gives one."""
        cal = self.calendar.calendar()
        now = self.clock.now()
        with self.db.write() as s:
            if body.subject_kind == "ticket":
                day = (body.service_date or self._today(now)).isoformat()
                subject = ticket_by_number(s, body.ref, day)
            else:
                subject = case_by_number(s, body.ref)
            contact = body.contact_phone.strip().replace(NO_PHONE, "")
            self.record(
                s, subject, body, Source.COMMENT_BOX, now, cal,
                transcriber=actor, contact=contact, real_name=bool(contact),
            )  # fmt: skip
            row = rating_of(s, subject)
            assert row is not None
            return rating_view(row)

    # ---- rates (R-E3, R-E4) -------------------------------------------------------------
    def rates(self, first: date, last: date) -> RatingRatesView:
        """好评率, 主动评价率 and follow-up completion of the services finished from ``first``
        to ``last`` (local days, both included; at most 366 days)."""
        if last < first:
            raise Invalid("结束日期不能早于开始日期", "bad_period")
        if (last - first).days > 366:
            raise Invalid("统计区间最长一年（366 天）", "bad_period")
        now = self.clock.now()
        with self.db.read() as s:
            found = period_rates(s, first, last, now, self.day.tz, self.settings.rating_open_days)
        return rates_view(first, last, found)

    # ---- a case finished: invite the applicant by SMS (一事一评) ---------------------------
    def on_case_step(self, s: Session, case_id: str, to_state: str, now: datetime) -> None:
        """Hook of the case service, in its transaction: the first time a case finishes,
        queue the 邀请评价 SMS (reply 1–5) to the applicant."""
        if to_state not in FINISHED_CASE_STATES or not self.settings.rating_sms_invite:
            return
        subject = case_by_id(s, case_id)
        if subject.phone is None or rating_of(s, subject) is not None:
            return
        invited = s.exec(
            select(RatingInvite.id).where(
                RatingInvite.subject_kind == subject.kind, RatingInvite.subject_id == subject.id
            )
        ).first()
        if invited is not None:
            return  # invited when it first finished (delivered → returned → delivered)
        item = subject.label.split("（", 1)[-1].rstrip("）")
        values = {"station": self.settings.station_name, "case": subject.ref, "item": item}
        msg = queue_sms(s, INVITE_SMS, subject.phone, values, now)
        s.add(
            RatingInvite(
                subject_kind=subject.kind.value,
                subject_id=subject.id,
                subject_ref=subject.ref,
                phone_key=phone_key(subject.phone),
                sms_id=msg.id if msg is not None else None,
                created_at=now,
                expires_at=now + timedelta(days=self.settings.rating_open_days),
            )
        )
        s.flush()
