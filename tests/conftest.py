"""Fixtures shared by every test folder.

- ``station``, ``client``, ``live_server``: a migrated, seeded station on a temp SQLite, in
  process or on a live loopback port;
- ``cups_server``, ``raw_queue``, ``pdf_queue``: a real private cupsd whose queues send to
  AppSocket listeners on 127.0.0.1, as LAN printers on port 9100 receive jobs;
- ``pg_server``, ``county_db``, ``make_county``, ``county``: a real PostgreSQL and a migrated
  county database behind the real county app.

The helpers behind them live in ``tests/support``; tests import types from there, never
fixtures.
"""

from __future__ import annotations

import os
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import fields
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from litestar.testing import TestClient

from appliance.core.clock import FrozenClock
from appliance.http.app import create_app
from appliance.settings import CONFIG_ENV, ENV_PREFIX, Settings
from sync.county.app import create_county_app
from sync.county.services import build_county_services
from sync.county.settings import load_county_settings
from tests.support.county import T0, TEMPLATE, County, build_template
from tests.support.cups_server import (
    CupsServer,
    PdfQueue,
    RawQueue,
    SocketPrinter,
    start_cupsd,
    stop_cupsd,
)
from tests.support.pg_server import PgServer, start_pg_server
from tests.support.station import LiveServer, Station, free_port, make_station

os.environ.setdefault("LG_WD", "/tmp")
# The suite's stations are configured by the tests alone: `make test` exports the demo's
# YIZHAN_DATA_DIR (and a developer's shell may carry other YIZHAN_* settings), which would
# override a test's own settings file and write into the demo's database.
for _name in [CONFIG_ENV, *(ENV_PREFIX + f.name.upper() for f in fields(Settings))]:
    os.environ.pop(_name, None)


@pytest.fixture
def station(tmp_path: Path) -> Iterator[Station]:
    st = make_station(tmp_path)
    yield st
    st.services.close()


@pytest.fixture
def client(station: Station) -> Iterator[TestClient]:
    app = create_app(station.settings, services=station.services)
    with TestClient(app) as c:
        yield c


@pytest.fixture
def live_server(station: Station) -> Iterator[LiveServer]:
    """The real app under uvicorn on a free loopback port, in a thread."""
    port = free_port()
    app = create_app(station.settings, services=station.services)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60  # generous: a loaded CI machine
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("live server did not start")
        time.sleep(0.02)
    yield LiveServer(f"http://127.0.0.1:{port}", station)
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def cups_server() -> Iterator[CupsServer]:
    """One private cupsd for the whole test session."""
    server = start_cupsd()
    try:
        yield server
    finally:
        stop_cupsd(server)


@pytest.fixture
def raw_queue(cups_server: CupsServer) -> Iterator[RawQueue]:
    """A fresh raw queue whose device is a fresh :class:`SocketPrinter`."""
    listener = SocketPrinter().start()
    name = cups_server.unique("receipt")
    cups_server.add_raw_queue(name, f"socket://127.0.0.1:{listener.port}")
    try:
        yield RawQueue(name, listener, cups_server)
    finally:
        conn = cups_server.connection()
        conn.cancelAllJobs(name=name, purge_jobs=False)
        listener.stop()


@pytest.fixture
def pdf_queue(cups_server: CupsServer) -> Iterator[PdfQueue]:
    """A fresh A4 PDF queue whose device is a fresh :class:`SocketPrinter`."""
    printer = SocketPrinter().start()
    name = cups_server.unique("notice")
    cups_server.add_pdf_queue(name, f"socket://127.0.0.1:{printer.port}")
    try:
        yield PdfQueue(name, printer, cups_server)
    finally:
        cups_server.connection().cancelAllJobs(name=name, purge_jobs=False)
        printer.stop()


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    """The one PostgreSQL of this test session, stopped and removed when the session ends."""
    server = start_pg_server()
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(server.root, ignore_errors=True)


@pytest.fixture(scope="module")
def county_db(pg_server: PgServer, request: pytest.FixtureRequest) -> str:
    """One database per test module, copied from a once-migrated template."""
    template = pg_server.template(TEMPLATE, build_template)
    name = "county_" + request.module.__name__.rsplit(".", 1)[-1]
    pg_server.create_database(name, template=template)
    return name


@pytest.fixture
def make_county(
    pg_server: PgServer, county_db: str, tmp_path: Path
) -> Iterator[Callable[..., County]]:
    """Build the county app on an emptied database; keyword arguments override settings."""
    pg_server.truncate_all(county_db, keep=("county_alembic_version",))
    made: list[tuple[County, Any]] = []

    def make(**overrides: Any) -> County:
        settings = load_county_settings(
            env={},
            database_url=pg_server.url(county_db),
            data_dir=str(tmp_path / "county"),
            **overrides,
        )
        clock = FrozenClock(T0)
        services = build_county_services(settings, clock)
        client = TestClient(create_county_app(settings, services=services))
        client.__enter__()
        county = County(services, client, clock, pg_server, county_db)
        made.append((county, client))
        return county

    yield make
    for county, client in made:
        client.__exit__(None, None, None)
        county.services.close()


@pytest.fixture
def county(make_county: Callable[..., County]) -> County:
    return make_county()
