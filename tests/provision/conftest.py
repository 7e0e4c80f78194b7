"""Fixtures of the first-boot tests: one real county (uvicorn over PostgreSQL) per session,
and a temp root with a boot partition, /etc and /var/lib/yizhan per test."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from sync.county.enrolment import create_station
from tests.support.county import TEMPLATE, build_template
from tests.support.pg_server import PgServer
from tests.sync.faults_support import CountyServer, county_settings
from yizhan.provision import Provisioner


@pytest.fixture(scope="session")
def provision_county(
    pg_server: PgServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[CountyServer]:
    template = pg_server.template(TEMPLATE, build_template)
    url = pg_server.create_database("county_provision", template=template)
    settings = county_settings(url, tmp_path_factory.mktemp("county"))
    server = CountyServer(settings, pg_server.dsn("county_provision"))
    server.start()
    yield server
    server.close()


@dataclass
class Root:
    """A station's file system in a temp folder."""

    path: Path
    county: CountyServer

    @property
    def boot(self) -> Path:
        return self.path / "boot" / "firmware"

    @property
    def config(self) -> Path:
        return self.path / "etc" / "yizhan" / "station.toml"

    @property
    def data(self) -> Path:
        return self.path / "var" / "lib" / "yizhan"

    def code(self, station: str) -> str:
        """Register ``station`` at the county (if new) and issue a one-time enrolment code."""
        from sync.county.enrolment import issue_enrolment_code

        try:
            return create_station(self.county.services, station, f"{station} 便民服务站").code
        except Exception:  # already registered: a fresh code
            return issue_enrolment_code(self.county.services, station).code

    def write(self, text: str) -> Path:
        self.boot.mkdir(parents=True, exist_ok=True)
        path = self.boot / "station.toml"
        path.write_text(text, encoding="utf-8")
        return path

    def provisioner(self, **overrides: object) -> Provisioner:
        options: dict[str, object] = {
            "boot_dir": self.boot,
            "config_path": self.config,
            "data_dir": self.data,
            "nm_dir": self.path / "etc" / "NetworkManager" / "system-connections",
            "display_flag": self.path / "etc" / "yizhan" / "display.enabled",
        }
        options.update(overrides)
        return Provisioner(**options)  # type: ignore[arg-type]


@pytest.fixture
def root(tmp_path: Path, provision_county: CountyServer, pg_server: PgServer) -> Root:
    pg_server.truncate_all("county_provision", keep=("county_alembic_version",))
    return Root(tmp_path, provision_county)


def station_toml(
    code: str,
    county_url: str,
    enrolment_code: str,
    *,
    receipt: str = "",
    notice: str = "",
    extra: str = "",
) -> str:
    return f"""# 驿站首次开机配置
station_code = "{code}"
station_name = "李家村便民服务站"
county_url = "{county_url}"
enrolment_code = "{enrolment_code}"   # 一次性登记码
public_url = "http://192.168.1.20:8080"
printer_model = "xprinter-80"
receipt_printer_uri = "{receipt}"
notice_printer_uri = "{notice}"
{extra}
[network]
wifi_ssid = "lijiacun"
wifi_password = "secret-pass-1"
"""
