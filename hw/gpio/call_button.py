"""The call button at the door (取号按钮) on one GPIO input (R-Q1).

Rules, all on an injectable clock and timer scheduler:

* **Debounce** in our own code: a level counts once stable for ``debounce_ms``
  (:class:`~hw.gpio.debounce.Debouncer`); a bounce storm gives at most one press.
* **Kind decided on release.** A hold of ``long_press_s`` or more is ``"long"`` (a
  老弱病残孕 priority ticket), a shorter one ``"short"``. Deciding on release means a button
  that turns out to be stuck never issues a ticket. Hold times run from the edge the press
  settled at to the edge the release settled at, so debouncing adds no error.
* **Rate limit.** A press that starts within ``min_interval_s`` of the last *accepted*
  press (its release) is ignored: a child hammering the button gets one ticket.
* **Stuck.** Held beyond ``stuck_after_s``: the stuck callback gets ``True`` once (at that
  moment, from a timer), the hold is ignored, and on release the callback gets ``False``.
  A button already held when :meth:`CallButton.start` runs is watched for being stuck, but
  its release issues nothing: a press must start while we watch.
* **Wiring.** Pull-up by default (pressed = LOW); ``pull_up=False`` means pull-down wiring
  (pressed = HIGH).

Callbacks run on the scheduler's thread (or the backend's); keep them short or hand off.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from functools import partial

from hw.gpio.debounce import Debouncer
from hw.gpio.pins import PinBackend
from hw.gpio.timing import EPSILON, Clock, Scheduler, ThreadScheduler, TimerHandle
from hw.protocols import PressCallback, PressKind, StuckCallback

log = logging.getLogger(__name__)

_Event = Callable[[], None]


class CallButton:
    """Implements :class:`hw.protocols.Button` on a :class:`~hw.gpio.pins.PinBackend`."""

    def __init__(
        self,
        backend: PinBackend,
        pin: int,
        *,
        pull_up: bool = True,
        debounce_ms: float = 30,
        min_interval_s: float = 3.0,
        long_press_s: float = 2.0,
        stuck_after_s: float = 10.0,
        clock: Clock = time.monotonic,
        scheduler: Scheduler | None = None,
    ) -> None:
        if not 0 < long_press_s < stuck_after_s:
            raise ValueError("need 0 < long_press_s < stuck_after_s")
        if min_interval_s < 0:
            raise ValueError("min_interval_s must not be negative")
        self.pin = pin
        self.pull_up = pull_up
        self.min_interval_s = min_interval_s
        self.long_press_s = long_press_s
        self.stuck_after_s = stuck_after_s
        self._backend = backend
        self._clock = clock
        self._own_scheduler = scheduler is None
        self._scheduler: Scheduler = (
            scheduler
            if scheduler is not None
            else ThreadScheduler(clock, name=f"call-button-{pin}")
        )
        self._pressed_level = 0 if pull_up else 1
        self._debouncer = Debouncer(
            lambda: backend.read(pin),
            debounce_ms / 1000.0,
            clock,
            self._scheduler,
            self._on_stable,
        )
        self._lock = threading.Lock()
        self._press_callbacks: list[PressCallback] = []
        self._stuck_callbacks: list[StuckCallback] = []
        self._running = False
        self._subscribed = False
        self._held = False
        self._press_at = 0.0
        self._hold_started_before_watch = False
        self._stuck = False
        self._stuck_timer: TimerHandle | None = None
        self._hold_id = 0
        self._last_accepted: float | None = None

    # --- the Button protocol --------------------------------------------------------

    def on_press(self, callback: PressCallback) -> None:
        with self._lock:
            self._press_callbacks.append(callback)

    def on_stuck(self, callback: StuckCallback) -> None:
        """``callback(True)`` when the button gets stuck, ``callback(False)`` on release."""
        with self._lock:
            self._stuck_callbacks.append(callback)

    def start(self) -> None:
        """Set the pin up and start watching it.

        Edge detection is on before the level is read, so no edge falls between the two.
        """
        self._backend.setup_input(self.pin, self.pull_up)
        with self._lock:
            subscribe = not self._subscribed
            self._subscribed = True
        if subscribe:
            self._backend.add_edge_callback(self.pin, self._on_edge)
        level = self._backend.read(self.pin)
        with self._lock:
            self._running = True
            self._stuck = False
            self._held = level == self._pressed_level
            self._hold_started_before_watch = self._held
            if self._held:
                self._press_at = self._clock()
                self._arm_stuck_timer()
            self._debouncer.reset(level)

    def stop(self) -> None:
        """Stop watching; pending timers are dropped. The pin stays set up; start again."""
        with self._lock:
            self._running = False
            self._held = False
            self._stuck = False
            self._cancel_stuck_timer()
        self._debouncer.stop()

    def close(self) -> None:
        """Stop, and end the timer thread this button made for itself."""
        self.stop()
        if self._own_scheduler and isinstance(self._scheduler, ThreadScheduler):
            self._scheduler.close()

    # --- state ------------------------------------------------------------------------

    @property
    def stuck(self) -> bool:
        return self._stuck

    @property
    def held(self) -> bool:
        """Pressed, as far as the debounced level tells."""
        return self._held

    # --- internals ----------------------------------------------------------------------

    def _on_edge(self, pin: int, level: int) -> None:
        if self._running:
            self._debouncer.edge(level)

    def _on_stable(self, level: int, at: float) -> None:
        with self._lock:
            if not self._running:
                return
            pressed = level == self._pressed_level
            events = self._begin_hold(at) if pressed else self._end_hold(at)
        for event in events:
            event()

    def _begin_hold(self, at: float) -> list[_Event]:
        self._held = True
        self._press_at = at
        self._hold_started_before_watch = False
        self._arm_stuck_timer()
        return []

    def _end_hold(self, at: float) -> list[_Event]:
        if not self._held:
            return []
        self._held = False
        self._cancel_stuck_timer()
        held_for = at - self._press_at
        if self._stuck:
            self._stuck = False
            log.info("call button %s released after being stuck %.1f s", self.pin, held_for)
            return [partial(self._emit_stuck, False)]
        if self._hold_started_before_watch:
            log.info("call button %s released; it was held before start, ignored", self.pin)
            return []
        if held_for + EPSILON >= self.stuck_after_s:  # the stuck timer ran late
            log.warning("call button %s was held %.1f s: stuck, ignored", self.pin, held_for)
            return [partial(self._emit_stuck, True), partial(self._emit_stuck, False)]
        last = self._last_accepted
        if last is not None and self._press_at - last < self.min_interval_s:
            log.info(
                "call button %s pressed %.2f s after the last press: ignored",
                self.pin,
                self._press_at - last,
            )
            return []
        kind: PressKind = "long" if held_for + EPSILON >= self.long_press_s else "short"
        self._last_accepted = at
        return [partial(self._emit_press, kind)]

    def _arm_stuck_timer(self) -> None:
        self._cancel_stuck_timer()
        self._hold_id += 1
        delay = max(0.0, self._press_at + self.stuck_after_s - self._clock())
        self._stuck_timer = self._scheduler.call_later(
            delay, partial(self._check_stuck, self._hold_id)
        )

    def _cancel_stuck_timer(self) -> None:
        if self._stuck_timer is not None:
            self._stuck_timer.cancel()
            self._stuck_timer = None

    def _check_stuck(self, hold_id: int) -> None:
        with self._lock:
            if not (self._running and self._held) or hold_id != self._hold_id or self._stuck:
                return
            remaining = self._press_at + self.stuck_after_s - self._clock()
            if remaining > EPSILON:
                self._stuck_timer = self._scheduler.call_later(
                    remaining, partial(self._check_stuck, hold_id)
                )
                return
            self._stuck_timer = None
            self._stuck = True
        log.warning("call button %s held over %.0f s: stuck", self.pin, self.stuck_after_s)
        self._emit_stuck(True)

    def _emit_press(self, kind: PressKind) -> None:
        with self._lock:
            callbacks = list(self._press_callbacks)
        for callback in callbacks:
            try:
                callback(kind)
            except Exception:
                log.exception("call button press callback failed")

    def _emit_stuck(self, stuck: bool) -> None:
        with self._lock:
            callbacks = list(self._stuck_callbacks)
        for callback in callbacks:
            try:
                callback(stuck)
            except Exception:
                log.exception("call button stuck callback failed")
