"""网上预约 (R-Q7) in headless Chromium: the booking page shows the station's slots (past and
full ones disabled), checks the phone, books a free slot and shows the number with the phone
masked; the booking is in the staff's list; nothing is fetched from outside the station."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from playwright.sync_api import Browser, expect

from tests.appointments.support import TODAY
from tests.support.browser import (
    SCREENSHOTS,
    PageSession,
    StationApi,
    launch_chromium,
    new_session,
    requires_chromium,
)
from tests.support.station import GUIDE, LiveServer

pytestmark = [requires_chromium, pytest.mark.slow]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with launch_chromium() as b:
        yield b


@pytest.fixture
def phone(browser: Browser, live_server: LiveServer) -> Iterator[PageSession]:
    s = new_session(browser, live_server.url, 390, 844)
    yield s
    s.context.close()


def test_the_booking_page_books_a_free_slot_r_q7(
    live_server: LiveServer, phone: PageSession
) -> None:
    api = StationApi(live_server.url)
    try:
        h = api.login(*GUIDE)
        for number in ("13800000001", "13800000002"):
            api.post("/api/appointments", h, category="A", day=TODAY, time="10:00", phone=number)
    finally:
        api.close()
    page = phone.open("/book")
    expect(page.locator("#station-name")).to_have_text("示范村便民服务站")
    expect(page.locator("#day")).to_have_value(TODAY)  # the station's day, not the phone's
    expect(page.locator("#category option")).to_have_count(3)
    expect(page.locator(".book-slot")).to_have_count(18)
    expect(page.locator('.book-slot[data-time="08:30"]')).to_be_disabled()  # already past
    full = page.locator('.book-slot[data-time="10:00"]')
    expect(full).to_be_disabled()
    expect(full).to_contain_text("已满")
    items = page.locator("#item option")
    expect(items).to_have_count(7)  # 不选择事项 and the six demo items of 综合受理
    page.locator("#category").select_option("C")
    expect(page.locator("#item option", has_text="高龄津贴申请")).to_have_count(1)
    page.locator("#item").select_option("410122-MZ-001")
    page.locator('.book-slot[data-time="10:30"]').click()
    page.locator("#name").fill("周八")
    page.locator("#phone").fill("1380000")
    page.locator("#submit").click()
    expect(page.locator("#error")).to_contain_text("手机号码格式不正确")
    page.locator("#phone").fill("13800000003")
    page.locator("#submit").click()
    expect(page.locator("#done")).to_be_visible()
    expect(page.locator("#done-number")).to_have_text("YY-20261123-003")
    expect(page.locator("#done-slot")).to_have_text(f"{TODAY} 10:30–11:00")
    expect(page.locator("#done-phone")).to_have_text("138****0003")
    expect(page.locator("#done-category")).to_have_text("高龄津贴申请")
    guide = page.locator("#done-guide")
    expect(guide).to_be_visible()
    expect(guide).to_have_attribute("href", "/api/catalogue/items/410122-MZ-001/guide.pdf")
    page.screenshot(path=str(SCREENSHOTS / "book-page.png"))
    assert phone.errors == [] and phone.non_local_requests() == []
    with httpx.Client(base_url=live_server.url, timeout=10) as http:
        token = http.post("/api/auth/login", json={"code": GUIDE[0], "pin": GUIDE[1]}).json()
        rows = http.get(
            "/api/appointments", headers={"Authorization": f"Bearer {token['token']}"}
        ).json()
    mine = [r for r in rows if r["phone"] == "13800000003"]
    assert [(r["channel"], r["time"], r["visitor_name"], r["category"]) for r in mine] == [
        ("online", "10:30", "周八", "C")
    ]
