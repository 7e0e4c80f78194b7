"""Unstaffed windows on the visitors' pages (issue 16, item 2; R-Q1, R-Q2, R-Q6), in Chromium.

Nobody logged in at window 1: the hall display says 无人值守, the kiosk's ticket promises
no wait and names no window, and the ticket's page says the wait cannot be estimated. When
the clerk logs in, all three show the open window again.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, expect

from tests.support.browser import (
    PageSession,
    StationApi,
    launch_chromium,
    new_session,
    requires_chromium,
)
from tests.support.station import WINDOW_CLERK, LiveServer

pytestmark = [requires_chromium, pytest.mark.slow]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with launch_chromium() as b:
        yield b


@pytest.fixture
def session(browser: Browser, live_server: LiveServer) -> Iterator[PageSession]:
    s = new_session(browser, live_server.url)
    yield s
    s.context.close()


def test_display_kiosk_and_ticket_page_follow_staffing(
    session: PageSession, live_server: LiveServer
) -> None:
    api = StationApi(live_server.url)
    page = session.open("/display")
    panel = page.locator('.win[data-window="1"]')
    expect(panel).to_have_attribute("data-state", "unstaffed", timeout=5000)
    expect(panel.locator(".win-paused")).to_have_text("无人值守")
    assert "等待叫号" not in panel.inner_text()

    session.open("/kiosk")
    page.locator('.k-cat[data-category="A"]').click()
    expect(page.locator("#t-number")).to_be_visible()
    number = page.locator("#t-number").inner_text()
    expect(page.locator("#t-warning")).to_contain_text("目前无人值守")
    expect(page.locator(".k-ticket-windows")).to_be_hidden()
    expect(page.locator("#t-wait")).to_be_hidden()

    [ticket] = [
        t
        for c in live_server.station.services.windows.queue_snapshot().categories
        for t in c.waiting
        if t.number == number
    ]
    session.open(f"/t/{ticket.id}")
    expect(page.locator("#wait")).to_have_text("等候时间无法估计")
    expect(page.locator("#windows")).to_have_text("目前无人值守")
    assert "预计等候约 0 分钟" not in page.content()

    auth = api.login(*WINDOW_CLERK)
    page.reload()
    expect(page.locator("#wait")).to_contain_text("预计等候约")
    expect(page.locator("#windows")).to_contain_text("1 号窗口")
    expect(page.locator("#warning")).to_be_hidden()
    session.open("/display")
    expect(panel).to_have_attribute("data-state", "idle", timeout=5000)
    api.post("/api/auth/logout", auth)
    expect(panel).to_have_attribute("data-state", "unstaffed", timeout=5000)
    assert session.errors == []
    api.close()
