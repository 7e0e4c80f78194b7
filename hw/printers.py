"""Printer backends: receipts (小票打印机) and A4 notices (通知书打印机), and the pickers.

Each kind has a simulated backend (files under DATA_DIR), an in-memory fake for tests and
the real CUPS backend in :mod:`hw.cups`, which turns pycups errors into
:class:`hw.protocols.PrinterUnavailable` at one place. Settings pick the backend:
``printer_backend`` and ``notice_printer_backend`` (``cups``, ``simulated`` or ``none``).
"""

from __future__ import annotations

import os
import re
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from hw.protocols import (
    PrinterState,
    PrinterStatus,
    PrinterUnavailable,
)

if TYPE_CHECKING:
    pass

PRINTER_BACKENDS = ("cups", "simulated", "none")

DEFAULT_RECEIPT_QUEUE = "receipt"
DEFAULT_NOTICE_QUEUE = "notice"
DEFAULT_STALL_SECONDS = 15.0

_UNSAFE = re.compile(r"[^0-9A-Za-z_.-]+")


def _safe_name(part: str, fallback: str) -> str:
    cleaned = _UNSAFE.sub("_", part).strip("._")
    return cleaned or fallback


def _write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


class SimulatedReceiptPrinter:
    """Writes each receipt as ``<number>-<job_id>.txt`` and ``.bin`` (ESC/POS) files.

    Used on the demo station and in development; the ``.bin`` file is exactly what a
    thermal printer would receive.
    """

    def __init__(self, directory: str | os.PathLike[str]) -> None:
        self.directory = Path(directory)

    def paths_for(self, job_id: str, title: str = "") -> tuple[Path, Path]:
        stem = f"{_safe_name(title, 'receipt')}-{_safe_name(job_id, 'job')}"
        return self.directory / f"{stem}.txt", self.directory / f"{stem}.bin"

    def print_receipt(self, data: bytes, text: str, job_id: str, *, title: str = "") -> None:
        txt, binary = self.paths_for(job_id, title)
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            _write_atomic(binary, data)
            _write_atomic(txt, text.encode("utf-8"))
        except OSError as exc:
            raise PrinterUnavailable(
                f"无法写入小票目录 {self.directory}：{exc.strerror or exc}"
            ) from exc

    def status(self) -> PrinterStatus:
        probe = self.directory if self.directory.exists() else self.directory.parent
        if os.access(probe, os.W_OK):
            return PrinterStatus.of("ready", f"模拟打印，小票保存在 {self.directory}")
        return PrinterStatus.of("offline", f"小票目录不可写：{self.directory}")


@dataclass(frozen=True)
class PrintedReceipt:
    """One receipt the fake printer accepted."""

    job_id: str
    data: bytes
    text: str
    title: str


class FakeReceiptPrinter:
    """In-memory printer for tests: records receipts and can be driven offline or out of paper."""

    def __init__(self, state: PrinterState = "ready") -> None:
        self.state: PrinterState = state
        self.printed: list[PrintedReceipt] = []
        self.attempts = 0
        self._lock = threading.Lock()

    # ---- driving the fake ---------------------------------------------------------------
    def set_state(self, state: PrinterState) -> None:
        self.state = state

    def go_offline(self) -> None:
        self.set_state("offline")

    def run_out_of_paper(self) -> None:
        self.set_state("media-empty")

    def pause(self) -> None:
        self.set_state("paused")

    def restore(self) -> None:
        self.set_state("ready")

    @property
    def job_ids(self) -> list[str]:
        return [r.job_id for r in self.printed]

    # ---- ReceiptPrinter -----------------------------------------------------------------
    def print_receipt(self, data: bytes, text: str, job_id: str, *, title: str = "") -> None:
        with self._lock:
            self.attempts += 1
            current = self.status()
            if not current.ready:
                raise PrinterUnavailable(current.label, current.state)
            self.printed.append(PrintedReceipt(job_id, data, text, title))

    def status(self) -> PrinterStatus:
        return PrinterStatus.of(self.state)


class SimulatedNoticePrinter:
    """Writes each notice as ``<title>-<job_id>.pdf``: the document the A4 printer would get
    (one file whatever ``copies`` says)."""

    def __init__(self, directory: str | os.PathLike[str]) -> None:
        self.directory = Path(directory)

    def path_for(self, job_id: str, title: str = "") -> Path:
        return self.directory / f"{_safe_name(title, 'notice')}-{_safe_name(job_id, 'job')}.pdf"

    def print_pdf(self, pdf: bytes, job_id: str, *, title: str = "", copies: int = 2) -> None:
        path = self.path_for(job_id, title)
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            _write_atomic(path, pdf)
        except OSError as exc:
            raise PrinterUnavailable(
                f"无法写入通知书目录 {self.directory}：{exc.strerror or exc}"
            ) from exc

    def status(self) -> PrinterStatus:
        probe = self.directory if self.directory.exists() else self.directory.parent
        if os.access(probe, os.W_OK):
            return PrinterStatus.of("ready", f"模拟打印，通知书保存在 {self.directory}")
        return PrinterStatus.of("offline", f"通知书目录不可写：{self.directory}")


@dataclass(frozen=True)
class PrintedNotice:
    """One notice the fake A4 printer accepted."""

    job_id: str
    pdf: bytes
    title: str
    copies: int


class FakeNoticePrinter:
    """In-memory A4 printer for tests: records notices and can be driven like the receipt fake."""

    def __init__(self, state: PrinterState = "ready") -> None:
        self.state: PrinterState = state
        self.printed: list[PrintedNotice] = []
        self.attempts = 0
        self._lock = threading.Lock()

    def set_state(self, state: PrinterState) -> None:
        self.state = state

    def print_pdf(self, pdf: bytes, job_id: str, *, title: str = "", copies: int = 2) -> None:
        with self._lock:
            self.attempts += 1
            current = self.status()
            if not current.ready:
                raise PrinterUnavailable(current.label, current.state)
            self.printed.append(PrintedNotice(job_id, pdf, title, copies))

    def status(self) -> PrinterStatus:
        return PrinterStatus.of(self.state)
