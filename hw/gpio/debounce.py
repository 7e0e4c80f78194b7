"""Debouncing (去抖) of one input pin in our own code, on an injectable clock.

A raw level counts only after it has been stable for ``debounce_s``: every edge restarts the
quiet period, so a bounce storm of any length yields at most one change of the stable level.
When the quiet period ends the pin is read again, so a missed edge cannot leave a wrong level.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from hw.gpio.timing import EPSILON, Clock, Scheduler, TimerHandle

StableCallback = Callable[[int, float], None]
"""Called with the new stable level (0/1) and the time of the edge it settled at."""


class Debouncer:
    """Turns raw edges of one input into changes of a stable level."""

    def __init__(
        self,
        read: Callable[[], int],
        debounce_s: float,
        clock: Clock,
        scheduler: Scheduler,
        on_change: StableCallback,
    ) -> None:
        if debounce_s < 0:
            raise ValueError("debounce_s must not be negative")
        self._read = read
        self._debounce_s = debounce_s
        self._clock = clock
        self._scheduler = scheduler
        self._on_change = on_change
        self._lock = threading.Lock()
        self._stable = 0
        self._raw = 0
        self._last_edge = clock()
        self._pending: TimerHandle | None = None
        self._active = False

    @property
    def stable(self) -> int:
        """The last level that was stable for the debounce time."""
        return self._stable

    def reset(self, level: int) -> None:
        """Start watching with ``level`` as the stable level (read at start)."""
        with self._lock:
            self._cancel()
            self._stable = self._raw = 1 if level else 0
            self._last_edge = self._clock()
            self._active = True

    def stop(self) -> None:
        """Stop watching; later edges are ignored until :meth:`reset`."""
        with self._lock:
            self._active = False
            self._cancel()

    def edge(self, level: int) -> None:
        """An edge from the pin backend (any thread)."""
        with self._lock:
            if not self._active:
                return
            self._raw = 1 if level else 0
            self._last_edge = self._clock()
            if self._pending is None:
                self._pending = self._scheduler.call_later(self._debounce_s, self._check)

    def _check(self) -> None:
        with self._lock:
            self._pending = None
            if not self._active:
                return
            now = self._clock()
            actual = 1 if self._read() else 0
            if actual != self._raw:  # an edge we were not told about
                self._raw = actual
                self._last_edge = now
            quiet = now - self._last_edge
            if quiet + EPSILON < self._debounce_s:
                self._pending = self._scheduler.call_later(self._debounce_s - quiet, self._check)
                return
            if self._raw == self._stable:
                return
            self._stable = self._raw
            change = (self._stable, self._last_edge)
        self._on_change(*change)

    def _cancel(self) -> None:
        if self._pending is not None:
            self._pending.cancel()
            self._pending = None
