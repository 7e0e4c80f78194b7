"""The progress-query page in headless Chromium (办件进度查询, R-K7).

A real uvicorn serves the demo station; staff open and decide the case through the HTTP
API, and a phone-sized browser opens the notice's QR target ``/cases/{number}``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, expect
from sqlalchemy import text

from tests.support.browser import (
    SCREENSHOTS,
    PageSession,
    StationApi,
    launch_chromium,
    new_session,
    requires_chromium,
)
from tests.support.station import WINDOW_CLERK, LiveServer

pytestmark = [requires_chromium, pytest.mark.slow]

PHONE = (390, 844)
APPLICANT_ID = "410122194001080021"
APPLICANT_PHONE = "13800001234"
NOT_FOUND = "未找到该办件，请核对办件编号和手机号后4位"


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with launch_chromium() as b:
        yield b


@pytest.fixture
def api(live_server: LiveServer) -> Iterator[StationApi]:
    client = StationApi(live_server.url)
    yield client
    client.close()


@pytest.fixture
def phone(browser: Browser, live_server: LiveServer) -> Iterator[PageSession]:
    s = new_session(browser, live_server.url, *PHONE)
    yield s
    s.context.close()


def accepted_case(api: StationApi) -> str:
    clerk = api.login(*WINDOW_CLERK)
    case = api.post(
        "/api/cases",
        auth=clerk,
        item_code="410122-MZ-001",
        materials={"M1": "received", "M2": "received", "M3": "received", "M4": "received"},
        applicant={
            "kind": "person",
            "name": "张桂兰",
            "id_number": APPLICANT_ID,
            "phone": APPLICANT_PHONE,
            "agent": {"name": "李四平", "id_number": "410122198501280036", "phone": "13900005678"},
        },
    )
    number: str = case["case_number"]
    api.post(f"/api/cases/{number}/actions/accept", auth=clerk, reason="")
    return number


def test_qr_target_asks_for_the_digits_and_shows_progress_r_k7(
    api: StationApi, phone: PageSession
) -> None:
    number = accepted_case(api)
    page = phone.open(f"/cases/{number}")
    expect(page.locator("#case-number")).to_have_value(number)
    expect(page.locator("#last4")).to_be_focused()

    page.locator("#last4").fill("12")
    page.locator("#submit").click()
    expect(page.locator("#error")).to_have_text("手机号后4位应为4位数字")

    page.locator("#last4").fill("4321")  # wrong digits
    page.locator("#submit").click()
    expect(page.locator("#error")).to_have_text(NOT_FOUND)
    expect(page.locator("#result")).to_be_hidden()

    page.locator("#last4").fill("1234")
    page.locator("#submit").click()
    expect(page.locator("#r-state")).to_have_text("受理")
    expect(page.locator("#error")).to_be_hidden()
    expect(page.locator("#r-item")).to_have_text("高龄津贴申请")
    expect(page.locator("#r-applicant")).to_have_text("张*兰")
    expect(page.locator("#r-agent")).to_have_text("李*平")
    expect(page.locator("#r-due")).to_have_text("2026年12月14日")
    expect(page.locator("#outcome-title")).to_have_text("办理中")
    steps = page.locator("#steps .cq-step")
    expect(steps).to_have_count(2)
    expect(steps.nth(0)).to_contain_text("收件")
    expect(steps.nth(1).locator(".cq-step-label")).to_have_text("受理")
    expect(steps.nth(1)).to_contain_text("2026-11-23 09:00")

    text = page.locator("body").inner_text()
    for secret in (APPLICANT_ID, APPLICANT_PHONE, "13900005678", "张桂兰", "王秀英", "ck01"):
        assert secret not in text
    assert not re.search(r"(?<!\d)1[3-9]\d{9}(?!\d)", text)

    clerk = api.login(*WINDOW_CLERK)  # the result arrives: 准予, then the pickup notice
    api.post(f"/api/cases/{number}/actions/approve", auth=clerk, decided_by="县民政局")
    api.post(f"/api/cases/{number}/actions/notify_pickup", auth=clerk, arrived_on="2026-11-23")
    page.locator("#submit").click()
    expect(page.locator("#r-state")).to_have_text("待取件")
    expect(page.locator("#outcome-lines")).to_contain_text("请携带申请人身份证件到窗口领取")
    expect(steps).to_have_count(4)
    expect(steps.nth(3)).to_contain_text("取件通知")
    assert phone.non_local_requests() == [] and phone.errors == []
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "case-query.png"), full_page=True, animations="disabled")


def test_form_page_and_the_guessing_limit_r_k7(api: StationApi, phone: PageSession) -> None:
    number = accepted_case(api)
    page = phone.open("/cases")
    expect(page.locator("#case-number")).to_have_value("")
    expect(page.locator("#no-phone-hint")).to_contain_text("请到服务站窗口咨询")
    page.locator("#case-number").fill(number)
    for i in range(10):  # 10 failures from this address (the limit is per address)
        page.locator("#last4").fill(f"{i:04d}")
        page.locator("#submit").click()
        expect(page.locator("#error")).to_have_text(NOT_FOUND)
        page.locator("#error").evaluate("node => { node.hidden = true; }")
    page.locator("#last4").fill("1234")
    page.locator("#submit").click()
    expect(page.locator("#error")).to_contain_text("查询失败次数过多")
    expect(page.locator("#error")).to_contain_text("后再试")
    expect(page.locator("#result")).to_be_hidden()
    assert phone.non_local_requests() == [] and phone.errors == []


def test_the_notices_qr_link_opens_the_case_without_the_digits_r_k7(
    api: StationApi, phone: PageSession, live_server: LiveServer
) -> None:
    """The QR code printed on the notice (``/cases/<number>#t=<查询码>``) shows the case at
    once; the token leaves the address bar, and a wrong token falls back to the form."""
    number = accepted_case(api)
    with live_server.station.services.db.read() as s:
        payloads = s.execute(text("SELECT payload FROM print_job WHERE kind = 'notice'")).all()
    link = json.loads(payloads[-1][0])["notice"]["qr_url"]
    base = live_server.station.settings.visitor_url
    assert link.startswith(f"{base}/cases/{number}#t=")
    page = phone.open(link.removeprefix(base))
    expect(page.locator("#r-state")).to_have_text("受理")
    expect(page.locator("#r-applicant")).to_have_text("张*兰")
    expect(page.locator("#error")).to_be_hidden()
    assert "#t=" not in page.url
    assert not any("t=" in url for url in phone.requests)  # the token never went out as a URL

    page.goto("about:blank")  # a new document: a fragment change alone does not reload
    page = phone.open(f"/cases/{number}#t=wrong-token")
    expect(page.locator("#error")).to_contain_text("也可输入手机号后4位查询")
    expect(page.locator("#result")).to_be_hidden()
    assert phone.non_local_requests() == [] and phone.errors == []
