"""同步状态 for staff: GET /api/sync/status (every staff role)."""

from __future__ import annotations

from litestar import Controller, get

from appliance.domain.roles import ALL_ROLES
from appliance.http.deps import ServicesDep
from appliance.services.sync_status import SyncStatusService, SyncStatusView

STAFF = {"roles": ALL_ROLES}


class SyncController(Controller):
    path = "/api/sync"

    @get("/status", opt=STAFF, sync_to_thread=True)
    def status(self, services: ServicesDep) -> SyncStatusView:
        settings = services.settings
        return SyncStatusService(
            services.db, services.clock, settings.timezone, settings.county_url
        ).status()
