"""Builds the GPIO devices from a :class:`~hw.gpio.config.GpioConfig` (设备装配).

The hardware service picks the backend by setting (``gpio_backend``): ``rpi`` for the real
pins through RPi.GPIO / rpi-lgpio, ``fake`` for :class:`~hw.gpio.fake_rpi_gpio.FakePins`
(``make run``, driven by the keyboard simulator). Off a Pi, ``rpi`` raises
:class:`~hw.gpio.pins.GpioUnavailable`, a "not ready" state the caller shows and retries.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from hw.gpio.buzzer import GpioBuzzer
from hw.gpio.call_button import CallButton
from hw.gpio.config import BACKENDS, GpioConfig
from hw.gpio.fake_rpi_gpio import FakePins
from hw.gpio.keypad import GpioRatingKeypad
from hw.gpio.pins import PinBackend, RpiGpioBackend
from hw.gpio.timing import Clock, Scheduler


def make_backend(kind: str, *, chip: int = -1, clock: Clock = time.monotonic) -> PinBackend:
    """``"rpi"``: real pins (``chip`` -1 = library default); ``"fake"``: drivable pins."""
    if kind == "rpi":
        return RpiGpioBackend(chip=chip if chip >= 0 else None)
    if kind == "fake":
        return FakePins(clock)
    raise ValueError(f"unknown GPIO backend {kind!r}; use one of {', '.join(BACKENDS)}")


def make_button(
    config: GpioConfig,
    backend: PinBackend,
    *,
    clock: Clock = time.monotonic,
    scheduler: Scheduler | None = None,
) -> CallButton:
    """The call button (取号按钮); call ``start()`` to watch it."""
    return CallButton(
        backend,
        config.button_pin,
        pull_up=config.button_pull_up,
        debounce_ms=config.debounce_ms,
        min_interval_s=config.button_min_interval_s,
        long_press_s=config.long_press_s,
        stuck_after_s=config.stuck_after_s,
        clock=clock,
        scheduler=scheduler,
    )


def make_buzzer(
    config: GpioConfig,
    backend: PinBackend,
    *,
    sleep: Callable[[float], None] = time.sleep,
) -> GpioBuzzer:
    """The buzzer (蜂鸣器); it sets its pin up on the first ``play()`` or ``start()``."""
    return GpioBuzzer(
        backend, config.buzzer_pin, active_high=config.buzzer_active_high, sleep=sleep
    )


def make_keypad(
    config: GpioConfig,
    backend: PinBackend,
    *,
    clock: Clock = time.monotonic,
    scheduler: Scheduler | None = None,
) -> GpioRatingKeypad:
    """The rating keypad (评价器) of ``config.keypad_window``; call ``start()`` to watch it."""
    return GpioRatingKeypad(
        backend,
        config.keypad_layout,
        window=config.keypad_window,
        pull_up=config.keypad_pull_up,
        debounce_ms=config.debounce_ms,
        min_interval_s=config.keypad_min_interval_s,
        clock=clock,
        scheduler=scheduler,
    )
