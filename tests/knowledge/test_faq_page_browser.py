"""常见问题 (R-C3) in headless Chromium: the most-asked public knowledge entries, most asked
first, filtered as the visitor types; retired and non-public entries never show; nothing is
fetched from outside the station."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, expect

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


def test_the_faq_page_lists_the_most_asked_and_filters_r_c3(
    live_server: LiveServer, phone: PageSession
) -> None:
    api = StationApi(live_server.url)
    try:
        h = api.login(*GUIDE)
        entries = {}
        for question, answer, asked in (
            ("高龄津贴怎么申请？", "带身份证、户口本到服务站窗口申请", 1),
            ("低保金怎么算？", "按家庭人均收入与低保标准的差额发放", 2),
            ("内部：账号怎么开？", "找站长", 5),
            ("旧问题", "已过时", 9),
        ):
            public = not question.startswith("内部")
            entry = api.post("/api/knowledge", h, question=question, answer=answer, public=public)
            entries[question] = entry["id"]
            for _ in range(asked):
                api.post(
                    "/api/contacts",
                    h,
                    matter=question,
                    outcome="answered",
                    knowledge_id=entry["id"],
                )
        api.post(f"/api/knowledge/{entries['旧问题']}/retire", h)
    finally:
        api.close()
    page = phone.open("/faq")
    items = page.locator(".faq-question")
    expect(items).to_have_count(2)
    expect(items.nth(0)).to_have_text("低保金怎么算？")
    expect(items.nth(1)).to_have_text("高龄津贴怎么申请？")
    expect(page.locator("#station-name")).to_have_text("示范村便民服务站")
    expect(page.locator(".faq-answer").first).to_be_visible()  # the top ones open
    page.screenshot(path=str(SCREENSHOTS / "faq.png"))
    page.fill("#filter", "津贴")
    expect(items).to_have_count(1)
    expect(items.nth(0)).to_have_text("高龄津贴怎么申请？")
    page.fill("#filter", "护照")
    expect(items).to_have_count(0)
    expect(page.locator("#no-match")).to_be_visible()
    assert "找站长" not in page.content() and "已过时" not in page.content()
    assert phone.errors == [] and phone.non_local_requests() == []


def test_an_empty_knowledge_base_says_so_r_c3(live_server: LiveServer, phone: PageSession) -> None:
    page = phone.open("/faq")
    expect(page.locator("#empty")).to_be_visible()
    expect(page.locator(".faq-question")).to_have_count(0)
    assert phone.errors == []
