"""The rates of ratings (R-E3, R-E4): 好评率, 主动评价率 and follow-up completion.

Computed from plain facts, so the station (from its tables) and anyone reading the event log
(the station figures, the county) get the same numbers from the same ratings:

* ``services``: finished services in the period (tickets served, cases finished);
* 好评率 (``good_rate``): ratings at 基本满意 or better among the ratings that count — the
  visitor's own (keypad, tablet, QR, SMS) and the comment box; a defaulted level is not a
  visitor's view and a rating voided on appeal no longer counts;
* 主动评价率 (``active_rate``): services the visitor rated (own channels or comment box) per
  finished service;
* follow-up completion: closed follow-ups per follow-up opened, and the same for real-name
  bad ratings, which must reach 100 % (XC: 实名差评回访整改率应达到100%).

Missing ratings are services closed for rating with no rating; pending ones may still be
rated. Comment-box and defaulted ratings are counted apart.

Pure: stdlib only.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from appliance.ratings.rules.levels import (
    GOOD_MIN,
    LEVELS,
    SATISFACTION_TARGET,
    VISITOR_SOURCES,
    Source,
    is_bad,
)


@dataclass(frozen=True)
class RatingFact:
    """One rating as the rates see it."""

    level: int
    source: str
    real_name: bool = False
    voided: bool = False


@dataclass(frozen=True)
class FollowUpFact:
    """One follow-up as the rates see it."""

    closed: bool
    real_name: bool
    overdue: bool = False


@dataclass(frozen=True)
class Rates:
    services: int
    rated: int  # every rating, whatever its source
    visitor: int  # keypad, tablet, QR, SMS
    comment_box: int
    defaulted: int
    voided: int  # voided on appeal (kept, not counted)
    missing: int  # closed for rating without any rating
    pending: int  # unrated, still open for rating
    good: int
    bad: int
    levels: dict[int, int] = field(default_factory=dict)  # counted ratings per level
    by_source: dict[str, int] = field(default_factory=dict)
    good_rate: float | None = None  # 好评率, 0–1; None without counted ratings
    active_rate: float | None = None  # 主动评价率, 0–1; None without services
    followups: int = 0
    followups_closed: int = 0
    followups_overdue: int = 0
    followup_rate: float | None = None
    real_name_followups: int = 0
    real_name_closed: int = 0
    real_name_rate: float | None = None  # must be 1.0
    target: float = SATISFACTION_TARGET

    @property
    def meets_target(self) -> bool | None:
        return None if self.good_rate is None else self.good_rate >= self.target


def _ratio(part: int, whole: int) -> float | None:
    return None if whole == 0 else part / whole


def rating_rates(
    ratings: Iterable[RatingFact],
    followups: Iterable[FollowUpFact] = (),
    *,
    services: int,
    missing: int = 0,
    pending: int = 0,
) -> Rates:
    """The rates of one period's ratings (see the module docstring)."""
    rows = list(ratings)
    by_source: dict[str, int] = {}
    for r in rows:
        by_source[r.source] = by_source.get(r.source, 0) + 1
    counted = [
        r
        for r in rows
        if not r.voided and (r.source in VISITOR_SOURCES or r.source == Source.COMMENT_BOX)
    ]
    levels = {level: sum(1 for r in counted if r.level == level) for level in LEVELS}
    good = sum(1 for r in counted if r.level >= GOOD_MIN)
    bad = sum(1 for r in counted if is_bad(r.level))
    own = [r for r in rows if r.source in VISITOR_SOURCES or r.source == Source.COMMENT_BOX]
    fus = list(followups)
    closed = sum(1 for f in fus if f.closed)
    real = [f for f in fus if f.real_name]
    real_closed = sum(1 for f in real if f.closed)
    return Rates(
        services=services,
        rated=len(rows),
        visitor=sum(1 for r in rows if r.source in VISITOR_SOURCES),
        comment_box=by_source.get(Source.COMMENT_BOX, 0),
        defaulted=by_source.get(Source.DEFAULT, 0),
        voided=sum(1 for r in rows if r.voided),
        missing=missing,
        pending=pending,
        good=good,
        bad=bad,
        levels=levels,
        by_source=by_source,
        good_rate=_ratio(good, len(counted)),
        active_rate=_ratio(len(own), services),
        followups=len(fus),
        followups_closed=closed,
        followups_overdue=sum(1 for f in fus if f.overdue and not f.closed),
        followup_rate=_ratio(closed, len(fus)),
        real_name_followups=len(real),
        real_name_closed=real_closed,
        real_name_rate=_ratio(real_closed, len(real)),
    )
