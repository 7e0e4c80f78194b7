"""Ratings over HTTP (好差评, R-E1–R-E4).

Visitors rate through public routes (the window tablet or kiosk page, the one-time link) and
the keypad through the hardware service (``X-Device-Key``). A request that carries a staff
login (``Authorization``) is refused on every rating route: staff software can neither create
nor alter a rating (GD 5.9.3). Staff transcribe the comment box (stored as ``comment_box``
under their name) and work the follow-ups (回访); the station head decides appeals.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, Parameter

from appliance.core.errors import NotAllowed
from appliance.core.roles import FOLLOW_UP_ROLES, MANAGER_ROLES, Principal
from appliance.ratings.schemas import (
    AppealDecisionIn,
    AppealIn,
    CommentBoxIn,
    FollowUpDetail,
    FollowUpStepIn,
    FollowUpSummary,
    LinkIn,
    LinkRatingIn,
    LinkView,
    RatingIn,
    RatingOffer,
    RatingOptions,
    RatingPress,
    RatingPressIn,
    RatingRatesView,
    RatingReceipt,
    RatingView,
    WindowRatingIn,
)
from appliance.ratings.service.followups import FollowUpService
from appliance.ratings.service.ratings import RatingService
from appliance.ratings.service.views import options

PUBLIC = {"public": True}
DEVICE = {"device": True}
FOLLOW_UP = {"roles": FOLLOW_UP_ROLES}
HEAD = {"roles": MANAGER_ROLES}

Ratings = NamedDependency[RatingService]
FollowUps = NamedDependency[FollowUpService]
Me = NamedDependency[Principal]


def visitor_only(request: Request[Any, Any, Any]) -> None:
    """Refuse a rating sent with a staff login (GD 5.9.3: 不可替代服务对象评价)."""
    if request.headers.get("authorization"):
        raise NotAllowed(
            "工作人员不能代替群众评价：请让办事群众本人在评价器、评价页面、扫码或短信中评价",
            "staff_cannot_rate",
        )


class RatingDeviceController(Controller):
    path = "/api/device"

    @post("/ratings", opt=DEVICE, sync_to_thread=True)
    def keypad(self, data: JSONBody[RatingPressIn], ratings: Ratings) -> RatingPress:
        """评价器: rate the service just finished at the window, once; a later press is
        ignored (``recorded`` false) and logged."""
        return ratings.keypad(data.window, data.level)


class RatingController(Controller):
    path = "/api/ratings"

    # ---- visitors ------------------------------------------------------------------------
    @get("/options", opt=PUBLIC, sync_to_thread=False)
    def rating_options(self) -> RatingOptions:
        """The five levels, four dimensions and the reasons a bad rating may choose."""
        return options()

    @get("/windows/{window:str}/offer", opt=PUBLIC, sync_to_thread=True)
    def offer(self, window: FromPath[str], ratings: Ratings) -> RatingOffer:
        """What the window's tablet offers now: its last finished service, for a short time."""
        return ratings.offer(window)

    @post("/windows/{window:str}", opt=PUBLIC, sync_to_thread=True)
    def rate_at_window(
        self,
        window: FromPath[str],
        data: JSONBody[WindowRatingIn],
        ratings: Ratings,
        request: Request[Any, Any, Any],
    ) -> RatingReceipt:
        """The visitor rates on the window's tablet or the kiosk."""
        visitor_only(request)
        return ratings.rate_at_window(window, data)

    @post("/link/check", opt=PUBLIC, sync_to_thread=True)
    def check_link(self, data: JSONBody[LinkIn], ratings: Ratings) -> LinkView:
        """What a one-time link rates and whether it can be used (nothing is written)."""
        return ratings.check_link(data.token)

    @post("/link", opt=PUBLIC, sync_to_thread=True)
    def rate_by_link(
        self, data: JSONBody[LinkRatingIn], ratings: Ratings, request: Request[Any, Any, Any]
    ) -> RatingReceipt:
        """The visitor rates through the QR link of the receipt or a case notice."""
        visitor_only(request)
        body = RatingIn(
            level=data.level,
            dimensions=data.dimensions,
            reason=data.reason,
            reason_text=data.reason_text,
        )
        return ratings.rate_by_link(data.token, body)

    # ---- staff ---------------------------------------------------------------------------
    @post("/comment-box", opt=FOLLOW_UP, sync_to_thread=True)
    def comment_box(
        self, data: JSONBody[CommentBoxIn], ratings: Ratings, principal: Me
    ) -> RatingView:
        """意见箱: a card transcribed by staff, stored as comment_box under their name."""
        return ratings.transcribe(data, principal)

    @get("/rates", opt=FOLLOW_UP, sync_to_thread=True)
    def rates(
        self,
        ratings: Ratings,
        first: Annotated[date, Parameter(description="first day (local)")],
        last: Annotated[date, Parameter(description="last day (local), included")],
    ) -> RatingRatesView:
        """好评率, 主动评价率 and follow-up completion of the services finished in a period."""
        return ratings.rates(first, last)

    @get("/followups", opt=FOLLOW_UP, sync_to_thread=True)
    def followups(
        self, followups: FollowUps, closed: Annotated[int, Parameter(ge=0, le=1)] = 0
    ) -> list[FollowUpSummary]:
        """差评回访: the open ones (``closed=1``: the closed ones too), overdue first."""
        return followups.list(open_only=not closed)

    @get("/followups/{followup_id:str}", opt=FOLLOW_UP, sync_to_thread=True)
    def followup(self, followup_id: FromPath[str], followups: FollowUps) -> FollowUpDetail:
        return followups.get(followup_id)

    @post("/followups/{followup_id:str}/steps", opt=FOLLOW_UP, sync_to_thread=True)
    def step(
        self,
        followup_id: FromPath[str],
        data: JSONBody[FollowUpStepIn],
        followups: FollowUps,
        principal: Me,
    ) -> FollowUpDetail:
        """Record 核实, 整改, 说明, 回访 or 办结 (办结 only after a 回访 record)."""
        return followups.step(followup_id, data, principal)

    @post("/followups/{followup_id:str}/appeal", opt=FOLLOW_UP, sync_to_thread=True)
    def appeal(
        self,
        followup_id: FromPath[str],
        data: JSONBody[AppealIn],
        followups: FollowUps,
        principal: Me,
    ) -> FollowUpDetail:
        """申诉: the rating was given by mistake or in malice; the station head decides."""
        return followups.appeal(followup_id, data, principal)

    @post("/followups/{followup_id:str}/appeal/decision", opt=HEAD, sync_to_thread=True)
    def decide(
        self,
        followup_id: FromPath[str],
        data: JSONBody[AppealDecisionIn],
        followups: FollowUps,
        principal: Me,
    ) -> FollowUpDetail:
        """The station head's decision on an appeal; both stay on the record."""
        return followups.decide(followup_id, data, principal)
