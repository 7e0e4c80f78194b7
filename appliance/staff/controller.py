"""Login, staff accounts, attendance and whereabouts, and the public staff board (R-T1–R-T3)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from appliance.core.roles import ALL_ROLES, MANAGER_ROLES, Principal
from appliance.queue.service.windows import WindowService
from appliance.staff.schemas import (
    BoardEntry,
    ChangePinIn,
    LoggedOut,
    LoginIn,
    LoginResult,
    MeView,
    StaffIn,
    StaffView,
    Unlocked,
    UnlockIn,
    WhereaboutsIn,
)
from appliance.staff.service.accounts import StaffService, bearer_token

MANAGER = {"roles": MANAGER_ROLES}


def _address(request: Request[Any, Any, Any]) -> str:
    """The client's address: the key of the per-address login throttle."""
    return request.client.host if request.client else "unknown"


STAFF = {"roles": ALL_ROLES}

Staff = NamedDependency[StaffService]
Me = NamedDependency[Principal]


class AuthController(Controller):
    path = "/api/auth"

    @post("/login", opt={"public": True}, sync_to_thread=True)
    def login(
        self, request: Request[Any, Any, Any], data: JSONBody[LoginIn], staff: Staff
    ) -> LoginResult:
        """登录. Throttled per staff code and per client address (429 with ``Retry-After``);
        403 ``pin_change_required`` when the PIN is shorter than the station's minimum."""
        return staff.login(data.code, data.pin, _address(request))

    @post("/change-pin", opt={"public": True}, sync_to_thread=True)
    def change_pin(
        self, request: Request[Any, Any, Any], data: JSONBody[ChangePinIn], staff: Staff
    ) -> LoginResult:
        """修改密码 with the old PIN; answers a new session, every other one ends."""
        return staff.change_pin(data.code, data.old_pin, data.new_pin, _address(request))

    @post("/unlock", opt=MANAGER, sync_to_thread=True)
    def unlock(self, data: JSONBody[UnlockIn], staff: Staff, principal: Me) -> Unlocked:
        """站长解除登录限制 of a staff code and/or a client address (neither: all), and
        clear their login alerts."""
        blocks, alerts = staff.unlock(data.code, data.address, by=principal.staff_id)
        return Unlocked(blocks_cleared=blocks, alerts_cleared=alerts)

    @post("/logout", opt=STAFF, sync_to_thread=True)
    def logout(self, request: Request[Any, Any, Any], staff: Staff) -> LoggedOut:
        staff.logout(bearer_token(request.headers.get("authorization", "")) or "")
        return LoggedOut(ok=True)

    @get("/me", opt=STAFF, sync_to_thread=False)
    def me(self, principal: Me) -> MeView:
        return MeView(
            staff_id=principal.staff_id,
            code=principal.code,
            name=principal.name,
            role=principal.role,
            window_id=principal.window_id,
        )


class StaffController(Controller):
    path = "/api/staff"

    @get("/", opt=MANAGER, sync_to_thread=True)
    def list_staff(self, staff: Staff) -> list[StaffView]:
        return staff.list_all()

    @post("/", opt=MANAGER, sync_to_thread=True)
    def create(
        self, data: JSONBody[StaffIn], staff: Staff, windows: NamedDependency[WindowService]
    ) -> StaffView:
        window_id = None
        if data.window is not None:
            window_id = windows.window_state(str(data.window)).id
        return staff.create(
            data.code, data.name, data.role, data.pin, data.post, data.phone, window_id
        )

    @post("/{staff_id:str}/deactivate", opt=MANAGER, sync_to_thread=True)
    def deactivate(self, staff_id: FromPath[str], staff: Staff, principal: Me) -> StaffView:
        return staff.deactivate(staff_id, by=principal.staff_id)

    @post("/me/clock-in", opt=STAFF, sync_to_thread=True)
    def clock_in(self, staff: Staff, principal: Me) -> StaffView:
        return staff.record_attendance(principal.staff_id, "in")

    @post("/me/clock-out", opt=STAFF, sync_to_thread=True)
    def clock_out(self, staff: Staff, principal: Me) -> StaffView:
        return staff.record_attendance(principal.staff_id, "out")

    @post("/me/whereabouts", opt=STAFF, sync_to_thread=True)
    def whereabouts(self, data: JSONBody[WhereaboutsIn], staff: Staff, principal: Me) -> StaffView:
        return staff.set_whereabouts(principal.staff_id, data.whereabouts)


class BoardController(Controller):
    path = "/api/board"

    @get("/", opt={"public": True}, sync_to_thread=True)
    def board(self, staff: Staff) -> list[BoardEntry]:
        """公示栏 (R-T1)."""
        return staff.board()
