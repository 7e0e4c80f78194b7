"""Login, staff accounts, attendance, whereabouts, alerts and station configuration."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from litestar import Controller, Request, get, post
from litestar.params import FromPath, JSONBody

from appliance.domain.roles import ALL_ROLES, MANAGER_ROLES
from appliance.http.deps import PrincipalDep, ServicesDep
from appliance.http.guards import bearer_token
from appliance.http.schemas import CategoryIn, LoginIn, StaffIn, WhereaboutsIn, WindowIn
from appliance.services.staff_service import LoginResult, StaffView
from appliance.services.station_config import CategoryInfo, WindowInfo

MANAGER = {"roles": MANAGER_ROLES}
STAFF = {"roles": ALL_ROLES}


@dataclass
class AlertView:
    id: str
    kind: str
    message: str
    window_id: str | None
    raised_at: datetime


@dataclass
class MeView:
    staff_id: str
    code: str
    name: str
    role: str
    window_id: str | None


class AuthController(Controller):
    path = "/api/auth"

    @post("/login", opt={"public": True}, sync_to_thread=True)
    def login(self, data: JSONBody[LoginIn], services: ServicesDep) -> LoginResult:
        return services.staff.login(data.code, data.pin)

    @post("/logout", opt=STAFF, sync_to_thread=True)
    def logout(self, request: Request[Any, Any, Any], services: ServicesDep) -> dict[str, bool]:
        services.staff.logout(bearer_token(request) or "")
        return {"ok": True}

    @get("/me", opt=STAFF, sync_to_thread=False)
    def me(self, principal: PrincipalDep) -> MeView:
        return MeView(
            principal.staff_id, principal.code, principal.name, principal.role, principal.window_id
        )


class StaffController(Controller):
    path = "/api/staff"

    @get("/", opt=MANAGER, sync_to_thread=True)
    def list_staff(self, services: ServicesDep) -> list[StaffView]:
        return services.staff.list_all()

    @post("/", opt=MANAGER, sync_to_thread=True)
    def create(self, data: JSONBody[StaffIn], services: ServicesDep) -> StaffView:
        window_id = None
        if data.window is not None:
            window_id = services.windows.window_state(str(data.window)).id
        return services.staff.create(
            data.code, data.name, data.role, data.pin, data.post, data.phone, window_id
        )

    @post("/{staff_id:str}/deactivate", opt=MANAGER, sync_to_thread=True)
    def deactivate(
        self, staff_id: FromPath[str], services: ServicesDep, principal: PrincipalDep
    ) -> StaffView:
        return services.staff.deactivate(staff_id, by=principal.staff_id)

    @post("/me/clock-in", opt=STAFF, sync_to_thread=True)
    def clock_in(self, services: ServicesDep, principal: PrincipalDep) -> StaffView:
        return services.staff.record_attendance(principal.staff_id, "in")

    @post("/me/clock-out", opt=STAFF, sync_to_thread=True)
    def clock_out(self, services: ServicesDep, principal: PrincipalDep) -> StaffView:
        return services.staff.record_attendance(principal.staff_id, "out")

    @post("/me/whereabouts", opt=STAFF, sync_to_thread=True)
    def whereabouts(
        self, data: JSONBody[WhereaboutsIn], services: ServicesDep, principal: PrincipalDep
    ) -> StaffView:
        return services.staff.set_whereabouts(principal.staff_id, data.whereabouts)


class AlertController(Controller):
    path = "/api/alerts"

    @get("/", opt=STAFF, sync_to_thread=True)
    def open_alerts(self, services: ServicesDep) -> list[AlertView]:
        return [
            AlertView(a.id, a.kind, a.message, a.window_id, a.raised_at)
            for a in services.windows.open_alerts()
        ]


class StationController(Controller):
    """Categories and windows: read by everyone, changed by the station manager."""

    path = "/api"

    @get("/categories", opt={"public": True}, sync_to_thread=True)
    def categories(self, services: ServicesDep) -> list[CategoryInfo]:
        return services.config.categories()

    @post("/categories", opt=MANAGER, sync_to_thread=True)
    def add_category(self, data: JSONBody[CategoryIn], services: ServicesDep) -> CategoryInfo:
        return services.config.add_category(data.prefix, data.name, data.prior_minutes)

    @get("/windows", opt={"public": True}, sync_to_thread=True)
    def windows(self, services: ServicesDep) -> list[WindowInfo]:
        return services.config.windows()

    @post("/windows", opt=MANAGER, sync_to_thread=True)
    def add_window(self, data: JSONBody[WindowIn], services: ServicesDep) -> WindowInfo:
        return services.config.add_window(data.number, data.name, data.categories)
