"""Open alerts for staff: GET /api/alerts (every staff role)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from litestar import Controller, get
from litestar.di import NamedDependency

from appliance.alerts.service import AlertService
from appliance.core.roles import ALL_ROLES

STAFF = {"roles": ALL_ROLES}


@dataclass
class AlertView:
    id: str
    kind: str
    message: str
    window_id: str | None
    raised_at: datetime


class AlertController(Controller):
    path = "/api/alerts"

    @get("/", opt=STAFF, sync_to_thread=True)
    def open_alerts(self, alerts: NamedDependency[AlertService]) -> list[AlertView]:
        return [
            AlertView(a.id, a.kind, a.message, a.window_id, a.raised_at)
            for a in alerts.open_alerts()
        ]
