"""The buzzer (蜂鸣器) on one GPIO output: patterns as timed sequences of levels.

:meth:`GpioBuzzer.play` never blocks: patterns go to a bounded queue and a worker thread
plays them one after another (on, sleep, off, sleep, …). ``sleep`` is injectable, so a test
plays a pattern on a manual clock and compares the recorded (time, level) list exactly.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable

from hw.gpio.pins import PinBackend
from hw.protocols import (
    BEEP_CALL,
    BEEP_ERROR,
    BEEP_FAULT,
    BEEP_ISSUED,
    BEEP_PRIORITY,
    BuzzerPattern,
)

log = logging.getLogger(__name__)

PATTERNS: dict[str, BuzzerPattern] = {
    "issued": BEEP_ISSUED,
    "priority": BEEP_PRIORITY,
    "call": BEEP_CALL,
    "error": BEEP_ERROR,
    "fault": BEEP_FAULT,
}
"""Every pattern by a short name (for logs, fakes and the self-check)."""


def pattern_name(pattern: BuzzerPattern) -> str:
    """The name of a known pattern, or ``"custom"``."""
    wanted = tuple(tuple(step) for step in pattern)
    for name, known in PATTERNS.items():
        if tuple(tuple(step) for step in known) == wanted:
            return name
    return "custom"


def pattern_levels(
    pattern: BuzzerPattern, start: float = 0.0, active_high: bool = True
) -> list[tuple[float, int]]:
    """The (time, level) writes playing ``pattern`` from ``start`` makes."""
    on, off = (1, 0) if active_high else (0, 1)
    t = start
    levels: list[tuple[float, int]] = []
    for on_s, off_s in pattern:
        levels.append((t, on))
        t += on_s
        levels.append((t, off))
        t += off_s
    return levels


def _check(pattern: BuzzerPattern) -> tuple[tuple[float, float], ...]:
    steps = tuple((float(on), float(off)) for on, off in pattern)
    if any(on < 0 or off < 0 for on, off in steps):
        raise ValueError("buzzer pattern durations must not be negative")
    return steps


class GpioBuzzer:
    """Implements :class:`hw.protocols.Buzzer` on an output pin."""

    def __init__(
        self,
        backend: PinBackend,
        pin: int,
        *,
        active_high: bool = True,
        sleep: Callable[[float], None] = time.sleep,
        max_queued: int = 8,
    ) -> None:
        self.pin = pin
        self.active_high = active_high
        self._backend = backend
        self._sleep = sleep
        self._on, self._off = (1, 0) if active_high else (0, 1)
        self._queue: queue.Queue[tuple[tuple[float, float], ...] | None] = queue.Queue(
            maxsize=max_queued
        )
        self._lock = threading.Lock()
        self._idle = threading.Condition(self._lock)
        self._busy = 0  # queued or playing
        self._thread: threading.Thread | None = None
        self._started = False

    def start(self) -> None:
        """Set the pin up (silent) and start the worker; :meth:`play` does it when needed."""
        with self._lock:
            if self._started:
                return
            self._started = True
        self._backend.setup_output(self.pin, self._off)
        thread = threading.Thread(target=self._run, name=f"buzzer-{self.pin}", daemon=True)
        self._thread = thread
        thread.start()

    def play(self, pattern: BuzzerPattern) -> None:
        """Queue a pattern and return at once; dropped (and logged) when the queue is full."""
        steps = _check(pattern)
        self.start()
        with self._lock:
            self._busy += 1
        try:
            self._queue.put_nowait(steps)
        except queue.Full:
            with self._lock:
                self._busy -= 1
                self._idle.notify_all()
            log.warning("buzzer queue full; %s pattern dropped", pattern_name(steps))

    def wait_idle(self, timeout: float | None = None) -> bool:
        """Wait until every queued pattern has played; False on timeout."""
        with self._idle:
            return self._idle.wait_for(lambda: self._busy == 0, timeout)

    def stop(self, timeout: float = 5.0) -> None:
        """Finish the queued patterns, stop the worker and leave the buzzer silent."""
        with self._lock:
            thread = self._thread
            self._thread = None
        if thread is None:
            return
        try:
            self._queue.put(None, timeout=timeout)  # stop after what is queued
        except queue.Full:
            log.warning("buzzer queue stayed full; worker left running")
        thread.join(timeout)
        with self._lock:
            self._started = False

    def _run(self) -> None:
        while True:
            steps = self._queue.get()
            if steps is None:
                return
            try:
                self._play_now(steps)
            except Exception:  # a pin error must not kill the worker
                log.exception("buzzer pattern failed")
                self._silence()
            finally:
                with self._lock:
                    self._busy -= 1
                    self._idle.notify_all()

    def _play_now(self, steps: tuple[tuple[float, float], ...]) -> None:
        for on_s, off_s in steps:
            self._backend.write(self.pin, self._on)
            self._sleep(on_s)
            self._backend.write(self.pin, self._off)
            if off_s > 0:
                self._sleep(off_s)

    def _silence(self) -> None:
        try:
            self._backend.write(self.pin, self._off)
        except Exception:
            log.debug("silencing the buzzer failed", exc_info=True)


class FakeBuzzer:
    """Records the patterns it is asked to play (tests, and stations with no buzzer)."""

    def __init__(self) -> None:
        self.played: list[tuple[tuple[float, float], ...]] = []

    def play(self, pattern: BuzzerPattern) -> None:
        self.played.append(_check(pattern))

    @property
    def names(self) -> list[str]:
        """The played patterns by name (``issued``, ``priority``, ``call``, …)."""
        return [pattern_name(p) for p in self.played]
