"""Packages travel to the county with the sync, which checks them on arrival (R-A3, R-N3).

The real county (uvicorn, PostgreSQL) behind the fault proxy, the real station agent: the
``archive.built`` event carries the digest, the zip follows in chunks once that event is
acknowledged; a chunk whose answer was lost resumes where the county stopped, and bytes
damaged on the way are caught by the digest and sent again."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from litestar.testing import TestClient

import sync.station.archives as station_archives
from appliance.archives.service.sweep import archive_pass
from appliance.http.app import create_app
from sync.county.admins import create_admin
from sync.county.dashboard.archives import archive_status
from sync.protocol import ARCHIVES_PATH
from tests.archives.support import delivered
from tests.cases.notice_support import Desk
from tests.support.county import TEMPLATE, build_template
from tests.support.pg_server import PgServer
from tests.support.station import Station
from tests.support.sync_proxy import FaultProxy
from tests.sync.faults_support import (
    CountyServer,
    agent_for,
    county_settings,
    drain,
    enrolled_station,
)

DB = "county_archives"


@pytest.fixture(scope="module")
def county(pg_server: PgServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[CountyServer]:
    template = pg_server.template(TEMPLATE, build_template)
    url = pg_server.create_database(DB, template=template)
    server = CountyServer(
        county_settings(url, tmp_path_factory.mktemp("county")), pg_server.dsn(DB)
    )
    server.start()
    yield server
    server.close()


@pytest.fixture
def rig(
    county: CountyServer, pg_server: PgServer, tmp_path: Path
) -> Iterator[tuple[Station, FaultProxy, str]]:
    pg_server.truncate_all(DB, keep=("county_alembic_version",))
    proxy = FaultProxy(county.url, fault_path=ARCHIVES_PATH)
    station = enrolled_station(tmp_path / "station", county, proxy)
    with TestClient(create_app(station.settings, services=station.services)) as client:
        delivered(Desk(client, station))
    [archive_no] = archive_pass(station.services.archives).built
    yield station, proxy, archive_no
    proxy.close()
    station.services.close()


def _zip(station: Station, archive_no: str) -> bytes:
    return (station.data_dir / "archives" / "packages" / f"{archive_no}.zip").read_bytes()


def _county_row(county: CountyServer, archive_no: str) -> tuple[str, bytes | None]:
    status = county.scalar("SELECT status FROM county_archive WHERE archive_no = %s", archive_no)
    blob = county.scalar("SELECT data FROM county_archive_blob WHERE archive_no = %s", archive_no)
    return status, None if blob is None else bytes(blob)


def test_a_package_reaches_the_county_and_is_verified_r_a3_r_n3(
    rig: tuple[Station, FaultProxy, str], county: CountyServer
) -> None:
    station, _proxy, archive_no = rig
    results = drain(agent_for(station))
    assert sum(r.archives for r in results) == 1
    assert _county_row(county, archive_no) == ("verified", _zip(station, archive_no))
    [pkg] = station.services.archives.packages()
    assert pkg.uploaded is True
    assert sum(r.archives for r in drain(agent_for(station))) == 0  # sent once
    # the county's station health page shows the station's archives
    create_admin(county.services, "archivist", "archive-pass-123", "viewer", "档案员")
    with httpx.Client(base_url=county.url) as web:
        login = web.post(
            "/dashboard/login", data={"username": "archivist", "password": "archive-pass-123"}
        )
        assert login.status_code in (200, 303)
        page = web.get("/dashboard/health").text
    section = page.split("归档信息包（一事一档）")[1]
    assert '<tr data-station="ST01">' in section and "暂无站点上报" not in section
    with county.services.db.snapshot() as s:
        [status] = archive_status(s)
    assert (status.station_id, status.announced, status.verified) == ("ST01", 1, 1)


def test_a_lost_answer_resumes_where_the_county_stopped_r_n3(
    rig: tuple[Station, FaultProxy, str], county: CountyServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    station, proxy, archive_no = rig
    monkeypatch.setattr(station_archives, "ARCHIVE_CHUNK", 48 * 1024)
    proxy.set_faults("pass", "lose_response")  # the 2nd chunk is stored, its answer lost
    agent = agent_for(station, sync_timeout_s=3.0)
    first = agent.run_once()
    assert first.error is not None and first.archives == 0
    held = county.scalar(
        "SELECT length(data) FROM county_archive_blob WHERE archive_no = %s", archive_no
    )
    assert held == 2 * 48 * 1024
    drain(agent)
    offsets = [
        ex.request.path.split("offset=")[1] for ex in proxy.log if ARCHIVES_PATH in ex.request.path
    ]
    # round 2 asked at 0, was told 98304, and went on from there: nothing sent twice but that
    assert offsets[:3] == ["0", "49152", "0"] and offsets[3] == "98304"
    assert _county_row(county, archive_no) == ("verified", _zip(station, archive_no))


def test_bytes_damaged_on_the_way_are_caught_and_sent_again_r_a3(
    rig: tuple[Station, FaultProxy, str], county: CountyServer
) -> None:
    station, proxy, archive_no = rig
    proxy.set_faults("corrupt")
    agent = agent_for(station)
    agent.run_once()
    status, blob = _county_row(county, archive_no)
    assert status == "expected" and not blob  # refused by the digest, thrown away
    assert [p.uploaded for p in station.services.archives.packages()] == [False]
    drain(agent)
    assert _county_row(county, archive_no) == ("verified", _zip(station, archive_no))
