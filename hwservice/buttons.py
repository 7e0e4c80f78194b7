"""Call button and rating keypad → station API; failures beep and never crash (R-Q1, R-E2)."""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from typing import Protocol

from appliance.jobs.schemas import PrintJobClaim
from appliance.queue.schemas import ButtonTicket
from hw.protocols import BEEP_ERROR, Button, Buzzer, PressKind, RatingKeypad
from hwservice.api import ApiRefused, ApiUnavailable, DeviceApi


class ClaimedPrinter(Protocol):
    def print_claimed(self, job: PrintJobClaim) -> bool: ...


log = logging.getLogger("yizhan.hw.buttons")

STUCK_MESSAGE = "取号按钮被按住不放（可能卡住），已暂时停用，请检查按钮"


class ButtonBridge:
    def __init__(
        self,
        api: DeviceApi,
        button: Button | None,
        buzzer: Buzzer | None,
        keypad: RatingKeypad | None = None,
        keypad_window: int = 1,
        printer: ClaimedPrinter | None = None,
    ) -> None:
        self.api = api
        self.button = button
        self.buzzer = buzzer
        self.keypad = keypad
        self.keypad_window = keypad_window
        self.printer = printer
        self.last_error: str | None = None
        # device callbacks run on timer threads: HTTP and printing go to one worker, in order
        self._work = ThreadPoolExecutor(max_workers=1, thread_name_prefix="button")

    def start(self) -> None:
        if self.button is not None:
            self.button.on_press(self.on_device_press)
            on_stuck = getattr(self.button, "on_stuck", None)
            if callable(on_stuck):
                on_stuck(self.stuck)
            self.button.start()
        if self.keypad is not None:
            self.keypad.on_rating(self.rated)
            self.keypad.start()

    def stop(self) -> None:
        for dev in (self.button, self.keypad):
            if dev is not None:
                dev.stop()
        self._work.shutdown(wait=True)

    def on_device_press(self, kind: PressKind) -> None:
        """Button callback: hand the press to the worker thread."""
        self._work.submit(self._pressed_logged, kind)

    def _pressed_logged(self, kind: PressKind) -> None:
        try:
            self.pressed(kind)
        except Exception:  # the executor would swallow it silently
            log.exception("handling a button press failed")

    def _fail(self, message: str) -> None:
        self.last_error = message
        log.warning("%s", message)
        if self.buzzer is not None:
            self.buzzer.play(BEEP_ERROR)

    def press(self, kind: PressKind) -> ButtonTicket:
        """One press: issue the ticket (``POST /api/device/button-press``) and, when a printer
        is attached, print its receipt at once. Raises ``ApiUnavailable`` or ``ApiRefused``
        when no ticket was issued; the simulator (``yizhan button``) calls this too."""
        answer = self.api.button_press(long=kind == "long")
        log.info("button issued %s", answer.ticket.number)
        if self.printer is not None:
            try:
                self.printer.print_claimed(answer.print_job)
            except (ApiUnavailable, ApiRefused) as exc:  # the lease runs out; the loop retries
                log.warning("receipt left for retry: %s", exc)
        return answer

    def pressed(self, kind: PressKind) -> ButtonTicket | None:
        """The button's press: a failure beeps (error pattern) and is kept in ``last_error``."""
        try:
            answer = self.press(kind)
        except (ApiUnavailable, ApiRefused) as exc:
            self._fail(f"取号失败：{exc}")
            return None
        self.last_error = None
        return answer

    def stuck(self, active: bool) -> None:
        try:
            self.api.set_alert("button_stuck", STUCK_MESSAGE, active)
        except (ApiUnavailable, ApiRefused) as exc:
            log.warning("could not report stuck button: %s", exc)

    def rated(self, level: int) -> None:
        try:
            self.api.rating(self.keypad_window, level)
        except ApiRefused as exc:
            self._fail(exc.message)
        except ApiUnavailable as exc:
            self._fail(f"评价未能提交：{exc}")
