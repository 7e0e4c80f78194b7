"""Receipt print spooler (小票打印队列): drains durable ``PrintJob`` rows to the printer.

A job is never lost: it stays ``pending`` until the printer has taken it. When the printer
cannot print (offline, out of paper, paused) the job keeps its place with ``attempts`` + 1
and ``last_error``, and the worker backs off. Each state change is one write transaction
with its event (``print_job.done`` / ``print_job.failed`` / ``print_job.error``). A retry
that fails for the same reason as the last one only counts the attempt: a printer out of
paper all afternoon must not flood the event log the county sync reads.

Delivery is at least once: a crash between printing and marking done reprints that one
receipt, which is better than a visitor without a ticket.
"""

from __future__ import annotations

import json
import logging
import threading
from dataclasses import dataclass
from typing import Any

from sqlmodel import col, select

from appliance.domain.clock import Clock
from appliance.settings import Settings
from appliance.storage.database import Database, append_event
from appliance.storage.models import PrintJob
from hw.printers import make_receipt_printer
from hw.protocols import PrinterUnavailable, ReceiptPrinter
from hw.receipt import build_receipt, progress_url, receipt_lines

from .container import Services

log = logging.getLogger("yizhan.print")

RECEIPT = "receipt"
PENDING = "pending"
DONE = "done"
ERROR = "error"  # the payload can never print (corrupt); kept for staff to see

POLL_SECONDS = 0.5
BACKOFF_START_SECONDS = 1.0
BACKOFF_MAX_SECONDS = 30.0


@dataclass(frozen=True)
class RenderedReceipt:
    data: bytes
    text: str
    title: str


class BadPayload(Exception):
    """A print job whose payload cannot be rendered."""


class PrintSpooler:
    """Prints pending receipt jobs, oldest first; one write transaction per state change."""

    def __init__(
        self,
        db: Database,
        printer: ReceiptPrinter,
        clock: Clock,
        settings: Settings,
        batch: int = 20,
    ) -> None:
        self.db = db
        self.printer = printer
        self.clock = clock
        self.settings = settings
        self.batch = batch
        self.last_error: str | None = None
        """Why the last round stopped early (printer unavailable), else ``None``."""

    def pending_jobs(self, limit: int | None = None) -> list[PrintJob]:
        with self.db.read() as s:
            query = (
                select(PrintJob)
                .where(PrintJob.kind == RECEIPT, PrintJob.status == PENDING)
                .order_by(col(PrintJob.created_at), col(PrintJob.id))
                .limit(limit or self.batch)
            )
            return list(s.exec(query))

    def render(self, job: PrintJob) -> RenderedReceipt:
        """The ESC/POS bytes and plain text for a receipt job's payload."""
        try:
            payload: dict[str, Any] = json.loads(job.payload)
            ticket: dict[str, Any] = payload["ticket"]
            station = str(payload.get("station_name") or self.settings.station_name)
            url = progress_url(self.settings.visitor_url, str(ticket["id"]))
            mm = self.settings.paper_width_mm
            tz = self.settings.timezone
            data = build_receipt(ticket, station, url, mm, tz=tz)
            text = "\n".join(receipt_lines(ticket, station, url, paper_mm=mm, tz=tz)) + "\n"
            return RenderedReceipt(data, text, str(ticket["number"]))
        except (ValueError, KeyError, TypeError) as exc:
            raise BadPayload(f"小票内容无法解析：{exc}") from exc

    def run_once(self) -> int:
        """Print what is pending now; returns how many receipts were printed.

        Stops at the first job the printer refuses, so order is kept and a missing printer
        is not hammered; ``last_error`` then says why.
        """
        self.last_error = None
        printed = 0
        for job in self.pending_jobs():
            try:
                receipt = self.render(job)
            except BadPayload as exc:
                log.error("print job %s cannot be rendered: %s", job.id, exc)
                self._mark_error(job.id, str(exc))
                continue
            try:
                self.printer.print_receipt(receipt.data, receipt.text, job.id, title=receipt.title)
            except PrinterUnavailable as exc:
                self._mark_failed(job.id, exc.reason, exc.state)
                self.last_error = exc.reason
                break
            except Exception as exc:  # a backend bug must not lose the job either
                log.exception("printer backend failed on job %s", job.id)
                self._mark_failed(job.id, f"打印机故障：{exc}", "offline")
                self.last_error = str(exc)
                break
            if self._mark_done(job.id):
                printed += 1
        return printed

    # ---- state changes, one transaction each ---------------------------------------------
    def _mark_done(self, job_id: str) -> bool:
        now = self.clock.now()
        with self.db.write() as s:
            job = s.get(PrintJob, job_id)
            if job is None or job.status != PENDING:
                return False
            job.status = DONE
            job.attempts += 1
            job.done_at = now
            job.last_error = None
            s.add(job)
            s.flush()
            append_event(s, "print_job.done", "print_job", job.id, self._info(job), now)
            return True

    def _mark_failed(self, job_id: str, reason: str, state: str) -> None:
        now = self.clock.now()
        with self.db.write() as s:
            job = s.get(PrintJob, job_id)
            if job is None or job.status != PENDING:
                return
            repeated = job.last_error == reason
            job.attempts += 1
            job.last_error = reason
            s.add(job)
            s.flush()
            if not repeated:
                info = {**self._info(job), "error": reason, "printer_state": state}
                append_event(s, "print_job.failed", "print_job", job.id, info, now)

    def _mark_error(self, job_id: str, reason: str) -> None:
        now = self.clock.now()
        with self.db.write() as s:
            job = s.get(PrintJob, job_id)
            if job is None or job.status != PENDING:
                return
            job.status = ERROR
            job.attempts += 1
            job.last_error = reason
            s.add(job)
            s.flush()
            info = {**self._info(job), "error": reason}
            append_event(s, "print_job.error", "print_job", job.id, info, now)

    @staticmethod
    def _info(job: PrintJob) -> dict[str, Any]:
        return {"kind": job.kind, "ticket_id": job.ticket_id, "attempts": job.attempts}


def next_delay(current: float, failed: bool) -> float:
    """Poll interval after a round: steady when fine, doubling up to a cap while failing."""
    if not failed:
        return POLL_SECONDS
    if current < BACKOFF_START_SECONDS:
        return BACKOFF_START_SECONDS
    return min(current * 2, BACKOFF_MAX_SECONDS)


def spool_worker(services: Services, stop: threading.Event) -> None:
    """Background worker for the server: print receipts until ``stop`` is set."""
    printer = make_receipt_printer(services.settings)
    if printer is None:
        log.info("receipt printing is off (printer_backend=none)")
        return
    spooler = PrintSpooler(services.db, printer, services.clock, services.settings)
    delay = POLL_SECONDS
    while not stop.is_set():
        failed = False
        try:
            spooler.run_once()
            failed = spooler.last_error is not None
            if failed:
                log.warning("printer unavailable, retrying later: %s", spooler.last_error)
        except Exception:  # database busy or similar: keep the worker alive
            log.exception("print spooler round failed")
            failed = True
        delay = next_delay(delay, failed)
        stop.wait(delay)
