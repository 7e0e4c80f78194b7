"""The rating keypad at a window (评价器): five keys on five GPIO inputs (R-E2).

Each key is debounced like the call button. A rating is posted when a key press settles,
one rating per press; presses within ``min_interval_s`` of the last accepted rating of the
same keypad (any key) are ignored, so a bounce, a double tap or two keys at once post one
rating. The keypad belongs to one window (``window``); the rating rules themselves (only
after a finished service, never entered by staff) live in the station, not here.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping

from hw.gpio.debounce import Debouncer
from hw.gpio.pins import PinBackend
from hw.gpio.timing import Clock, Scheduler, ThreadScheduler
from hw.protocols import RatingCallback

log = logging.getLogger(__name__)

DEFAULT_LAYOUT: Mapping[int, int] = {5: 5, 6: 4, 13: 3, 19: 2, 26: 1}
"""BCM pin → rating level (5 = 非常满意 … 1 = 非常不满意)."""


def _check_layout(layout: Mapping[int, int]) -> dict[int, int]:
    result = {int(pin): int(level) for pin, level in layout.items()}
    if not result:
        raise ValueError("a keypad needs at least one key")
    if any(not 1 <= level <= 5 for level in result.values()):
        raise ValueError("rating levels must be 1..5")
    if len(set(result.values())) != len(result):
        raise ValueError("each rating level may have one key only")
    return result


class GpioRatingKeypad:
    """Implements :class:`hw.protocols.RatingKeypad` on GPIO inputs."""

    def __init__(
        self,
        backend: PinBackend,
        layout: Mapping[int, int] = DEFAULT_LAYOUT,
        *,
        window: int = 1,
        pull_up: bool = True,
        debounce_ms: float = 30,
        min_interval_s: float = 1.0,
        clock: Clock = time.monotonic,
        scheduler: Scheduler | None = None,
    ) -> None:
        self.layout = _check_layout(layout)
        self.window = window
        self.pull_up = pull_up
        self.min_interval_s = min_interval_s
        self._backend = backend
        self._clock = clock
        self._own_scheduler = scheduler is None
        self._scheduler: Scheduler = (
            scheduler
            if scheduler is not None
            else ThreadScheduler(clock, name=f"keypad-window-{window}")
        )
        self._pressed_level = 0 if pull_up else 1
        self._debouncers = {
            pin: Debouncer(
                self._reader(pin),
                debounce_ms / 1000.0,
                clock,
                self._scheduler,
                self._stable_handler(pin),
            )
            for pin in self.layout
        }
        self._lock = threading.Lock()
        self._callbacks: list[RatingCallback] = []
        self._running = False
        self._subscribed = False
        self._last_accepted: float | None = None

    def on_rating(self, callback: RatingCallback) -> None:
        with self._lock:
            self._callbacks.append(callback)

    def start(self) -> None:
        """Set the pins up and start watching. A key held now counts only once pressed anew."""
        for pin in self.layout:
            self._backend.setup_input(pin, self.pull_up)
        with self._lock:
            subscribe = not self._subscribed
            self._subscribed = True
        if subscribe:  # before reading the levels, so no edge falls in between
            for pin in self.layout:
                self._backend.add_edge_callback(pin, self._on_edge)
        for pin, debouncer in self._debouncers.items():
            debouncer.reset(self._backend.read(pin))
        with self._lock:
            self._running = True

    def stop(self) -> None:
        with self._lock:
            self._running = False
        for debouncer in self._debouncers.values():
            debouncer.stop()

    def close(self) -> None:
        """Stop, and end the timer thread this keypad made for itself."""
        self.stop()
        if self._own_scheduler and isinstance(self._scheduler, ThreadScheduler):
            self._scheduler.close()

    def _reader(self, pin: int) -> Callable[[], int]:
        return lambda: self._backend.read(pin)

    def _stable_handler(self, pin: int) -> Callable[[int, float], None]:
        return lambda level, at: self._on_stable(pin, level, at)

    def _on_edge(self, pin: int, level: int) -> None:
        debouncer = self._debouncers.get(pin)
        if self._running and debouncer is not None:
            debouncer.edge(level)

    def _on_stable(self, pin: int, level: int, at: float) -> None:
        if level != self._pressed_level:
            return
        rating = self.layout[pin]
        with self._lock:
            if not self._running:
                return
            last = self._last_accepted
            if last is not None and at - last < self.min_interval_s:
                log.info(
                    "keypad window %s: %s pressed %.2f s after the last rating, ignored",
                    self.window,
                    rating,
                    at - last,
                )
                return
            self._last_accepted = at
            callbacks = list(self._callbacks)
        log.info("keypad window %s: rating %s", self.window, rating)
        for callback in callbacks:
            try:
                callback(rating)
            except Exception:
                log.exception("rating callback failed")


class FakeRatingKeypad:
    """A keypad a test or simulator presses by level; records every rating it posted."""

    def __init__(self, window: int = 1) -> None:
        self.window = window
        self.ratings: list[int] = []
        self.running = False
        self._callbacks: list[RatingCallback] = []

    def on_rating(self, callback: RatingCallback) -> None:
        self._callbacks.append(callback)

    def start(self) -> None:
        self.running = True

    def stop(self) -> None:
        self.running = False

    def press(self, level: int) -> None:
        """Post a rating 1..5 as a key press would (ignored while stopped)."""
        if not 1 <= level <= 5:
            raise ValueError("rating levels are 1..5")
        if not self.running:
            return
        self.ratings.append(level)
        for callback in list(self._callbacks):
            callback(level)
