"""A tiny pin factory (引脚): devices ask a :class:`PinBackend`, never a GPIO library.

:class:`RpiGpioBackend` wraps the RPi.GPIO API (``rpi-lgpio`` on the Pi), imported lazily
in its constructor because ``import RPi.GPIO`` fails off a Pi. Pins use BCM numbering. Edge
detection is asked for with *no* ``bouncetime``: the devices debounce in our own code
(:mod:`hw.gpio.debounce`). Library errors become :class:`GpioUnavailable` here, at one place.
"""

from __future__ import annotations

import importlib
import logging
import os
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import Any, Protocol, runtime_checkable

log = logging.getLogger(__name__)

LOW = 0
HIGH = 1

EdgeCallback = Callable[[int, int], None]
"""Called with (pin, level read right after the edge), on the backend's thread."""


class GpioUnavailable(Exception):
    """GPIO cannot be used now (not a Pi, chip missing, pin busy). ``reason`` is Chinese."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@runtime_checkable
class PinBackend(Protocol):
    """Digital pins by BCM number: what the devices need and nothing more."""

    def setup_input(self, pin: int, pull_up: bool) -> None:
        """An input with the internal pull-up (``True``) or pull-down (``False``)."""
        ...

    def setup_output(self, pin: int, initial: int = LOW) -> None: ...

    def read(self, pin: int) -> int:
        """The level of a pin, 0 or 1."""
        ...

    def write(self, pin: int, level: int) -> None: ...

    def add_edge_callback(self, pin: int, callback: EdgeCallback) -> None:
        """Call ``callback(pin, level)`` on every rising and falling edge of an input."""
        ...

    def cleanup(self) -> None:
        """Release every pin this backend set up."""
        ...


def lgpio_workdir() -> Path:
    """A private temp dir for the FIFO ``lgpio`` drops at import (``LG_WD``)."""
    path = Path(tempfile.gettempdir()) / f"yizhan-lgpio-{os.getuid()}"
    path.mkdir(mode=0o700, exist_ok=True)
    return path


def import_rpi_gpio(chip: int | None = None) -> ModuleType:
    """Import ``RPi.GPIO`` now; ``chip`` picks the gpiochip (``RPI_LGPIO_CHIP``).

    Sets ``LG_WD`` first when unset, and restores the working directory afterwards.
    """
    if not os.environ.get("LG_WD"):
        os.environ["LG_WD"] = str(lgpio_workdir())
    if chip is not None and chip >= 0:
        os.environ["RPI_LGPIO_CHIP"] = str(chip)
    cwd = os.getcwd()
    try:
        return importlib.import_module("RPi.GPIO")
    except Exception as exc:  # ImportError off the Pi, RuntimeError "only on a Raspberry Pi"
        raise GpioUnavailable(f"无法加载 GPIO 库（RPi.GPIO / rpi-lgpio）：{exc}") from exc
    finally:
        # Importing lgpio chdir()s the whole process into LG_WD (its notify FIFO is opened
        # right then); relative paths such as data_dir must keep working.
        if os.getcwd() != cwd:
            os.chdir(cwd)


@contextmanager
def _device_errors(action: str) -> Iterator[None]:
    try:
        yield
    except GpioUnavailable:
        raise
    except Exception as exc:  # lgpio.error, RuntimeError, OSError: all mean "not usable now"
        raise GpioUnavailable(f"GPIO {action}失败：{exc}") from exc


class RpiGpioBackend:
    """Pins through the RPi.GPIO API, BCM numbering.

    ``gpio`` is the RPi.GPIO module to use; by default it is imported here, lazily. Tests put a
    fake module in ``sys.modules`` so this very code runs over it.
    """

    def __init__(self, gpio: ModuleType | None = None, *, chip: int | None = None) -> None:
        self._gpio: Any = gpio if gpio is not None else import_rpi_gpio(chip)
        self._lock = threading.Lock()
        self._callbacks: dict[int, list[EdgeCallback]] = {}
        with _device_errors("初始化"):
            self._gpio.setwarnings(False)
            self._gpio.setmode(self._gpio.BCM)

    def setup_input(self, pin: int, pull_up: bool) -> None:
        gpio = self._gpio
        pull = gpio.PUD_UP if pull_up else gpio.PUD_DOWN
        with _device_errors(f"设置输入引脚 {pin} "):
            gpio.setup(pin, gpio.IN, pull_up_down=pull)

    def setup_output(self, pin: int, initial: int = LOW) -> None:
        gpio = self._gpio
        with _device_errors(f"设置输出引脚 {pin} "):
            gpio.setup(pin, gpio.OUT, initial=gpio.HIGH if initial else gpio.LOW)

    def read(self, pin: int) -> int:
        with _device_errors(f"读取引脚 {pin} "):
            return 1 if self._gpio.input(pin) else 0

    def write(self, pin: int, level: int) -> None:
        gpio = self._gpio
        with _device_errors(f"写入引脚 {pin} "):
            gpio.output(pin, gpio.HIGH if level else gpio.LOW)

    def add_edge_callback(self, pin: int, callback: EdgeCallback) -> None:
        with self._lock:
            callbacks = self._callbacks.get(pin)
            if callbacks is not None:
                callbacks.append(callback)
                return
            self._callbacks[pin] = [callback]
        gpio = self._gpio
        with _device_errors(f"监听引脚 {pin} "):
            # No bouncetime: we debounce ourselves, on an injectable clock.
            gpio.add_event_detect(pin, gpio.BOTH, callback=self._dispatch)

    def _dispatch(self, channel: int) -> None:
        with self._lock:
            callbacks = list(self._callbacks.get(channel, ()))
        try:
            level = 1 if self._gpio.input(channel) else 0
        except Exception:
            log.exception("reading GPIO %s after an edge failed", channel)
            return
        for callback in callbacks:
            try:
                callback(channel, level)
            except Exception:  # a device bug must not kill the GPIO callback thread
                log.exception("GPIO edge callback for pin %s failed", channel)

    def cleanup(self) -> None:
        with self._lock:
            pins = list(self._callbacks)
            self._callbacks.clear()
        gpio = self._gpio
        for pin in pins:
            try:
                gpio.remove_event_detect(pin)
            except Exception:
                log.debug("remove_event_detect(%s) failed", pin, exc_info=True)
        try:
            gpio.cleanup()
        except Exception:
            log.warning("GPIO cleanup failed", exc_info=True)
