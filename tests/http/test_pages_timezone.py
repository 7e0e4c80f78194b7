"""Times on the visitors' pages are the station's, whatever zone the browser is set to
(issue 16, item 13): a display PC left on another zone showed 07:23 while receipts said 15:22."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Browser, expect

from tests.support.browser import StationApi, launch_chromium, new_session, requires_chromium
from tests.support.station import WINDOW_CLERK, LiveServer

pytestmark = [pytest.mark.slow, requires_chromium]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with launch_chromium() as b:
        yield b


def test_the_display_shows_station_time_in_a_browser_set_to_new_york_r_q3(
    browser: Browser, live_server: LiveServer
) -> None:
    api = StationApi(live_server.url)
    session = new_session(browser, live_server.url, timezone_id="America/New_York")
    try:
        session.open("/display")
        expect(session.page.locator("body")).to_have_attribute("data-conn", "live")
        number = api.kiosk_ticket("A")
        api.post("/api/windows/1/call-next", api.login(*WINDOW_CLERK))
        at = api.http.get("/api/display").json()["recent_calls"][0]["at"]
        station = datetime.fromisoformat(at).astimezone(ZoneInfo("Asia/Shanghai"))
        row = session.page.locator(f'#recent li[data-number="{number}"] .r-time')
        expect(row).to_have_text(station.strftime("%H:%M"))
        shanghai = datetime.now(ZoneInfo("Asia/Shanghai"))
        clock = session.page.locator("#clock-time").inner_text()
        assert re.fullmatch(r"\d\d:\d\d:\d\d", clock)
        assert int(clock[:2]) in {shanghai.hour, (shanghai.hour + 1) % 24}
        assert session.errors == []
    finally:
        session.context.close()
        api.close()
