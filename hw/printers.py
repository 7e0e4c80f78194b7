"""Receipt printer backends (小票打印机): simulated files, an in-memory fake, and the picker.

The real backends (CUPS raw queue, LAN ESC/POS on port 9100) come later; they implement the
same :class:`hw.protocols.ReceiptPrinter` and turn their library errors into
:class:`hw.protocols.PrinterUnavailable` here, at one place.
"""

from __future__ import annotations

import os
import re
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .protocols import PrinterState, PrinterStatus, PrinterUnavailable, ReceiptPrinter

if TYPE_CHECKING:
    from appliance.settings import Settings

PRINTER_BACKENDS = ("simulated", "none")

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


def make_receipt_printer(settings: Settings) -> ReceiptPrinter | None:
    """The receipt printer the settings ask for; ``None`` when printing is switched off."""
    backend = settings.printer_backend.strip().lower()
    if backend == "simulated":
        return SimulatedReceiptPrinter(settings.data_path / "receipts")
    if backend == "none":
        return None
    raise ValueError(
        f"未知的小票打印机类型“{settings.printer_backend}”，可选：{'、'.join(PRINTER_BACKENDS)}"
    )
