"""The status bar tells the truth about the appliance (R-N1, R-I3, R-N2): a dead hardware
service is a red fault line (not just "● 在线"), the last good backup's age is shown and
warned about, and a server that distrusts its clock brings up the clock screen."""

from __future__ import annotations

import dataclasses
import threading
import time
from collections.abc import Iterator
from datetime import timedelta

import httpx
import pytest
import uvicorn

from appliance.backup.archive import take_backup
from appliance.backup.tables import BackupRecord
from appliance.clock.controller import create_clock_app
from appliance.clock.service import ClockGuard
from appliance.queue.rules.tickets import TicketSource
from tests.clock.test_clock import ClockSetter
from tests.support.station import MANAGER, T0, WINDOW_CLERK, LiveServer, Station, free_port
from tests.tui.cases_support import make_app
from tui.app import YizhanApp
from tui.screens.clock import ClockScreen
from tui.screens.login import LoginScreen
from tui.testing import TEST_SIZE as SIZE
from tui.testing import showing, start_logged_in, text_of, type_text, wait_for


def bar(app: YizhanApp, part: str) -> str:
    widget = app.screen.query_one(f"#status-{part}")
    return text_of(widget) if widget.display else ""


def beat(live: LiveServer) -> None:
    key = {"X-Device-Key": live.station.settings.device_key}
    r = httpx.post(f"{live.url}/api/device/heartbeat", json={"pid": 1}, headers=key)
    assert r.status_code == 201, r.text


async def test_status_bar_shows_a_dead_hardware_service_r_n1(live_server: LiveServer) -> None:
    devices = live_server.station.services.devices
    devices.settings = dataclasses.replace(
        devices.settings, hw_silent_seconds=2.0, hw_check_seconds=0.2
    )
    alive = threading.Event()
    alive.set()

    def heartbeats() -> None:  # yizhan hw, as far as the server can tell
        while alive.is_set():
            beat(live_server)
            time.sleep(0.3)

    threading.Thread(target=heartbeats, daemon=True).start()
    app = make_app(live_server)
    async with app.run_test(size=SIZE) as pilot:
        await start_logged_in(pilot, *WINDOW_CLERK)
        await wait_for(pilot, lambda: "在线" in bar(app, "net") and bar(app, "backup") != "")
        assert bar(app, "hw") == ""  # alive: no fault line
        alive.clear()  # no heartbeat any more: yizhan hw is dead
        await wait_for(pilot, lambda: "✘ 硬件故障：硬件服务无响应" in bar(app, "hw"), timeout=15)
        assert "打印、叫号按钮、语音播报暂不可用" in bar(app, "hw")
        assert "在线" in bar(app, "net")  # the server itself still answers
        beat(live_server)
        await wait_for(pilot, lambda: bar(app, "hw") == "")


async def test_status_bar_shows_the_age_of_the_last_good_backup_r_i3(
    live_server: LiveServer,
) -> None:
    st = live_server.station
    app = make_app(live_server)
    async with app.run_test(size=SIZE) as pilot:
        await start_logged_in(pilot, *WINDOW_CLERK)
        await wait_for(pilot, lambda: bar(app, "backup") == "⚠ 备份：从未备份")
        result = take_backup(st.settings, st.clock.now())
        st.services.backups.record(
            BackupRecord(
                name=result.name,
                taken_at=result.taken_at,
                path=str(result.path),
                files=result.files,
                bytes=result.bytes,
                manifest_sha256=result.manifest_sha256,
                event_seq=result.event_seq,
            )
        )
        await wait_for(pilot, lambda: bar(app, "backup") == "备份：刚刚")
        st.clock.advance(hours=3, minutes=5)
        await wait_for(pilot, lambda: bar(app, "backup") == "备份：3 小时前")
        backups = st.services.backups  # warn sooner than the 36 h default (sessions last 12 h)
        backups.settings = dataclasses.replace(backups.settings, backup_warn_hours=2)
        warned = "⚠ 备份：3 小时前（已超过 2 小时，请检查备份）"
        await wait_for(pilot, lambda: bar(app, "backup") == warned)


@pytest.fixture
def clock_server(station: Station) -> Iterator[tuple[str, ClockSetter]]:
    """The restricted server of a station whose clock booted an hour behind its records."""
    station.services.queue.issue("A", TicketSource.KIOSK, "normal")
    station.clock.set(T0 - timedelta(hours=1))
    setter = ClockSetter(station.clock)
    guard = ClockGuard(station.services.db, station.settings, station.clock, setter)
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            create_clock_app(guard, lambda: None), host="127.0.0.1", port=port, log_level="warning"
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}", setter
    server.should_exit = True
    thread.join(timeout=10)


async def test_clock_screen_sets_the_time_from_the_login_screen_r_n2(
    clock_server: tuple[str, ClockSetter], station: Station
) -> None:
    url, setter = clock_server
    app = YizhanApp(url, station.clock.now, poll_seconds=0.2, cursor_blink=False)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: showing(app, ClockScreen))
        screen = app.screen
        assert "断电后时钟回退" in text_of(screen.query_one("#clock-reason"))
        assert "2026-11-23 08:00" in text_of(screen.query_one("#clock-now"))
        await type_text(pilot, "2026-11-23 10:30")
        await pilot.press("enter")
        await type_text(pilot, MANAGER[0])
        await pilot.press("enter")
        await type_text(pilot, "000000")
        await pilot.press("enter")
        await wait_for(pilot, lambda: "只有站长" in text_of(screen.query_one("#clock-error")))
        assert setter.calls == []
        await type_text(pilot, MANAGER[1])
        await pilot.press("enter")
        await wait_for(pilot, lambda: showing(app, LoginScreen))
        assert setter.calls == [T0 + timedelta(hours=1, minutes=30)]  # 10:30 Beijing time
