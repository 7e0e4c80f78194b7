"""A private cupsd and a fake LAN receipt printer for benches, outside pytest.

The configuration, :class:`CupsServer`, :class:`SocketPrinter` and :func:`stop_cupsd` come
from ``tests/support/cups_server.py`` (plain code there); only the start-up is our own, because the
test version reports a missing or failing cupsd with ``pytest.skip``/``pytest.fail``. Here a
failure is a ``RuntimeError``.

``private_cupsd()`` is a context manager: cupsd runs in a temp dir, listens only on the Unix
socket ``DIR/cups.sock``, and is stopped (and its directory removed) on the way out, even on
error. ``raw_queue(server)`` adds a raw queue whose device is ``socket://127.0.0.1:PORT`` with
a :class:`SocketPrinter` on that port, as a LAN ESC/POS printer on port 9100 receives jobs.
"""

from __future__ import annotations

import os
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.support.cups_server import (
    CUPS_FILES_CONF,
    CUPSD,
    CUPSD_CONF,
    LPADMIN,
    CupsServer,
    SocketPrinter,
    stop_cupsd,
)

__all__ = [
    "CupsServer",
    "SocketPrinter",
    "private_cupsd",
    "raw_queue",
    "start_cupsd",
    "stop_cupsd",
    "wait_received",
]


def _system_group() -> str:
    if os.geteuid() == 0:
        return "root"
    import grp

    return grp.getgrgid(os.getegid()).gr_name


def _accepts(path: str) -> bool:
    if not os.path.exists(path):
        return False
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
        try:
            probe.connect(path)
        except OSError:
            return False
    return True


def start_cupsd(timeout: float = 10.0) -> CupsServer:
    """``cupsd -f -c DIR/cupsd.conf -s DIR/cups-files.conf`` on a Unix socket in a temp dir."""
    if not (Path(CUPSD).exists() and Path(LPADMIN).exists()):
        raise RuntimeError("cupsd is not installed (Debian: cups-daemon, cups-client)")
    root = Path(tempfile.mkdtemp(prefix="yizhan-bench-cupsd-"))
    root.chmod(0o755)  # filters and backends run as lp and must reach the spool
    for sub in ("state", "cache", "spool", "spool/tmp", "log", "out", "ppd"):
        (root / sub).mkdir(parents=True, exist_ok=True)
        (root / sub).chmod(0o1777)
    values = {"dir": root, "group": _system_group()}
    (root / "cupsd.conf").write_text(CUPSD_CONF.format(**values))
    (root / "cups-files.conf").write_text(CUPS_FILES_CONF.format(**values))
    process = subprocess.Popen(
        [CUPSD, "-f", "-c", str(root / "cupsd.conf"), "-s", str(root / "cups-files.conf")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    server = CupsServer(root, process)
    deadline = time.monotonic() + timeout
    while not _accepts(server.socket):
        if process.poll() is not None or time.monotonic() > deadline:
            log = server.error_log()
            stop_cupsd(server)  # closes stderr too; read what it said first
            raise RuntimeError(f"private cupsd did not start (exit {process.poll()}):\n{log}")
        time.sleep(0.005)
    return server


@contextmanager
def private_cupsd() -> Iterator[CupsServer]:
    """A running private cupsd, stopped and removed on exit."""
    server = start_cupsd()
    try:
        yield server
    finally:
        stop_cupsd(server)


@contextmanager
def raw_queue(server: CupsServer, prefix: str = "receipt") -> Iterator[tuple[str, SocketPrinter]]:
    """A raw queue on ``socket://127.0.0.1:PORT`` and the listener behind it (stopped on exit)."""
    listener = SocketPrinter().start()
    name = server.unique(prefix)
    try:
        server.add_raw_queue(name, f"socket://127.0.0.1:{listener.port}")
        yield name, listener
    finally:
        listener.stop()


def wait_received(listener: SocketPrinter, count: int, timeout: float = 10.0) -> bytes:
    """Wait until the listener holds ``count`` jobs; returns the newest one's bytes."""
    deadline = time.monotonic() + timeout
    while len(listener.jobs) < count:
        if time.monotonic() > deadline:
            raise RuntimeError(f"expected {count} jobs at the listener, got {len(listener.jobs)}")
        time.sleep(0.001)
    return listener.jobs[count - 1]
