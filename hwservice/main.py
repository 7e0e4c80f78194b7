"""``yizhan hw``: build the devices from settings and run the hardware loops."""

from __future__ import annotations

import logging
import signal
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hw.protocols import (
    BEEP_CALL,
    Button,
    Buzzer,
    Modem,
    NoticePrinter,
    RatingKeypad,
    ReceiptPrinter,
    Speaker,
)
from hwservice.announcer import Announcer
from hwservice.api import ApiRefused, ApiUnavailable, DeviceApi
from hwservice.buttons import ButtonBridge
from hwservice.heartbeat import Heartbeat, Progress
from hwservice.loops import start_loop, watchdog_on_step
from hwservice.messaging import InboundSpool, SmsWorker
from hwservice.printing import PrintWorker, ReceiptOptions

log = logging.getLogger("yizhan.hw")


@dataclass
class Devices:
    receipt: ReceiptPrinter | None = None
    notice: NoticePrinter | None = None
    modem: Modem | None = None
    speaker: Speaker | None = None
    button: Button | None = None
    buzzer: Buzzer | None = None
    keypad: RatingKeypad | None = None
    keypad_window: int = 1
    pins: Any = None  # the GPIO pin backend (FakePins for the keyboard simulator)
    gpio_config: Any = None
    problems: list[str] = field(default_factory=list)


def build_devices(settings: Any) -> Devices:
    """Every device from settings; one that cannot start is reported and left out."""
    from hwservice.devices import (
        make_modem,
        make_notice_printer,
        make_receipt_printer,
        make_speaker,
    )

    devices = Devices()
    for name, factory in (
        ("receipt", make_receipt_printer),
        ("notice", make_notice_printer),
        ("modem", make_modem),
        ("speaker", make_speaker),
    ):
        try:
            setattr(devices, name, factory(settings))
        except Exception as exc:  # not ready: report, keep the rest running
            devices.problems.append(f"{name}: {exc}")
    try:
        from hw.gpio.config import GpioConfig
        from hw.gpio.factory import make_backend, make_button, make_buzzer, make_keypad

        cfg = GpioConfig.from_settings(settings)
        pins = make_backend(cfg.backend, chip=cfg.chip)
        devices.button = make_button(cfg, pins)
        devices.buzzer = make_buzzer(cfg, pins)
        devices.keypad = make_keypad(cfg, pins)
        devices.keypad_window = cfg.keypad_window
        devices.pins, devices.gpio_config = pins, cfg
    except Exception as exc:
        devices.problems.append(f"gpio: {exc}")
    return devices


class HardwareService:
    """The loops of ``yizhan hw``; ``start()`` returns at once, ``stop()`` ends them."""

    def __init__(
        self,
        api: DeviceApi,
        devices: Devices,
        opts: ReceiptOptions,
        data_dir: Path,
        heartbeat_seconds: float = 5.0,
    ) -> None:
        self.api = api
        self.heartbeat_seconds = heartbeat_seconds
        self.progress = Progress()
        self.devices = devices
        self.stop_event = threading.Event()
        self.printing = PrintWorker(api, devices.receipt, devices.notice, opts)
        self.sms = (
            SmsWorker(api, devices.modem, InboundSpool(data_dir / "hw" / "inbound-sms.jsonl"))
            if devices.modem is not None
            else None
        )
        self.buttons = ButtonBridge(
            api,
            devices.button,
            devices.buzzer,
            devices.keypad,
            devices.keypad_window,
            printer=self.printing if devices.receipt is not None else None,
        )
        self.announcer: Announcer | None = None
        self.threads: list[threading.Thread] = []
        self.heartbeat = Heartbeat(api, self.progress, self.printing.kinds)

    def _print_step(self) -> bool:
        self.printing.report_states()
        _, stopped = self.printing.run_once()
        return stopped is not None

    def _sms_step(self) -> bool:
        assert self.sms is not None
        _, stopped = self.sms.run_once()
        self.sms.poll_inbound()
        return stopped is not None

    def _report_voice(self) -> None:
        """Tell the server whether voice calling (语音叫号) works, so the hall display can say
        so when it is off: switched off (``speaker_backend = none``) or not ready."""
        broken = [p for p in self.devices.problems if p.startswith("speaker:")]
        if broken:
            state, label = "error", "语音叫号故障"
        elif self.devices.speaker is None:
            state, label = "off", "语音叫号已关闭"
        else:
            state, label = "ready", "语音叫号正常"
        self.api.report_status("speaker", state, label, "；".join(broken))

    def _feed_step(self) -> bool:
        if self.announcer is None:
            self._report_voice()
            self.announcer = Announcer(
                self.api,
                self.devices.speaker,
                self.devices.buzzer,
                self.api.last_seq(),
                call_pattern=BEEP_CALL,
            )
        self.announcer.run_once()
        return False

    def start(self) -> None:
        for problem in self.devices.problems:
            log.warning("device not ready: %s", problem)
        self.buttons.start()
        mark = self.progress.mark
        stop = self.stop_event
        for loop in ("print", "feed", *(("sms",) if self.sms is not None else ())):
            mark(loop)  # a loop stuck in its very first step ages from now
        self.threads.append(start_loop("print", self._print_step, stop, 0.5, mark))
        if self.sms is not None:
            self.threads.append(start_loop("sms", self._sms_step, stop, 2.0, mark))
        self.threads.append(start_loop("feed", self._feed_step, stop, 0.3, mark))
        beat = self.heartbeat.step
        ping = watchdog_on_step(self.progress.fresh)  # systemd WatchdogSec= (看门狗)
        self.threads.append(start_loop("heartbeat", beat, stop, self.heartbeat_seconds, ping))

    def stop(self) -> None:
        self.stop_event.set()
        self.buttons.stop()
        for t in self.threads:
            t.join(timeout=5)
        try:  # tell the server at once, instead of letting it wait for the silence
            self.heartbeat.beat(stopping=True)
        except (ApiUnavailable, ApiRefused) as exc:
            log.info("last heartbeat not delivered: %s", exc)


def run_keyboard(devices: Devices) -> None:
    """``yizhan hw --keyboard``: drive the fake GPIO pins from this terminal (make run)."""
    from hw.gpio.fake_rpi_gpio import FakePins
    from hw.gpio.keyboard_sim import KeyboardSim, run_keyboard_sim
    from hw.gpio.timing import ThreadScheduler

    if not isinstance(devices.pins, FakePins):
        print("键盘模拟只用于 gpio_backend = fake")
        return
    scheduler = ThreadScheduler()
    try:
        run_keyboard_sim(KeyboardSim(devices.pins, devices.gpio_config, scheduler))
    finally:
        scheduler.close()


def run_hw(settings: Any, keyboard: bool = False) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)  # no line per poll
    api = DeviceApi(settings.server_url, settings.device_key)
    opts = ReceiptOptions(
        settings.station_name, settings.visitor_url, settings.paper_width_mm, settings.timezone
    )
    devices = build_devices(settings)
    service = HardwareService(
        api, devices, opts, Path(settings.data_dir), settings.hw_heartbeat_seconds
    )
    done = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: done.set())
    service.start()
    log.info("hardware service running against %s", settings.server_url)
    if keyboard:
        run_keyboard(devices)
    else:
        done.wait()
    service.stop()
    api.close()
    return 0


__all__ = ["ApiUnavailable", "Devices", "HardwareService", "build_devices", "run_hw"]
