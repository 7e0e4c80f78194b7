"""A fault-injecting HTTP proxy on loopback, between a station and the county (test helper).

``FaultProxy(upstream_url)`` listens on a free loopback port; point the station's
``county_url`` at ``proxy.url``. Each request whose path starts with ``fault_path`` (the
batch endpoint by default) takes the next fault from ``proxy.faults`` (a list; empty means
pass through). Other requests (enrolment, down-sync) always pass. Faults:

- ``"pass"``           forward as is.
- ``"drop"``           close the connection without forwarding (nothing reached the county).
- ``"lose_response"``  forward, let the county commit, then close without replying.
- ``"duplicate"``      deliver the same request twice, concurrently; reply with one answer.
- ``"duplicate_serial"`` deliver it twice, one after the other.
- ``"hold"``           hold the request without replying; it is delivered after the next
                       request on ``fault_path`` has been delivered (reordering); its answer
                       goes to a client that has usually given up already.
- ``"hold_ack"``       like ``"hold"``, but answer the station at once with a made-up
                       acknowledgement of the whole batch, so the station moves on and its
                       next batch reaches the county first (a true gap at the county);
                       delivered only by ``release_held()``.
- ``"503"`` / ``"500"`` reply with that status without forwarding.
- ``"truncate"``       forward the first half of the body only.
- ``"corrupt"``        flip bytes in the middle of the body.
- a callable ``f(Request) -> Request`` rewrites the request before forwarding it.

``rate_bytes_per_s`` throttles both directions (store-and-forward: a request or reply of
N bytes takes N / rate seconds), e.g. ``8000`` for 64 kbit/s. ``on_request(req)`` runs before
a request is forwarded and ``on_response(req, status)`` after the county answered but before
the answer is passed on (hooks for killing processes at exact points). Every exchange is
recorded in ``proxy.log``; ``proxy.replay(req)`` delivers a recorded request again verbatim.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from urllib.parse import urlsplit

BATCHES_PATH = "/sync/v1/batches"
Fault = str | Callable[["Request"], "Request"]


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    version: str
    headers: list[tuple[str, str]]
    body: bytes

    def header(self, name: str) -> str | None:
        for k, v in self.headers:
            if k.lower() == name.lower():
                return v
        return None

    def with_header(self, name: str, value: str) -> Request:
        kept = [(k, v) for k, v in self.headers if k.lower() != name.lower()]
        return replace(self, headers=[*kept, (name, value)])

    def with_body(self, body: bytes) -> Request:
        return replace(self, body=body)

    def to_bytes(self) -> bytes:
        """The request for one upstream connection (``Connection: close``, own length)."""
        skip = {"connection", "content-length", "keep-alive", "transfer-encoding"}
        lines = [f"{self.method} {self.path} {self.version}"]
        lines += [f"{k}: {v}" for k, v in self.headers if k.lower() not in skip]
        lines += [f"Content-Length: {len(self.body)}", "Connection: close"]
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + self.body


@dataclass
class Exchange:
    """One request as the proxy saw it, what it did and what the county answered."""

    request: Request
    fault: str
    status: int | None = None  # the county's status (None: never forwarded or no answer)
    response: bytes = b""
    delivered: int = 0  # how many times it reached the county
    replied: bool = False  # whether the client got an answer

    @property
    def response_body(self) -> bytes:
        return self.response.partition(b"\r\n\r\n")[2]


@dataclass
class FaultProxy:
    upstream_url: str
    fault_path: str = BATCHES_PATH
    rate_bytes_per_s: float | None = None
    upstream_timeout_s: float = 60.0
    faults: list[Fault] = field(default_factory=list)
    log: list[Exchange] = field(default_factory=list)
    on_request: Callable[[Request], None] | None = None
    on_response: Callable[[Request, int], None] | None = None

    def __post_init__(self) -> None:
        parts = urlsplit(self.upstream_url)
        self._upstream = (parts.hostname or "127.0.0.1", int(parts.port or 80))
        self._lock = threading.Lock()
        self._held: list[tuple[socket.socket, Exchange]] = []
        self._threads: list[threading.Thread] = []
        self._closed = threading.Event()
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(64)
        self.port = int(self._listener.getsockname()[1])
        self.url = f"http://127.0.0.1:{self.port}"
        self._accept_thread = threading.Thread(target=self._accept, daemon=True)
        self._accept_thread.start()

    # ---- control ---------------------------------------------------------------------------
    def set_faults(self, *faults: Fault) -> None:
        with self._lock:
            self.faults[:] = list(faults)

    def batches(self) -> list[Exchange]:
        with self._lock:
            return [x for x in self.log if x.request.path.startswith(self.fault_path)]

    def replay(self, request: Request) -> tuple[int | None, bytes]:
        """Deliver a recorded request to the county again, verbatim; (status, body)."""
        raw = self._deliver(request)
        status = _status(raw)
        return status, raw.partition(b"\r\n\r\n")[2]

    def release_held(self) -> None:
        """Deliver every held request now (in the order held)."""
        with self._lock:
            held, self._held = self._held, []
        for conn, ex in held:
            self._forward_and_reply(conn, ex)

    def close(self) -> None:
        self._closed.set()
        self.release_held()
        with contextlib.suppress(OSError):
            self._listener.close()
        self._accept_thread.join(timeout=5)
        for t in list(self._threads):
            t.join(timeout=5)

    def __enter__(self) -> FaultProxy:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # ---- serving ---------------------------------------------------------------------------
    def _accept(self) -> None:
        while not self._closed.is_set():
            try:
                conn, _ = self._listener.accept()
            except OSError:
                return
            t = threading.Thread(target=self._handle, args=(conn,), daemon=True)
            self._threads = [x for x in self._threads if x.is_alive()] + [t]
            t.start()

    def _handle(self, conn: socket.socket) -> None:
        try:
            request = _read_request(conn)
        except (OSError, ValueError):
            _close(conn)
            return
        if request is None:
            _close(conn)
            return
        self._throttle(len(request.to_bytes()))
        fault: Fault = "pass"
        if request.path.startswith(self.fault_path):
            with self._lock:
                if self.faults:
                    fault = self.faults.pop(0)
        name = fault if isinstance(fault, str) else getattr(fault, "__name__", "transform")
        ex = Exchange(request, name)
        with self._lock:
            self.log.append(ex)
        if callable(fault):
            ex.request = fault(request)
            fault = "pass"
        if fault == "drop":
            _close(conn)
        elif fault in ("500", "502", "503"):
            body = b'{"error":"proxy","message":"injected"}'
            head = (
                f"HTTP/1.1 {fault} Injected\r\nContent-Type: application/json\r\n"
                f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
            )
            self._reply(conn, ex, head.encode() + body)
        elif fault == "hold":
            with self._lock:
                self._held.append((conn, ex))
        elif fault == "hold_ack":
            with self._lock:
                self._held.append((socket.socket(), ex))  # the answer goes nowhere
            self._reply(conn, ex, _fake_ack(request), record=False)
        elif fault == "lose_response":
            self._forward(ex)
            _close(conn)
        elif fault in ("duplicate", "duplicate_serial"):
            if fault == "duplicate":
                second = threading.Thread(target=self._forward, args=(ex,), daemon=True)
                second.start()
                raw = self._forward(ex)
                second.join()
            else:
                self._forward(ex)
                raw = self._forward(ex)
            self._reply(conn, ex, raw)
        else:
            if fault == "truncate":
                ex.request = request.with_body(request.body[: len(request.body) // 2])
            elif fault == "corrupt":
                body = bytearray(request.body)
                mid = len(body) // 2
                for i in range(mid, min(len(body), mid + 16)):
                    body[i] ^= 0xA5
                ex.request = request.with_body(bytes(body))
            elif fault != "pass":
                raise ValueError(f"unknown fault {fault!r}")
            self._forward_and_reply(conn, ex)
        if request.path.startswith(self.fault_path) and not ex.fault.startswith("hold"):
            self._release_one_held(ex)

    def _release_one_held(self, after: Exchange) -> None:
        with self._lock:
            held = [h for h in self._held if h[1] is not after and h[1].fault == "hold"]
            if not held:
                return
            first = held[0]
            self._held.remove(first)
        self._forward_and_reply(*first)

    def _forward_and_reply(self, conn: socket.socket, ex: Exchange) -> None:
        raw = self._forward(ex)
        self._reply(conn, ex, raw)

    def _forward(self, ex: Exchange) -> bytes:
        if self.on_request is not None:
            self.on_request(ex.request)
        raw = self._deliver(ex.request)
        status = _status(raw)
        with self._lock:
            ex.delivered += 1
            if status is not None:
                ex.status, ex.response = status, raw
        if status is not None and self.on_response is not None:
            self.on_response(ex.request, status)
        return raw

    def _deliver(self, request: Request) -> bytes:
        """One upstream connection: send, read the whole answer (b"" if the county is down)."""
        try:
            with socket.create_connection(self._upstream, timeout=self.upstream_timeout_s) as up:
                # the county may answer (413) and close before reading it all
                with contextlib.suppress(OSError):
                    up.sendall(request.to_bytes())
                chunks = []
                try:
                    while True:
                        data = up.recv(65536)
                        if not data:
                            break
                        chunks.append(data)
                except OSError:
                    pass  # reset after answering: keep what came
                return b"".join(chunks)
        except OSError:
            return b""

    def _reply(self, conn: socket.socket, ex: Exchange, raw: bytes, record: bool = True) -> None:
        if not raw:  # the county did not answer: the client sees the connection drop
            _close(conn)
            return
        head, sep, body = raw.partition(b"\r\n\r\n")
        lines = [ln for ln in head.split(b"\r\n") if not ln.lower().startswith(b"connection:")]
        raw = b"\r\n".join([*lines, b"Connection: close"]) + sep + body
        self._throttle(len(raw))
        try:
            conn.sendall(raw)
            ex.replied = record
        except OSError:
            pass
        _close(conn)

    def _throttle(self, size: int) -> None:
        if self.rate_bytes_per_s:
            time.sleep(size / self.rate_bytes_per_s)


def _fake_ack(request: Request) -> bytes:
    """An AckReply for every event of a batch, as if the county had stored it."""
    import base64
    import gzip
    import json

    header = json.loads(base64.b64decode(request.header("X-Yizhan-Batch") or ""))
    events = [json.loads(line) for line in gzip.decompress(request.body).splitlines() if line]
    body = json.dumps(
        {
            "batch_id": header["batch_id"],
            "acked_through_seq": header["last_seq"],
            "backlog": 0,
            "results": [
                {"event_id": e["id"], "seq": e["seq"], "status": "accepted", "reason": ""}
                for e in events
            ],
        }
    ).encode()
    head = (
        f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


def _status(raw: bytes) -> int | None:
    try:
        return int(raw.split(b" ", 2)[1])
    except (IndexError, ValueError):
        return None


def _close(conn: socket.socket) -> None:
    with contextlib.suppress(OSError):
        conn.shutdown(socket.SHUT_RDWR)
    conn.close()


def _read_request(conn: socket.socket) -> Request | None:
    buf = b""
    while b"\r\n\r\n" not in buf:
        data = conn.recv(65536)
        if not data:
            return None
        buf += data
        if len(buf) > 1024 * 1024:
            raise ValueError("header too large")
    head, _, rest = buf.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    method, path, version = lines[0].split(" ", 2)
    headers = []
    for line in lines[1:]:
        k, _, v = line.partition(":")
        headers.append((k.strip(), v.strip()))
    length = 0
    for k, v in headers:
        if k.lower() == "content-length":
            length = int(v)
        if k.lower() == "transfer-encoding" and "chunked" in v.lower():
            raise ValueError("chunked requests are not supported by the test proxy")
    while len(rest) < length:
        data = conn.recv(min(1024 * 1024, length - len(rest)))
        if not data:
            raise ValueError("request body cut short")
        rest += data
    return Request(method, path, version, headers, rest[:length])
