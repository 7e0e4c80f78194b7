"""A real, private cupsd for printer tests, and LAN printers on AppSocket (port 9100 style).

``cupsd -f -c DIR/cupsd.conf -s DIR/cups-files.conf`` runs in a temp dir and listens only on
the Unix socket ``DIR/cups.sock``; nothing touches the system's CUPS. The fixtures
(``cups_server``, session-scoped; ``raw_queue``; ``pdf_queue``) are in ``tests/conftest.py``.

Every queue sends to a ``socket://127.0.0.1:PORT`` device served by a :class:`SocketPrinter`,
which keeps the bytes a real network printer would receive: the raw ESC/POS bytes of a
receipt, or the PDF that the cups-filters chain makes for the A4 queue. ``file:`` devices are
not used: on a fresh machine the scheduler refused to open their output file ("could not open
the output file"), and a raw queue on a file device writes nothing while reporting success.
Filters run as ``lp`` when cupsd runs as root, so the directories they read or write are
world-writable (sticky) and the temp dir is not under pytest's private ``tmp_path``.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

PDF_PPD = Path("/usr/share/ppd/cupsfilters/Generic-PDF_Printer-PDF.ppd")
CUPSD = shutil.which("cupsd") or "/usr/sbin/cupsd"
LPADMIN = shutil.which("lpadmin") or "/usr/sbin/lpadmin"

CUPSD_CONF = """\
Listen {dir}/cups.sock
Browsing Off
WebInterface No
DefaultAuthType None
LogLevel info
PreserveJobHistory Yes
PreserveJobFiles Yes
MaxJobs 0
<Location />
  Order allow,deny
  Allow all
</Location>
<Policy default>
  JobPrivateAccess all
  JobPrivateValues none
  SubscriptionPrivateAccess all
  SubscriptionPrivateValues none
  <Limit All>
    Order allow,deny
    Allow all
  </Limit>
</Policy>
"""

CUPS_FILES_CONF = """\
ServerRoot {dir}
StateDir {dir}/state
CacheDir {dir}/cache
RequestRoot {dir}/spool
TempDir {dir}/spool/tmp
ServerBin /usr/lib/cups
DataDir /usr/share/cups
AccessLog {dir}/log/access_log
ErrorLog {dir}/log/error_log
PageLog {dir}/log/page_log
Printcap {dir}/printcap
SystemGroup {group}
"""


class SocketPrinter:
    """A LAN printer on AppSocket: accepts connections on 127.0.0.1 and records each job's bytes.

    :meth:`stop` switches the printer off (connections are refused); :meth:`start` switches
    it back on, on the same port.
    """

    def __init__(self) -> None:
        self.jobs: list[bytes] = []
        self.port = 0
        self._server: socket.socket | None = None
        self._thread: threading.Thread | None = None
        self._received = threading.Condition()

    def start(self) -> SocketPrinter:
        server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind(("127.0.0.1", self.port))
        server.listen(8)
        self.port = server.getsockname()[1]
        self._server = server
        self._thread = threading.Thread(target=self._serve, args=(server,), daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            # close() alone does not wake a thread blocked in accept(), and the port keeps
            # listening until it returns; shutdown() wakes it and refuses new connections
            with contextlib.suppress(OSError):
                self._server.shutdown(socket.SHUT_RDWR)
            self._server.close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    @property
    def running(self) -> bool:
        return self._server is not None

    def _serve(self, server: socket.socket) -> None:
        while True:
            try:
                conn, _ = server.accept()
            except OSError:
                return  # closed by stop()
            with conn:
                chunks = []
                while chunk := conn.recv(65536):
                    chunks.append(chunk)
            with self._received:
                self.jobs.append(b"".join(chunks))
                self._received.notify_all()

    def wait_for(self, count: int, timeout: float = 10.0) -> list[bytes]:
        """Wait until ``count`` jobs have arrived; returns them (fails the test on timeout)."""
        with self._received:
            if not self._received.wait_for(lambda: len(self.jobs) >= count, timeout):
                pytest.fail(f"expected {count} receipt jobs at the listener, got {len(self.jobs)}")
            return list(self.jobs)


@dataclass
class CupsServer:
    """A running private cupsd: its directory, socket and helpers to add queues."""

    root: Path
    process: subprocess.Popen[bytes]
    _names: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    @property
    def socket(self) -> str:
        return str(self.root / "cups.sock")

    @property
    def out(self) -> Path:
        return self.root / "out"

    def connection(self) -> Any:
        import cups

        cups.setServer(self.socket)
        return cups.Connection()

    def lpadmin(self, *args: str) -> None:
        subprocess.run([LPADMIN, "-h", self.socket, *args], check=True, capture_output=True)

    def unique(self, prefix: str) -> str:
        return f"{prefix}{next(self._names)}"

    def add_raw_queue(self, name: str, uri: str) -> None:
        self.lpadmin("-p", name, "-E", "-v", uri, "-m", "raw")

    def add_pdf_queue(self, name: str, uri: str) -> None:
        """An A4 queue with the cups-filters Generic PDF PPD on the device ``uri``."""
        self.lpadmin("-p", name, "-E", "-v", uri, "-P", str(PDF_PPD))

    def set_reasons(self, name: str, reasons: str) -> None:
        """Set ``printer-state-reasons`` the way an IPP printer reports them (``none`` clears)."""
        self.lpadmin("-p", name, "-o", f"printer-state-reasons={reasons}")

    def error_log(self) -> str:
        path = self.root / "log" / "error_log"
        return path.read_text(errors="replace") if path.exists() else ""

    def wait_job(
        self, job_id: int, states: tuple[int, ...] = (7, 8, 9), timeout: float = 15.0
    ) -> dict[str, Any]:
        """Poll a job until its ``job-state`` is one of ``states`` (default: final)."""
        conn = self.connection()
        deadline = time.monotonic() + timeout
        while True:
            attrs: dict[str, Any] = conn.getJobAttributes(job_id)
            if attrs.get("job-state") in states or time.monotonic() > deadline:
                return attrs
            time.sleep(0.02)


def _system_group() -> str:
    if os.geteuid() == 0:
        return "root"
    import grp

    return grp.getgrgid(os.getegid()).gr_name


def start_cupsd() -> CupsServer:
    if not (Path(CUPSD).exists() and Path(LPADMIN).exists()):
        pytest.skip("cupsd is not installed (Debian: cups-daemon, cups-client)")
    root = Path(tempfile.mkdtemp(prefix="yizhan-cupsd-"))
    root.chmod(0o755)  # filters run as lp and must reach the spool
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
    deadline = time.monotonic() + 60  # generous: a loaded CI machine
    while not _accepts(server.socket):
        if process.poll() is not None or time.monotonic() > deadline:
            stop_cupsd(server)
            err = process.stderr.read().decode(errors="replace") if process.stderr else ""
            pytest.fail(f"private cupsd did not start: {err}\n{server.error_log()}")
        time.sleep(0.005)
    return server


def _accepts(path: str) -> bool:
    if not os.path.exists(path):
        return False
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
        try:
            probe.connect(path)
        except OSError:
            return False
    return True


def stop_cupsd(server: CupsServer) -> None:
    proc = server.process
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    if proc.stderr is not None:
        proc.stderr.close()
    shutil.rmtree(server.root, ignore_errors=True)


@dataclass
class RawQueue:
    name: str
    listener: SocketPrinter
    server: CupsServer


@dataclass
class PdfQueue:
    name: str
    printer: SocketPrinter
    server: CupsServer

    def received(self, timeout: float = 15.0) -> Path:
        """The PDF the printer received for the first job, written out for pdftotext."""
        data = self.printer.wait_for(1, timeout)[0]
        path = self.server.out / f"{self.name}.pdf"
        path.write_bytes(data)
        return path
