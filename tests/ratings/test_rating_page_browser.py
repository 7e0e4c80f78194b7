"""The rating page in headless Chromium (服务评价, R-E1, R-E2).

A real uvicorn serves the demo station. On the window's tablet (``/rate/window/1``) the page
waits until the window finishes a service, offers it, and asks a bad rating what went wrong;
on a phone the receipt's one-time link (``/rate#t=…``) rates its service once, and the token
never leaves the browser in a URL.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, expect

from tests.ratings.support import ratings, serve, token
from tests.support.browser import (
    SCREENSHOTS,
    PageSession,
    launch_chromium,
    new_session,
    requires_chromium,
)
from tests.support.station import LiveServer

pytestmark = [requires_chromium, pytest.mark.slow]

TABLET = (1024, 768)
PHONE = (390, 844)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with launch_chromium() as b:
        yield b


def session(browser: Browser, live: LiveServer, size: tuple[int, int]) -> PageSession:
    return new_session(browser, live.url, *size)


def test_the_window_tablet_offers_the_finished_service_and_asks_why_r_e1_r_e2(
    browser: Browser, live_server: LiveServer
) -> None:
    st = live_server.station
    tablet = session(browser, live_server, TABLET)
    try:
        page = tablet.open("/rate/window/1")
        expect(page.locator("#idle-text")).to_have_text("请在办理结束后评价")
        expect(page.locator("#form")).to_be_hidden()
        serve(st)
        expect(page.locator("#form")).to_be_visible(timeout=10_000)
        expect(page.locator("#subject")).to_contain_text("请为 A001 号的本次服务评价")
        expect(page.locator("#bad")).to_be_hidden()
        page.get_by_role("radio", name="2 不满意").click()
        expect(page.locator("#bad")).to_be_visible()
        page.locator("#submit").click()
        expect(page.locator("#error")).to_have_text("请选择或填写不满意的原因，以便我们改进")
        assert ratings(st) == []
        page.get_by_role("radio", name="等候时间太长").click()
        page.locator("#dims-box summary").click()
        page.get_by_role("radio", name="服务效率 1 分").click()
        page.locator("#submit").click()
        expect(page.locator("#done")).to_be_visible()
        expect(page.locator("#done-text")).to_contain_text("感谢您的评价")
        page.screenshot(path=str(SCREENSHOTS / "rate-tablet.png"))
        (r,) = ratings(st)
        assert (r.source, r.level, r.reason, r.dimensions) == (
            "tablet",
            2,
            "waiting",
            '{"efficiency": 1}',
        )
        assert tablet.errors == [] and tablet.non_local_requests() == []
    finally:
        tablet.context.close()


def test_the_receipt_link_rates_once_on_a_phone_r_e2(
    browser: Browser, live_server: LiveServer
) -> None:
    st = live_server.station
    t = st.services.queue.issue("A", "kiosk")
    link = token(st, "ticket", t.id)
    phone = session(browser, live_server, PHONE)
    try:
        page = phone.open(f"/rate#t={link}")
        expect(page.locator("#idle-text")).to_have_text(
            "办理尚未结束，办结后才能评价（不能事前评价）"
        )
        st.services.queue.call_next("1")
        st.services.queue.finish("1")
        page.reload()
        expect(page.locator("#form")).to_be_visible()
        expect(page.locator("#subject")).to_have_text("A001 号（1 号窗口）")
        page.get_by_role("radio", name="5 非常满意").click()
        expect(page.locator("#bad")).to_be_hidden()
        page.locator("#submit").click()
        expect(page.locator("#done-text")).to_have_text("感谢您的评价！")
        page.screenshot(path=str(SCREENSHOTS / "rate-phone.png"))
        page.reload()
        expect(page.locator("#idle-text")).to_have_text("该服务已经评价过了，感谢您的支持")
        assert [(r.source, r.level) for r in ratings(st)] == [("qr", 5)]
        assert not any(link in url for url in phone.requests)  # the token stays in the fragment
        assert phone.errors == [] and phone.non_local_requests() == []
    finally:
        phone.context.close()


def test_a_forged_link_says_so_r_e2(browser: Browser, live_server: LiveServer) -> None:
    phone = session(browser, live_server, PHONE)
    try:
        page = phone.open("/rate#t=t.no-such-ticket.AAAAAAAAAAAAAAAAAAAAAA")
        expect(page.locator("#idle-text")).to_have_text("评价链接无效，请核对后重新扫码")
        page = phone.open("/rate")
        expect(page.locator("#idle-text")).to_have_text("评价链接不完整，请重新扫描二维码")
    finally:
        phone.context.close()
