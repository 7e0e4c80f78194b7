"""GPIO devices (GPIO 设备): the call button, the buzzer and the rating keypad.

Devices ask a :class:`PinBackend` for pins and never import a GPIO library: the real backend
(:class:`RpiGpioBackend`, RPi.GPIO / rpi-lgpio) is imported lazily; :class:`FakePins` over a
fake ``RPi.GPIO`` module records outputs and can be driven (tests, ``make run``). Time comes
from an injectable clock and timer scheduler, so tests are deterministic.
"""

from hw.gpio.buzzer import PATTERNS, FakeBuzzer, GpioBuzzer, pattern_levels, pattern_name
from hw.gpio.call_button import CallButton
from hw.gpio.config import GpioConfig
from hw.gpio.debounce import Debouncer
from hw.gpio.factory import make_backend, make_button, make_buzzer, make_keypad
from hw.gpio.fake_rpi_gpio import FakeGpio, FakePins, install
from hw.gpio.keyboard_sim import KeyboardSim, run_keyboard_sim
from hw.gpio.keypad import FakeRatingKeypad, GpioRatingKeypad
from hw.gpio.pins import GpioUnavailable, PinBackend, RpiGpioBackend
from hw.gpio.timing import Clock, ManualClock, ManualScheduler, Scheduler, ThreadScheduler

__all__ = [
    "PATTERNS",
    "CallButton",
    "Clock",
    "Debouncer",
    "FakeBuzzer",
    "FakeGpio",
    "FakePins",
    "FakeRatingKeypad",
    "GpioBuzzer",
    "GpioConfig",
    "GpioRatingKeypad",
    "GpioUnavailable",
    "KeyboardSim",
    "ManualClock",
    "ManualScheduler",
    "PinBackend",
    "RpiGpioBackend",
    "Scheduler",
    "ThreadScheduler",
    "install",
    "make_backend",
    "make_button",
    "make_buzzer",
    "make_keypad",
    "pattern_levels",
    "pattern_name",
    "run_keyboard_sim",
]
