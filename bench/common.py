"""Helpers the benches share: a real station server in a subprocess, and the figures.

The server is started exactly as on the appliance (``python -m yizhan.cli serve``) on a
free loopback port, over a data directory of its own, with the printer backend ``none``.
It can be stopped, killed (SIGKILL) and started again on the same port and database.
The crash-safety test (``tests/db/test_crash_safety.py``) drives the same class.
"""

from __future__ import annotations

import json
import math
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
HEALTH_PATH = "/api/health"


def free_port() -> int:
    """A TCP port on the loopback interface that nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def database_path(data_dir: Path) -> Path:
    """Where the station keeps its SQLite database (``database_url`` left empty)."""
    return data_dir / "station.db"


def prepare_demo_database(data_dir: Path) -> None:
    """Migrate and seed the demo station in process, as ``yizhan demo seed`` does."""
    from appliance.db.migrate import upgrade
    from appliance.demo.seed import seed_demo
    from appliance.settings import load_settings
    from appliance.wiring import build_services

    settings = load_settings(env={}, data_dir=str(data_dir), printer_backend="none")
    upgrade(settings.sqlalchemy_url)
    services = build_services(settings)
    try:
        seed_demo(services)
    finally:
        services.close()


def server_env(
    data_dir: Path, port: int, settings: Mapping[str, str] | None = None
) -> dict[str, str]:
    """The environment of a server subprocess: no ``YIZHAN_*`` leaks in from the caller."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("YIZHAN_")}
    env.update(
        YIZHAN_DATA_DIR=str(data_dir),
        YIZHAN_HTTP_PORT=str(port),
        YIZHAN_SERVER_URL=f"http://127.0.0.1:{port}",
        YIZHAN_PRINTER_BACKEND="none",
        YIZHAN_DEMO="1",  # a demo station: the published demo device key is accepted
    )
    for name, value in (settings or {}).items():
        env[f"YIZHAN_{name.upper()}"] = value
    return env


def rss_mb(pid: int) -> float:
    """Resident memory (``VmRSS`` in ``/proc/PID/status``) of a process, in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for process {pid}")


def pss_mb(pid: int) -> float:
    """Proportional resident memory (``Pss`` in ``/proc/PID/smaps_rollup``) in MiB: each shared
    page (the Python binary, shared libraries) split among the processes that map it, so the
    Pss of several processes adds up to what they take from the machine together."""
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no Pss for process {pid}")


class ServerProcess:
    """``python -m yizhan.cli serve --port N`` over ``data_dir``; restartable on one port."""

    def __init__(
        self,
        data_dir: Path,
        port: int | None = None,
        settings: Mapping[str, str] | None = None,
    ) -> None:
        self.data_dir = data_dir
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = server_env(data_dir, self.port, settings)
        self.log_path = data_dir / "server.log"
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def pid(self) -> int:
        if self.proc is None:
            raise RuntimeError("server not started")
        return self.proc.pid

    def start(self, timeout: float = 90.0) -> float:
        """Spawn the server and wait for ``/api/health``; returns the seconds that took."""
        if self.proc is not None and self.proc.poll() is None:
            raise RuntimeError("server already running")
        started = time.perf_counter()
        cmd = [sys.executable, "-m", "yizhan.cli", "serve", "--port", str(self.port)]
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen(
                cmd, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT
            )
        self.wait_healthy(timeout)
        return time.perf_counter() - started

    def wait_healthy(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while True:
            if self.proc is not None and self.proc.poll() is not None:
                raise RuntimeError(f"server exited with {self.proc.returncode}:\n{self.log_tail()}")
            try:
                if httpx.get(self.url + HEALTH_PATH, timeout=1.0).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"server not healthy after {timeout} s:\n{self.log_tail()}")
            time.sleep(0.02)

    def kill(self) -> None:
        """SIGKILL: the power-cut stand-in. No shutdown hook, no checkpoint runs."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
        if self.proc is not None:
            self.proc.wait(timeout=10)

    def stop(self) -> None:
        """SIGTERM, as systemd stops the service; SIGKILL if it hangs."""
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.kill()

    def rss_mb(self) -> float:
        if self.proc is None or self.proc.poll() is not None:
            raise RuntimeError(f"server is not running:\n{self.log_tail()}")
        return rss_mb(self.pid)

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no server log)"

    def __enter__(self) -> ServerProcess:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def login(client: httpx.Client, code: str, pin: str) -> dict[str, str]:
    """Log a staff account in; returns the bearer header."""
    r = client.post("/api/auth/login", json={"code": code, "pin": pin})
    r.raise_for_status()
    return {"Authorization": f"Bearer {r.json()['token']}"}


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0–100), linear between closest ranks (numpy's default)."""
    if not values:
        raise ValueError("no samples")
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q / 100
    low, high = math.floor(pos), math.ceil(pos)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def print_result(result: Mapping[str, Any]) -> None:
    """The machine-readable summary: one JSON object, always the last line of output."""
    sys.stdout.flush()
    print(json.dumps(dict(result), ensure_ascii=False), flush=True)
