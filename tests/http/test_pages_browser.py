"""The public pages in headless Chromium: hall display, kiosk and staff board.

A real uvicorn serves the demo station on loopback; Debian Chromium loads the pages and
staff actions go through the HTTP API, as they would from a window terminal.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from datetime import timedelta

import pytest
from playwright.sync_api import Browser, Locator, expect

from tests.support.browser import (
    SCREENSHOTS,
    PageSession,
    StationApi,
    launch_chromium,
    new_session,
    requires_chromium,
)
from tests.support.station import GUIDE, MANAGER, T0, WINDOW_CLERK, LiveServer

pytestmark = [pytest.mark.slow, requires_chromium]

LIVE_MS = 1000  # a call must reach the hall display within 1 s (R-Q3)
MOBILE_RE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
ID_NUMBER_RE = re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)")
VISITOR_PHONE = "13800138000"
TV = (1920, 1080)  # hall display and board
KIOSK = (1080, 1920)  # a standing touch kiosk, portrait


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
def session(browser: Browser, live_server: LiveServer) -> Iterator[PageSession]:
    """A fresh browser context; closed before the live server stops."""
    s = new_session(browser, live_server.url)
    yield s
    s.context.close()


def window_panel(s: PageSession, number: int) -> Locator:
    return s.page.locator(f'.win[data-window="{number}"]')


def open_display(s: PageSession) -> None:
    s.open("/display")
    expect(s.page.locator("body")).to_have_attribute("data-conn", "live", timeout=5000)
    expect(window_panel(s, 1)).to_be_visible()


def test_display_shows_a_call_within_one_second_r_q3(session: PageSession, api: StationApi) -> None:
    """R-Q3: a number called at a window appears on the hall display in under 1 s."""
    open_display(session)
    number = api.kiosk_ticket("A")
    auth = api.login(*WINDOW_CLERK)
    called = api.post("/api/windows/1/call-next", auth)
    assert called["number"] == number
    returned = time.monotonic()
    panel = window_panel(session, 1)
    expect(panel.locator(".win-number")).to_have_text(number, timeout=LIVE_MS)
    assert time.monotonic() - returned < LIVE_MS / 1000
    expect(panel.locator(".win-to")).to_have_text("1 号窗口")
    expect(session.page.locator("#recent li").first).to_have_attribute("data-number", number)
    expect(panel).to_have_class(re.compile(r"\bflash\b"))
    assert session.errors == []


def test_display_shows_a_paused_window_live_r_q6(session: PageSession, api: StationApi) -> None:
    """R-Q6: a paused window shows 暂停服务 and the reason on the hall display, live."""
    open_display(session)
    auth = api.login(*WINDOW_CLERK)
    api.post("/api/windows/1/pause", auth, reason="外出入户代办")
    returned = time.monotonic()
    panel = window_panel(session, 1)
    expect(panel).to_have_attribute("data-state", "paused", timeout=LIVE_MS)
    assert time.monotonic() - returned < LIVE_MS / 1000
    expect(panel.locator(".win-paused")).to_have_text("暂停服务")
    expect(panel.locator(".win-reason")).to_have_text("外出入户代办")
    api.post("/api/windows/1/resume", auth)
    expect(panel).to_have_attribute("data-state", "idle", timeout=LIVE_MS)
    assert session.errors == []


def test_display_falls_back_to_polling_when_the_stream_fails_r_q3(
    session: PageSession, api: StationApi
) -> None:
    """R-Q3: with the event stream down the display says so and keeps up by polling."""
    session.page.route("**/api/display/stream", lambda route: route.abort())
    session.open("/display")
    expect(session.page.locator("#conn")).to_be_visible(timeout=5000)
    expect(session.page.locator("#conn")).to_have_text("连接中断，正在重连…")
    number = api.kiosk_ticket("B")
    api.post("/api/windows/1/call-next", api.login(*WINDOW_CLERK))
    expect(window_panel(session, 1).locator(".win-number")).to_have_text(number, timeout=5000)
    session.page.unroute("**/api/display/stream")
    expect(session.page.locator("#conn")).to_be_hidden(timeout=10000)


def test_kiosk_issues_the_ticket_the_database_holds_r_q1(
    session: PageSession, live_server: LiveServer
) -> None:
    """R-Q1: tapping a category on the kiosk issues a ticket and shows its number; with the
    window-1 clerk logged in, the ticket names window 1 (issue 16: only a staffed window)."""
    StationApi(live_server.url).login(*WINDOW_CLERK)
    page = session.open("/kiosk")
    button = page.locator('.k-cat[data-category="A"]')
    expect(button).to_contain_text("综合受理")
    expect(button).to_contain_text("1 号窗口")
    button.click()
    number = page.locator("#t-number")
    expect(number).to_be_visible()
    shown = number.inner_text()
    snap = live_server.station.services.windows.queue_snapshot()
    waiting = {e.number for c in snap.categories for e in c.waiting}
    assert waiting == {shown}
    expect(page.locator("#t-category")).to_have_text("综合受理")
    expect(page.locator(".k-ticket-facts")).to_contain_text("前面还有 0 人")
    expect(page.locator(".k-ticket-windows")).to_have_text("请留意 1 号窗口 叫号")
    page.locator("#done").click()
    expect(page.locator("#ticket")).to_be_hidden()
    expect(button).to_be_enabled()
    assert session.errors == []


def test_kiosk_priority_and_server_error_message_r_q1(
    session: PageSession, live_server: LiveServer
) -> None:
    """R-Q1: a bad phone number (typed on the keypad) shows the server's Chinese message."""
    page = session.open("/kiosk")
    page.locator("#priority").click()
    expect(page.locator("#priority")).to_have_attribute("aria-checked", "true")
    page.locator("#keypad-toggle").click()
    for digit in "12345":
        page.locator(f'#keypad [data-key="{digit}"]').click()
    expect(page.locator("#phone")).to_have_value("12345")
    page.locator('.k-cat[data-category="B"]').click()
    expect(page.locator("#error")).to_have_text("手机号码格式不正确，应为 11 位数字，以 1 开头")
    expect(page.locator("#ticket")).to_be_hidden()
    page.locator('#keypad [data-key="clear"]').click()
    expect(page.locator("#phone")).to_have_value("")
    page.locator('.k-cat[data-category="B"]').click()
    expect(page.locator("#t-priority")).to_have_text("老弱病残孕优先")
    snap = live_server.station.services.windows.queue_snapshot()
    entries = [e for c in snap.categories for e in c.waiting]
    assert [(e.number, e.priority) for e in entries] == [
        (page.locator("#t-number").inner_text(), "vulnerable")
    ]
    page.locator("#done").click()
    expect(page.locator("#priority")).to_have_attribute("aria-checked", "false")
    assert session.errors == []


def test_board_shows_staff_and_whereabouts_only_r_t1(session: PageSession, api: StationApi) -> None:
    """R-T1, R-T2: the board lists each staff member's name, post, phone and whereabouts only,
    and follows sign-in: only the head, who signed in (签到), is 在岗 (issue 16, item 1)."""
    api.kiosk_ticket("A", phone=VISITOR_PHONE)  # visitor data must never reach the board
    api.post("/api/staff/me/whereabouts", api.login(*GUIDE), whereabouts="入户代办")
    api.post("/api/staff/me/clock-in", api.login(*MANAGER))
    api.login(*WINDOW_CLERK)  # logged in, never signed in
    page = session.open("/board")
    cards = page.locator(".b-card")
    expect(cards).to_have_count(5)  # the demo station's five staff, one per role
    for name, post, where, on_site in [
        ("李建国", "站长", "在岗", "true"),
        ("王秀英", "综合窗口", "未签到", "false"),
        ("张伟", "引导咨询", "入户代办", "false"),
    ]:
        card = cards.filter(has_text=name)
        expect(card.locator(".b-post")).to_have_text(post)
        expect(card.locator(".b-where")).to_have_text(where)
        expect(card).to_have_attribute("data-on-site", on_site)
        expect(card.locator("svg text")).to_have_text(name[0])
    text = page.locator("body").inner_text()
    assert VISITOR_PHONE not in text
    assert not MOBILE_RE.search(text)
    assert not ID_NUMBER_RE.search(text)
    assert session.errors == []


def test_pages_request_only_the_station_itself_r_i3(session: PageSession, api: StationApi) -> None:
    """R-I3: the pages work offline: every request goes to the station on loopback."""
    api.kiosk_ticket("C", phone=VISITOR_PHONE)
    open_display(session)
    display_text = session.page.locator("body").inner_text()
    assert VISITOR_PHONE not in display_text and not MOBILE_RE.search(display_text)
    session.open("/kiosk")
    expect(session.page.locator(".k-cat")).to_have_count(3)
    session.open("/board")
    expect(session.page.locator(".b-card")).to_have_count(5)
    assert any(u.endswith("/static/yizhan.css") for u in session.requests)
    assert session.non_local_requests() == []
    assert session.errors == []


def settle(s: PageSession) -> None:
    """Let late text (the station name) land and the page paint twice before a screenshot."""
    name = s.page.locator("#station-name")
    if name.count():
        expect(name).to_have_text(live_station_name(s))
    s.page.evaluate("document.fonts.ready")
    s.page.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    s.page.wait_for_timeout(200)


def live_station_name(s: PageSession) -> str:
    name: str = s.page.request.get(s.base_url + "/api/health").json()["station_name"]
    return name


def test_screenshots_of_what_villagers_see(
    browser: Browser, live_server: LiveServer, api: StationApi
) -> None:
    """Render each page to docs/screenshots/ so reviewers see the screens (R-Q3, R-Q1, R-T1)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for category in ["A", "A", "A", "B", "B", "C", "C"]:
        api.kiosk_ticket(category)
    clerk, manager = api.login(*WINDOW_CLERK), api.login(*MANAGER)
    api.post("/api/windows/2/call-next", manager)
    api.post("/api/windows/1/call-next", clerk)
    api.post("/api/staff/me/whereabouts", api.login(*GUIDE), whereabouts="入户代办")
    sessions: list[PageSession] = []

    def shoot(path: str, name: str, size: tuple[int, int], ready: str) -> PageSession:
        s = new_session(browser, live_server.url, *size)
        sessions.append(s)
        s.page.clock.set_fixed_time(T0 + timedelta(minutes=12, seconds=34))
        s.open(path)
        expect(s.page.locator(ready).first).to_be_visible()
        settle(s)
        s.page.screenshot(path=str(SCREENSHOTS / name), animations="disabled")
        return s

    try:
        display = shoot("/display", "display.png", TV, ".win-number")
        api.post("/api/windows/2/start", manager)
        api.post("/api/windows/2/finish", manager)
        api.post("/api/windows/2/pause", manager, reason="外出入户代办")
        expect(window_panel(display, 2)).to_have_attribute("data-state", "paused")
        settle(display)
        display.page.screenshot(path=str(SCREENSHOTS / "display-paused.png"), animations="disabled")
        kiosk = shoot("/kiosk", "kiosk.png", KIOSK, ".k-cat")
        kiosk.page.locator('.k-cat[data-category="B"]').click()
        expect(kiosk.page.locator("#t-number")).to_be_visible()
        settle(kiosk)
        kiosk.page.screenshot(path=str(SCREENSHOTS / "kiosk-ticket.png"), animations="disabled")
        shoot("/board", "board.png", TV, ".b-card")
        for s in sessions:
            assert s.errors == []
            assert s.non_local_requests() == []
    finally:
        for s in sessions:
            s.context.close()
    for name in ["display", "display-paused", "kiosk", "kiosk-ticket", "board"]:
        assert (SCREENSHOTS / f"{name}.png").stat().st_size > 10_000
