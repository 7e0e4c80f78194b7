"""Follow-ups of bad ratings (回访, R-E3): list, read, record each step, appeal and decide.

Each step (核实 → 整改 or 说明 → 回访 → 办结) is one write transaction: the step row (who,
when, text), the new state, the ``rating.followup_step`` event, and the overdue alert brought
up to date. A follow-up never closes without a 回访 record (``rules.followup.next_state``).
An appeal (申诉) is recorded once; the station head decides it, and an upheld appeal voids
the rating for the rates while both stay on the record.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Session, col, select

from appliance.alerts.tables import Alert
from appliance.core.clock import Clock
from appliance.core.errors import Conflict, Invalid, NotFound
from appliance.core.roles import Principal
from appliance.db.database import Database
from appliance.events.log import append_event
from appliance.queue.rules.wait_estimate import BusinessDay
from appliance.ratings.rules.followup import (
    OVERDUE_LABELS,
    STEP_LABELS,
    STEP_TEXT_MAX,
    FollowUpState,
    Overdue,
    Step,
    next_state,
    overdue,
)
from appliance.ratings.rules.levels import level_label
from appliance.ratings.schemas import (
    AppealDecisionIn,
    AppealIn,
    FollowUpDetail,
    FollowUpStepIn,
    FollowUpSummary,
)
from appliance.ratings.service.views import detail, step_rows, summary
from appliance.ratings.tables import Rating, RatingFollowUp, RatingFollowUpStep

OVERDUE_ALERT = "rating_followup_overdue"


def _text(value: str, what: str) -> str:
    text = value.strip()
    if not text:
        raise Invalid(f"请填写{what}", "text_required")
    if len(text) > STEP_TEXT_MAX:
        raise Invalid(f"{what}不能超过 {STEP_TEXT_MAX} 字", "text_too_long")
    return text


def _add_step(
    s: Session, fu: RatingFollowUp, step: str, actor: Principal, text: str, now: datetime
) -> None:
    seq = len(step_rows(s, fu.id)) + 1
    s.add(
        RatingFollowUpStep(
            followup_id=fu.id,
            seq=seq,
            step=step,
            who_id=actor.staff_id,
            who_name=actor.name,
            at=now,
            text=text,
        )
    )


def sync_overdue(s: Session, fu: RatingFollowUp, r: Rating, today: date, now: datetime) -> bool:
    """Bring the follow-up's overdue marks and its one staff alert up to date; the first
    time a deadline is missed writes ``rating.followup_overdue``. True if anything changed."""
    late = overdue(
        FollowUpState(fu.state),
        today,
        date.fromisoformat(fu.contact_due),
        date.fromisoformat(fu.rectify_due),
    )
    changed = False
    for kind, attr, due in (
        (Overdue.CONTACT, "contact_overdue_at", fu.contact_due),
        (Overdue.RECTIFY, "rectify_overdue_at", fu.rectify_due),
    ):
        if kind in late and getattr(fu, attr) is None:
            setattr(fu, attr, now)
            changed = True
            append_event(
                s,
                "rating.followup_overdue",
                "rating_followup",
                fu.id,
                {"rating_id": r.id, "overdue": kind.value, "due_on": due, "state": fu.state},
                now,
            )
    alert = s.get(Alert, fu.alert_id) if fu.alert_id else None
    if alert is not None and alert.cleared_at is not None:
        alert = None
    if late:
        what = "、".join(OVERDUE_LABELS[k] for k in sorted(late))
        where = f"{r.window_number} 号窗口 " if r.window_number else ""
        message = f"差评回访超期：{where}{r.subject_ref}（{level_label(r.level)}），{what}"
        if alert is None:
            alert = Alert(kind=OVERDUE_ALERT, message=message, raised_at=now)
            s.add(alert)
            s.flush()
            fu.alert_id = alert.id
            append_event(
                s,
                "alert.raised",
                "alert",
                alert.id,
                {"kind": OVERDUE_ALERT, "message": message},
                now,
            )
            changed = True
        elif alert.message != message:
            alert.message = message
            s.add(alert)
            changed = True
    elif alert is not None:
        alert.cleared_at = now
        s.add(alert)
        s.flush()
        append_event(s, "alert.cleared", "alert", alert.id, {"kind": OVERDUE_ALERT}, now)
        fu.alert_id = None
        changed = True
    if changed:
        s.add(fu)
        s.flush()
    return changed


class FollowUpService:
    def __init__(self, db: Database, clock: Clock, day: BusinessDay) -> None:
        self.db = db
        self.clock = clock
        self.day = day

    def _today(self) -> date:
        return self.day.local_date(self.clock.now())

    @staticmethod
    def _load(s: Session, followup_id: str) -> tuple[RatingFollowUp, Rating]:
        fu = s.get(RatingFollowUp, followup_id)
        rating = s.get(Rating, fu.rating_id) if fu is not None else None
        if fu is None or rating is None:
            raise NotFound("找不到该差评回访记录", "unknown_followup")
        return fu, rating

    def list(self, open_only: bool = True) -> list[FollowUpSummary]:
        """Follow-ups, overdue first, then by deadline (open only unless ``open_only`` is
        False: then the closed ones of the last year too, newest last)."""
        today = self._today()
        with self.db.read() as s:
            q = select(RatingFollowUp, Rating).join(
                Rating, col(Rating.id) == col(RatingFollowUp.rating_id)
            )
            if open_only:
                q = q.where(RatingFollowUp.state != FollowUpState.CLOSED)
            else:
                q = q.where(col(RatingFollowUp.opened_on) >= date(today.year - 1, 1, 1).isoformat())
            rows = [summary(fu, r, today) for fu, r in s.exec(q.limit(2000))]
        return sorted(
            rows, key=lambda f: (f.state == FollowUpState.CLOSED, not f.overdue, f.rectify_due)
        )

    def get(self, followup_id: str) -> FollowUpDetail:
        with self.db.read() as s:
            fu, r = self._load(s, followup_id)
            return detail(s, fu, r, self._today())

    def step(self, followup_id: str, body: FollowUpStepIn, actor: Principal) -> FollowUpDetail:
        """Record one step (R-E3); 办结 only after a 回访 record."""
        now = self.clock.now()
        today = self.day.local_date(now)
        with self.db.write() as s:
            fu, r = self._load(s, followup_id)
            steps = {x.value for x in Step}
            done = frozenset(Step(st.step) for st in step_rows(s, fu.id) if st.step in steps)
            state = next_state(FollowUpState(fu.state), body.step, done)
            text = _text(body.text, f"{STEP_LABELS[body.step]}情况")
            _add_step(s, fu, body.step.value, actor, text, now)
            fu.state = state.value
            if state is FollowUpState.CLOSED:
                fu.closed_at = now
            s.add(fu)
            s.flush()
            append_event(
                s,
                "rating.followup_step",
                "rating_followup",
                fu.id,
                {
                    "rating_id": r.id,
                    "step": body.step.value,
                    "state": state.value,
                    "who": actor.staff_id,
                    "real_name": r.real_name,
                    "closed": state is FollowUpState.CLOSED,
                },
                now,
            )
            sync_overdue(s, fu, r, today, now)
            return detail(s, fu, r, today)

    def appeal(self, followup_id: str, body: AppealIn, actor: Principal) -> FollowUpDetail:
        """申诉: recorded once, for the station head to decide."""
        now = self.clock.now()
        with self.db.write() as s:
            fu, r = self._load(s, followup_id)
            if fu.appeal_grounds is not None:
                raise Conflict("这条评价已经提出过申诉，不能重复申诉", "already_appealed")
            text = _text(body.text, "申诉理由")
            fu.appeal_grounds, fu.appeal_by, fu.appeal_text = body.grounds, body.by, text
            fu.appeal_at, fu.appeal_filed_by = now, actor.name
            s.add(fu)
            _add_step(s, fu, "appeal", actor, text, now)
            s.flush()
            append_event(
                s,
                "rating.appealed",
                "rating_followup",
                fu.id,
                {"rating_id": r.id, "grounds": body.grounds.value, "by": body.by.value},
                now,
            )
            return detail(s, fu, r, self.day.local_date(now))

    def decide(self, followup_id: str, body: AppealDecisionIn, actor: Principal) -> FollowUpDetail:
        """The station head decides an appeal; upheld voids the rating for the rates."""
        now = self.clock.now()
        with self.db.write() as s:
            fu, r = self._load(s, followup_id)
            if fu.appeal_grounds is None:
                raise Conflict("这条评价没有申诉，无需裁定", "no_appeal")
            if fu.appeal_upheld is not None:
                raise Conflict("该申诉已经裁定，不能更改", "appeal_decided")
            text = _text(body.text, "裁定意见")
            fu.appeal_upheld, fu.appeal_decision = body.upheld, text
            fu.appeal_decided_by, fu.appeal_decided_at = actor.name, now
            if body.upheld:
                r.voided = True
                s.add(r)
            s.add(fu)
            verdict = "申诉成立：" if body.upheld else "申诉不成立："
            _add_step(s, fu, "appeal_decided", actor, verdict + text, now)
            s.flush()
            append_event(
                s,
                "rating.appeal_decided",
                "rating_followup",
                fu.id,
                {"rating_id": r.id, "upheld": body.upheld, "by": actor.staff_id},
                now,
            )
            return detail(s, fu, r, self.day.local_date(now))
