"""Fixtures of the county dashboard tests: the county app with the dashboard routers, on the
real PostgreSQL of ``tests/support/pg_server.py``, with one admin and one viewer. No tests live here."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from litestar import Litestar
from litestar.testing import TestClient

import sync.county.app as county_app
from appliance.core.clock import FrozenClock
from sync.county.admins import create_admin
from sync.county.dashboard import dashboard_route_handlers, is_dashboard_route
from sync.county.services import CountyServices, build_county_services
from sync.county.settings import CountySettings, load_county_settings
from tests.support.county import T0, County
from tests.support.pg_server import PgServer

ADMIN_PW, VIEWER_PW = "admin-pass-123", "viewer-pass-123"


def wired_county_app(settings: CountySettings, services: CountyServices) -> Litestar:
    """``create_county_app`` with the dashboard. Until ``sync/county/app.py`` wires it, add
    the routers here with ``county_guard`` letting dashboard routes through (their own
    guard checks the session), exactly as the wiring note in the dashboard package says."""
    app = county_app.create_county_app(settings, services=services)
    if any(route.path.startswith("/dashboard") for route in app.routes):
        return app
    original = county_app.county_guard

    def guard(connection: Any, handler: Any) -> None:
        if is_dashboard_route(handler.opt):
            return
        original(connection, handler)

    county_app.county_guard = guard
    try:
        app = county_app.create_county_app(settings, services=services)
    finally:
        county_app.county_guard = original
    for router in dashboard_route_handlers(settings):
        app.register(router)
    return app


@contextmanager
def dashboard_county(pg: PgServer, db_name: str, data_dir: Path) -> Iterator[County]:
    pg.truncate_all(db_name, keep=("county_alembic_version",))
    settings = load_county_settings(env={}, database_url=pg.url(db_name), data_dir=str(data_dir))
    clock = FrozenClock(T0)
    services = build_county_services(settings, clock)
    create_admin(services, "admin", ADMIN_PW, "county_admin", "王主任")
    create_admin(services, "viewer", VIEWER_PW, "viewer", "李干事")
    with TestClient(wired_county_app(settings, services)) as client:
        yield County(services, client, clock, pg, db_name)
    services.close()


def login(client: TestClient[Any], username: str = "admin", password: str = ADMIN_PW) -> Any:
    return client.post(
        "/dashboard/login",
        data={"username": username, "password": password},
        follow_redirects=False,
    )


LoginFn = Callable[..., Any]
