"""Running an app under uvicorn with time and connection bounds (R-I3).

uvicorn closes an idle keep-alive connection (``timeout_keep_alive``) and caps the header
size (``h11_max_incomplete_event_size``), but it waits forever for the headers of a new
connection and for a body that was promised and never sent, and lets one address open as
many connections as it likes. ``GuardedH11Protocol`` adds, per connection:

- a header timeout: a request's headers must be complete within ``header_timeout`` seconds
  of the connection opening (or of the previous answer), else the connection is closed;
- a body timeout backstop: a body still arriving ``body_timeout`` seconds after its headers
  closes the connection (the app's own middleware, ``appliance.http.limits``, answers 408
  first);
- a per-address limit: an address with ``max_per_client`` open connections gets a 503 and
  its new connection is closed.

The station (``yizhan serve``) and the county (``yizhan county serve``) start through
``serve`` / ``server_config``; tests run the same config on a loopback port.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from dataclasses import dataclass
from typing import Any

import h11
import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

log = logging.getLogger("yizhan.http.serving")
BUSY = (
    b"HTTP/1.1 503 Service Unavailable\r\ncontent-type: text/plain; charset=utf-8\r\n"
    b"content-length: 0\r\nconnection: close\r\n\r\n"
)


@dataclass(frozen=True)
class ServerLimits:
    header_timeout: float = 10.0
    body_timeout: float = 30.0
    keep_alive: int = 5
    max_per_client: int = 32
    max_connections: int = 256
    max_header_bytes: int = 16 * 1024


def guarded_protocol(limits: ServerLimits) -> type[asyncio.Protocol]:
    """An h11 protocol class with these limits (one per server: it counts its own clients)."""
    open_by_client: Counter[str] = Counter()
    tick = max(0.05, min(limits.header_timeout, limits.body_timeout) / 4)

    class GuardedH11Protocol(H11Protocol):
        _host = ""
        _counted = False
        _watch: asyncio.TimerHandle | None = None
        _state: Any = None
        _since = 0.0

        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            self._host = self.client[0] if self.client else ""
            if open_by_client[self._host] >= limits.max_per_client:
                log.warning("refused a connection: %s has too many open", self._host)
                transport.write(BUSY)
                transport.close()
                return
            open_by_client[self._host] += 1
            self._counted = True
            self._mark()
            self._watch = self.loop.call_later(tick, self._check)

        def connection_lost(self, exc: Exception | None) -> None:
            if self._counted:
                self._counted = False
                open_by_client[self._host] -= 1
                if open_by_client[self._host] <= 0:
                    del open_by_client[self._host]
            if self._watch is not None:
                self._watch.cancel()
                self._watch = None
            super().connection_lost(exc)

        def data_received(self, data: bytes) -> None:
            super().data_received(data)
            self._mark()

        def on_response_complete(self) -> None:
            super().on_response_complete()
            self._mark()

        def _mark(self) -> None:
            """Note when the client's side of the connection entered its current state."""
            state = self.conn.their_state
            if state is not self._state:
                self._state, self._since = state, self.loop.time()

        def _waiting_for_headers(self) -> bool:
            idle = self.cycle is None or self.cycle.response_complete
            return self._state is h11.IDLE and idle

        def _check(self) -> None:
            self._watch = None
            if self.transport.is_closing():
                return
            self._mark()
            waited = self.loop.time() - self._since
            if self._waiting_for_headers() and waited > limits.header_timeout:
                self.transport.close()
                return
            if self._state is h11.SEND_BODY and waited > limits.body_timeout + tick:
                self.transport.close()
                return
            self._watch = self.loop.call_later(tick, self._check)

    return GuardedH11Protocol


def server_config(app: Any, host: str, port: int, limits: ServerLimits) -> uvicorn.Config:
    """uvicorn settings with the guarded protocol and the limits above."""
    return uvicorn.Config(
        app,
        host=host,
        port=port,
        log_level="warning",
        http=guarded_protocol(limits),
        timeout_keep_alive=limits.keep_alive,
        limit_concurrency=limits.max_connections,
        h11_max_incomplete_event_size=limits.max_header_bytes,
    )


def serve(app: Any, host: str, port: int, limits: ServerLimits) -> None:
    """Run ``app`` until stopped (SIGINT / SIGTERM)."""
    uvicorn.Server(server_config(app, host, port, limits)).run()
