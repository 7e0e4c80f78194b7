"""Writing a rating, in the caller's transaction: the ``rating`` row, its ``rating.given``
event, and for a bad rating its follow-up (回访) with deadlines and ``rating.followup_opened``
(R-E1–R-E3). Every channel ends here, so the rules hold whatever the channel.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from appliance.core.roles import Principal
from appliance.events.log import append_event
from appliance.ratings.rules.followup import Deadlines, FollowUpState
from appliance.ratings.rules.levels import Reason, Source, is_bad
from appliance.ratings.service.subjects import Subject, rating_of
from appliance.ratings.tables import Rating, RatingFollowUp


@dataclass(frozen=True)
class Given:
    """What the visitor (or the comment-box card) said."""

    level: int
    dimensions: dict[str, int]
    reason: Reason | None = None
    reason_text: str = ""


def record_rating(
    s: Session,
    subject: Subject,
    given: Given,
    source: Source,
    now: datetime,
    service_date: str,
    deadlines: Deadlines | None,
    *,
    opened_on: str = "",
    transcriber: Principal | None = None,
    contact: str | None = None,
    real_name: bool = False,
    source_ref: str | None = None,
) -> Rating:
    """Insert one rating (the caller checked it may be given) and open its follow-up when
    it is bad and a visitor's view (a defaulted level opens none)."""
    assert subject.finished_at is not None and rating_of(s, subject) is None
    row = Rating(
        subject_kind=subject.kind.value,
        subject_id=subject.id,
        subject_ref=subject.ref,
        service_date=service_date,
        finished_at=subject.finished_at,
        window_number=subject.window_number,
        staff_id=subject.staff_id,
        category_id=subject.category_id,
        item_code=subject.item_code,
        level=given.level,
        dimensions=json.dumps(given.dimensions, sort_keys=True),
        reason=given.reason.value if given.reason else None,
        reason_text=given.reason_text,
        source=source.value,
        source_ref=source_ref,
        transcribed_by=transcriber.staff_id if transcriber else None,
        transcribed_by_name=transcriber.name if transcriber else None,
        real_name=real_name,
        contact_phone=contact,
        rated_at=now,
    )
    s.add(row)
    s.flush()
    append_event(
        s,
        "rating.given",
        "rating",
        row.id,
        {
            "subject_kind": row.subject_kind,
            "subject_id": row.subject_id,
            "subject_ref": row.subject_ref,
            "service_date": row.service_date,
            "finished_at": row.finished_at.isoformat(),
            "level": row.level,
            "bad": is_bad(row.level),
            "dimensions": given.dimensions,
            "reason": row.reason,
            "has_text": bool(row.reason_text),
            "source": row.source,
            "defaulted": source is Source.DEFAULT,
            "real_name": real_name,
            "window_number": row.window_number,
            "staff_id": row.staff_id,
            "category_id": row.category_id,
            "item_code": row.item_code,
            "transcribed_by": row.transcribed_by,
        },
        now,
    )
    if is_bad(row.level) and source is not Source.DEFAULT:
        assert deadlines is not None, "a bad rating needs its follow-up deadlines"
        open_followup(s, row, deadlines, opened_on, now)
    return row


def open_followup(
    s: Session, rating: Rating, d: Deadlines, opened_on: str, now: datetime
) -> RatingFollowUp:
    fu = RatingFollowUp(
        rating_id=rating.id,
        state=FollowUpState.VERIFY.value,
        opened_at=now,
        opened_on=opened_on,
        contact_due=d.contact_due.isoformat(),
        rectify_due=d.rectify_due.isoformat(),
        provisional=d.provisional,
    )
    s.add(fu)
    s.flush()
    append_event(
        s,
        "rating.followup_opened",
        "rating_followup",
        fu.id,
        {
            "rating_id": rating.id,
            "subject_kind": rating.subject_kind,
            "subject_ref": rating.subject_ref,
            "service_date": rating.service_date,
            "level": rating.level,
            "source": rating.source,
            "real_name": rating.real_name,
            "window_number": rating.window_number,
            "staff_id": rating.staff_id,
            "opened_on": opened_on,
            "contact_due": fu.contact_due,
            "rectify_due": fu.rectify_due,
            "state": fu.state,
        },
        now,
    )
    return fu
