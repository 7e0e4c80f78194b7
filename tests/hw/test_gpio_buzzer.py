"""The buzzer (蜂鸣器): each pattern as an exact timed sequence of levels (R-Q1).

The real :class:`RpiGpioBackend` runs over a fake ``RPi.GPIO`` in ``sys.modules``; the
buzzer's injected ``sleep`` advances the manual clock the fake stamps every output with.
"""

from __future__ import annotations

import threading

import pytest

from hw.gpio import (
    PATTERNS,
    FakeBuzzer,
    FakeGpio,
    GpioBuzzer,
    ManualClock,
    RpiGpioBackend,
    install,
    pattern_levels,
    pattern_name,
)
from hw.gpio.fake_rpi_gpio import Setup
from hw.protocols import (
    BEEP_CALL,
    BEEP_ERROR,
    BEEP_FAULT,
    BEEP_ISSUED,
    BEEP_PRIORITY,
    Buzzer,
    BuzzerPattern,
)

PIN = 18
T0 = 100.0


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(T0)


@pytest.fixture
def gpio(monkeypatch: pytest.MonkeyPatch, clock: ManualClock) -> FakeGpio:
    return install(monkeypatch, FakeGpio(clock))


def played(gpio: FakeGpio, start: float = T0) -> list[tuple[float, int]]:
    return [(round(t - start, 6), level) for t, level in gpio.outputs_for(PIN)]


EXPECTED: dict[str, list[tuple[float, int]]] = {
    "issued": [(0.0, 1), (0.08, 0)],
    "priority": [(0.0, 1), (0.08, 0), (0.16, 1), (0.24, 0)],
    "call": [(0.0, 1), (0.2, 0), (0.3, 1), (0.5, 0), (0.6, 1), (0.8, 0)],
    "error": [(0.0, 1), (0.4, 0), (0.5, 1), (0.9, 0)],
    "fault": [(0.0, 1), (0.6, 0), (0.8, 1), (1.4, 0), (1.6, 1), (2.2, 0)],
}
BY_NAME: dict[str, BuzzerPattern] = {
    "issued": BEEP_ISSUED,
    "priority": BEEP_PRIORITY,
    "call": BEEP_CALL,
    "error": BEEP_ERROR,
    "fault": BEEP_FAULT,
}


@pytest.mark.parametrize("name", list(EXPECTED))
def test_each_pattern_is_an_exact_timed_sequence_of_levels_r_q1(
    gpio: FakeGpio, clock: ManualClock, name: str
) -> None:
    """R-Q1: ticket issued, priority issued, window call, error and fault, level by level."""
    buzzer = GpioBuzzer(RpiGpioBackend(), PIN, sleep=clock.advance)
    assert isinstance(buzzer, Buzzer)
    buzzer.play(BY_NAME[name])
    assert buzzer.wait_idle(2.0)
    assert played(gpio) == EXPECTED[name]
    assert gpio.setups == [Setup(PIN, FakeGpio.OUT, FakeGpio.PUD_OFF, FakeGpio.LOW)]
    assert gpio.level(PIN) == 0  # silent afterwards
    assert [(round(t - T0, 6), v) for t, v in pattern_levels(BY_NAME[name], T0)] == EXPECTED[name]
    buzzer.stop()


def test_patterns_are_distinct_r_q1() -> None:
    """R-Q1: a villager can tell issued, priority, call and fault apart."""
    sequences = [tuple(tuple(step) for step in p) for p in PATTERNS.values()]
    assert len(set(sequences)) == len(sequences)
    assert {pattern_name(p) for p in PATTERNS.values()} == set(PATTERNS)
    assert pattern_name(((0.01, 0.0),)) == "custom"


def test_patterns_queue_and_play_back_to_back_r_q1(gpio: FakeGpio, clock: ManualClock) -> None:
    """R-Q1: a call queued behind a ticket beep plays right after it."""
    buzzer = GpioBuzzer(RpiGpioBackend(), PIN, sleep=clock.advance)
    buzzer.play(BEEP_ISSUED)
    buzzer.play(BEEP_CALL)
    assert buzzer.wait_idle(2.0)
    after = [(round(t + 0.08, 6), v) for t, v in EXPECTED["call"]]
    assert played(gpio) == EXPECTED["issued"] + after
    buzzer.stop()


def test_active_low_buzzer_inverts_levels_r_q1(gpio: FakeGpio, clock: ManualClock) -> None:
    """R-Q1: an active-low module is silent HIGH and sounds LOW."""
    buzzer = GpioBuzzer(RpiGpioBackend(), PIN, active_high=False, sleep=clock.advance)
    buzzer.play(BEEP_PRIORITY)
    assert buzzer.wait_idle(2.0)
    assert gpio.setups[0].initial == FakeGpio.HIGH
    assert played(gpio) == [(t, 1 - v) for t, v in EXPECTED["priority"]]
    buzzer.stop()


def test_play_does_not_block_and_a_full_queue_drops_r_q1(
    gpio: FakeGpio, clock: ManualClock
) -> None:
    """R-Q1: play() returns at once even while a pattern sounds; overflow is dropped."""
    gate = threading.Event()
    sleeps: list[float] = []

    def blocking_sleep(seconds: float) -> None:
        sleeps.append(seconds)
        assert gate.wait(2.0)

    buzzer = GpioBuzzer(RpiGpioBackend(), PIN, sleep=blocking_sleep, max_queued=2)
    for _ in range(6):  # the worker holds one; two wait; the rest are dropped
        buzzer.play(BEEP_ISSUED)
    assert not buzzer.wait_idle(0.005)
    gate.set()
    assert buzzer.wait_idle(2.0)
    assert 2 <= len(sleeps) <= 3  # one playing (maybe not yet taken) + two queued
    buzzer.stop()


def test_negative_durations_are_rejected_r_q1(gpio: FakeGpio) -> None:
    with pytest.raises(ValueError):
        GpioBuzzer(RpiGpioBackend(), PIN).play(((-0.1, 0.0),))


def test_fake_buzzer_records_patterns_r_q1() -> None:
    """R-Q1: the fake buzzer records what it was asked to play, by name."""
    fake = FakeBuzzer()
    assert isinstance(fake, Buzzer)
    fake.play(BEEP_ISSUED)
    fake.play(BEEP_FAULT)
    assert fake.names == ["issued", "fault"]
    assert fake.played[1] == tuple(BEEP_FAULT)
