"""The hardware service against a live station: printing, SMS, buttons, voice (R-Q1–R-Q3, R-N1)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import select

from appliance.jobs.tables import PrintJob, SmsMessage
from hw.gpio.buzzer import FakeBuzzer
from hw.gpio.keypad import FakeRatingKeypad
from hw.modem.simulated import FakeModem
from hw.printers import FakeReceiptPrinter
from hw.voice.speaker import FakeSpeaker
from hwservice.announcer import Announcer
from hwservice.api import DeviceApi
from hwservice.buttons import ButtonBridge
from hwservice.messaging import InboundSpool, SmsWorker
from hwservice.printing import PrintWorker, ReceiptOptions
from tests.support.station import LiveServer


@pytest.fixture
def api(live_server: LiveServer) -> Iterator[DeviceApi]:
    a = DeviceApi(live_server.url, live_server.station.settings.device_key)
    yield a
    a.close()


def opts(live: LiveServer) -> ReceiptOptions:
    s = live.station.settings
    return ReceiptOptions(s.station_name, s.visitor_url, 58, s.timezone)


def job_states(live: LiveServer) -> list[str]:
    with live.station.services.db.read() as s:
        return [j.status for j in s.exec(select(PrintJob).order_by(PrintJob.created_at))]  # type: ignore[arg-type]


def test_printer_offline_mid_day_then_back_loses_nothing_r_n1(
    live_server: LiveServer, api: DeviceApi
) -> None:
    """Tickets are issued while the printer is out; each prints once, in order, when it returns."""
    q = live_server.station.services.queue
    printer = FakeReceiptPrinter()
    worker = PrintWorker(api, printer, None, opts(live_server))
    q.issue("A", "kiosk")
    assert worker.run_once() == (1, None)
    printer.run_out_of_paper()
    issued = [q.issue("A", "kiosk").number for _ in range(3)]
    printed, why = worker.run_once()
    assert printed == 0 and why == "打印机缺纸"
    assert job_states(live_server) == ["done", "pending", "pending", "pending"]
    display = live_server.station.services.windows.display_snapshot()
    assert any("打印机缺纸" in n for n in display.notices)  # the hall sees why
    printer.restore()
    assert worker.run_once() == (3, None)
    assert [p.title for p in printer.printed] == ["A001", *issued]
    assert job_states(live_server) == ["done"] * 4
    worker.report_states()
    assert live_server.station.services.windows.display_snapshot().notices == []


def test_receipt_bytes_reach_the_printer(live_server: LiveServer, api: DeviceApi) -> None:
    printer = FakeReceiptPrinter()
    t = live_server.station.services.queue.issue("B", "kiosk")
    PrintWorker(api, printer, None, opts(live_server)).run_once()
    [receipt] = printer.printed
    assert receipt.data.startswith(b"\x1b@\x1c&")
    assert b"B001" in receipt.data
    assert f"/t/{t.id}".encode() in receipt.data  # the QR code's follow-up link


def test_corrupt_job_is_parked_and_does_not_block(live_server: LiveServer, api: DeviceApi) -> None:
    st = live_server.station
    with st.services.db.write() as s:
        s.add(PrintJob(kind="receipt", payload="{not json", created_at=st.clock.now()))
    st.clock.advance(seconds=1)
    st.services.queue.issue("A", "kiosk")
    printer = FakeReceiptPrinter()
    PrintWorker(api, printer, None, opts(live_server)).run_once()
    assert [p.title for p in printer.printed] == ["A001"]
    assert sorted(job_states(live_server)) == ["done", "error"]


def sms_rows(live: LiveServer) -> list[SmsMessage]:
    with live.station.services.db.read() as s:
        return list(s.exec(select(SmsMessage).order_by(SmsMessage.created_at)))  # type: ignore[arg-type]


def test_sms_waits_for_signal_then_sends_r_q3(
    live_server: LiveServer, api: DeviceApi, tmp_path: Path
) -> None:
    modem = FakeModem()
    modem.lose_signal()
    worker = SmsWorker(api, modem, InboundSpool(tmp_path / "spool.jsonl"))
    live_server.station.services.queue.issue("A", "kiosk", phone="13812345678")
    assert worker.run_once() == (0, "短信猫未就绪")
    assert modem.attempts == 0 and sms_rows(live_server)[0].status == "pending"
    modem.restore()
    assert worker.run_once() == (1, None)
    assert sms_rows(live_server)[0].status == "sent"


def test_sms_failures_temporary_and_permanent(
    live_server: LiveServer, api: DeviceApi, tmp_path: Path
) -> None:
    st = live_server.station
    modem = FakeModem()
    worker = SmsWorker(api, modem, InboundSpool(tmp_path / "spool.jsonl"))
    st.services.queue.issue("A", "kiosk", phone="13812345678")
    modem.fail_next("网络忙")
    assert worker.run_once() == (0, "网络忙")
    [row] = sms_rows(live_server)
    assert row.status == "pending" and row.attempts == 1 and row.last_error == "网络忙"
    st.clock.advance(minutes=2)
    modem.fail_next("号码无效", permanent=True)
    assert worker.run_once() == (0, None)
    assert sms_rows(live_server)[0].status == "failed"  # visible to staff, not retried


def test_inbound_sms_reaches_the_server_even_after_an_outage(
    live_server: LiveServer, api: DeviceApi, tmp_path: Path
) -> None:
    modem = FakeModem()
    spool = InboundSpool(tmp_path / "spool.jsonl")
    down = DeviceApi("http://127.0.0.1:9", "x", timeout=0.5)
    modem.queue_inbound("13812345678", "1")
    assert SmsWorker(down, modem, spool).poll_inbound() == 0
    down.close()
    assert [m.body for m in spool.load()] == ["1"]  # kept though the SIM was emptied
    assert SmsWorker(api, modem, spool).poll_inbound() == 1
    assert spool.load() == []


def test_button_bridge_issues_button_tickets_r_q1(live_server: LiveServer, api: DeviceApi) -> None:
    buzzer = FakeBuzzer()
    bridge = ButtonBridge(api, None, buzzer)
    bridge.pressed("short")
    bridge.pressed("long")
    snap = live_server.station.services.windows.queue_snapshot()
    waiting = snap.categories[0].waiting
    assert [(w.number, w.priority) for w in waiting] == [("A001", "normal"), ("A002", "vulnerable")]
    bridge.stuck(True)
    assert [a.kind for a in live_server.station.services.alerts.open_alerts()] == [
        "device:button_stuck"
    ]
    bridge.stuck(False)
    assert live_server.station.services.alerts.open_alerts() == []


def test_button_press_with_server_down_beeps_fault(live_server: LiveServer) -> None:
    buzzer = FakeBuzzer()
    down = DeviceApi("http://127.0.0.1:9", "x", timeout=0.5)
    ButtonBridge(down, None, buzzer).pressed("short")
    down.close()
    assert buzzer.names == ["error"]


def test_keypad_rating_after_service_r_e2(live_server: LiveServer, api: DeviceApi) -> None:
    q = live_server.station.services.queue
    keypad, buzzer = FakeRatingKeypad(window=1), FakeBuzzer()
    bridge = ButtonBridge(api, None, buzzer, keypad, keypad_window=1)
    bridge.start()
    keypad.press(4)
    assert buzzer.names == ["error"] and "还没有办结" in (bridge.last_error or "")
    q.issue("A", "kiosk")
    q.call_next("1")
    q.finish("1")
    keypad.press(5)
    assert buzzer.names == ["error"]


def test_announcer_calls_by_voice_and_buzzer_r_q3(live_server: LiveServer, api: DeviceApi) -> None:
    q = live_server.station.services.queue
    speaker, buzzer = FakeSpeaker(), FakeBuzzer()
    from hw.protocols import BEEP_CALL

    announcer = Announcer(api, speaker, buzzer, api.last_seq(), call_pattern=BEEP_CALL)
    ButtonBridge(api, None, buzzer).pressed("short")
    q.call_next("1")
    q.recall("1")
    assert announcer.run_once() == 3
    assert speaker.texts[0] == "请A零零一号到一号窗口办理"
    assert speaker.played[0] == [
        "ding",
        "qing",
        "letter_A",
        "digit_0",
        "digit_0",
        "digit_1",
        "hao",
        "dao",
        "num_1",
        "hao",
        "chuangkou",
        "banli",
    ]
    assert "zaici_hujiao" in speaker.played[1]
    assert buzzer.names == ["issued", "call", "call"]
    assert announcer.run_once() == 0


NOTICE = {
    "title": "受理通知书",
    "number": "YZ0001-20261123-0001",
    "station_name": "示范村便民服务站",
    "date": "2026-11-23",
    "body": ["您申请的事项已受理。"],
    "rows": [["事项", "高龄津贴申请"]],
}


def add_notice_job(live: LiveServer) -> None:
    from appliance.jobs.service.print_jobs import add_print_job

    st = live.station
    with st.services.db.write() as s:
        add_print_job(s, "notice", {"notice": NOTICE}, st.clock.now(), copies=2)


def test_notice_goes_to_the_a4_printer_as_pdf_two_copies_r_k2(
    live_server: LiveServer, api: DeviceApi
) -> None:
    from hw.printers import FakeNoticePrinter

    notice = FakeNoticePrinter()
    add_notice_job(live_server)
    assert PrintWorker(api, FakeReceiptPrinter(), notice, opts(live_server)).run_once() == (1, None)
    [job] = notice.printed
    assert job.pdf.startswith(b"%PDF") and job.copies == 2 and job.title == "受理通知书"


def test_notice_without_a4_printer_prints_condensed_receipts(
    live_server: LiveServer, api: DeviceApi
) -> None:
    """Only the thermal printer: one condensed receipt per copy (一式二份)."""
    printer = FakeReceiptPrinter()
    add_notice_job(live_server)
    assert PrintWorker(api, printer, None, opts(live_server)).run_once() == (1, None)
    assert [p.title for p in printer.printed] == ["受理通知书", "受理通知书"]
    assert "高龄津贴申请" in printer.printed[0].text


def test_button_press_prints_its_receipt_at_once_r_q1(
    live_server: LiveServer, api: DeviceApi
) -> None:
    """The press path prints without waiting for the poll; the job ends done."""
    printer = FakeReceiptPrinter()
    worker = PrintWorker(api, printer, None, opts(live_server))
    bridge = ButtonBridge(api, None, None, printer=worker)
    answer = bridge.pressed("short")
    assert answer is not None and answer.ticket.source == "button"
    assert [p.title for p in printer.printed] == ["A001"]
    assert job_states(live_server) == ["done"]


def test_button_receipt_left_for_the_loop_when_printer_out(
    live_server: LiveServer, api: DeviceApi
) -> None:
    printer = FakeReceiptPrinter()
    printer.go_offline()
    worker = PrintWorker(api, printer, None, opts(live_server))
    ButtonBridge(api, None, None, printer=worker).pressed("long")
    assert job_states(live_server) == ["pending"]  # the ticket exists; its receipt waits
    printer.restore()
    assert worker.run_once() == (1, None)


def test_service_wires_the_button_to_print_at_once(
    live_server: LiveServer, api: DeviceApi, tmp_path: Path
) -> None:
    """Build the whole service from fakes, drive the fake GPIO pin, get a printed receipt."""
    import time

    from hw.gpio.config import GpioConfig
    from hw.gpio.factory import make_backend, make_button
    from hwservice.main import Devices, HardwareService

    cfg = GpioConfig()
    pins = make_backend("fake")
    printer = FakeReceiptPrinter()
    devices = Devices(receipt=printer, button=make_button(cfg, pins), pins=pins, gpio_config=cfg)
    service = HardwareService(api, devices, opts(live_server), tmp_path)
    service.start()
    try:
        pins.drive(cfg.button_pin, 0)  # pressed (pull-up wiring)
        time.sleep(0.1)
        pins.drive(cfg.button_pin, 1)
        deadline = time.monotonic() + 5
        while not printer.printed and time.monotonic() < deadline:
            time.sleep(0.02)
    finally:
        service.stop()
    assert [p.title for p in printer.printed] == ["A001"]
    assert job_states(live_server) == ["done"]
