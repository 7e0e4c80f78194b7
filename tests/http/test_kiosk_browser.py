"""The kiosk asks first and tells the truth before a number is taken (R-Q1, R-Q2, R-Q6;
issue 16, item 15): priority and phone come before the category buttons, each button says
how many wait and which of its windows are paused or unstaffed, and at 1366×768 the ticket
pop-up fits on the screen."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, expect

from tests.support.browser import StationApi, launch_chromium, new_session, requires_chromium
from tests.support.station import WINDOW_CLERK, LiveServer

pytestmark = [pytest.mark.slow, requires_chromium]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with launch_chromium() as b:
        yield b


def test_the_kiosk_asks_first_and_shows_waiting_and_window_state_r_q1_r_q6(
    browser: Browser, live_server: LiveServer
) -> None:
    api = StationApi(live_server.url)
    api.kiosk_ticket("A")
    api.kiosk_ticket("A")
    session = new_session(browser, live_server.url, 1080, 1920)
    try:
        page = session.open("/kiosk")
        button = page.locator('.k-cat[data-category="A"]')
        expect(button).to_contain_text("等候 2 人")
        expect(button).to_contain_text("1 号窗口无人值守")  # nobody signed in at window 1
        options, first = page.locator("#priority").bounding_box(), button.bounding_box()
        assert options is not None and first is not None
        assert options["y"] < first["y"]  # asked before the tap that issues the ticket

        clerk = api.login(*WINDOW_CLERK)
        api.post("/api/windows/1/pause", clerk, reason="外出入户代办")
        page.reload()
        expect(button).to_contain_text("1 号窗口暂停")
        assert session.errors == []
    finally:
        session.context.close()
        api.close()


def test_the_ticket_fits_a_1366_by_768_screen_r_q1(
    browser: Browser, live_server: LiveServer
) -> None:
    api = StationApi(live_server.url)
    api.login(*WINDOW_CLERK)
    session = new_session(browser, live_server.url, 1366, 768)
    try:
        page = session.open("/kiosk")
        page.locator('.k-cat[data-category="A"]').click()
        done = page.locator("#done")
        expect(done).to_be_visible()
        box = done.bounding_box()
        assert box is not None and box["y"] + box["height"] <= 768
        assert session.errors == []
    finally:
        session.context.close()
        api.close()
