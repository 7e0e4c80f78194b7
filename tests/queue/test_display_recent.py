"""最近叫号 on the hall display (R-Q3): each ticket once, at its latest call, and highlighted
only while it is still being called or served (issue 16, item 14)."""

from __future__ import annotations

from litestar.testing import TestClient

from tests.support.station import Station


def test_recalls_do_not_repeat_a_ticket_and_a_finished_one_is_not_highlighted_r_q3(
    station: Station,
) -> None:
    q, windows = station.services.queue, station.services.windows
    for _ in range(3):
        q.issue("A", "kiosk")
    q.call_next("1")
    q.finish("1")
    q.call_next("1")
    q.recall("1")
    q.recall("1")  # A002 called three times in all
    recent = windows.display_snapshot().recent_calls
    assert [(c.number, c.active) for c in recent] == [("A002", True), ("A001", False)]

    q.finish("1")
    recent = windows.display_snapshot().recent_calls
    assert [(c.number, c.active) for c in recent] == [("A002", False), ("A001", False)]


def test_the_display_says_when_voice_calling_is_off_r_q3(
    station: Station, client: TestClient
) -> None:
    """Issue 16, item 16: visitors are told to watch the screen when no voice will call."""
    key = {"X-Device-Key": station.settings.device_key}
    off = {"device": "speaker", "state": "off", "label": "语音叫号已关闭"}
    assert client.post("/api/device/status", json=off, headers=key).status_code < 300
    notices = client.get("/api/display").json()["notices"]
    assert "语音叫号已关闭，请留意屏幕叫号" in notices
    on = {**off, "state": "ready", "label": "语音叫号正常"}
    assert client.post("/api/device/status", json=on, headers=key).status_code < 300
    assert not any("语音" in n for n in client.get("/api/display").json()["notices"])
