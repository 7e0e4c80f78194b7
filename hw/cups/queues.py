"""CUPS print queues (打印队列) through pycups: the receipt raw queue and the A4 notice queue.

Every pycups error is turned into :class:`hw.protocols.PrinterUnavailable` in one place,
:func:`cups_errors`; ``status()`` never raises. Before a job is sent we read the queue's
state: a stopped or paused queue, ``media-empty``/``offline`` reasons, or a job stuck
printing (the printer is off) refuse the job with :class:`PrinterUnavailable`, so the caller
keeps it in its durable job table and retries later. A job CUPS has accepted is never lost:
CUPS keeps retrying the device until the printer returns.

``cups.setServer`` is per thread in libcups, so each connection sets the server (socket path
or ``host:port``) right before ``cups.Connection()`` in the calling thread.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from typing import Any, cast

import cups

from hw.cups.status import (
    IDLE,
    PROCESSING,
    CupsJob,
    job_from_attributes,
    printer_status,
    stalled_for,
)
from hw.protocols import PrinterStatus, PrinterUnavailable

RAW_FORMAT = "application/vnd.cups-raw"
PDF_FORMAT = "application/pdf"

IPP_OK_STATUSES = (0, 1, 2)  # successful-ok, …-ignored-or-substituted, …-conflicting
IPP_NOT_FOUND = 0x0406
IPP_NOT_ACCEPTING = 0x0507

PRINTER_ATTRIBUTES = [
    "printer-state",
    "printer-state-reasons",
    "printer-state-message",
    "printer-is-accepting-jobs",
    "printer-up-time",
]
JOB_LIST_ATTRIBUTES = ["job-id", "job-state", "time-at-processing", "job-printer-uri"]
JOB_ATTRIBUTES = ["job-id", "job-state", "job-state-reasons", "job-printer-state-message"]


def translate(exc: BaseException, queue: str) -> PrinterUnavailable:
    """A pycups exception as the domain error: which state the printer is in, and why."""
    if isinstance(exc, cups.IPPError):
        code, message = (list(exc.args) + [0, ""])[:2]
        if code == IPP_NOT_FOUND:
            return PrinterUnavailable(f"找不到打印队列“{queue}”", "offline")
        if code == IPP_NOT_ACCEPTING:
            return PrinterUnavailable(f"打印队列“{queue}”不接受新作业", "paused")
        return PrinterUnavailable(f"打印服务出错（{code}）：{message}", "offline")
    if isinstance(exc, cups.HTTPError):
        return PrinterUnavailable(f"打印服务通信失败（HTTP {exc.args[0] if exc.args else ''}）")
    return PrinterUnavailable(f"无法连接打印服务（CUPS）：{exc}", "offline")


@contextmanager
def cups_errors(queue: str) -> Iterator[None]:
    """Turn pycups errors (IPPError, HTTPError, connection RuntimeError) into PrinterUnavailable."""
    try:
        yield
    except PrinterUnavailable:
        raise
    except (cups.IPPError, cups.HTTPError, RuntimeError, OSError) as exc:
        raise translate(exc, queue) from exc


class CupsQueue:
    """One CUPS queue: connection, state, submission and job lookup shared by both printers."""

    document_format = RAW_FORMAT

    def __init__(self, queue: str, server: str | None = None, *, stall_seconds: float = 15.0):
        self.queue = queue
        self.server = server or None
        self.stall_seconds = stall_seconds
        self.last_job_id: int | None = None

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.queue!r}, server={self.server!r})"

    # ---- connection and state ------------------------------------------------------------
    def connect(self) -> Any:
        """A new pycups connection to our server (the default server when none was given)."""
        if self.server:
            cups.setServer(self.server)
        return cups.Connection()

    def _status(self, conn: Any) -> PrinterStatus:
        attrs = cast(
            Mapping[str, Any],
            conn.getPrinterAttributes(self.queue, requested_attributes=PRINTER_ATTRIBUTES),
        )
        stalled = 0.0
        if int(attrs.get("printer-state", IDLE)) == PROCESSING:
            now = float(attrs.get("printer-up-time") or time.time())
            jobs = conn.getJobs(
                which_jobs="not-completed", requested_attributes=JOB_LIST_ATTRIBUTES
            )
            stalled = stalled_for(cast(Mapping[int, Mapping[str, Any]], jobs), self.queue, now)
        return printer_status(
            self.queue, attrs, stalled_seconds=stalled, stall_limit=self.stall_seconds
        )

    def status(self) -> PrinterStatus:
        """ready / offline / media-empty / paused with a Chinese label; never raises."""
        try:
            with cups_errors(self.queue):
                return self._status(self.connect())
        except PrinterUnavailable as exc:
            return PrinterStatus.of(exc.state, exc.reason)

    # ---- jobs ----------------------------------------------------------------------------
    def submit(
        self, data: bytes, title: str, *, options: Mapping[str, str], document_name: str = ""
    ) -> int:
        """Check the queue is ready, then send one document; returns the CUPS job id.

        Raises :class:`PrinterUnavailable` and leaves no job behind when the queue cannot
        take it.
        """
        with cups_errors(self.queue):
            conn = self.connect()
            current = self._status(conn)
            if not current.ready:
                raise PrinterUnavailable(f"{current.label}（{current.detail}）", current.state)
            job_id = int(conn.createJob(self.queue, title, dict(options)))
            try:
                conn.startDocument(
                    self.queue, job_id, document_name or title, self.document_format, 1
                )
                conn.writeRequestData(data, len(data))
                result = int(conn.finishDocument(self.queue))
            except BaseException:
                self._cancel_quietly(conn, job_id)
                raise
            if result not in IPP_OK_STATUSES:
                self._cancel_quietly(conn, job_id)
                raise PrinterUnavailable(f"打印服务拒绝了作业（{result}）", "offline")
        self.last_job_id = job_id
        return job_id

    @staticmethod
    def _cancel_quietly(conn: Any, job_id: int) -> None:
        with suppress(cups.IPPError, cups.HTTPError, RuntimeError):
            conn.cancelJob(job_id)

    def job_state(self, job_id: int) -> CupsJob:
        """Where a submitted job is: pending, processing, completed …

        Raises :class:`LookupError` for a job CUPS does not know (purged from its history)
        and :class:`PrinterUnavailable` when CUPS cannot be asked.
        """
        with cups_errors(self.queue):
            conn = self.connect()
            try:
                attrs = conn.getJobAttributes(job_id, requested_attributes=JOB_ATTRIBUTES)
            except cups.IPPError as exc:
                if exc.args and exc.args[0] == IPP_NOT_FOUND:
                    raise LookupError(f"打印服务中没有作业 {job_id}") from exc
                raise
        return job_from_attributes(job_id, cast(Mapping[str, Any], attrs))

    def cancel_job(self, job_id: int) -> None:
        """Cancel a job CUPS still holds (staff cancelled the print)."""
        with cups_errors(self.queue):
            self.connect().cancelJob(job_id)


class CupsReceiptPrinter(CupsQueue):
    """Thermal receipt printer (小票打印机) behind a CUPS *raw* queue.

    The queue's device is typically ``socket://PRINTER:9100`` (LAN) or ``usb://…``; the bytes
    built by :mod:`appliance.documents.receipt` reach the printer unchanged. The job title is the ticket number.
    """

    document_format = RAW_FORMAT

    def print_receipt(self, data: bytes, text: str, job_id: str, *, title: str = "") -> None:
        self.submit(data, title or job_id, options={"raw": "true"}, document_name=job_id)


class CupsNoticePrinter(CupsQueue):
    """A4 printer for notices (通知书) behind a CUPS queue taking PDF: ``media=A4``, 2 copies.

    With the cups-filters PDF chain, ``copies=2`` yields two printed pages per page.
    """

    document_format = PDF_FORMAT

    def print_pdf(self, pdf: bytes, job_id: str, *, title: str = "", copies: int = 2) -> None:
        if copies < 1:
            raise ValueError("copies must be at least 1")
        options = {"media": "A4", "copies": str(copies)}
        self.submit(pdf, title or job_id, options=options, document_name=job_id)
