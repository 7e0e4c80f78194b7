"""Receipts and notices through a real private cupsd (R-Q2, R-K2, R-N1).

Receipts go to a raw queue whose device is a fake LAN printer (``socket://127.0.0.1:PORT``)
that records the bytes; notices go to the cups-filters Generic PDF queue on a ``file:``
device, read back with ``pdfinfo``/``pdftotext``.
"""

from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

import pytest

from appliance.documents.pdf import Notice, render_notice_pdf
from appliance.documents.receipt import build_receipt, progress_url, receipt_lines
from hw.cups import CupsNoticePrinter, CupsReceiptPrinter
from hw.protocols import PrinterUnavailable
from hwservice.devices import make_notice_printer, make_receipt_printer
from tests.support.cups_server import CupsServer, PdfQueue, RawQueue

pytestmark = pytest.mark.slow

STATION = "示范村便民服务站"


def ticket(number: str = "A007") -> dict[str, Any]:
    return {
        "id": f"0193a5b2-7c1d-7e00-8000-00000000{number[-3:]:0>4}",
        "number": number,
        "category_name": "社保医保",
        "priority": "normal",
        "issued_at": "2026-11-23 01:05:00+00:00",
        "people_ahead": 3,
        "est_wait_min": 24,
        "serving_windows": [1, 2],
        "closing_warning": None,
    }


def receipt(number: str = "A007") -> tuple[bytes, str]:
    t = ticket(number)
    url = progress_url("http://192.168.10.2:8080", t["id"])
    return build_receipt(t, STATION, url), "\n".join(receipt_lines(t, STATION, url))


def notice() -> Notice:
    return Notice(
        title="受理通知书",
        number="示范受〔2026〕0012号",
        station_name=STATION,
        date="2026-11-23",
        addressee="张三",
        body=["您提交的城乡居民基本养老保险待遇领取申请，材料齐全，本站决定予以受理。"],
        rows=[("事项名称", "城乡居民基本养老保险待遇领取"), ("受理人", "李四")],
        qr_url="http://192.168.10.2:8080/c/42",
    )


def queue_jobs(server: CupsServer, name: str) -> list[int]:
    jobs = server.connection().getJobs(
        which_jobs="all", requested_attributes=["job-id", "job-printer-uri"]
    )
    return [j for j, a in jobs.items() if a["job-printer-uri"].endswith(f"/printers/{name}")]


def test_receipt_bytes_reach_the_printer_unchanged_r_q2(raw_queue: RawQueue) -> None:
    """R-Q2: the ESC/POS bytes we build arrive byte for byte; the job title is the number."""
    data, text = receipt()
    printer = CupsReceiptPrinter(raw_queue.name, raw_queue.server.socket)
    assert printer.status().state == "ready"
    printer.print_receipt(data, text, "job-0001", title="A007")
    assert raw_queue.listener.wait_for(1) == [data]
    assert printer.last_job_id is not None
    attrs = raw_queue.server.wait_job(printer.last_job_id)
    assert attrs["job-state"] == 9
    assert attrs["job-name"] == "A007"
    assert attrs["document-format"] == "application/vnd.cups-raw"
    assert attrs["document-name-supplied"] == "job-0001"
    assert printer.job_state(printer.last_job_id).done
    assert data.startswith(b"\x1b@\x1c&") and b"\x1d!\x77A007\n" in data


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")
def test_notice_prints_two_a4_copies_r_k2(pdf_queue: PdfQueue) -> None:
    """R-K2: a notice prints 一式二份 on A4: copies=2 and media=A4 on the job, and the
    cups-filters chain writes two A4 pages whose text pdftotext reads back."""
    pdf = render_notice_pdf(notice())
    printer = CupsNoticePrinter(pdf_queue.name, pdf_queue.server.socket)
    assert printer.status().ready
    printer.print_pdf(pdf, "job-n-0001", title="受理通知书 示范受〔2026〕0012号")
    assert printer.last_job_id is not None
    attrs = pdf_queue.server.wait_job(printer.last_job_id)
    assert attrs["job-state"] == 9, pdf_queue.server.error_log()[-2000:]
    assert (attrs["copies"], attrs["media"]) == (2, "A4")
    assert attrs["document-format"] == "application/pdf"
    assert attrs["job-impressions-completed"] == 2
    # the preserved job file is our PDF, unchanged
    conn = pdf_queue.server.connection()
    doc = conn.getDocument(f"ipp://localhost/printers/{pdf_queue.name}", printer.last_job_id, 1)
    assert Path(doc["file"]).read_bytes() == pdf
    Path(doc["file"]).unlink()
    # what the printer gets: 2 pages (copies), A4, with the Chinese text
    received = pdf_queue.received()
    info = subprocess.run(["pdfinfo", received], capture_output=True, text=True).stdout
    assert "Pages:           2" in info
    assert "(A4)" in info
    text = subprocess.run(
        ["pdftotext", str(received), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert text.count("受理通知书") == 2
    assert text.count("编号：示范受〔2026〕0012号") == 2
    assert "城乡居民基本养老保险待遇领取" in text and "（盖章）" in text


def test_paused_queue_refuses_and_resumes_r_n1(raw_queue: RawQueue) -> None:
    """R-N1: a stopped queue (cupsdisable → reason paused) is a state; print refuses, so
    the job stays with the caller; after cupsenable it prints."""
    server, name = raw_queue.server, raw_queue.name
    printer = CupsReceiptPrinter(name, server.socket)
    server.connection().disablePrinter(name, reason="更换纸卷")
    status = printer.status()
    assert (status.state, status.label) == ("paused", "打印机已暂停")
    assert "更换纸卷" in status.detail
    with pytest.raises(PrinterUnavailable) as refused:
        printer.print_receipt(b"x\n", "x", "job-p1", title="A001")
    assert refused.value.state == "paused"
    assert queue_jobs(server, name) == []  # nothing left behind in CUPS
    server.connection().enablePrinter(name)
    assert printer.status().ready
    printer.print_receipt(b"x\n", "x", "job-p1", title="A001")
    assert raw_queue.listener.wait_for(1) == [b"x\n"]


def test_rejecting_queue_is_paused_r_n1(raw_queue: RawQueue) -> None:
    """R-N1: cupsreject (not accepting jobs) reads as paused and refuses the job."""
    server, name = raw_queue.server, raw_queue.name
    printer = CupsReceiptPrinter(name, server.socket)
    server.connection().rejectJobs(name, reason="维护")
    assert printer.status().state == "paused"
    with pytest.raises(PrinterUnavailable) as refused:
        printer.print_receipt(b"x\n", "x", "job-r1")
    assert refused.value.state == "paused"
    server.connection().acceptJobs(name)
    assert printer.status().ready


@pytest.mark.parametrize(
    ("reasons", "state", "label"),
    [
        ("media-empty-error", "media-empty", "打印机缺纸"),
        ("media-empty", "media-empty", "打印机缺纸"),
        ("offline-report", "offline", "打印机未连接"),
    ],
)
def test_state_reasons_refuse_until_cleared_r_n1(
    raw_queue: RawQueue, reasons: str, state: str, label: str
) -> None:
    """R-N1: printer-state-reasons (set as a printer reports them) become our states; the
    job is refused without reaching CUPS; clearing the reason makes the printer ready."""
    server, name = raw_queue.server, raw_queue.name
    printer = CupsReceiptPrinter(name, server.socket)
    server.set_reasons(name, reasons)
    status = printer.status()
    assert (status.state, status.label) == (state, label)
    with pytest.raises(PrinterUnavailable) as refused:
        printer.print_receipt(b"y\n", "y", "job-m1")
    assert refused.value.state == state
    assert queue_jobs(server, name) == []
    server.set_reasons(name, "none")
    assert printer.status().ready
    printer.print_receipt(b"y\n", "y", "job-m1")
    assert raw_queue.listener.wait_for(1) == [b"y\n"]


def test_missing_queue_and_missing_server_are_offline_r_n1(
    cups_server: CupsServer, tmp_path: Path
) -> None:
    """R-N1: no such queue, or no cupsd at all: status says offline, never raises; print
    raises PrinterUnavailable (retry later)."""
    for printer in (
        CupsReceiptPrinter("no-such-queue", cups_server.socket),
        CupsReceiptPrinter("receipt", str(tmp_path / "no-cupsd.sock")),
        CupsNoticePrinter("notice", str(tmp_path / "no-cupsd.sock")),
    ):
        status = printer.status()
        assert (status.state, status.label) == ("offline", "打印机未连接"), printer
        with pytest.raises(PrinterUnavailable) as refused:
            if isinstance(printer, CupsNoticePrinter):
                printer.print_pdf(b"%PDF-1.4", "job-x")
            else:
                printer.print_receipt(b"z", "z", "job-x")
        assert refused.value.state == "offline"
    assert (
        "找不到打印队列" in CupsReceiptPrinter("no-such-queue", cups_server.socket).status().detail
    )


def test_printer_off_midday_loses_no_job_r_n1(raw_queue: RawQueue) -> None:
    """R-N1: the LAN printer goes off mid-day. The job CUPS already accepted waits in CUPS
    (its socket backend retries); once it has been stuck longer than ``stall_seconds`` the
    printer reads offline and new jobs are refused, so they stay with the caller. When the
    printer comes back, the waiting job completes, the caller's retry prints the rest, and
    every receipt arrives exactly once, in order."""
    server, listener = raw_queue.server, raw_queue.listener
    printer = CupsReceiptPrinter(raw_queue.name, server.socket, stall_seconds=1.0)
    receipts = {n: receipt(n) for n in ("A001", "A002", "A003", "A004")}

    printer.print_receipt(*receipts["A001"], "job-1", title="A001")
    listener.wait_for(1)

    listener.stop()  # switched off
    printer.print_receipt(*receipts["A002"], "job-2", title="A002")  # accepted by CUPS
    stuck = printer.last_job_id
    assert stuck is not None
    time.sleep(2.2)
    status = printer.status()
    assert status.state == "offline" and "作业已等待" in status.detail, status
    assert printer.job_state(stuck).state == "processing"

    pending = ["A003", "A004"]  # the caller's durable job table
    for number in pending:
        with pytest.raises(PrinterUnavailable) as refused:
            printer.print_receipt(*receipts[number], f"job-{number}", title=number)
        assert refused.value.state == "offline"

    listener.start()  # back on, same address
    listener.wait_for(2, timeout=40)  # the backend retries every 5, 10, 15 … s
    assert server.wait_job(stuck)["job-state"] == 9
    deadline = time.monotonic() + 10
    while pending and time.monotonic() < deadline:  # the caller's retry loop
        try:
            printer.print_receipt(*receipts[pending[0]], f"job-{pending[0]}", title=pending[0])
            pending.pop(0)
        except PrinterUnavailable:
            time.sleep(0.1)
    assert pending == []
    assert listener.wait_for(4) == [receipts[n][0] for n in ("A001", "A002", "A003", "A004")]
    assert printer.status().ready


def test_job_state_and_cancel(raw_queue: RawQueue) -> None:
    """A job stuck on an unreachable printer can be looked up and cancelled by staff."""
    raw_queue.listener.stop()
    printer = CupsReceiptPrinter(raw_queue.name, raw_queue.server.socket)
    printer.print_receipt(b"c\n", "c", "job-c")
    job_id = printer.last_job_id
    assert job_id is not None
    assert printer.job_state(job_id).state in ("pending", "processing")
    printer.cancel_job(job_id)
    job = printer.job_state(job_id)
    assert (job.state, job.label, job.final, job.done) == ("canceled", "已取消", True, False)
    with pytest.raises(LookupError):
        printer.job_state(999_999)


def test_settings_pick_the_cups_backends_r_n1(cups_server: CupsServer, tmp_path: Path) -> None:
    """R-N1: printer_backend=cups and notice_printer_backend=cups build the CUPS printers on
    the configured server and queues; simulated and none still work."""
    settings = SimpleNamespace(
        printer_backend="cups",
        notice_printer_backend="cups",
        cups_server=cups_server.socket,
        cups_receipt_queue="bon",
        cups_notice_queue="a4",
        cups_stall_seconds=7.0,
        data_dir=str(tmp_path),
        data_path=tmp_path,
    )
    receipt_printer = make_receipt_printer(cast(Any, settings))
    notice_printer = make_notice_printer(cast(Any, settings))
    assert isinstance(receipt_printer, CupsReceiptPrinter)
    assert isinstance(notice_printer, CupsNoticePrinter)
    assert (receipt_printer.queue, receipt_printer.server) == ("bon", cups_server.socket)
    assert (notice_printer.queue, notice_printer.stall_seconds) == ("a4", 7.0)
    assert receipt_printer.status().state == "offline"  # no such queue yet
    cups_server.add_pdf_queue("a4", "socket://127.0.0.1:9")
    assert notice_printer.status().ready
    settings.notice_printer_backend = "none"
    assert make_notice_printer(cast(Any, settings)) is None
    settings.notice_printer_backend = "laser"
    with pytest.raises(ValueError, match="通知书打印机"):
        make_notice_printer(cast(Any, settings))
