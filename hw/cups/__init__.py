"""CUPS printing (pycups): the receipt raw queue and the A4 notice queue.

``hw.cups.queues`` talks to cupsd; ``hw.cups.status`` maps CUPS attributes to our printer
states without any I/O.
"""

from __future__ import annotations

from hw.cups.queues import CupsNoticePrinter, CupsQueue, CupsReceiptPrinter, cups_errors, translate
from hw.cups.status import CupsJob, JobState, printer_status, reason_keywords

__all__ = [
    "CupsJob",
    "CupsNoticePrinter",
    "CupsQueue",
    "CupsReceiptPrinter",
    "JobState",
    "cups_errors",
    "printer_status",
    "reason_keywords",
    "translate",
]
