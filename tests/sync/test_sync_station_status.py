"""同步状态 as staff see it: numbers, the status-bar line, the endpoint, the TUI (R-N1, R-N3)."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import msgspec
import pytest
from litestar import Litestar
from litestar.di import Provide
from litestar.testing import TestClient
from textual.app import App, ComposeResult

from appliance.db.database import Database
from appliance.db.migrate import upgrade
from appliance.settings import load_settings
from appliance.uplink.controller import SyncController
from appliance.uplink.schemas import SyncStatusView
from appliance.uplink.service import SyncStatusService, age_text
from appliance.wiring import build_services
from sync.station.agent import SyncAgent
from sync.station.cli import sync_status_main
from tests.sync.test_sync_station_fake import StationRig, station_rig
from tui.api_client import StationApi
from tui.status_bar import Status, StatusBar


@pytest.fixture
def rig(tmp_path: Path) -> Iterator[StationRig]:
    yield from station_rig(tmp_path)


def service(r: StationRig) -> SyncStatusService:
    return SyncStatusService(r.db, r.clock, "Asia/Shanghai", r.settings.county_url)


def test_status_numbers_and_lines(rig: StationRig) -> None:
    rig.add_events(152, every=timedelta(minutes=30))  # oldest ~3 days old
    view = service(rig).status()
    assert view.enrolled and view.backlog == 152 and view.quarantined == 0
    assert view.oldest_age_s is not None and 3 * 86400 <= view.oldest_age_s < 4 * 86400
    assert view.summary == "同步：未同步 152 条，最早 3 天前 · 从未成功同步"
    rig.county.conflict_seqs = {7}
    SyncAgent(rig.settings, db=rig.db, clock=rig.clock, transport=rig.county.transport()).run_once()
    rig.clock.advance(minutes=5)
    view = service(rig).status()
    assert view.backlog == 0 and view.quarantined == 1
    assert view.summary == "同步正常 · 上次成功 11-20 09:00"
    assert view.problems == ["同步：1 条记录被县级中心拒收，已隔离，请联系县级中心"]


def test_the_last_error_is_shown_with_the_retry_time(rig: StationRig) -> None:
    rig.add_events(3)
    rig.county.faults = ["500"]
    SyncAgent(
        rig.settings,
        db=rig.db,
        clock=rig.clock,
        transport=rig.county.transport(),
        rng=random.Random(0),
    ).run_once()
    view = service(rig).status()
    assert view.summary.startswith("同步：未同步 3 条，最早 3 分钟前")
    assert view.problems[0].startswith(
        "同步出错：县级中心暂时故障（HTTP 503）（11-20 09:00，11-20 09:00 重试）"
    )


def test_nothing_to_show_when_no_county_is_configured(tmp_path: Path) -> None:
    settings = load_settings(env={}, data_dir=str(tmp_path))
    upgrade(settings.sqlalchemy_url)
    db = Database(settings.sqlalchemy_url)
    from appliance.core.clock import SystemClock

    view = SyncStatusService(db, SystemClock(), "Asia/Shanghai", "").status()
    assert (view.summary, view.problems, view.enrolled) == ("", [], False)
    unenrolled = SyncStatusService(db, SystemClock(), "Asia/Shanghai", "http://c").status()
    assert unenrolled.summary == "同步：本站尚未登记县级中心 · 未同步 0 条"
    assert sync_status_main(settings) == 1
    db.dispose()


def test_age_text() -> None:
    assert [age_text(s) for s in (5, 600, 7200, 3 * 86400)] == [
        "刚刚",
        "10 分钟前",
        "2 小时前",
        "3 天前",
    ]


def test_the_status_endpoint(rig: StationRig) -> None:
    rig.add_events(4)

    services = build_services(rig.settings, rig.clock, rig.db)
    app = Litestar(
        [SyncController],
        dependencies={"sync_status": Provide(lambda: services.sync_status, sync_to_thread=False)},
    )
    with TestClient(app) as client:
        body = client.get("/api/sync/status").json()
    assert body["backlog"] == 4 and body["enrolled"] is True
    assert body["summary"].startswith("同步：未同步 4 条")


async def test_the_tui_client_reads_the_line_and_tolerates_an_older_server() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.host == "old":
            return httpx.Response(404, json={"message": "Not Found"})
        status = SyncStatusView(
            enrolled=True,
            configured=True,
            backlog=0,
            oldest_unacked_at=None,
            oldest_age_s=None,
            last_success_at=None,
            last_attempt_at=None,
            last_error="超时",
            last_error_at=None,
            next_attempt_at=None,
            quarantined=0,
            acked_through_seq=0,
            ref_rev=0,
            drift_tables=None,
            summary="同步正常",
            problems=["同步出错：超时"],
        )
        return httpx.Response(200, content=msgspec.json.encode(status))

    new = StationApi("http://new", transport=httpx.MockTransport(answer))
    old = StationApi("http://old", transport=httpx.MockTransport(answer))
    assert await new.sync_status() == ("同步正常", ["同步出错：超时"])
    assert await old.sync_status() is None
    await new.aclose()
    await old.aclose()


class BarApp(App[None]):
    def __init__(self, status: Status) -> None:
        super().__init__()
        self._status = status

    def status(self) -> Status:
        return self._status

    def compose(self) -> ComposeResult:
        yield StatusBar()


async def test_the_status_bar_shows_the_sync_line_only_when_there_is_one() -> None:
    line = "同步：未同步 152 条，最早 3 天前 · 上次成功 11-20 09:12"
    for text, shown in ((line, True), ("", False)):
        app = BarApp(Status(True, "2026-11-20", "张三", (), text))
        async with app.run_test(size=(120, 5)) as pilot:
            await pilot.pause()
            sync: Any = app.query_one("#status-sync")
            # an empty sync slot stays as the gap that keeps the clock on the right; it says
            # nothing (the 100-column layout of issue 16)
            assert str(sync.content) == (line if shown else "")
