"""The rating keypad (评价器) on GPIO: five keys, debounced, one rating per press (R-E2).

The real :class:`RpiGpioBackend` runs over a fake ``RPi.GPIO`` in ``sys.modules``; time is a
manual clock with a manual timer scheduler.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from hw.gpio import (
    FakeGpio,
    FakeRatingKeypad,
    GpioConfig,
    GpioRatingKeypad,
    ManualScheduler,
    RpiGpioBackend,
    install,
    make_keypad,
)
from hw.protocols import RatingKeypad

LAYOUT = {5: 5, 6: 4, 13: 3, 19: 2, 26: 1}


@dataclass
class Rig:
    gpio: FakeGpio
    sched: ManualScheduler
    backend: RpiGpioBackend
    ratings: list[int] = field(default_factory=list)

    def tap(self, t: float, pin: int, hold: float = 0.15) -> None:
        self.sched.run_until(t)
        self.gpio.drive(pin, 0)
        self.sched.run_until(t + hold)
        self.gpio.drive(pin, 1)

    def keypad(self, layout: dict[int, int] = LAYOUT, **kwargs: Any) -> GpioRatingKeypad:
        pad = GpioRatingKeypad(
            self.backend, layout, clock=self.sched.clock, scheduler=self.sched, **kwargs
        )
        pad.on_rating(self.ratings.append)
        pad.start()
        return pad


@pytest.fixture
def rig(monkeypatch: pytest.MonkeyPatch) -> Rig:
    sched = ManualScheduler()
    gpio = install(monkeypatch, FakeGpio(sched.clock))
    return Rig(gpio, sched, RpiGpioBackend())


def test_each_key_gives_its_level_r_e2(rig: Rig) -> None:
    """R-E2: pins (5, 6, 13, 19, 26) → levels (5, 4, 3, 2, 1), one rating per press."""
    pad = rig.keypad(window=2)
    assert isinstance(pad, RatingKeypad) and pad.window == 2
    for i, pin in enumerate(LAYOUT):
        rig.tap(1.0 + 2 * i, pin)
    rig.sched.advance(1.0)
    assert rig.ratings == [5, 4, 3, 2, 1]
    assert sorted(s.pin for s in rig.gpio.setups) == sorted(LAYOUT)
    assert all(s.pull_up_down == FakeGpio.PUD_UP for s in rig.gpio.setups)
    assert all(rig.gpio.bouncetime(pin) is None for pin in LAYOUT)


def test_bounce_gives_one_rating_r_e2(rig: Rig) -> None:
    """R-E2: 21 edges within 10 ms on press and on release post one rating."""
    rig.keypad()
    for i in range(21):
        rig.sched.run_until(1.0 + i * 0.0005)
        rig.gpio.drive(13, i % 2)
    rig.sched.run_until(1.5)
    for i in range(21):
        rig.sched.run_until(1.5 + i * 0.0005)
        rig.gpio.drive(13, 1 - i % 2)
    rig.sched.advance(1.0)
    assert rig.ratings == [3]


def test_held_key_rates_once_r_e2(rig: Rig) -> None:
    """R-E2: one rating per press, however long the key is held."""
    rig.keypad()
    rig.tap(1.0, 5, hold=8.0)
    rig.sched.advance(1.0)
    assert rig.ratings == [5]


def test_rate_limited_per_keypad_r_e2(rig: Rig) -> None:
    """R-E2: within 1 s of a rating, any key of the same keypad is ignored."""
    rig.keypad(min_interval_s=1.0)
    rig.tap(1.0, 5, hold=0.1)
    rig.tap(1.3, 26, hold=0.1)  # second key right after: ignored
    rig.tap(1.6, 5, hold=0.1)  # double tap: ignored
    rig.tap(2.5, 19, hold=0.1)  # 1.5 s later: counts
    rig.sched.advance(1.0)
    assert rig.ratings == [5, 2]


def test_layout_mapping_is_honoured_r_e2(rig: Rig) -> None:
    """R-E2: a reversed layout and pull-down keys (pressed = HIGH)."""
    reversed_layout = {26: 5, 19: 4, 13: 3, 6: 2, 5: 1}
    rig.keypad(reversed_layout, pull_up=False)
    for i, pin in enumerate((26, 5, 6)):
        rig.sched.run_until(1.0 + 2 * i)
        rig.gpio.drive(pin, 1)
        rig.sched.run_until(1.2 + 2 * i)
        rig.gpio.drive(pin, 0)
    rig.sched.advance(1.0)
    assert rig.ratings == [5, 1, 2]


def test_key_held_at_start_counts_only_when_pressed_anew_r_e2(rig: Rig) -> None:
    rig.gpio.drive(6, 0)
    rig.keypad()
    rig.sched.run_until(1.0)
    rig.gpio.drive(6, 1)
    rig.tap(3.0, 6)
    rig.sched.advance(1.0)
    assert rig.ratings == [4]


def test_make_keypad_takes_layout_and_window_from_config_r_e2(rig: Rig) -> None:
    """R-E2: the keypad layout and the window it belongs to are configurable."""
    config = GpioConfig(
        keypad_pins=(4, 17, 27, 22, 23),
        keypad_levels=(1, 2, 3, 4, 5),
        button_pin=16,
        keypad_window=3,
        keypad_min_interval_s=0.5,
    )
    pad = make_keypad(config, rig.backend, clock=rig.sched.clock, scheduler=rig.sched)
    pad.on_rating(rig.ratings.append)
    pad.start()
    assert pad.window == 3 and pad.min_interval_s == 0.5
    rig.tap(1.0, 23)
    rig.tap(2.0, 4)
    rig.sched.advance(1.0)
    assert rig.ratings == [5, 1]


@pytest.mark.parametrize("layout", [{}, {5: 6}, {5: 1, 6: 1}])
def test_bad_layouts_are_rejected_r_e2(rig: Rig, layout: dict[int, int]) -> None:
    with pytest.raises(ValueError):
        GpioRatingKeypad(rig.backend, layout, scheduler=rig.sched)


def test_fake_keypad_can_be_driven_r_e2() -> None:
    """R-E2: the fake keypad posts ratings only while started."""
    pad = FakeRatingKeypad(window=4)
    assert isinstance(pad, RatingKeypad)
    got: list[int] = []
    pad.on_rating(got.append)
    pad.press(5)
    pad.start()
    pad.press(1)
    pad.press(3)
    pad.stop()
    pad.press(4)
    assert got == [1, 3] == pad.ratings
    with pytest.raises(ValueError):
        pad.press(0)
