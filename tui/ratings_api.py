"""The staff terminal's calls for ratings (好差评, R-E2, R-E3), mixed into ``StationApi``.

Staff never rate for a visitor: the only rating a terminal can send is a comment-box card
(意见箱), stored under the transcriber's name. The rest works the follow-ups (回访).
"""

from __future__ import annotations

from datetime import date
from typing import Any, TypeVar
from urllib.parse import quote, urlencode

from appliance.ratings.schemas import (
    AppealDecisionIn,
    AppealIn,
    CommentBoxIn,
    FollowUpDetail,
    FollowUpStepIn,
    FollowUpSummary,
    RatingRatesView,
    RatingView,
)

T = TypeVar("T")


class RatingCalls:
    """差评回访 and 意见箱录入; ``_typed`` is ``StationApi``'s."""

    async def _typed(self, method: str, path: str, answer: type[T], body: Any = None) -> T:
        raise NotImplementedError

    @staticmethod
    def _followup(followup_id: str, tail: str = "") -> str:
        return f"/api/ratings/followups/{quote(followup_id)}{tail}"

    async def followups(self, closed: bool = False) -> list[FollowUpSummary]:
        """差评回访: open ones, overdue first (``closed``: the closed ones too)."""
        path = f"/api/ratings/followups?{urlencode({'closed': int(closed)})}"
        return await self._typed("GET", path, list[FollowUpSummary])

    async def followup(self, followup_id: str) -> FollowUpDetail:
        return await self._typed("GET", self._followup(followup_id), FollowUpDetail)

    async def followup_step(self, followup_id: str, body: FollowUpStepIn) -> FollowUpDetail:
        """核实, 整改, 说明, 回访 or 办结, with what was done."""
        path = self._followup(followup_id, "/steps")
        return await self._typed("POST", path, FollowUpDetail, body)

    async def followup_appeal(self, followup_id: str, body: AppealIn) -> FollowUpDetail:
        path = self._followup(followup_id, "/appeal")
        return await self._typed("POST", path, FollowUpDetail, body)

    async def followup_decide(self, followup_id: str, body: AppealDecisionIn) -> FollowUpDetail:
        """The station head's decision on an appeal."""
        path = self._followup(followup_id, "/appeal/decision")
        return await self._typed("POST", path, FollowUpDetail, body)

    async def comment_box(self, body: CommentBoxIn) -> RatingView:
        """意见箱: one card, stored as comment_box under the signed-in staff member's name."""
        return await self._typed("POST", "/api/ratings/comment-box", RatingView, body)

    async def rating_rates(self, first: date, last: date) -> RatingRatesView:
        """好评率, 主动评价率 and follow-up completion of a period."""
        query = urlencode({"first": first.isoformat(), "last": last.isoformat()})
        return await self._typed("GET", f"/api/ratings/rates?{query}", RatingRatesView)
