"""县级管理后台: the county admin web dashboard (server-rendered, local assets, inline SVG).

Wire it into ``create_county_app``::

    from sync.county.dashboard import dashboard_route_handlers
    route_handlers=[SyncController, *dashboard_route_handlers(settings)]

and let ``county_guard`` pass routes whose ``opt`` has a ``"dashboard"`` key: the dashboard
router checks those itself (login session and role, see ``auth.py``). The handlers use the
app's ``services`` dependency (``CountyServices``) and ``app.state.services``.
"""

from __future__ import annotations

from typing import Any

from litestar import Router
from litestar.di import Provide
from litestar.static_files import create_static_files_router

from sync.county.dashboard.actions import AdminController, AuthController
from sync.county.dashboard.auth import PUBLIC, SessionStore, make_dashboard_guard
from sync.county.dashboard.common import PREFIX
from sync.county.dashboard.consultations import ConsultationsController
from sync.county.dashboard.errors import DASHBOARD_EXCEPTION_HANDLERS
from sync.county.dashboard.pages import ExportController, PagesController
from sync.county.dashboard.render import STATIC
from sync.county.delegation_dashboard import DelegationsController
from sync.county.fault_dashboard import FaultsController
from sync.county.settings import CountySettings


def dashboard_route_handlers(
    settings: CountySettings, sessions: SessionStore | None = None
) -> list[Router]:
    """The dashboard's routers: pages and actions under /dashboard, CSS under
    /dashboard/static. ``settings`` is accepted for future options (none needed yet)."""
    store = sessions or SessionStore()
    pages = Router(
        path=PREFIX,
        route_handlers=[
            PagesController,
            ExportController,
            AuthController,
            AdminController,
            ConsultationsController,
            DelegationsController,
            FaultsController,
        ],
        guards=[make_dashboard_guard(store)],
        dependencies={"sessions": Provide(lambda: store, sync_to_thread=False)},
        exception_handlers=DASHBOARD_EXCEPTION_HANDLERS,
    )
    static = create_static_files_router(
        path=f"{PREFIX}/static",
        directories=[STATIC],
        opt={"dashboard": PUBLIC},
        include_in_schema=False,
    )
    return [pages, static]


def is_dashboard_route(opt: dict[str, Any]) -> bool:
    """For ``county_guard``: this route's access is checked by the dashboard's own guard."""
    return "dashboard" in opt


__all__ = ["SessionStore", "dashboard_route_handlers", "is_dashboard_route"]
