"""Call button and rating keypad → station API; failures beep and never crash (R-Q1, R-E2)."""

from __future__ import annotations

import logging

from hw.protocols import BEEP_ERROR, Button, Buzzer, PressKind, RatingKeypad

from .api import ApiRefused, ApiUnavailable, DeviceApi

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
    ) -> None:
        self.api = api
        self.button = button
        self.buzzer = buzzer
        self.keypad = keypad
        self.keypad_window = keypad_window
        self.last_error: str | None = None

    def start(self) -> None:
        if self.button is not None:
            self.button.on_press(self.pressed)
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

    def _fail(self, message: str) -> None:
        self.last_error = message
        log.warning("%s", message)
        if self.buzzer is not None:
            self.buzzer.play(BEEP_ERROR)

    def pressed(self, kind: PressKind) -> None:
        try:
            ticket = self.api.press(long=kind == "long")
        except (ApiUnavailable, ApiRefused) as exc:
            self._fail(f"取号失败：{exc}")
            return
        self.last_error = None
        log.info("button issued %s", ticket.get("number"))

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
