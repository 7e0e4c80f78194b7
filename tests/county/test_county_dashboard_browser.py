"""The county dashboard in real headless Chromium: a real station syncs with a live county,
an admin logs in, sees it on 站点健康, publishes a catalogue through the form, and the
station's next down-sync brings the catalogue rows into its reference table."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import uvicorn
from sqlmodel import select

from appliance.core.clock import SystemClock
from appliance.uplink.tables import ReferenceRow
from sync.county.admins import create_admin
from sync.county.enrolment import create_station
from sync.county.services import build_county_services
from sync.county.settings import load_county_settings
from sync.station.agent import SyncAgent
from sync.station.enrol import enrol
from tests.county.dashboard_support import ADMIN_PW, wired_county_app
from tests.support.browser import CHROMIUM, SCREENSHOTS, launch_chromium
from tests.support.pg_server import PgServer
from tests.support.station import free_port, make_station

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="no /usr/bin/chromium")
CATALOGUE = [
    {"id": "hukou-qianyi", "name": "户口迁移", "limit_days": 5},
    {"id": "yibao-jiaofei", "name": "城乡居民医保缴费", "limit_days": 0},
    {"id": "gaoling-butie", "name": "高龄津贴申领", "limit_days": 10},
]


@contextmanager
def live(app: object) -> Iterator[str]:
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))  # type: ignore[arg-type]
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        assert time.monotonic() < deadline, "county server did not start"
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def test_login_see_synced_station_publish_catalogue_reaches_station(
    pg_server: PgServer, county_db: str, tmp_path: Path
) -> None:
    pg_server.truncate_all(county_db, keep=("county_alembic_version",))
    settings = load_county_settings(
        env={}, database_url=pg_server.url(county_db), data_dir=str(tmp_path / "county")
    )
    services = build_county_services(settings, SystemClock())
    create_admin(services, "admin", ADMIN_PW, "county_admin", "王主任")
    issued = create_station(services, "ST01", "东坡村便民服务站")
    with live(wired_county_app(settings, services)) as url:
        station = make_station(tmp_path / "station", county_url=url, station_code="ST01")
        enrol(station.settings, issued.code, db=station.services.db, clock=station.clock)
        station.services.devices.report("printer.receipt", "ready", "小票打印机正常")
        agent = SyncAgent(station.settings, db=station.services.db, clock=station.clock)
        first = agent.run_once()
        assert first.error is None, first.error

        with launch_chromium() as browser:
            page = browser.new_page(viewport={"width": 1366, "height": 800})
            page.goto(f"{url}/dashboard/health")
            assert "/dashboard/login" in page.url
            page.fill("input[name=username]", "admin")
            page.fill("input[name=password]", ADMIN_PW)
            page.click("button[type=submit]")
            page.wait_for_url("**/dashboard/health")
            row = page.locator('tr[data-station="ST01"]')
            assert "东坡村便民服务站" in row.inner_text()
            assert "正常" in row.inner_text() and "刚刚" in row.inner_text()
            assert "小票打印机正常" in row.inner_text()
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOTS / "county-dashboard.png"), full_page=True)

            upload = tmp_path / "catalogue.json"
            upload.write_text(json.dumps(CATALOGUE, ensure_ascii=False), encoding="utf-8")
            page.click("nav >> text=发布")
            form = page.locator("form[action='/dashboard/publish/catalogue']")
            form.locator("input[type=file]").set_input_files(str(upload))
            form.locator("button[type=submit]").click()
            page.wait_for_selector(".notice[role=status]")
            assert "已发布事项目录：共 3 项，3 项有变化" in page.inner_text("main")
            page.screenshot(path=str(SCREENSHOTS / "county-dashboard-publish.png"), full_page=True)
            page.close()

        second = agent.run_once()
        assert second.error is None, second.error
        with station.services.db.read() as s:
            rows = {
                r.id: json.loads(r.data)
                for r in s.exec(select(ReferenceRow).where(ReferenceRow.table_name == "catalogue"))
            }
        assert rows == {item["id"]: item for item in CATALOGUE}
        agent.close()
        station.services.close()
    services.close()
