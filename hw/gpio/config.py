"""GPIO settings (GPIO 配置): pins, wiring and timings of the button, buzzer and keypad.

Each field ``x`` is read from the station setting ``gpio_x`` when that exists
(:meth:`GpioConfig.from_settings`). Station settings hold only str/int/float/bool, so pin
lists arrive as text such as ``"5,6,13,19,26"``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

SETTINGS_PREFIX = "gpio_"
BACKENDS = ("rpi", "fake")


def _f(default: Any, help: str) -> Any:
    return field(default=default, metadata={"help": help})


def parse_pins(raw: object) -> tuple[int, ...]:
    """``"5, 6,13"`` or ``[5, 6, 13]`` → ``(5, 6, 13)``."""
    if isinstance(raw, str):
        parts = [p for p in raw.replace(";", ",").replace(" ", ",").split(",") if p]
        return tuple(int(p) for p in parts)
    if isinstance(raw, Sequence):
        return tuple(int(p) for p in raw)
    raise ValueError(f"cannot read {raw!r} as a list of pins")


def parse_chip(raw: object) -> int:
    """``"/dev/gpiochip4"``, ``"gpiochip4"``, ``"4"`` or ``4`` → ``4``; empty → ``-1``."""
    if isinstance(raw, int):
        return raw
    text = str(raw).strip()
    if not text:
        return -1
    return int(text.rsplit("/", 1)[-1].removeprefix("gpiochip"))


def _bool(raw: object) -> bool:
    if isinstance(raw, bool):
        return raw
    return str(raw).strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class GpioConfig:
    """Pins (BCM numbers), wiring and timings of the GPIO devices."""

    backend: str = _f("fake", "GPIO backend: rpi (RPi.GPIO / rpi-lgpio on the Pi) or fake.")
    chip: int = _f(-1, "gpiochip number for rpi-lgpio (RPI_LGPIO_CHIP); -1 = library default.")
    button_pin: int = _f(17, "BCM pin of the call button (取号按钮).")
    button_pull_up: bool = _f(
        True, "Call button wired to ground with the internal pull-up (pressed = LOW)."
    )
    debounce_ms: int = _f(30, "A button level counts after it is stable this long (去抖), ms.")
    button_min_interval_s: float = _f(
        3.0, "Presses within this many seconds of the last accepted press are ignored."
    )
    long_press_s: float = _f(2.0, "Hold at least this long for a priority ticket (老弱病残孕).")
    stuck_after_s: float = _f(10.0, "A button held longer is stuck: alert, ignored until released.")
    buzzer_pin: int = _f(18, "BCM pin of the buzzer (蜂鸣器).")
    buzzer_active_high: bool = _f(True, "The buzzer sounds when its pin is HIGH.")
    keypad_pins: tuple[int, ...] = _f(
        (5, 6, 13, 19, 26), "BCM pins of the rating keypad keys (评价器), comma separated."
    )
    keypad_levels: tuple[int, ...] = _f(
        (5, 4, 3, 2, 1), "Rating level of each keypad pin, in the same order (5 = 非常满意)."
    )
    keypad_pull_up: bool = _f(True, "Keypad keys wired to ground with pull-ups (pressed = LOW).")
    keypad_min_interval_s: float = _f(
        1.0, "Keypad presses within this many seconds of the last rating are ignored."
    )
    keypad_window: int = _f(1, "Window number (窗口号) the rating keypad belongs to.")

    def __post_init__(self) -> None:
        if self.backend not in BACKENDS:
            raise ValueError(f"gpio backend must be one of {', '.join(BACKENDS)}")
        if len(self.keypad_pins) != len(self.keypad_levels):
            raise ValueError("keypad_pins and keypad_levels must have the same length")
        if not 0 < self.long_press_s < self.stuck_after_s:
            raise ValueError("need 0 < long_press_s < stuck_after_s")
        if self.debounce_ms < 0 or self.button_min_interval_s < 0:
            raise ValueError("debounce_ms and button_min_interval_s must not be negative")
        pins = [self.button_pin, self.buzzer_pin, *self.keypad_pins]
        if len(set(pins)) != len(pins):
            raise ValueError("each GPIO pin may be used once")

    @property
    def debounce_s(self) -> float:
        return self.debounce_ms / 1000.0

    @property
    def keypad_layout(self) -> dict[int, int]:
        """Pin → rating level."""
        return dict(zip(self.keypad_pins, self.keypad_levels, strict=True))

    @classmethod
    def from_settings(cls, settings: object) -> GpioConfig:
        """Read ``gpio_*`` attributes of the station settings; missing ones keep defaults."""
        values: dict[str, Any] = {}
        for f in dataclasses.fields(cls):
            default: Any = f.default
            raw = getattr(settings, SETTINGS_PREFIX + f.name, default)
            if f.name in ("keypad_pins", "keypad_levels"):
                values[f.name] = parse_pins(raw)
            elif f.name == "chip":
                values[f.name] = parse_chip(raw)
            elif isinstance(default, bool):
                values[f.name] = _bool(raw)
            elif isinstance(default, int):
                values[f.name] = int(raw)
            elif isinstance(default, float):
                values[f.name] = float(raw)
            else:
                values[f.name] = str(raw)
        return cls(**values)


def settings_fields() -> list[tuple[str, object, str]]:
    """(setting name, default as a station setting, help) for each field."""
    rows: list[tuple[str, object, str]] = []
    for f in dataclasses.fields(GpioConfig):
        default = f.default
        if isinstance(default, tuple):
            default = ",".join(str(v) for v in default)
        rows.append((SETTINGS_PREFIX + f.name, default, str(f.metadata["help"])))
    return rows
