"""Timed subclasses for bench/press_to_print.py: they only add timestamps to the real parts."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any

from appliance.jobs.schemas import PrintJobClaim
from appliance.queue.schemas import ButtonTicket
from hw.cups import CupsReceiptPrinter
from hwservice.api import DeviceApi
from hwservice.printing import PrintWorker

now = time.perf_counter


class TimedApi(DeviceApi):
    """The device API; remembers when the last button-press request started and returned."""

    http_start = 0.0
    http_end = 0.0

    def button_press(
        self, long: bool = False, lease_seconds: float = 60, category: str | None = None
    ) -> ButtonTicket:
        self.http_start = now()
        try:
            return super().button_press(long, lease_seconds, category)
        finally:
            self.http_end = now()


class TimedReceiptPrinter(CupsReceiptPrinter):
    """The CUPS receipt printer; remembers the bytes and when the submission ran."""

    enter = 0.0
    accepted = 0.0
    data = b""

    def print_receipt(self, data: bytes, text: str, job_id: str, *, title: str = "") -> None:
        self.enter = now()
        super().print_receipt(data, text, job_id, title=title)
        self.accepted = now()  # submit() returned: cupsd answered the job's last IPP request
        self.data = data


class SignallingWorker(PrintWorker):
    """The print worker; sets an event once a claimed job is printed and reported done."""

    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.done = threading.Event()
        self.result: bool | None = None

    def print_claimed(self, job: PrintJobClaim) -> bool:
        try:
            self.result = super().print_claimed(job)
            return self.result
        finally:
            self.done.set()


@dataclass
class PressSample:
    total: float  # release edge → CUPS accepted
    debounce: float  # release edge → press decided (callback)
    handoff: float  # press decided → HTTP request starts on the bridge's worker thread
    http: float  # /api/device/button-press round trip
    render: float  # HTTP answer → print_receipt entered (ESC/POS bytes built)
    submit: float  # CupsReceiptPrinter.print_receipt (state check + create/send job)


# ---- the rig ------------------------------------------------------------------------------
