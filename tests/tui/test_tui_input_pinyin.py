"""Chinese input on the appliance's terminal (R-N4): pinyin typed on a virtual keyboard in
fcitx5 reaches the TUI's applicant-name field, and the server opens the case for 张桂兰.

The TUI runs in ``foot`` under headless ``sway`` with ``fcitx5`` pinyin, configured from
``image-build/rootfs/etc/yizhan`` exactly as the appliance ships them; ``wtype`` types
``zhang`` space, ``gui`` ``=`` ``1``, ``lan`` ``6`` (the measured recipe in PITFALLS.md).
What is asserted is the value the server received, read back through the API. About 20 s.
``YIZHAN_UPDATE_DOCS=1`` also keeps a ``grim`` screenshot as docs/screenshots/tui-pinyin.png.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from bench.common import login
from tests.support.station import WINDOW_CLERK, LiveServer
from tests.tui.pinyin_support import (
    Kiosk,
    kiosk_for_test,
    tcp_established,
    until,
)

pytestmark = pytest.mark.slow

NAME = "张桂兰"
PINYIN = ("zhang", "<space>", "gui", "=", "1", "lan", "6")  # measured: 4 runs out of 4
ID_NUMBER = "410122194001080021"
PHONE = "13800001234"
SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "screenshots" / "tui-pinyin.png"


@pytest.fixture
def kiosk() -> Iterator[Kiosk]:
    yield from kiosk_for_test("yizhan-pinyin-")


def cases_of(live: LiveServer) -> list[dict[str, str]]:
    with httpx.Client(base_url=live.url, timeout=5) as http:
        staff = login(http, *WINDOW_CLERK)
        found: list[dict[str, str]] = http.get("/api/cases?mine=0", headers=staff).json()
        return found


def test_pinyin_reaches_the_applicant_name_and_the_server_r_n4(
    kiosk: Kiosk, live_server: LiveServer
) -> None:
    port = urlsplit(live_server.url).port or 80
    kiosk.start_tui(live_server.url)
    until(
        lambda: tcp_established(port, os.geteuid()),
        30,
        f"the TUI never reached the server:\n{kiosk.log('foot')}",
    )
    time.sleep(1.0)  # the login form has focus once the first poll is answered

    # fcitx5 runs from the start, as on the appliance, and every field starts in English: log
    # in and open 收件 as staff do, 高龄津贴申请 by its pinyin initials, pick it, all materials
    # received, Tab past 申请人类型 and 证件类型.
    kiosk.start_fcitx5()
    kiosk.type(WINDOW_CLERK[0], "<Tab>", WINDOW_CLERK[1], "<Return>", "e", "gljt")
    kiosk.type("<Down>", "<Return>", "a", "<Tab>", "<Tab>", "<Tab>")

    # The applicant's name: Ctrl+Space switches pinyin on, and off again after it.
    kiosk.type_each("<ctrl+space>", *PINYIN)
    if os.environ.get("YIZHAN_UPDATE_DOCS") == "1":
        assert kiosk.screenshot(SCREENSHOT), "grim could not take the screenshot"
    kiosk.type_each("<ctrl+space>")
    kiosk.type("<Return>", ID_NUMBER, "<Return>", PHONE, "<ctrl+s>")

    try:
        until(lambda: bool(cases_of(live_server)), 20, "no case opened")
    except TimeoutError:
        shot = Path(tempfile.gettempdir()) / "yizhan-pinyin-failed.png"
        kiosk.screenshot(shot)
        raise AssertionError(f"no case opened; the screen: {shot}\n{kiosk.log('fcitx5')}") from None
    [case] = cases_of(live_server)
    assert case["applicant_name"] == NAME
    assert case["item_code"] == "410122-MZ-001"
    with httpx.Client(base_url=live_server.url, timeout=5) as http:
        staff = login(http, *WINDOW_CLERK)
        detail = http.get(f"/api/cases/{case['case_number']}", headers=staff).json()
    assert detail["applicant"]["name"] == NAME
