"""Print worker: lease print jobs from the server, print them, report back.

Receipts go to the receipt printer. A4 notices go to the notice printer; a station with only
the thermal printer gets the condensed receipt version (the full PDF stays with the case).
A notice issued on a case (``case_notice_id`` in the payload) prints exactly the PDF kept
with the case, fetched from the server (which checks its SHA-256); if the server refuses
(file lost or altered) the notice is rendered again from the job's fields.
Delivery is at least once: a crash between printing and reporting reprints that one job.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Any

from appliance.documents.receipt import build_receipt, progress_url, receipt_lines
from appliance.jobs.schemas import PrintJobClaim
from hw.protocols import NoticePrinter, PrinterStatus, PrinterUnavailable, ReceiptPrinter
from hwservice.api import ApiRefused, ApiUnavailable, DeviceApi

log = logging.getLogger("yizhan.hw.print")


class BadPayload(Exception):
    """A job whose payload can never be printed."""


@dataclass(frozen=True)
class ReceiptOptions:
    station_name: str
    visitor_url: str
    paper_mm: int = 58
    timezone: str = "Asia/Shanghai"


def render_receipt(payload: dict[str, Any], opts: ReceiptOptions) -> tuple[bytes, str, str]:
    """ESC/POS bytes, plain text and job title of a receipt payload."""
    try:
        ticket: dict[str, Any] = payload["ticket"]
        station = str(payload.get("station_name") or opts.station_name)
        url = progress_url(opts.visitor_url, str(ticket["id"]))
        rating = payload.get("rating_url")  # the one-time rating link (R-E2), if any
        rating_url = str(rating) if rating else None
        data = build_receipt(
            ticket, station, url, opts.paper_mm, tz=opts.timezone, rating_url=rating_url
        )
        lines = receipt_lines(
            ticket, station, url, paper_mm=opts.paper_mm, tz=opts.timezone, rating_url=rating_url
        )
        text = "\n".join(lines)
        return data, text + "\n", str(ticket["number"])
    except (KeyError, TypeError, ValueError) as exc:
        raise BadPayload(f"小票内容无法解析：{exc}") from exc


def _notice(payload: dict[str, Any]) -> Any:
    from appliance.documents.pdf import Notice

    try:
        return Notice(**payload["notice"])
    except (KeyError, TypeError) as exc:
        raise BadPayload(f"通知书内容无法解析：{exc}") from exc


def render_notice(payload: dict[str, Any]) -> tuple[bytes, str]:
    """PDF bytes and title of a notice payload ``{"notice": {...Notice fields}}``."""
    from appliance.documents.pdf import render_notice_pdf

    notice = _notice(payload)
    return render_notice_pdf(notice), str(notice.title)


def render_notice_receipt(payload: dict[str, Any], opts: ReceiptOptions) -> tuple[bytes, str, str]:
    """The condensed receipt version of a notice, for a station without an A4 printer."""
    from appliance.documents.pdf import notice_receipt

    notice = _notice(payload)
    data, text = notice_receipt(notice, opts.paper_mm)
    return data, text, str(notice.title)


class PrintWorker:
    """One pass at a time (``run_once``); the service loop calls it with backoff."""

    def __init__(
        self,
        api: DeviceApi,
        receipt: ReceiptPrinter | None,
        notice: NoticePrinter | None,
        opts: ReceiptOptions,
    ) -> None:
        self.api = api
        self.receipt = receipt
        self.notice = notice
        self.opts = opts
        self._last_reported: dict[str, str] = {}

    def kinds(self) -> list[str]:
        kinds = []
        if self.receipt is not None:
            kinds.append("receipt")
        if self.notice is not None or self.receipt is not None:
            kinds.append("notice")
        return kinds

    def report_states(self) -> None:
        """Tell the server the printers' states (shown in the TUI, on the display, in figures)."""
        for device, printer in (("printer.receipt", self.receipt), ("printer.notice", self.notice)):
            if printer is None:
                continue
            st: PrinterStatus = printer.status()
            key = f"{st.state}|{st.detail}"
            if self._last_reported.get(device) != key:
                self.api.report_status(device, st.state, st.label, st.detail)
                self._last_reported[device] = key

    def _notice_pdf(self, payload: dict[str, Any]) -> tuple[bytes, str]:
        """The kept PDF of a case notice, else the notice rendered from the payload."""
        notice_id = payload.get("case_notice_id")
        fields = payload.get("notice")
        if notice_id:
            title = str(fields.get("title") or "通知书") if isinstance(fields, dict) else "通知书"
            try:
                return self.api.case_notice_pdf(str(notice_id)), title
            except ApiRefused as exc:
                if not isinstance(fields, dict):
                    raise BadPayload(f"通知书文件无法取得：{exc.message}") from exc
                log.warning(
                    "case notice %s: %s; printing it from the job's fields", notice_id, exc.message
                )
        return render_notice(payload)

    def _print(self, job: PrintJobClaim) -> None:
        try:
            payload = json.loads(job.payload)
        except ValueError as exc:
            raise BadPayload(f"打印内容已损坏：{exc}") from exc
        if job.kind == "receipt":
            assert self.receipt is not None
            data, text, title = render_receipt(payload, self.opts)
            self.receipt.print_receipt(data, text, job.id, title=title)
        elif self.notice is not None:
            pdf, title = self._notice_pdf(payload)
            self.notice.print_pdf(pdf, job.id, title=title, copies=job.copies or 2)
        else:  # thermal only: one condensed receipt per copy; the PDF stays with the case
            assert self.receipt is not None
            data, text, title = render_notice_receipt(payload, self.opts)
            for _ in range(job.copies or 1):
                self.receipt.print_receipt(data, text, job.id, title=title)

    def print_claimed(self, job: PrintJobClaim) -> bool:
        """Print one job we already hold a lease on; False leaves it for the retry loop."""
        try:
            self._print(job)
        except BadPayload as exc:
            self.api.print_failed(job.id, str(exc), permanent=True)
            return False
        except PrinterUnavailable as exc:
            self.api.print_failed(job.id, exc.reason)
            self.report_states()
            return False
        self.api.print_done(job.id)
        return True

    def run_once(self, max_jobs: int = 20) -> tuple[int, str | None]:
        """Print what is due, one lease at a time so a refusal strands no other job.

        Returns (printed, why it stopped early or None).
        """
        kinds = self.kinds()
        printed = 0
        while kinds and printed < max_jobs:
            jobs = self.api.claim_print_jobs(kinds, limit=1)
            if not jobs:
                break
            job = jobs[0]
            try:
                self._print(job)
            except BadPayload as exc:
                log.error("print job %s can never print: %s", job.id, exc)
                self.api.print_failed(job.id, str(exc), permanent=True)
                continue
            except PrinterUnavailable as exc:
                self.api.print_failed(job.id, exc.reason)
                self.report_states()
                return printed, exc.reason
            self.api.print_done(job.id)
            printed += 1
        return printed, None


__all__ = ["ApiUnavailable", "PrintWorker", "ReceiptOptions", "render_notice", "render_receipt"]
