"""Open alerts for staff: GET /api/alerts (every staff role)."""

from __future__ import annotations

from litestar import Controller, get
from litestar.di import NamedDependency

from appliance.alerts.schemas import AlertView
from appliance.alerts.service import AlertService
from appliance.core.roles import ALL_ROLES

STAFF = {"roles": ALL_ROLES}


class AlertController(Controller):
    path = "/api/alerts"

    @get("/", opt=STAFF, sync_to_thread=True)
    def open_alerts(self, alerts: NamedDependency[AlertService]) -> list[AlertView]:
        return alerts.open_views()
