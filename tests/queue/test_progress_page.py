"""The page a ticket's QR code opens: live progress, no personal data (R-Q2, R-I3)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, expect

from tests.support.browser import StationApi, launch_chromium, new_session, requires_chromium
from tests.support.station import WINDOW_CLERK, LiveServer

pytestmark = [requires_chromium, pytest.mark.slow]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with launch_chromium() as b:
        yield b


def test_progress_page_follows_the_ticket_r_q2(browser: Browser, live_server: LiveServer) -> None:
    api = StationApi(live_server.url)
    q = live_server.station.services.queue
    q.issue("A", "kiosk")
    mine = q.issue("A", "kiosk", phone="13812345678")
    headers = api.login(*WINDOW_CLERK)  # window 1 is staffed (issue 16: else 无人值守)
    s = new_session(browser, live_server.url)
    try:
        s.open(f"/t/{mine.id}")
        expect(s.page.locator("#number")).to_have_text("A002")
        expect(s.page.locator("#ahead")).to_have_text("前面还有 1 人")
        expect(s.page.locator("#windows")).to_contain_text("1 号窗口")
        assert "5678" not in s.page.content()  # the visitor's phone never shows
        api.post("/api/windows/1/call-next", auth=headers)
        api.post("/api/windows/1/finish", auth=headers)
        api.post("/api/windows/1/call-next", auth=headers)
        s.page.reload()
        expect(s.page.locator("#status")).to_have_text("已呼叫")
        expect(s.page.locator("#windows")).to_have_text("请到 1 号窗口办理")
        s.open("/t/no-such-ticket")
        expect(s.page.locator("#status")).to_have_text("找不到该号码")
        assert s.non_local_requests() == []
    finally:
        s.context.close()
        api.close()
