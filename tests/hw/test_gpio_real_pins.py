"""Real GPIO pins, only where they exist (R-Q1, R-E2).

Runs when ``YIZHAN_GPIO_CHIP`` names a real chip (``/dev/gpiochip0``, ``gpiochip4`` or ``4``)
and ``RPi.GPIO`` (rpi-lgpio) is installed. It writes the buzzer pin (a short click) and reads
it back. With ``YIZHAN_GPIO_LOOPBACK=OUT,IN`` (two pins wired together) it also drives a real
edge into a :class:`CallButton` on the real clock and timer thread.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from hw.gpio import CallButton, GpioConfig, RpiGpioBackend
from hw.gpio.config import parse_chip, parse_pins
from hw.protocols import PressKind

CHIP_ENV = os.environ.get("YIZHAN_GPIO_CHIP", "").strip()


def _names_real_chip(raw: str) -> bool:
    try:
        return bool(raw) and Path(f"/dev/gpiochip{parse_chip(raw)}").exists()
    except ValueError:
        return False


pytestmark = pytest.mark.skipif(
    not _names_real_chip(CHIP_ENV),
    reason="YIZHAN_GPIO_CHIP does not name a real GPIO chip; real pins not tested",
)


@pytest.fixture
def backend() -> Iterator[RpiGpioBackend]:
    real = RpiGpioBackend(chip=parse_chip(CHIP_ENV))
    yield real
    real.cleanup()


def test_real_output_pin_reads_back_r_q1(backend: RpiGpioBackend) -> None:
    """R-Q1: the buzzer pin is writable and reads back what was written."""
    pin = GpioConfig.from_settings(object()).buzzer_pin
    backend.setup_output(pin)
    backend.write(pin, 1)
    time.sleep(0.002)
    assert backend.read(pin) == 1
    backend.write(pin, 0)
    assert backend.read(pin) == 0


def test_real_edge_reaches_the_call_button_r_q1(backend: RpiGpioBackend) -> None:
    """R-Q1: a real edge through rpi-lgpio's callback thread becomes one debounced press."""
    if not os.environ.get("YIZHAN_GPIO_LOOPBACK"):
        pytest.skip("YIZHAN_GPIO_LOOPBACK=OUT,IN names no wired pin pair")
    out_pin, in_pin = parse_pins(os.environ["YIZHAN_GPIO_LOOPBACK"])
    backend.setup_output(out_pin, initial=1)
    button = CallButton(backend, in_pin, debounce_ms=5)
    kinds: list[PressKind] = []
    done = threading.Event()

    def record(kind: PressKind) -> None:
        kinds.append(kind)
        done.set()

    button.on_press(record)
    button.start()
    try:
        backend.write(out_pin, 0)
        time.sleep(0.05)
        backend.write(out_pin, 1)
        assert done.wait(2.0)
        assert kinds == ["short"]
    finally:
        button.close()
