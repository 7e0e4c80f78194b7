"""The terminal unit's watchdog (R-N4): the TUI pings systemd (``WATCHDOG=1`` on
``$NOTIFY_SOCKET``) after each finished poll, online or not; a stuck event loop stops the
pings, and systemd restarts the terminal (yizhan-tui.service, ``WatchdogSec=``)."""

from __future__ import annotations

import asyncio
import socket
from pathlib import Path

import pytest

from tests.support.station import free_port
from tui.testing import TEST_SIZE as SIZE
from tui.testing import terminal_app, wait_for


def _received(sock: socket.socket) -> list[bytes]:
    got = []
    while True:
        try:
            got.append(sock.recv(256))
        except BlockingIOError:
            return got


async def test_the_terminal_pings_the_watchdog_after_each_poll_even_offline(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "notify.sock"
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
        sock.bind(str(path))
        sock.setblocking(False)
        monkeypatch.setenv("NOTIFY_SOCKET", str(path))
        app = terminal_app(f"http://127.0.0.1:{free_port()}")  # nothing listens: 离线
        app.watchdog.min_interval = 0.0
        async with app.run_test(size=SIZE) as pilot:
            await wait_for(pilot, lambda: app.watchdog.sent >= 2)
            async with app._refreshing:  # a poll that never finishes: no more pings
                sent = app.watchdog.sent
                await asyncio.sleep(1.5)  # three poll periods
                assert app.watchdog.sent == sent
        assert set(_received(sock)) == {b"WATCHDOG=1"}


async def test_outside_systemd_the_terminal_sends_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NOTIFY_SOCKET", raising=False)
    app = terminal_app(f"http://127.0.0.1:{free_port()}")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.online is False)
        await pilot.pause(1.0)
        assert app.watchdog.sent == 0
