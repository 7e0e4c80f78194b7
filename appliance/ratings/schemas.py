"""Wire types of ratings (好差评, R-E1–R-E4) and follow-ups (回访): every request and answer.

Visitors rate through the keypad (``RatingPressIn``, by the hardware service), the window
tablet (``WindowRatingIn``) and the one-time link (``LinkRatingIn``); staff only transcribe
the comment box (``CommentBoxIn``) and work the follow-ups. Requests end in ``In``.

Pure: stdlib, msgspec, the kernel's text types and the rating rules' enums only.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

import msgspec

from appliance.core.text import Code, Mobile, Text
from appliance.ratings.rules.followup import AppealBy, Grounds, Step
from appliance.ratings.rules.levels import Dimension, Reason

Level = Annotated[int, msgspec.Meta(ge=1, le=5)]  # 5 非常满意 … 1 非常不满意
LINK_TOKEN_MAX = 120
LinkToken = Annotated[str, msgspec.Meta(max_length=LINK_TOKEN_MAX, pattern="^[A-Za-z0-9_.~-]*$")]
Dimensions = Annotated[dict[Dimension, Level], msgspec.Meta(max_length=4)]

# ---- requests -------------------------------------------------------------------------------


class RatingPressIn(msgspec.Struct, frozen=True, kw_only=True):
    """A key of the window's rating keypad (评价器), posted by the hardware service."""

    window: Code
    level: Level


class RatingIn(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    """The visitor's rating: the overall level, optional dimensions, and for a bad rating
    what went wrong (a chosen ``reason`` or ``reason_text``)."""

    level: Level
    dimensions: Dimensions = msgspec.field(default_factory=dict)
    reason: Reason | None = None
    reason_text: Text = ""


class WindowRatingIn(RatingIn, frozen=True, kw_only=True, omit_defaults=True):
    """A rating on the window's tablet or the kiosk: ``ticket_number`` is the service the
    page offered (refused if the window has finished another one since)."""

    ticket_number: Code


class LinkIn(msgspec.Struct, frozen=True, kw_only=True):
    """The one-time rating link's token (from the QR code; the page posts it)."""

    token: LinkToken


class LinkRatingIn(RatingIn, frozen=True, kw_only=True, omit_defaults=True):
    token: LinkToken


class CommentBoxIn(RatingIn, frozen=True, kw_only=True, omit_defaults=True):
    """A comment-box card (意见箱) transcribed by staff: which service it rates (a ticket
    number and its day, or a case number), and what the card says."""

    subject_kind: Literal["ticket", "case"]
    ref: Code
    service_date: date | None = None  # the ticket's day (tickets only; default today)
    contact_phone: Mobile = ""  # only if the card itself gives one (then it is real-name)


class FollowUpStepIn(msgspec.Struct, frozen=True, kw_only=True):
    """One step of a follow-up (核实、整改、说明、回访、办结) and what was done or found."""

    step: Step
    text: Text


class AppealIn(msgspec.Struct, frozen=True, kw_only=True):
    """申诉: the rating was given by mistake (误评) or in malice (恶意评价)."""

    grounds: Grounds
    by: AppealBy
    text: Text


class AppealDecisionIn(msgspec.Struct, frozen=True, kw_only=True):
    """The station head's decision on an appeal: upheld (the rating no longer counts; it
    stays on the record) or not."""

    upheld: bool
    text: Text


# ---- answers --------------------------------------------------------------------------------


class Option(msgspec.Struct, frozen=True, kw_only=True):
    value: str
    label: str


class RatingOptions(msgspec.Struct, frozen=True, kw_only=True):
    """The levels, dimensions and reasons a rating page offers."""

    levels: list[Option]
    dimensions: list[Option]
    reasons: list[Option]


class RatingPress(msgspec.Struct, frozen=True, kw_only=True):
    """What a keypad press did: ``recorded`` False when the service was already rated
    (the press is ignored and logged)."""

    window_number: int
    level: int
    label: str
    ticket_number: str
    recorded: bool
    note: str


class RatingOffer(msgspec.Struct, frozen=True, kw_only=True):
    """What the window's tablet offers now: the service just finished there, for a short
    time, if it is not rated yet."""

    available: bool
    window_number: int
    ticket_number: str | None
    finished_at: datetime | None
    offer_until: datetime | None
    message: str
    options: RatingOptions


class LinkView(msgspec.Struct, frozen=True, kw_only=True):
    """What a rating link rates and whether it can be used: ``state`` open, rated,
    not_finished or closed."""

    state: str
    subject: str
    message: str
    options: RatingOptions


class RatingReceipt(msgspec.Struct, frozen=True, kw_only=True):
    """The visitor's answer after rating."""

    level: int
    label: str
    bad: bool
    subject: str
    message: str


class RatingView(msgspec.Struct, frozen=True, kw_only=True):
    """A rating as staff see it (follow-up detail, comment-box transcription)."""

    id: str
    subject_kind: str
    subject_ref: str
    service_date: str
    window_number: int | None
    level: int
    label: str
    dimensions: dict[str, int]
    reason: str | None
    reason_label: str
    reason_text: str
    source: str
    source_label: str
    transcribed_by_name: str | None
    real_name: bool
    voided: bool
    rated_at: datetime


class StepView(msgspec.Struct, frozen=True, kw_only=True):
    seq: int
    step: str
    label: str
    who_name: str
    at: datetime
    text: str


class AppealView(msgspec.Struct, frozen=True, kw_only=True):
    grounds: str
    grounds_label: str
    by: str
    by_label: str
    text: str
    filed_by: str
    at: datetime
    upheld: bool | None
    decision: str | None
    decided_by: str | None
    decided_at: datetime | None


class FollowUpSummary(msgspec.Struct, frozen=True, kw_only=True):
    """One follow-up in the list: the rating, where it stands, its deadlines."""

    id: str
    subject_ref: str
    subject_label: str
    level: int
    level_label: str
    source_label: str
    window_number: int | None
    state: str
    state_label: str
    opened_on: date
    contact_due: date
    rectify_due: date
    overdue: list[str]
    real_name: bool
    contact_masked: str
    appeal: str


class FollowUpDetail(msgspec.Struct, frozen=True, kw_only=True):
    """One follow-up with its rating, its steps and what may be done next."""

    summary: FollowUpSummary
    rating: RatingView
    contact_phone: str | None
    served_by: str | None
    steps: list[StepView]
    allowed: list[Option]
    appeal: AppealView | None


class RatingRatesView(msgspec.Struct, frozen=True, kw_only=True):
    """好评率, 主动评价率 and follow-up completion of the services finished in a period
    (rates 0–1, None when there is nothing to divide by)."""

    first: date
    last: date
    services: int
    rated: int
    visitor: int
    comment_box: int
    defaulted: int
    voided: int
    missing: int
    pending: int
    good: int
    bad: int
    levels: dict[int, int]
    by_source: dict[str, int]
    good_rate: float | None
    active_rate: float | None
    followups: int
    followups_closed: int
    followups_overdue: int
    followup_rate: float | None
    real_name_followups: int
    real_name_closed: int
    real_name_rate: float | None
    target: float
    meets_target: bool | None
