"""Ratings and follow-ups as the API shows them (``appliance.ratings.schemas``).

The contact phone is masked in lists; only the follow-up's detail (for those who make the
回访 call) shows it whole.
"""

from __future__ import annotations

import json
from datetime import date

from sqlmodel import Session, col, select

from appliance.core.masking import mask_phone
from appliance.ratings.rules.followup import (
    ALLOWED,
    APPEAL_BY_LABELS,
    GROUNDS_LABELS,
    OVERDUE_LABELS,
    STATE_LABELS,
    STEP_LABELS,
    AppealBy,
    FollowUpState,
    Grounds,
    Step,
    overdue,
)
from appliance.ratings.rules.levels import (
    DIMENSION_LABELS,
    LEVELS,
    REASON_LABELS,
    SOURCE_LABELS,
    SUBJECT_LABELS,
    Reason,
    Source,
    SubjectKind,
    level_label,
)
from appliance.ratings.schemas import (
    AppealView,
    FollowUpDetail,
    FollowUpSummary,
    Option,
    RatingOptions,
    RatingView,
    StepView,
)
from appliance.ratings.tables import Rating, RatingFollowUp, RatingFollowUpStep
from appliance.staff.tables import Staff

EXTRA_STEP_LABELS = {"appeal": "申诉", "appeal_decided": "申诉裁定"}


def options() -> RatingOptions:
    return RatingOptions(
        levels=[Option(value=str(k), label=v) for k, v in LEVELS.items()],
        dimensions=[Option(value=d.value, label=v) for d, v in DIMENSION_LABELS.items()],
        reasons=[Option(value=r.value, label=v) for r, v in REASON_LABELS.items()],
    )


def _source_label(source: str) -> str:
    try:
        return SOURCE_LABELS[Source(source)]
    except ValueError:
        return source


def rating_view(r: Rating) -> RatingView:
    reason_label = REASON_LABELS.get(Reason(r.reason), r.reason) if r.reason else ""
    return RatingView(
        id=r.id,
        subject_kind=r.subject_kind,
        subject_ref=r.subject_ref,
        service_date=r.service_date,
        window_number=r.window_number,
        level=r.level,
        label=level_label(r.level),
        dimensions=json.loads(r.dimensions or "{}"),
        reason=r.reason,
        reason_label=reason_label,
        reason_text=r.reason_text,
        source=r.source,
        source_label=_source_label(r.source),
        transcribed_by_name=r.transcribed_by_name,
        real_name=r.real_name,
        voided=r.voided,
        rated_at=r.rated_at,
    )


def _appeal_status(fu: RatingFollowUp) -> str:
    if fu.appeal_grounds is None:
        return ""
    if fu.appeal_upheld is None:
        return "申诉待裁定"
    return "申诉成立" if fu.appeal_upheld else "申诉不成立"


def summary(fu: RatingFollowUp, r: Rating, today: date) -> FollowUpSummary:
    state = FollowUpState(fu.state)
    contact_due, rectify_due = (
        date.fromisoformat(fu.contact_due),
        date.fromisoformat(fu.rectify_due),
    )
    late = overdue(state, today, contact_due, rectify_due)
    return FollowUpSummary(
        id=fu.id,
        subject_ref=r.subject_ref,
        subject_label=SUBJECT_LABELS.get(SubjectKind(r.subject_kind), r.subject_kind),
        level=r.level,
        level_label=level_label(r.level),
        source_label=_source_label(r.source),
        window_number=r.window_number,
        state=state.value,
        state_label=STATE_LABELS[state],
        opened_on=date.fromisoformat(fu.opened_on),
        contact_due=contact_due,
        rectify_due=rectify_due,
        overdue=[OVERDUE_LABELS[o] for o in sorted(late)],
        real_name=r.real_name,
        contact_masked=mask_phone(r.contact_phone) if r.contact_phone else "",
        appeal=_appeal_status(fu),
    )


def _appeal(fu: RatingFollowUp) -> AppealView | None:
    if fu.appeal_grounds is None or fu.appeal_at is None:
        return None
    return AppealView(
        grounds=fu.appeal_grounds,
        grounds_label=GROUNDS_LABELS[Grounds(fu.appeal_grounds)],
        by=fu.appeal_by or "",
        by_label=APPEAL_BY_LABELS[AppealBy(fu.appeal_by)] if fu.appeal_by else "",
        text=fu.appeal_text or "",
        filed_by=fu.appeal_filed_by or "",
        at=fu.appeal_at,
        upheld=fu.appeal_upheld,
        decision=fu.appeal_decision,
        decided_by=fu.appeal_decided_by,
        decided_at=fu.appeal_decided_at,
    )


def step_rows(s: Session, followup_id: str) -> list[RatingFollowUpStep]:
    return list(
        s.exec(
            select(RatingFollowUpStep)
            .where(RatingFollowUpStep.followup_id == followup_id)
            .order_by(col(RatingFollowUpStep.seq))
        )
    )


def _step_label(step: str) -> str:
    try:
        return STEP_LABELS[Step(step)]
    except ValueError:
        return EXTRA_STEP_LABELS.get(step, step)


def detail(s: Session, fu: RatingFollowUp, r: Rating, today: date) -> FollowUpDetail:
    served = s.get(Staff, r.staff_id) if r.staff_id else None
    return FollowUpDetail(
        summary=summary(fu, r, today),
        rating=rating_view(r),
        contact_phone=r.contact_phone,
        served_by=served.name if served is not None else None,
        steps=[
            StepView(
                seq=st.seq,
                step=st.step,
                label=_step_label(st.step),
                who_name=st.who_name,
                at=st.at,
                text=st.text,
            )
            for st in step_rows(s, fu.id)
        ],
        allowed=[
            Option(value=step.value, label=STEP_LABELS[step])
            for step in ALLOWED[FollowUpState(fu.state)]
        ],
        appeal=_appeal(fu),
    )
