"""Stalled and greedy clients on real sockets (R-I3; defect 10).

``yizhan serve`` and ``yizhan county serve`` run uvicorn through ``appliance.http.serving``:
a request's headers and body must arrive in time, and one address may hold only so many
connections. Eight connections that promised a body and sent none used to stay open for
good; here they are answered 408 and closed, and a client that never finishes its headers
is closed too, while the station keeps serving others.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn

from appliance.http.app import create_app, server_limits
from appliance.http.serving import server_config
from tests.support.station import free_port, make_station

TIMEOUTS = {
    "http_header_timeout_s": 1.0,
    "http_body_timeout_s": 1.5,
    "http_max_connections_per_client": 12,
}
PROMISE = (
    b"POST /api/auth/login HTTP/1.1\r\nHost: station\r\nContent-Type: application/json\r\n"
    b"Content-Length: 200\r\n\r\n"
)
WAIT = 15.0  # seconds a test socket waits before calling a connection stuck


@pytest.fixture
def guarded_server(tmp_path: Path) -> Iterator[tuple[str, int]]:
    """The station as ``yizhan serve`` runs it (same limits from the settings), with short
    timeouts, on a loopback port."""
    station = make_station(tmp_path, **TIMEOUTS)
    port = free_port()
    app = create_app(station.settings, services=station.services)
    limits = server_limits(station.settings)
    server = uvicorn.Server(server_config(app, "127.0.0.1", port, limits))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        assert time.monotonic() < deadline, "server did not start"
        time.sleep(0.02)
    yield "127.0.0.1", port
    server.should_exit = True
    thread.join(timeout=10)
    station.services.close()


def connect(address: tuple[str, int], first: bytes = b"") -> socket.socket:
    sock = socket.create_connection(address, timeout=WAIT)
    if first:
        sock.sendall(first)
    return sock


def read_until_closed(sock: socket.socket) -> bytes:
    """Everything the server sends until it closes; a timeout means it never closed."""
    data = b""
    try:
        while chunk := sock.recv(65536):
            data += chunk
    except TimeoutError:
        raise AssertionError(f"the server kept the connection open: {data!r}") from None
    finally:
        sock.close()
    return data


def test_eight_promised_bodies_that_never_come_are_closed_r_i3(
    guarded_server: tuple[str, int],
) -> None:
    socks = [connect(guarded_server, PROMISE) for _ in range(8)]
    answers = [read_until_closed(s) for s in socks]
    for answer in answers:
        assert answer.startswith(b"HTTP/1.1 408"), answer
        assert "规定时间".encode() in answer
    r = httpx.get(f"http://{guarded_server[0]}:{guarded_server[1]}/api/health")
    assert r.status_code == 200  # the station kept serving


def test_headers_that_never_finish_are_closed(guarded_server: tuple[str, int]) -> None:
    silent = [connect(guarded_server) for _ in range(4)]  # say nothing at all
    partial = [connect(guarded_server, b"GET /api/health HTTP/1.1\r\nHost: st") for _ in range(4)]
    for sock in silent + partial:
        assert read_until_closed(sock) == b""


def test_one_address_may_hold_only_so_many_connections(guarded_server: tuple[str, int]) -> None:
    held = [connect(guarded_server) for _ in range(TIMEOUTS["http_max_connections_per_client"])]
    time.sleep(0.2)  # let the server accept them all
    assert read_until_closed(connect(guarded_server)).startswith(b"HTTP/1.1 503")
    for sock in held:
        sock.close()
    deadline = time.monotonic() + WAIT
    while True:  # the count drops as the server sees them go
        r = httpx.get(f"http://{guarded_server[0]}:{guarded_server[1]}/api/health")
        if r.status_code == 200 or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert r.status_code == 200
