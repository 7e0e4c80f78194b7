"""Clocks and timer schedulers (计时) for the GPIO devices.

Every device takes a ``clock`` (monotonic seconds) and a :class:`Scheduler` for its timers, so
tests drive time by hand (:class:`ManualClock`, :class:`ManualScheduler`) and never sleep.
On the Pi, :class:`ThreadScheduler` runs the timers on one daemon thread.
"""

from __future__ import annotations

import heapq
import itertools
import logging
import threading
import time
from collections.abc import Callable
from typing import Protocol

log = logging.getLogger(__name__)

Clock = Callable[[], float]
"""Monotonic seconds, e.g. :func:`time.monotonic`."""

EPSILON = 1e-9
"""Slack for float comparisons of times."""


class TimerHandle(Protocol):
    """A scheduled call that may still be cancelled."""

    def cancel(self) -> None: ...


class Scheduler(Protocol):
    """Runs a function once after a delay, on some thread of its own."""

    def call_later(self, delay: float, fn: Callable[[], None]) -> TimerHandle: ...


class _Timer:
    __slots__ = ("fn", "cancelled")

    def __init__(self, fn: Callable[[], None]) -> None:
        self.fn = fn
        self.cancelled = False

    def cancel(self) -> None:
        self.cancelled = True

    def run(self) -> None:
        if self.cancelled:
            return
        try:
            self.fn()
        except Exception:  # a failing device callback must not stop the timers
            log.exception("GPIO timer callback failed")


class ThreadScheduler:
    """All timers of a device on one daemon thread, in due order.

    Callbacks run on that thread one after another, so a slow callback delays the timers
    behind it; device callbacks that do I/O (issuing a ticket over HTTP) should hand off.
    """

    def __init__(self, clock: Clock = time.monotonic, name: str = "gpio-timers") -> None:
        self._clock = clock
        self._name = name
        self._cond = threading.Condition()
        self._heap: list[tuple[float, int, _Timer]] = []
        self._seq = itertools.count()
        self._thread: threading.Thread | None = None
        self._closed = False

    def call_later(self, delay: float, fn: Callable[[], None]) -> TimerHandle:
        timer = _Timer(fn)
        with self._cond:
            if self._closed:
                raise RuntimeError("scheduler is closed")
            due = self._clock() + max(0.0, delay)
            heapq.heappush(self._heap, (due, next(self._seq), timer))
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name=self._name, daemon=True)
                self._thread.start()
            self._cond.notify()
        return timer

    def _run(self) -> None:
        while True:
            with self._cond:
                while not self._closed:
                    if self._heap:
                        wait = self._heap[0][0] - self._clock()
                        if wait <= 0:
                            break
                        self._cond.wait(wait)
                    else:
                        self._cond.wait()
                if self._closed:
                    return
                _, _, timer = heapq.heappop(self._heap)
            timer.run()

    def close(self, timeout: float = 1.0) -> None:
        """Drop pending timers and stop the thread."""
        with self._cond:
            self._closed = True
            self._heap.clear()
            self._cond.notify()
            thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)


class ManualClock:
    """A clock that moves only when told to (tests and simulations)."""

    def __init__(self, start: float = 0.0) -> None:
        self._now = start
        self._lock = threading.Lock()

    def __call__(self) -> float:
        with self._lock:
            return self._now

    def set(self, now: float) -> None:
        with self._lock:
            if now < self._now:
                raise ValueError("a monotonic clock cannot go back")
            self._now = now

    def advance(self, seconds: float) -> None:
        """Move forward; usable as an injected ``sleep``."""
        if seconds < 0:
            raise ValueError("cannot advance by a negative time")
        with self._lock:
            self._now += seconds


class ManualScheduler:
    """Timers on a :class:`ManualClock`, run by :meth:`advance` in the caller's thread."""

    def __init__(self, clock: ManualClock | None = None) -> None:
        self.clock = clock if clock is not None else ManualClock()
        self._heap: list[tuple[float, int, _Timer]] = []
        self._seq = itertools.count()

    def call_later(self, delay: float, fn: Callable[[], None]) -> TimerHandle:
        timer = _Timer(fn)
        due = self.clock() + max(0.0, delay)
        heapq.heappush(self._heap, (due, next(self._seq), timer))
        return timer

    @property
    def pending(self) -> int:
        """How many timers are scheduled and not cancelled."""
        return sum(1 for _, _, t in self._heap if not t.cancelled)

    def advance(self, seconds: float) -> None:
        """Move the clock forward, running every timer that falls due on the way in order.

        Timers scheduled by those callbacks run too when they fall due before the end.
        """
        self.run_until(self.clock() + seconds)

    def run_until(self, when: float) -> None:
        while self._heap and self._heap[0][0] <= when + EPSILON:
            due, _, timer = heapq.heappop(self._heap)
            if due > self.clock():
                self.clock.set(due)
            timer.run()
        if when > self.clock():
            self.clock.set(when)
