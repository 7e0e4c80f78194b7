"""``StationApi`` against the live server, plus its error mapping (ApiError / Offline)."""

from __future__ import annotations

import inspect

import httpx
import pytest

from appliance.queue.rules.tickets import TicketSource
from hwservice.button_sim import ButtonClient
from tests.support.station import GUIDE, WINDOW_CLERK, LiveServer, free_port
from tui.api_client import ApiError, Offline, StationApi
from tui.models import window_of


async def test_login_queue_and_calling_round_trip_r_q1_r_q3(live_server: LiveServer) -> None:
    api = StationApi(live_server.url)
    try:
        login = await api.login(*WINDOW_CLERK)
        assert login.staff.name == "王秀英" and api.token == login.token
        assert (await api.me()).code == "ck01"
        assert (await api.health()).ok is True

        issued = await api.issue("A", "vulnerable", "13800138000")
        assert (issued.number, issued.priority_label) == ("A001", "老弱病残孕优先")
        assert issued.phone_masked and "0013" not in issued.phone_masked
        with ButtonClient(live_server.url, live_server.station.settings.device_key) as button:
            pressed = button.press()  # the door button, not the terminal
        assert (pressed.number, pressed.source) == ("A002", "button")

        called = await api.call_next(1)
        assert (called.number, called.window_number, called.status) == ("A001", 1, "called")
        assert (await api.recall(1)).recall_count == 1
        assert (await api.start(1)).status == "serving"
        assert (await api.finish(1)).status == "done"
        assert (await api.call_ticket(1, "A002")).number == "A002"
        moved = await api.transfer(1, to_category="B")
        assert (moved.status, moved.category_name) == ("waiting", "社保医保")

        snapshot = await api.queue()
        waiting_b = next(q for q in snapshot.categories if q.prefix == "B").waiting
        assert [t.number for t in waiting_b] == ["A002"]
        assert window_of(snapshot, 1) is not None and window_of(snapshot, 3) is None
        assert await api.alerts() == []
    finally:
        await api.aclose()


async def test_no_show_rejoin_pause_resume_clock(live_server: LiveServer) -> None:
    """R-Q6 pause/resume and R-T2 attendance through the client."""
    live_server.station.services.queue.issue("A", TicketSource.KIOSK)
    api = StationApi(live_server.url)
    try:
        await api.login(*WINDOW_CLERK)
        await api.call_next("1")
        assert (await api.no_show("1")).status == "no_show"
        assert (await api.rejoin("A001")).status == "waiting"
        state = await api.pause(1, "会议")
        assert state.paused and state.pause_reason == "会议"
        assert not (await api.resume(1)).paused
        assert (await api.clock_in()).on_duty
        assert not (await api.clock_out()).on_duty
        await api.logout()
        assert api.token is None
    finally:
        await api.aclose()


async def test_refusals_carry_the_chinese_message(live_server: LiveServer) -> None:
    api = StationApi(live_server.url)
    try:
        with pytest.raises(ApiError) as bad_login:
            await api.login("ck01", "0000")
        assert (bad_login.value.status, bad_login.value.message) == (401, "工号或密码错误")
        await api.login(*GUIDE)
        with pytest.raises(ApiError) as forbidden:
            await api.call_next(1)
        assert forbidden.value.status == 403 and "无权" in forbidden.value.message
    finally:
        await api.aclose()


async def test_the_terminal_holds_no_device_key() -> None:
    """Staff software has no device credential: none to pass in, none ever sent."""
    assert "device_key" not in inspect.signature(StationApi).parameters
    seen: list[httpx.Headers] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers)
        if request.url.path == "/api/auth/login":
            return httpx.Response(401, json={"message": "工号或密码错误"})
        return httpx.Response(404, json={"message": "找不到该页面或接口"})

    api = StationApi("http://station", transport=httpx.MockTransport(handler))
    try:
        for call in (api.login(*WINDOW_CLERK), api.issue("A"), api.call_next(1)):
            with pytest.raises(ApiError):
                await call
    finally:
        await api.aclose()
    assert len(seen) == 3 and not any("x-device-key" in h for h in seen)


async def test_closed_port_raises_offline() -> None:
    api = StationApi(f"http://127.0.0.1:{free_port()}")
    try:
        with pytest.raises(Offline):
            await api.health()
    finally:
        await api.aclose()


async def test_injected_transport_maps_errors() -> None:
    """A non-JSON error body still gives a Chinese message; a timeout is Offline."""

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/api/health":
            raise httpx.ReadTimeout("slow", request=request)
        return httpx.Response(502, text="Bad Gateway")

    api = StationApi("http://station", transport=httpx.MockTransport(handler))
    try:
        with pytest.raises(ApiError) as err:
            await api.queue()
        assert err.value.status == 502 and "HTTP 502" in err.value.message
        with pytest.raises(Offline):
            await api.health()
    finally:
        await api.aclose()
