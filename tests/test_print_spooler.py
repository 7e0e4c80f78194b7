"""Receipt print spooler: durable print jobs survive a missing printer (R-Q2, R-N2)."""

from __future__ import annotations

import json
import threading
import time
from dataclasses import replace
from pathlib import Path

import pytest
from sqlmodel import col, select

from appliance.services.print_spooler import (
    BACKOFF_MAX_SECONDS,
    POLL_SECONDS,
    PrintSpooler,
    next_delay,
    spool_worker,
)
from appliance.storage.models import Event, PrintJob
from hw.printers import FakeReceiptPrinter, SimulatedReceiptPrinter, make_receipt_printer
from hw.protocols import PrinterUnavailable, ReceiptPrinter
from tests.conftest import Station, make_station


def jobs(station: Station) -> list[PrintJob]:
    with station.services.db.read() as s:
        return list(s.exec(select(PrintJob).order_by(col(PrintJob.created_at))))


def events(station: Station, prefix: str = "print_job.") -> list[Event]:
    with station.services.db.read() as s:
        rows = s.exec(select(Event).order_by(col(Event.seq)))
        return [e for e in rows if e.type.startswith(prefix)]


def spooler(station: Station, printer: ReceiptPrinter) -> PrintSpooler:
    sv = station.services
    return PrintSpooler(sv.db, printer, sv.clock, station.settings)


def test_issued_ticket_is_printed_once_r_q2(station: Station) -> None:
    """R-Q2: issuing a ticket queues one receipt; the spooler prints it exactly once."""
    view = station.services.queue.issue("A", "kiosk")
    printer = FakeReceiptPrinter()
    sp = spooler(station, printer)
    assert sp.run_once() == 1
    assert sp.run_once() == 0
    assert len(printer.printed) == 1
    receipt = printer.printed[0]
    assert receipt.title == view.number == "A001"
    assert b"A001" in receipt.data and "综合受理".encode("gb18030") in receipt.data
    url = f"{station.settings.server_url}/t/{view.id}"
    assert url.encode() in receipt.data and url in receipt.text.replace("\n", "")
    assert "取号时间：2026-11-23 09:00" in receipt.text
    [job] = jobs(station)
    assert (job.status, job.attempts, job.ticket_id) == ("done", 1, view.id)
    assert job.done_at is not None
    assert [e.type for e in events(station)] == ["print_job.created", "print_job.done"]
    assert events(station)[-1].entity_id == job.id


def test_offline_printer_keeps_jobs_pending_then_prints_all_r_n2(station: Station) -> None:
    """R-N2: offline is a state; jobs wait with attempts counted, none lost, none duplicated."""
    issued = [station.services.queue.issue(c, "kiosk").number for c in ("A", "B", "A")]
    printer = FakeReceiptPrinter()
    printer.go_offline()
    sp = spooler(station, printer)
    assert sp.run_once() == 0
    assert sp.last_error == "打印机未连接"
    assert sp.run_once() == 0
    first, *rest = jobs(station)
    assert (first.status, first.attempts, first.last_error) == ("pending", 2, "打印机未连接")
    assert all(j.status == "pending" and j.attempts == 0 for j in rest)  # order kept
    # the same failure twice is one event, the attempt count says the rest
    assert [e.type for e in events(station)].count("print_job.failed") == 1

    printer.run_out_of_paper()
    assert sp.run_once() == 0
    assert jobs(station)[0].last_error == "打印机缺纸"
    assert [e.type for e in events(station)].count("print_job.failed") == 2

    printer.restore()
    assert sp.run_once() == 3
    assert sp.last_error is None
    assert [r.title for r in printer.printed] == issued == ["A001", "B001", "A002"]
    assert all(j.status == "done" and j.last_error is None for j in jobs(station))
    assert jobs(station)[0].attempts == 4
    assert sp.run_once() == 0
    assert len(printer.printed) == 3


def test_paper_running_out_mid_batch_keeps_the_rest_r_n2(station: Station) -> None:
    """R-N2: paper that runs out after one receipt keeps the later jobs pending, in order."""

    class OneSheetLeft(FakeReceiptPrinter):
        def print_receipt(self, data: bytes, text: str, job_id: str, *, title: str = "") -> None:
            super().print_receipt(data, text, job_id, title=title)
            self.run_out_of_paper()

    for _ in range(3):
        station.services.queue.issue("A", "kiosk")
    printer = OneSheetLeft()
    sp = spooler(station, printer)
    assert sp.run_once() == 1
    assert sp.last_error == "打印机缺纸"
    assert [j.status for j in jobs(station)] == ["done", "pending", "pending"]
    assert [j.attempts for j in jobs(station)] == [1, 1, 0]
    printer.restore()
    assert sp.run_once() == 1
    printer.restore()
    assert sp.run_once() == 1
    assert [j.status for j in jobs(station)] == ["done", "done", "done"]
    assert [r.title for r in printer.printed] == ["A001", "A002", "A003"]


def test_backend_bug_does_not_lose_the_job_r_n2(station: Station) -> None:
    """R-N2: an unexpected printer error is recorded and the job stays pending."""

    class Broken(FakeReceiptPrinter):
        def print_receipt(self, data: bytes, text: str, job_id: str, *, title: str = "") -> None:
            raise OSError("usb reset")

    station.services.queue.issue("A", "kiosk")
    sp = spooler(station, Broken())
    assert sp.run_once() == 0
    [job] = jobs(station)
    assert job.status == "pending" and job.attempts == 1
    assert job.last_error is not None and "usb reset" in job.last_error


def test_corrupt_payload_is_set_aside_and_does_not_block_r_n2(station: Station) -> None:
    """R-N2: a job that can never print is marked error; the next one still prints."""
    with station.services.db.write() as s:
        s.add(PrintJob(kind="receipt", payload="{not json", created_at=station.clock.now()))
    station.clock.advance(seconds=1)
    station.services.queue.issue("A", "kiosk")
    printer = FakeReceiptPrinter()
    assert spooler(station, printer).run_once() == 1
    bad, good = jobs(station)
    assert bad.status == "error" and bad.last_error and "无法解析" in bad.last_error
    assert good.status == "done"
    assert "print_job.error" in [e.type for e in events(station)]


def test_other_job_kinds_are_left_alone(station: Station) -> None:
    """Only receipt jobs go to the receipt printer; notices have their own printer."""
    with station.services.db.write() as s:
        s.add(PrintJob(kind="notice", payload="{}", created_at=station.clock.now()))
    printer = FakeReceiptPrinter()
    assert spooler(station, printer).run_once() == 0
    assert printer.attempts == 0
    assert jobs(station)[0].status == "pending"


def test_simulated_printer_writes_txt_and_bin_r_q2(station: Station) -> None:
    """R-Q2: the simulated printer keeps each receipt as text and ESC/POS bytes."""
    view = station.services.queue.issue("A", "kiosk", priority="vulnerable")
    directory = station.data_dir / "receipts"
    printer = SimulatedReceiptPrinter(directory)
    assert printer.status().state == "ready"
    assert spooler(station, printer).run_once() == 1
    [job] = jobs(station)
    txt = directory / f"{view.number}-{job.id}.txt"
    binary = directory / f"{view.number}-{job.id}.bin"
    text = txt.read_text("utf-8")
    assert "A001" in text and "前面还有 0 人" in text and "老弱病残孕优先" in text
    data = binary.read_bytes()
    assert data.startswith(b"\x1b@\x1c&") and data.endswith(b"\x1dV\x42\x00")
    assert sorted(p.name for p in directory.iterdir()) == sorted([txt.name, binary.name])


def test_simulated_printer_unwritable_directory_is_unavailable(tmp_path: Path) -> None:
    """R-N2: a directory that cannot be written is "printer unavailable", not a crash."""
    blocker = tmp_path / "receipts"
    blocker.write_text("not a directory")
    printer = SimulatedReceiptPrinter(blocker)
    with pytest.raises(PrinterUnavailable) as info:
        printer.print_receipt(b"x", "x", "job1", title="A001")
    assert "无法写入小票目录" in info.value.reason


def test_make_receipt_printer_follows_settings(station: Station) -> None:
    assert make_receipt_printer(station.settings) is None  # printer_backend="none"
    simulated = make_receipt_printer(replace(station.settings, printer_backend="simulated"))
    assert isinstance(simulated, SimulatedReceiptPrinter)
    assert simulated.directory == station.data_dir / "receipts"
    with pytest.raises(ValueError, match="未知的小票打印机类型"):
        make_receipt_printer(replace(station.settings, printer_backend="laser"))


def test_fake_printer_status_labels_are_chinese() -> None:
    printer = FakeReceiptPrinter()
    assert printer.status().label == "打印机就绪"
    printer.pause()
    assert (printer.status().state, printer.status().label) == ("paused", "打印机已暂停")


def test_backoff_doubles_to_a_cap_and_resets() -> None:
    delay = next_delay(POLL_SECONDS, failed=True)
    seen = [delay]
    for _ in range(10):
        delay = next_delay(delay, failed=True)
        seen.append(delay)
    assert seen[:3] == [1.0, 2.0, 4.0] and seen[-1] == BACKOFF_MAX_SECONDS
    assert next_delay(delay, failed=False) == POLL_SECONDS


def test_spool_worker_prints_in_the_background_r_q2(tmp_path: Path) -> None:
    """R-Q2: the server's worker prints a new ticket's receipt within a poll or two."""
    station = make_station(tmp_path)
    settings = replace(station.settings, printer_backend="simulated")
    services = replace(station.services, settings=settings)
    stop = threading.Event()
    worker = threading.Thread(target=spool_worker, args=(services, stop), daemon=True)
    try:
        worker.start()
        view = station.services.queue.issue("B", "kiosk")
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and jobs(station)[0].status != "done":
            time.sleep(0.05)
        assert jobs(station)[0].status == "done"
        assert list((tmp_path / "receipts").glob(f"{view.number}-*.bin"))
    finally:
        stop.set()
        worker.join(timeout=5)
        station.services.close()
    assert not worker.is_alive()


def test_spool_worker_returns_when_printing_is_off(station: Station) -> None:
    stop = threading.Event()
    spool_worker(station.services, stop)  # printer_backend="none": returns at once
    station.services.queue.issue("A", "kiosk")
    assert jobs(station)[0].status == "pending"
    assert json.loads(jobs(station)[0].payload)["ticket"]["number"] == "A001"
