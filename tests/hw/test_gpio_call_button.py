"""The call button (取号按钮) on GPIO: debounce, rate limit, long press, stuck (R-Q1).

A fake ``RPi.GPIO`` sits in ``sys.modules`` and the real :class:`RpiGpioBackend` imports it,
so the real backend code path runs. Time is a manual clock with a manual timer scheduler.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Any

import pytest

from hw.gpio import CallButton, FakeGpio, ManualScheduler, RpiGpioBackend, install
from hw.gpio.timing import ThreadScheduler
from hw.protocols import Button, PressKind

PIN = 17
DOWN, UP = 0, 1  # pull-up wiring: pressed = LOW


@dataclass
class Rig:
    gpio: FakeGpio
    sched: ManualScheduler
    backend: RpiGpioBackend
    presses: list[PressKind] = field(default_factory=list)
    stuck: list[bool] = field(default_factory=list)

    def at(self, t: float, level: int, pin: int = PIN) -> None:
        """Let time run to ``t`` (firing due timers), then drive the pin."""
        self.sched.run_until(t)
        self.gpio.drive(pin, level)

    def storm(self, t: float, edges: int, end_level: int, span: float = 0.010) -> None:
        """``edges`` alternating edges within ``span`` seconds, the last one to ``end_level``."""
        step = span / edges
        for i in range(edges):
            level = end_level if (edges - 1 - i) % 2 == 0 else 1 - end_level
            self.at(t + i * step, level)

    def button(self, **kwargs: Any) -> CallButton:
        btn = CallButton(self.backend, PIN, clock=self.sched.clock, scheduler=self.sched, **kwargs)
        btn.on_press(self.presses.append)
        btn.on_stuck(self.stuck.append)
        btn.start()
        return btn


@pytest.fixture
def rig(monkeypatch: pytest.MonkeyPatch) -> Rig:
    sched = ManualScheduler()
    gpio = install(monkeypatch, FakeGpio(sched.clock))
    return Rig(gpio, sched, RpiGpioBackend())


def test_button_sets_up_a_pulled_up_input_without_library_debounce_r_q1(rig: Rig) -> None:
    """R-Q1: BCM numbering, pull-up input, edge detection on BOTH edges with no bouncetime."""
    btn = rig.button()
    assert isinstance(btn, Button)
    assert rig.gpio.mode == FakeGpio.BCM
    (setup,) = rig.gpio.setups
    assert (setup.pin, setup.direction, setup.pull_up_down) == (PIN, FakeGpio.IN, FakeGpio.PUD_UP)
    assert rig.gpio.detecting(PIN) and rig.gpio.bouncetime(PIN) is None


def test_bounce_storm_gives_exactly_one_press_r_q1(rig: Rig) -> None:
    """R-Q1: 21 edges within 10 ms ending low, held, then a bouncy release: one press."""
    rig.button()
    rig.storm(1.0, edges=21, end_level=DOWN)
    rig.sched.run_until(1.3)
    assert rig.presses == []  # the kind is decided on release
    rig.storm(1.3, edges=21, end_level=UP)
    rig.sched.advance(1.0)
    assert rig.presses == ["short"]
    assert rig.stuck == []


def test_storm_shorter_than_debounce_that_ends_released_is_no_press_r_q1(rig: Rig) -> None:
    """R-Q1: a glitch (20 edges in 10 ms, back to released) never counts."""
    rig.button()
    rig.storm(1.0, edges=20, end_level=UP)
    rig.sched.advance(5.0)
    assert rig.presses == []


def test_long_storm_that_ends_released_is_no_press_r_q1(rig: Rig) -> None:
    """R-Q1: edges every 7 ms for 140 ms never leave 30 ms of quiet: nothing counts."""
    rig.button()
    rig.storm(1.0, edges=20, end_level=UP, span=0.140)
    rig.sched.advance(5.0)
    assert rig.presses == []


def test_press_shorter_than_debounce_is_ignored_r_q1(rig: Rig) -> None:
    """R-Q1: a level must stay for debounce_ms (30 ms) before it counts."""
    rig.button()
    rig.at(1.0, DOWN)
    rig.at(1.02, UP)
    rig.sched.advance(1.0)
    assert rig.presses == []


def test_hammering_gives_one_ticket_r_q1(rig: Rig) -> None:
    """R-Q1: 10 clean presses within 2 s issue one ticket; after the interval, another."""
    rig.button()
    for i in range(10):
        t = 1.0 + i * 0.2
        rig.at(t, DOWN)
        rig.at(t + 0.1, UP)
    rig.sched.run_until(3.0)
    assert rig.presses == ["short"]
    rig.at(4.2, DOWN)  # 3.0 s after the accepted press was released (1.1)
    rig.at(4.4, UP)
    rig.sched.advance(1.0)
    assert rig.presses == ["short", "short"]


def test_long_press_issues_one_priority_press_r_q1(rig: Rig) -> None:
    """R-Q1: held 2.5 s → exactly one "long" (老弱病残孕 priority ticket)."""
    rig.button()
    rig.at(1.0, DOWN)
    rig.sched.run_until(3.4)
    assert rig.presses == []
    rig.at(3.5, UP)
    rig.sched.advance(1.0)
    assert rig.presses == ["long"]


def test_short_press_r_q1(rig: Rig) -> None:
    """R-Q1: a 0.3 s press is "short"."""
    rig.button()
    rig.at(1.0, DOWN)
    rig.at(1.3, UP)
    rig.sched.advance(1.0)
    assert rig.presses == ["short"]


@pytest.mark.parametrize(("held", "kind"), [(1.95, "short"), (2.0, "long"), (9.5, "long")])
def test_long_press_threshold_r_q1(rig: Rig, held: float, kind: PressKind) -> None:
    """R-Q1: hold time runs from the settled press edge to the settled release edge."""
    rig.button()
    rig.storm(1.0, edges=5, end_level=DOWN, span=0.004)
    rig.storm(1.0 + held, edges=5, end_level=UP, span=0.004)
    rig.sched.advance(1.0)
    assert rig.presses == [kind]


def test_stuck_button_alerts_once_is_ignored_and_recovers_r_q1(rig: Rig) -> None:
    """R-Q1: held 15 s → stuck(True) once, no press; release → stuck(False); next press ok."""
    btn = rig.button()
    rig.at(1.0, DOWN)
    rig.sched.run_until(10.9)
    assert rig.stuck == [] and not btn.stuck
    rig.sched.run_until(11.0)
    assert rig.stuck == [True] and btn.stuck
    rig.storm(12.0, edges=4, end_level=DOWN)  # wiggling a stuck button changes nothing
    rig.sched.run_until(16.0)
    assert rig.stuck == [True] and rig.presses == []
    rig.at(16.0, UP)
    rig.sched.advance(0.5)
    assert rig.stuck == [True, False] and not btn.stuck
    assert rig.presses == []
    rig.at(17.0, DOWN)
    rig.at(17.2, UP)
    rig.sched.advance(0.5)
    assert rig.presses == ["short"]
    assert rig.stuck == [True, False]


def test_button_held_at_start_issues_nothing_on_release_r_q1(rig: Rig) -> None:
    """R-Q1: a press must start while we watch; a held button is still watched for stuck."""
    rig.gpio.drive(PIN, DOWN)  # not set up yet: no edge, just the level
    rig.button()
    rig.at(2.0, UP)
    rig.sched.advance(1.0)
    assert rig.presses == [] and rig.stuck == []
    rig.at(4.0, DOWN)
    rig.at(4.2, UP)
    rig.sched.advance(1.0)
    assert rig.presses == ["short"]


def test_pull_down_wiring_presses_high_r_q1(rig: Rig) -> None:
    """R-Q1: pull_up=False → pull-down input, pressed = HIGH."""
    rig.button(pull_up=False)
    assert rig.gpio.setups[0].pull_up_down == FakeGpio.PUD_DOWN
    rig.at(1.0, 1)
    rig.at(1.2, 0)
    rig.sched.advance(1.0)
    assert rig.presses == ["short"]


def test_stop_ignores_presses_and_start_resumes_r_q1(rig: Rig) -> None:
    """R-Q1: a stopped button issues nothing; started again it works."""
    btn = rig.button()
    btn.stop()
    rig.at(1.0, DOWN)
    rig.at(1.3, UP)
    rig.sched.advance(1.0)
    assert rig.presses == []
    btn.start()
    rig.at(3.0, DOWN)
    rig.at(3.3, UP)
    rig.sched.advance(1.0)
    assert rig.presses == ["short"]


def test_failing_callback_does_not_break_the_button_r_q1(rig: Rig) -> None:
    """R-Q1: a callback that raises is logged; the other callbacks still run."""
    btn = rig.button()

    def boom(kind: PressKind) -> None:
        raise RuntimeError("server down")

    btn.on_press(boom)
    seen: list[PressKind] = []
    btn.on_press(seen.append)
    rig.at(1.0, DOWN)
    rig.at(1.3, UP)
    rig.sched.advance(1.0)
    assert rig.presses == ["short"] and seen == ["short"]


def test_invalid_timings_are_rejected_r_q1(rig: Rig) -> None:
    with pytest.raises(ValueError):
        CallButton(rig.backend, PIN, long_press_s=5.0, stuck_after_s=4.0, scheduler=rig.sched)


def test_real_thread_scheduler_and_clock_r_q1(monkeypatch: pytest.MonkeyPatch) -> None:
    """R-Q1: the default timer thread on the real clock (debounce 2 ms, a few ms of sleep)."""
    gpio = install(monkeypatch, FakeGpio())
    backend = RpiGpioBackend()
    scheduler = ThreadScheduler()
    pressed = threading.Event()
    kinds: list[PressKind] = []
    btn = CallButton(backend, PIN, debounce_ms=2, scheduler=scheduler)

    def record(kind: PressKind) -> None:
        kinds.append(kind)
        pressed.set()

    btn.on_press(record)
    btn.start()
    try:
        gpio.drive(PIN, DOWN)
        time.sleep(0.006)
        gpio.drive(PIN, UP)
        assert pressed.wait(2.0)
        assert kinds == ["short"]
    finally:
        btn.close()
        scheduler.close()
