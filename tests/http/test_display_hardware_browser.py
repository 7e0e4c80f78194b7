"""The hall display in Chromium when ``yizhan hw`` dies (R-N1, R-Q3): a red banner says
tickets and voice are down and lists the latest numbers; it goes once heartbeats return."""

from __future__ import annotations

import dataclasses
import re

import httpx
import pytest
from playwright.sync_api import expect

from appliance.queue.rules.tickets import TicketSource
from tests.support.browser import launch_chromium, new_session, requires_chromium
from tests.support.station import LiveServer

pytestmark = [pytest.mark.slow, requires_chromium]


def test_display_shows_a_hardware_fault_with_the_latest_numbers_r_n1(
    live_server: LiveServer,
) -> None:
    st = live_server.station
    devices = st.services.devices
    devices.settings = dataclasses.replace(
        devices.settings, hw_silent_seconds=1.0, hw_check_seconds=0.2
    )
    key = {"X-Device-Key": st.settings.device_key}
    beat = lambda: httpx.post(f"{live_server.url}/api/device/heartbeat", json={}, headers=key)  # noqa: E731
    assert beat().status_code == 201
    numbers = [st.services.queue.issue("A", TicketSource.KIOSK, "normal").number for _ in "abc"]
    with launch_chromium() as browser:
        s = new_session(browser, live_server.url)
        s.open("/display")
        page = s.page
        expect(page.locator("body")).to_have_attribute("data-conn", "live", timeout=5000)
        fault = page.locator("#fault")
        # no heartbeat: within seconds the banner is up (the issue's bound is 30 s)
        expect(fault).to_be_visible(timeout=15000)
        expect(page.locator("#fault-text")).to_contain_text("叫号设备暂时故障（硬件服务无响应）")
        recent = page.locator("#fault-recent")
        expect(recent).to_have_text(re.compile("^最近取号："))
        for number in numbers:
            expect(recent).to_contain_text(number)
        assert page.locator("body").get_attribute("data-fault") == "1"
        page.screenshot(path=str(live_server.station.data_dir / "display-fault.png"))
        assert beat().status_code == 201  # yizhan hw is back
        expect(fault).to_be_hidden(timeout=5000)
        assert s.errors == []
        s.context.close()
