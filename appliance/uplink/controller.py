"""同步状态 for staff: GET /api/sync/status (every staff role)."""

from __future__ import annotations

from litestar import Controller, get
from litestar.di import NamedDependency

from appliance.core.roles import ALL_ROLES
from appliance.uplink.schemas import SyncStatusView
from appliance.uplink.service import SyncStatusService

STAFF = {"roles": ALL_ROLES}


class SyncController(Controller):
    path = "/api/sync"

    @get("/status", opt=STAFF, sync_to_thread=True)
    def status(self, sync_status: NamedDependency[SyncStatusService]) -> SyncStatusView:
        return sync_status.status()
