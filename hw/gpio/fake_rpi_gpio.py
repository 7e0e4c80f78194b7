"""A fake ``RPi.GPIO`` module (模拟 GPIO) that records setup and outputs and can be driven.

:class:`FakeGpio` is a module object with the RPi.GPIO names the station uses. Put it in
``sys.modules`` with :func:`install` and :class:`~hw.gpio.pins.RpiGpioBackend` runs over it
unchanged. ``drive(pin, level)`` changes an input from the outside and fires edge callbacks
as the real library does (``callback(channel)``). Every output is recorded with a timestamp
from an injectable clock.

:class:`FakePins` is the same thing as a ready :class:`~hw.gpio.pins.PinBackend`: the
backend of ``make run``, driven by the keyboard simulator.
"""

from __future__ import annotations

import sys
import threading
import time
import types
from collections.abc import Callable, MutableMapping
from dataclasses import dataclass
from typing import Any, NamedTuple, Protocol

from hw.gpio.pins import RpiGpioBackend
from hw.gpio.timing import Clock

GpioCallback = Callable[[int], None]


class Output(NamedTuple):
    """One ``GPIO.output`` call."""

    t: float
    pin: int
    level: int


@dataclass(frozen=True)
class Setup:
    """One ``GPIO.setup`` call for one channel."""

    pin: int
    direction: int
    pull_up_down: int
    initial: int


@dataclass
class _Detect:
    edge: int
    callbacks: list[GpioCallback]
    bouncetime: int | None


class FakeGpio(types.ModuleType):
    """Stands in for ``RPi.GPIO``; constants have the real library's values."""

    BOARD = 10
    BCM = 11
    OUT = 0
    IN = 1
    LOW = 0
    HIGH = 1
    PUD_OFF = 20
    PUD_DOWN = 21
    PUD_UP = 22
    RISING = 31
    FALLING = 32
    BOTH = 33
    VERSION = "0.7.1a4+fake"

    def __init__(self, clock: Clock = time.monotonic) -> None:
        super().__init__("RPi.GPIO", "Fake RPi.GPIO for tests and simulation.")
        self.clock = clock
        self.mode: int | None = None
        self.warnings = True
        self.setups: list[Setup] = []
        self.outputs: list[Output] = []
        self.cleaned = 0
        self._lock = threading.RLock()
        self._direction: dict[int, int] = {}
        self._pull: dict[int, int] = {}
        self._out_level: dict[int, int] = {}
        self._external: dict[int, int] = {}
        self._detect: dict[int, _Detect] = {}

    # --- the RPi.GPIO API -------------------------------------------------------------

    def setmode(self, mode: int) -> None:
        if mode not in (self.BCM, self.BOARD):
            raise ValueError("An invalid mode was passed to setmode()")
        if self.mode is not None and mode != self.mode:
            raise ValueError("A different mode has already been set!")
        self.mode = mode

    def getmode(self) -> int | None:
        return self.mode

    def setwarnings(self, flag: bool) -> None:
        self.warnings = bool(flag)

    def setup(
        self,
        channel: int | list[int] | tuple[int, ...],
        direction: int,
        pull_up_down: int = PUD_OFF,
        initial: int = -1,
    ) -> None:
        if self.mode is None:
            raise RuntimeError(
                "Please set pin numbering mode using GPIO.setmode(GPIO.BOARD) or "
                "GPIO.setmode(GPIO.BCM)"
            )
        if direction not in (self.IN, self.OUT):
            raise ValueError("An invalid direction was passed to setup()")
        channels = [channel] if isinstance(channel, int) else list(channel)
        with self._lock:
            for pin in channels:
                self.setups.append(Setup(pin, direction, pull_up_down, initial))
                self._direction[pin] = direction
                self._pull[pin] = pull_up_down
                if direction == self.OUT:
                    self._detect.pop(pin, None)
                    self._out_level[pin] = 1 if initial == self.HIGH else 0

    def input(self, channel: int) -> int:
        with self._lock:
            self._require_setup(channel)
            return self._level(channel)

    def output(self, channel: int, value: int | bool) -> None:
        with self._lock:
            self._require_setup(channel)
            if self._direction[channel] != self.OUT:
                raise RuntimeError("The GPIO channel has not been set up as an OUTPUT")
            level = 1 if value else 0
            self._out_level[channel] = level
            self.outputs.append(Output(self.clock(), channel, level))

    def add_event_detect(
        self,
        channel: int,
        edge: int,
        callback: GpioCallback | None = None,
        bouncetime: int | None = None,
    ) -> None:
        if edge not in (self.RISING, self.FALLING, self.BOTH):
            raise ValueError("The edge must be set to RISING, FALLING or BOTH")
        with self._lock:
            self._require_setup(channel)
            if self._direction[channel] != self.IN:
                raise RuntimeError("You must setup() the GPIO channel as an input first")
            if channel in self._detect:
                raise RuntimeError(
                    "Conflicting edge detection already enabled for this GPIO channel"
                )
            callbacks = [callback] if callback is not None else []
            self._detect[channel] = _Detect(edge, callbacks, bouncetime)

    def add_event_callback(self, channel: int, callback: GpioCallback) -> None:
        with self._lock:
            if channel not in self._detect:
                raise RuntimeError("Add event detection using add_event_detect first")
            self._detect[channel].callbacks.append(callback)

    def remove_event_detect(self, channel: int) -> None:
        with self._lock:
            self._detect.pop(channel, None)

    def cleanup(self, channel: int | list[int] | None = None) -> None:
        with self._lock:
            pins = (
                list(self._direction)
                if channel is None
                else ([channel] if isinstance(channel, int) else list(channel))
            )
            for pin in pins:
                self._direction.pop(pin, None)
                self._pull.pop(pin, None)
                self._out_level.pop(pin, None)
                self._detect.pop(pin, None)
            if channel is None:
                self.mode = None
            self.cleaned += 1

    # --- for tests and simulators ---------------------------------------------------

    def drive(self, pin: int, level: int) -> None:
        """Set an input from the outside (a finger, a wire); fires edge callbacks."""
        level = 1 if level else 0
        with self._lock:
            if self._direction.get(pin) == self.OUT:
                raise ValueError(f"pin {pin} is an output; it cannot be driven")
            before = self._level(pin) if pin in self._direction else None
            self._external[pin] = level
            detect = self._detect.get(pin)
            callbacks = list(detect.callbacks) if detect is not None else []
            fire = (
                detect is not None
                and before is not None
                and before != level
                and (
                    detect.edge == self.BOTH
                    or (detect.edge == self.RISING and level == 1)
                    or (detect.edge == self.FALLING and level == 0)
                )
            )
        if fire:  # outside the lock: the callback reads the pin back
            for callback in callbacks:
                callback(pin)

    def release(self, pin: int) -> None:
        """Stop driving an input: it floats back to its pull."""
        with self._lock:
            self._external.pop(pin, None)

    def level(self, pin: int) -> int:
        """The current level of a set-up pin (input or output)."""
        return self.input(pin)

    def outputs_for(self, pin: int) -> list[tuple[float, int]]:
        """Every level written to ``pin``, as (time, level)."""
        with self._lock:
            return [(o.t, o.level) for o in self.outputs if o.pin == pin]

    def bouncetime(self, pin: int) -> int | None:
        """The ``bouncetime`` edge detection was asked with (``None``: we debounce)."""
        with self._lock:
            return self._detect[pin].bouncetime

    def detecting(self, pin: int) -> bool:
        with self._lock:
            return pin in self._detect

    def _require_setup(self, channel: int) -> None:
        if channel not in self._direction:
            raise RuntimeError("You must setup() the GPIO channel first")

    def _level(self, pin: int) -> int:
        if self._direction[pin] == self.OUT:
            return self._out_level.get(pin, 0)
        if pin in self._external:
            return self._external[pin]
        return 1 if self._pull.get(pin) == self.PUD_UP else 0


class _MonkeyPatch(Protocol):
    def setitem(self, dic: Any, name: Any, value: Any) -> None: ...


def install(
    target: _MonkeyPatch | MutableMapping[str, types.ModuleType] | None = None,
    gpio: FakeGpio | None = None,
) -> FakeGpio:
    """Make ``import RPi.GPIO`` return a fake; returns it.

    ``target`` is a pytest ``monkeypatch`` (undone after the test), a modules mapping, or
    ``None`` for ``sys.modules`` itself.
    """
    fake = gpio if gpio is not None else FakeGpio()
    package = types.ModuleType("RPi", "Fake RPi package holding the fake GPIO module.")
    package.__path__ = []
    package.GPIO = fake  # type: ignore[attr-defined]
    if target is None:
        target = sys.modules
    if isinstance(target, MutableMapping):
        target["RPi"] = package
        target["RPi.GPIO"] = fake
    else:
        target.setitem(sys.modules, "RPi", package)
        target.setitem(sys.modules, "RPi.GPIO", fake)
    return fake


class FakePins(RpiGpioBackend):
    """The real backend over a :class:`FakeGpio`: a pin backend you can drive."""

    def __init__(self, clock: Clock = time.monotonic, gpio: FakeGpio | None = None) -> None:
        self.gpio = gpio if gpio is not None else FakeGpio(clock)
        super().__init__(gpio=self.gpio)

    def drive(self, pin: int, level: int) -> None:
        self.gpio.drive(pin, level)

    def outputs_for(self, pin: int) -> list[tuple[float, int]]:
        return self.gpio.outputs_for(pin)
