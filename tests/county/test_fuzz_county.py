"""The fuzzing gate of the county (R-I3, R-N3): no 5xx and no answer off the documented
schema, for strangers (the sync endpoints, the dashboard login) and for a dashboard admin.

A real uvicorn serves the county app on the real PostgreSQL; schemathesis reads its live
``/schema/openapi.json`` (``tests.support.fuzz``). A station's signed calls are covered by
the protocol tests; here every batch and down-sync request is unsigned or forged, the
refusals an outsider can cause.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn

from appliance.core.clock import FrozenClock
from sync.county.admins import create_admin
from sync.county.app import create_county_app
from sync.county.enrolment import create_station
from sync.county.services import build_county_services
from sync.county.settings import load_county_settings
from tests.support.county import T0
from tests.support.fuzz import fuzz
from tests.support.pg_server import PgServer
from tests.support.station import free_port

pytestmark = pytest.mark.slow
PASSWORD = "admin-pass-123"


@pytest.fixture
def live_county(pg_server: PgServer, county_db: str, tmp_path: Path) -> Iterator[str]:
    pg_server.truncate_all(county_db, keep=("county_alembic_version",))
    settings = load_county_settings(
        env={}, database_url=pg_server.url(county_db), data_dir=str(tmp_path / "county")
    )
    services = build_county_services(settings, FrozenClock(T0))
    create_admin(services, "admin", PASSWORD, "county_admin", "王主任")
    create_station(services, "ST01", "示范村便民服务站")
    port = free_port()
    config = uvicorn.Config(
        create_county_app(settings, services=services),
        host="127.0.0.1",
        port=port,
        log_level="warning",
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        assert time.monotonic() < deadline, "county did not start"
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)
    services.close()


def session_cookie(url: str) -> str:
    r = httpx.post(
        f"{url}/dashboard/login", data={"username": "admin", "password": PASSWORD}, timeout=10
    )
    assert r.status_code == 303, r.text
    return "; ".join(f"{k}={v}" for k, v in r.cookies.items())


def test_fuzzing_the_county_finds_no_server_error_r_i3_r_n3(
    live_county: str, tmp_path: Path
) -> None:
    cookie = session_cookie(live_county)
    runs = [
        fuzz(live_county, "county-anonymous", tmp_path, max_examples=6, seed=3),
        fuzz(
            live_county,
            "county-admin",
            tmp_path,
            headers={"Cookie": cookie},
            exclude=["^/dashboard/logout$"],
            max_examples=4,
            seed=4,
        ),
    ]
    for run in runs:
        assert run.ok, run.problems()
    assert all(run.generated > 0 for run in runs)
    print({run.name: run.generated for run in runs})
