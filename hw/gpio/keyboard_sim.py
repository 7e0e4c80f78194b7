"""Keyboard simulation of the GPIO devices for ``make run`` (键盘模拟按钮与评价器).

Keys become pin levels on :class:`~hw.gpio.fake_rpi_gpio.FakePins`, so the real
:class:`~hw.gpio.call_button.CallButton` and :class:`~hw.gpio.keypad.GpioRatingKeypad`
(debounce, rate limit, long press, stuck) run over them unchanged:

* space: a short press of the call button (released by a timer);
* ``l``: a long press (held ``long_press_s`` + 0.5 s) for a priority ticket;
* ``s``: hold the button down until ``s`` again (to see the stuck alert);
* ``1`` … ``5``: the rating key of that level;
* ``q``: quit.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from typing import TextIO

from hw.gpio.config import GpioConfig
from hw.gpio.fake_rpi_gpio import FakePins
from hw.gpio.timing import Scheduler

HELP = "空格 = 短按取号；l = 长按（老弱病残孕优先）；s = 按住/松开按钮；1–5 = 评价；q = 退出"

SHORT_HOLD_S = 0.15
KEY_HOLD_S = 0.1
LONG_EXTRA_S = 0.5


class KeyboardSim:
    """Turns one key at a time into presses and releases of fake pins."""

    def __init__(self, pins: FakePins, config: GpioConfig, scheduler: Scheduler) -> None:
        self.pins = pins
        self.config = config
        self._scheduler = scheduler
        self._lock = threading.Lock()
        self._down: set[int] = set()
        self._levels_to_pin = {level: pin for pin, level in config.keypad_layout.items()}

    def handle(self, key: str) -> str | None:
        """Act on one key; returns what to tell the user (Chinese), or None."""
        cfg = self.config
        if key in ("\n", "\r", ""):
            return None
        if key == " ":
            return self._tap(cfg.button_pin, cfg.button_pull_up, SHORT_HOLD_S, "短按取号按钮")
        if key in ("l", "L"):
            hold = cfg.long_press_s + LONG_EXTRA_S
            return self._tap(cfg.button_pin, cfg.button_pull_up, hold, f"长按取号按钮 {hold:g} 秒")
        if key in ("s", "S"):
            return self._toggle_hold(cfg.button_pin, cfg.button_pull_up)
        if key in ("h", "H", "?"):
            return HELP
        if key.isdigit() and int(key) in self._levels_to_pin:
            pin = self._levels_to_pin[int(key)]
            return self._tap(pin, cfg.keypad_pull_up, KEY_HOLD_S, f"按下评价键 {key}")
        return f"无法识别的按键“{key}”。{HELP}"

    def _pressed(self, pull_up: bool) -> int:
        return 0 if pull_up else 1

    def _tap(self, pin: int, pull_up: bool, hold_s: float, label: str) -> str:
        with self._lock:
            if pin in self._down:
                return "该按键正被按住"
            self._down.add(pin)
        self.pins.drive(pin, self._pressed(pull_up))

        def release() -> None:
            with self._lock:
                self._down.discard(pin)
            self.pins.drive(pin, 1 - self._pressed(pull_up))

        self._scheduler.call_later(hold_s, release)
        return label

    def _toggle_hold(self, pin: int, pull_up: bool) -> str:
        with self._lock:
            held = pin in self._down
            if held:
                self._down.discard(pin)
            else:
                self._down.add(pin)
        if held:
            self.pins.drive(pin, 1 - self._pressed(pull_up))
            return "松开取号按钮"
        self.pins.drive(pin, self._pressed(pull_up))
        return f"按住取号按钮（超过 {self.config.stuck_after_s:g} 秒视为卡住），再按 s 松开"


def read_keys(stream: TextIO) -> Iterator[str]:
    """Single keys from a terminal (cbreak mode), or the characters of a piped stream."""
    if stream.isatty():
        yield from _terminal_keys(stream)
        return
    for line in stream:
        yield from line


def _terminal_keys(stream: TextIO) -> Iterator[str]:
    import termios
    import tty

    fd = stream.fileno()
    saved = termios.tcgetattr(fd)
    try:
        tty.setcbreak(fd)
        while True:
            key = stream.read(1)
            if not key:
                return
            yield key
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, saved)


def run_keyboard_sim(
    sim: KeyboardSim, stdin: TextIO | None = None, stdout: TextIO | None = None
) -> int:
    """Feed keys to ``sim`` until ``q`` or end of input; returns 0."""
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout

    def say(text: str) -> None:
        stdout.write(text + "\n")
        stdout.flush()

    say("模拟 GPIO 设备（取号按钮、蜂鸣器、评价器）")
    say(HELP)
    try:
        for key in read_keys(stdin):
            if key in ("q", "Q"):
                break
            message = sim.handle(key)
            if message:
                say(message)
    except KeyboardInterrupt:
        pass
    say("已退出模拟 GPIO 设备")
    return 0
