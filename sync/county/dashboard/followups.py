"""What the county's 回访 page says of a bad rating: who served, and where its follow-up stands.

Staff are named as the county knows them: a station's ``staff.created`` events give the id's
工号 (code), and the staff list the county publishes (reference table ``staff``) gives the
code's name. Follow-ups (回访, R-E3) are read from the stations' ``rating.followup_*`` events
of the same days as the ratings: the latest event of each follow-up gives its state.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from appliance.ratings.rules.followup import STATE_LABELS, FollowUpState
from sync.county.models import InboxEvent, ReferenceRowRecord

FOLLOWUP_EVENTS = (
    "rating.followup_opened",
    "rating.followup_step",
    "rating.followup_overdue",
)


def staff_labels(s: Session) -> dict[tuple[str, str], str]:
    """(station, staff id) → "王秀英（ck01）", or the 工号 alone when no list names it."""
    codes: dict[tuple[str, str], str] = {}
    for ev in s.exec(select(InboxEvent).where(InboxEvent.type == "staff.created")):
        code = str(ev.payload.get("code") or "").strip()
        if code:
            codes[(ev.station_id, ev.entity_id)] = code
    names: dict[tuple[str, str], str] = {}
    rows = s.exec(
        select(ReferenceRowRecord)
        .where(ReferenceRowRecord.table_name == "staff")
        .where(col(ReferenceRowRecord.deleted).is_(False))
    )
    for row in rows:
        for entry in _entries(row.data):
            names[(row.id, str(entry.get("code")))] = str(entry.get("name") or "")
    return {
        key: f"{names[(key[0], code)]}（{code}）" if names.get((key[0], code)) else code
        for key, code in codes.items()
    }


def _entries(data: dict[str, Any]) -> list[dict[str, Any]]:
    staff = data.get("staff")
    return [e for e in staff if isinstance(e, dict)] if isinstance(staff, list) else []


def followup_states(s: Session, since: datetime) -> dict[tuple[str, str], tuple[str, bool]]:
    """(station, rated ticket or case number) → (state label, overdue) of its follow-up.

    ``rating.followup_opened`` names the rated service (``subject_ref``); the later events
    name only the rating, so they are matched through it."""
    found: dict[tuple[str, str], tuple[str, bool]] = {}
    subject: dict[tuple[str, str], str] = {}
    rows = s.exec(
        select(InboxEvent)
        .where(col(InboxEvent.type).in_(FOLLOWUP_EVENTS))
        .where(col(InboxEvent.occurred_at) >= since)
        .order_by(col(InboxEvent.station_id), col(InboxEvent.seq))
    )
    for ev in rows:
        rating = (ev.station_id, str(ev.payload.get("rating_id") or ""))
        if ev.type == "rating.followup_opened":
            subject[rating] = str(ev.payload.get("subject_ref") or "")
        ref = subject.get(rating)
        if not ref:
            continue
        key = (ev.station_id, ref)
        _, overdue = found.get(key, ("", False))
        try:
            state = FollowUpState(str(ev.payload.get("state")))
        except ValueError:
            continue
        overdue = (overdue or ev.type == "rating.followup_overdue") and (
            state is not FollowUpState.CLOSED
        )
        found[key] = (STATE_LABELS[state], overdue)
    return found
