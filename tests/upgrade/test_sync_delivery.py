"""Update bundles delivered over sync (R-N4, R-N3): the county publishes a signed bundle, the
station's agent downloads it in signed chunks with its reference data, verifies it and tells
the head "有可用更新" — and installs nothing until ``yizhan upgrade`` is run. A download that
does not match what the county announced is thrown away. Real county (uvicorn, PostgreSQL)."""

from __future__ import annotations

import io
import logging
import random
from collections.abc import Iterator
from pathlib import Path

import pytest

from appliance.alerts.service import AlertService
from appliance.db.database import Database
from appliance.upgrade.service import ALERT_KIND
from sync.county.bundles import build_bundle
from sync.county.enrolment import create_station
from sync.county.updates import publish_bundle, updates_dir
from sync.station.agent import RoundResult, SyncAgent
from sync.station.enrol import enrol
from tests.support.county import TEMPLATE, build_template
from tests.support.pg_server import PgServer
from tests.support.station import Station, make_station
from tests.sync.faults_support import CountyServer, county_settings
from tests.upgrade.conftest import make_wheel
from yizhan.upgrade import upgrade_main

pytestmark = pytest.mark.slow
DB = "county_updates"


@pytest.fixture(scope="module")
def county(pg_server: PgServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[CountyServer]:
    url = pg_server.create_database(DB, template=pg_server.template(TEMPLATE, build_template))
    server = CountyServer(
        county_settings(url, tmp_path_factory.mktemp("county")), pg_server.dsn(DB)
    )
    server.start()
    yield server
    server.close()


@pytest.fixture
def station(county: CountyServer, pg_server: PgServer, tmp_path: Path) -> Iterator[Station]:
    pg_server.truncate_all(DB, keep=("county_alembic_version",))
    st = make_station(
        tmp_path / "station",
        county_url=county.url,
        station_code="ST01",
        releases_dir=str(tmp_path / "releases"),
        sync_backoff_max_s=0.5,
    )  # no county_update_pubkey: the county key pinned at enrolment is the trusted one
    issued = create_station(county.services, "ST01", "ST01 便民服务站")
    enrol(st.settings, issued.code, db=st.services.db, clock=st.clock)
    yield st
    st.services.close()


def round_of(st: Station) -> RoundResult:
    agent = SyncAgent(st.settings, db=st.services.db, clock=st.clock, rng=random.Random(5))
    result = agent.run_once()
    assert result.error is None, result.error
    return result


def update_alerts(db: Database) -> list[str]:
    return [a.message for a in AlertService(db).open_alerts() if a.kind == ALERT_KIND]


def test_published_bundle_is_downloaded_verified_and_announced_not_installed_r_n4(
    county: CountyServer, station: Station, tmp_path: Path
) -> None:
    key = county.services.keys.signing
    bundle = build_bundle([make_wheel(tmp_path / "w", "0.2.0")], key, tmp_path / "out")
    row = publish_bundle(county.services, bundle)
    assert row["version"] == "0.2.0" and row["size"] == bundle.stat().st_size

    assert round_of(station).update == "0.2.0"
    downloaded = station.data_dir / "updates" / "yizhan-update-0.2.0.tar"
    assert downloaded.read_bytes() == bundle.read_bytes()
    assert update_alerts(station.services.db) == [
        "有可用更新 0.2.0：已下载并校验，请技术员在方便时停机运行 yizhan upgrade 安装"
    ]
    assert not (tmp_path / "releases").exists()  # nothing installed by the agent

    round_of(station)  # a later round: same file, still one alert
    assert len(update_alerts(station.services.db)) == 1

    station.services.close()
    out = io.StringIO()
    code = upgrade_main(station.settings, None, out=out, server_check=False)
    assert code == 0, out.getvalue()
    assert "使用同步下载的升级包" in out.getvalue() and "升级到 0.2.0" in out.getvalue()
    db = Database(station.settings.sqlalchemy_url)
    try:
        assert update_alerts(db) == []  # installed: the reminder is gone
    finally:
        db.dispose()
    assert not downloaded.exists()
    assert (tmp_path / "releases" / "current").resolve().name == "0.2.0"


def test_a_download_that_does_not_match_the_announcement_is_dropped_r_n4(
    county: CountyServer, station: Station, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    key = county.services.keys.signing
    bundle = build_bundle([make_wheel(tmp_path / "w", "0.3.0")], key, tmp_path / "out")
    publish_bundle(county.services, bundle)
    published = updates_dir(county.services) / bundle.name
    data = bytearray(published.read_bytes())
    data[-100] ^= 0xFF  # the county's copy is damaged after it was announced
    published.write_bytes(bytes(data))

    with caplog.at_level(logging.WARNING, logger="yizhan.sync"):
        result = round_of(station)  # the round itself succeeds; the bundle is not taken
    assert result.update is None
    assert "下载的升级包 yizhan-update-0.3.0.tar 校验值不符" in caplog.text
    assert list((station.data_dir / "updates").iterdir()) == []
    assert update_alerts(station.services.db) == []


def test_a_bundle_not_signed_by_the_county_is_not_published(
    county: CountyServer, tmp_path: Path
) -> None:
    from appliance.core.errors import Invalid
    from sync import crypto

    forged = build_bundle(
        [make_wheel(tmp_path / "w", "0.4.0")], crypto.new_signing_key(), tmp_path / "o"
    )
    with pytest.raises(Invalid, match="签名校验失败"):
        publish_bundle(county.services, forged)
