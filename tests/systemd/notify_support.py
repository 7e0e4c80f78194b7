"""A stand-in for systemd's notify socket: a bound unix datagram socket the test reads."""

from __future__ import annotations

import os
import shutil
import socket
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager

import pytest


class NotifySocket:
    def __init__(self, path: str) -> None:
        self.path = path
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(path)

    def receive(self, wait: float = 20.0) -> str | None:
        """The next message, or None when none came within ``wait`` (a bound, not a check)."""
        self.sock.settimeout(wait)
        try:
            return self.sock.recv(4096).decode()
        except TimeoutError:
            return None

    def drain(self) -> list[str]:
        got: list[str] = []
        self.sock.setblocking(False)
        try:
            while True:
                got.append(self.sock.recv(4096).decode())
        except BlockingIOError:
            return got


@contextmanager
def notify_socket(
    monkeypatch: pytest.MonkeyPatch, watchdog_s: float = 2.0
) -> Iterator[NotifySocket]:
    """Bind a socket (a short path: sun_path holds 108 bytes) and point this process's
    ``NOTIFY_SOCKET``/``WATCHDOG_USEC``/``WATCHDOG_PID`` at it, as systemd would."""
    folder = tempfile.mkdtemp(prefix="sdn", dir="/tmp")
    sock = NotifySocket(os.path.join(folder, "notify"))
    monkeypatch.setenv("NOTIFY_SOCKET", sock.path)
    monkeypatch.setenv("WATCHDOG_USEC", str(int(watchdog_s * 1_000_000)))
    monkeypatch.setenv("WATCHDOG_PID", str(os.getpid()))
    try:
        yield sock
    finally:
        sock.sock.close()
        shutil.rmtree(folder, ignore_errors=True)
