"""Headless Debian Chromium for page tests, and a small HTTP client for staff actions.

Playwright cannot download its own browsers here, so tests drive ``/usr/bin/chromium``
with the flags listed in PITFALLS.md ("Browser tests"). ``p.chromium.launch()`` gives every
run a fresh temporary profile.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Request, expect, sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Screenshots land in docs/ only when asked (`make docs`), so a test run leaves the tree clean.
DOCS_SCREENSHOTS = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
SCREENSHOTS = (
    DOCS_SCREENSHOTS
    if os.environ.get("YIZHAN_UPDATE_DOCS") == "1"
    else Path(tempfile.gettempdir()) / "yizhan-screenshots"
)
LOOPBACK = "127.0.0.1"

requires_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="Debian chromium is not installed at /usr/bin/chromium"
)

# What a page shows may take a while on a loaded machine (CI, two cores): waiting is not a
# timing assertion, so wait long enough that only a page that never shows it fails.
expect.set_options(timeout=15_000)


@contextmanager
def launch_chromium() -> Iterator[Browser]:
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class PageSession:
    """One browser context on the live station, recording requests and script errors."""

    context: BrowserContext
    page: Page
    base_url: str
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def non_local_requests(self) -> list[str]:
        return [u for u in self.requests if urlsplit(u).hostname != LOOPBACK]

    def open(self, path: str) -> Page:
        self.page.goto(self.base_url + path)
        return self.page


def new_session(
    browser: Browser,
    base_url: str,
    width: int = 1920,
    height: int = 1080,
    timezone_id: str = "Asia/Shanghai",
) -> PageSession:
    context = browser.new_context(
        viewport={"width": width, "height": height},
        locale="zh-CN",
        timezone_id=timezone_id,
        service_workers="block",
    )
    page = context.new_page()
    session = PageSession(context, page, base_url)

    def on_request(req: Request) -> None:
        session.requests.append(req.url)

    context.on("request", on_request)
    page.on("pageerror", lambda exc: session.errors.append(str(exc)))
    return session


class StationApi:
    """Staff and kiosk actions over real HTTP, as a window terminal would send them."""

    def __init__(self, base_url: str) -> None:
        self.http = httpx.Client(base_url=base_url, timeout=10)

    def close(self) -> None:
        self.http.close()

    def login(self, code: str, pin: str) -> dict[str, str]:
        r = self.http.post("/api/auth/login", json={"code": code, "pin": pin})
        assert r.status_code == 201, r.text
        return {"Authorization": f"Bearer {r.json()['token']}"}

    def post(self, path: str, auth: dict[str, str] | None = None, **body: Any) -> Any:
        r = self.http.post(path, json=body or None, headers=auth or {})
        assert r.status_code in (200, 201), r.text
        return r.json()

    def kiosk_ticket(self, category: str, **extra: Any) -> str:
        number: str = self.post("/api/kiosk/tickets", category=category, **extra)["number"]
        return number
