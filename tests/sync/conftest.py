"""Fixtures of the sync fault tests: one real county server (uvicorn, PostgreSQL) for the
session, and per test a fresh enrolled station behind a fault-injecting proxy."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.county import TEMPLATE, build_template
from tests.support.pg_server import PgServer
from tests.support.sync_proxy import FaultProxy
from tests.sync.faults_support import CountyServer, Rig, county_settings, enrolled_station


@pytest.fixture(scope="session")
def county_server(
    pg_server: PgServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[CountyServer]:
    template = pg_server.template(TEMPLATE, build_template)
    url = pg_server.create_database("county_sync_faults", template=template)
    settings = county_settings(url, tmp_path_factory.mktemp("county"))
    server = CountyServer(settings, pg_server.dsn("county_sync_faults"))
    server.start()
    yield server
    server.close()


@pytest.fixture
def rig(county_server: CountyServer, pg_server: PgServer, tmp_path: Path) -> Iterator[Rig]:
    pg_server.truncate_all("county_sync_faults", keep=("county_alembic_version",))
    if county_server._server is None:
        county_server.start()
    proxy = FaultProxy(county_server.url)
    station = enrolled_station(tmp_path / "station", county_server, proxy)
    yield Rig(county_server, proxy, station, tmp_path)
    proxy.close()
    station.services.close()
